import { Agent, fetch } from 'undici';

/** What one mixed-load run saw from the client side. */
export interface LoadResult {
  /** Requests issued. */
  issued: number;
  /** Ids (x-request-id) of requests whose response began: Moat took them. */
  sent: Set<string>;
  /** Ids of requests whose answer arrived whole (a stream through its last event). */
  answered: Set<string>;
  statuses: Map<number, number>;
  /** Connection errors: refused, reset, or cut off mid-answer. */
  networkErrors: number;
  /** Milliseconds from send to the answer's end, for answered requests. */
  latenciesMs: number[];
  /** When each answer ended (performance.now()). */
  answeredAt: Map<string, number>;
}

interface Shape {
  path: string;
  body: (i: number) => unknown;
  stream: boolean;
}

const SHAPES: Shape[] = [
  { path: '/v1/chat/completions', stream: false, body: (i) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Summarise item ${i} in one line.` }], max_tokens: 64 }) },
  { path: '/v1/chat/completions', stream: true, body: (i) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Write a short story about number ${i}.` }], stream: true }) },
  { path: '/v1/completions', stream: false, body: (i) => ({ model: 'gpt-4o-mini', prompt: `Complete: ${i} bottles`, max_tokens: 32 }) },
  { path: '/v1/embeddings', stream: false, body: (i) => ({ model: 'text-embedding-3-small', input: [`doc ${i}`, `doc ${i + 1}`] }) },
  { path: '/v1/responses', stream: true, body: (i) => ({ model: 'gpt-4o', input: `Explain ${i} briefly.`, stream: true }) },
  { path: '/v1/chat/completions', stream: false, body: (i) => ({ model: 'gpt-4o', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `Translate ${i} to French.` }], logit_bias: null, n: null }) },
];

const finished = (stream: boolean, text: string) => (stream ? text.includes('[DONE]') || text.includes('response.completed') : text.startsWith('{'));

/**
 * Steady mixed traffic (chat, completions, embeddings, responses; a third of it streamed) from
 * `concurrency` workers until `stop()` says so or `maxRequests` have been issued.
 */
export async function mixedLoad(options: {
  url: string;
  secret: string;
  concurrency: number;
  maxRequests: number;
  stop?: () => boolean;
  onAnswer?: (result: LoadResult) => void;
  /** Models for the chat and completions calls, in turn (e.g. fault models mixed with healthy ones). */
  chatModels?: readonly string[];
  /** A steady rate instead of as fast as the workers go (each request has its slot in time). */
  ratePerSecond?: number;
}): Promise<LoadResult> {
  const startedAt = performance.now();
  const result: LoadResult = { issued: 0, sent: new Set(), answered: new Set(), statuses: new Map(), networkErrors: 0, latenciesMs: [], answeredAt: new Map() };
  const dispatcher = new Agent({ connections: options.concurrency, keepAliveTimeout: 4_000 });
  const worker = async () => {
    while (result.issued < options.maxRequests && !(options.stop?.() ?? false)) {
      const i = result.issued++;
      if (options.ratePerSecond) {
        const wait = startedAt + (i * 1000) / options.ratePerSecond - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const shape = SHAPES[i % SHAPES.length]!;
      const body = shape.body(i) as { model: string };
      if (options.chatModels && shape.path !== '/v1/embeddings' && shape.path !== '/v1/responses') body.model = options.chatModels[Math.floor(i / SHAPES.length) % options.chatModels.length]!;
      const started = performance.now();
      try {
        const response = await fetch(`${options.url}${shape.path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.secret}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          dispatcher,
        });
        const id = response.headers.get('x-request-id');
        if (id) result.sent.add(id);
        result.statuses.set(response.status, (result.statuses.get(response.status) ?? 0) + 1);
        const text = await response.text();
        if (id && response.status === 200 && finished(shape.stream, text)) {
          result.answered.add(id);
          result.answeredAt.set(id, performance.now());
          result.latenciesMs.push(performance.now() - started);
          options.onAnswer?.(result);
        }
      } catch {
        result.networkErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await dispatcher.close().catch(() => undefined);
  return result;
}

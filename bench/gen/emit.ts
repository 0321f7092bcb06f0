/**
 * Turns drafts into TRAFFIC.md requests (usage, truncation, status, latency, retries) and merges
 * every actor's time-ordered stream into one sorted log without holding it in memory.
 */
import type { ChatMessage, RequestBody, TrafficRequest } from '../../src/traffic/types.js';
import { ChunkedJsonLinesWriter } from './writer.js';
import { Rng } from './rng.js';
import { type Actor, type Draft, iso } from './world.js';

const STORE_CAP = 6000;

/** Requests per minute around which an account gets throttled, by tier. */
const RPM: Readonly<Record<string, number>> = { free: 20, 'tier-1': 60, 'tier-2': 200, 'tier-3': 500, 'tier-4': 1000, 'tier-5': 3000 };

/** ms per output token by model family; reasoning models also think first. */
const MS_PER_TOKEN: Readonly<Record<string, number>> = {
  'gpt-4o-mini': 9, 'gpt-4o': 14, 'gpt-4.1': 15, 'gpt-4.1-mini': 9, 'gpt-4.1-nano': 6, 'gpt-5': 18, 'gpt-5-mini': 11,
  'o4-mini': 10, o3: 20, 'gpt-4-turbo': 20, 'gpt-3.5-turbo-instruct': 6,
};

function contentChars(c: unknown): number {
  if (typeof c === 'string') return c.length;
  if (Array.isArray(c)) return c.reduce<number>((s, x) => s + contentChars(x), 0);
  if (c !== null && typeof c === 'object') {
    const o = c as Record<string, unknown>;
    return contentChars(o['text'] ?? o['content'] ?? '');
  }
  return 0;
}

function promptChars(body: RequestBody): number {
  let n = 0;
  for (const m of body.messages ?? []) n += contentChars(m.content);
  n += contentChars(body.prompt) + contentChars(body.input) + contentChars(body.instructions);
  return n;
}

function cap(text: string): string {
  return text.length > STORE_CAP ? text.slice(0, STORE_CAP) : text;
}

/** Storage truncation of every message text; copies, so shared bodies stay intact. */
function stored(body: RequestBody): RequestBody {
  const out: RequestBody = { ...body };
  if (body.messages) out.messages = body.messages.map((m): ChatMessage => (typeof m.content === 'string' && m.content.length > STORE_CAP ? { ...m, content: cap(m.content) } : m));
  if (typeof body.prompt === 'string') out.prompt = cap(body.prompt);
  if (typeof body.input === 'string') out.input = cap(body.input);
  return out;
}

export interface Stats {
  requests: number;
  statuses: Map<number, number>;
  endpoints: Map<string, number>;
  perPlaybook: Map<string, { requests: number; completion: number; active: Set<string> }>;
  extractionRequests: number;
}

class Heap<T> {
  private readonly a: T[] = [];
  constructor(private readonly less: (x: T, y: T) => boolean) {}
  get size(): number {
    return this.a.length;
  }
  push(v: T): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i] as T, a[p] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as T, a[m] as T)) m = l;
        if (r < a.length && this.less(a[r] as T, a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

interface Entry {
  draft: Draft;
  /** Tie-break so equal timestamps come out in a fixed order. */
  tie: number;
  src: Iterator<Draft> | null;
  srcName: string;
  attempt: number;
}

/** Per-account trailing-minute arrivals, for the 429 model. */
class Recent {
  private readonly times = new Map<string, number[]>();
  count(acct: string, t: number): number {
    let q = this.times.get(acct);
    if (!q) {
      q = [];
      this.times.set(acct, q);
    }
    while (q.length > 0 && (q[0] as number) <= t - 60_000) q.shift();
    q.push(t);
    return q.length;
  }
}

export async function writeRequests(path: string, actors: Actor[], seed: number, window: { start: number; end: number }, onProgress?: (n: number) => void): Promise<Stats> {
  const root = new Rng(seed).fork('emit');
  // One stream per account: adding or changing one actor leaves every other account's statuses and latencies as they were.
  const perAccount = new Map<string, Rng>();
  const rngOf = (account: string): Rng => {
    let r = perAccount.get(account);
    if (!r) {
      r = root.fork(account);
      perAccount.set(account, r);
    }
    return r;
  };
  const heap = new Heap<Entry>((x, y) => x.draft.t < y.draft.t || (x.draft.t === y.draft.t && x.tie < y.tie));
  let tie = 0;
  const last = new Map<Iterator<Draft>, number>();
  const pull = (src: Iterator<Draft>, name: string): void => {
    for (;;) {
      const r = src.next();
      if (r.done) return;
      const d = r.value;
      const prev = last.get(src) ?? -Infinity;
      if (d.t < prev) throw new Error(`actor ${name} went back in time: ${iso(d.t)} after ${iso(prev)}`);
      last.set(src, d.t);
      if (d.t < window.start) continue;
      if (d.t >= window.end) return;
      heap.push({ draft: d, tie: tie++, src, srcName: name, attempt: 0 });
      return;
    }
  };
  actors.forEach((a, i) => pull(a.events()[Symbol.iterator](), `${a.playbook}#${i}`));

  const stats: Stats = { requests: 0, statuses: new Map(), endpoints: new Map(), perPlaybook: new Map(), extractionRequests: 0 };
  const recent = new Recent();
  const out = new ChunkedJsonLinesWriter(path);
  for (;;) {
    const e = heap.pop();
    if (!e) break;
    if (e.src) pull(e.src, e.srcName);
    const d = e.draft;
    const t = Math.round(d.t);
    const perMin = recent.count(d.acct.record.account, t);
    const limit = RPM[d.acct.record.tier] ?? 500;
    const p429 = Math.min(0.3, 0.25 * (perMin / limit) ** 2);
    const roll = rngOf(d.acct.record.account).next();
    const status = roll < p429 ? 429 : roll < p429 + 0.0014 ? 500 : roll < p429 + 0.0021 ? 503 : 200;
    const req = finalize(d, t, status, rngOf(d.acct.record.account), stats.requests + 1);
    await out.write(req);
    stats.requests++;
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
    stats.endpoints.set(d.endpoint, (stats.endpoints.get(d.endpoint) ?? 0) + 1);
    const pb = d.acct.label.playbook;
    let s = stats.perPlaybook.get(pb);
    if (!s) {
      s = { requests: 0, completion: 0, active: new Set() };
      stats.perPlaybook.set(pb, s);
    }
    s.requests++;
    s.completion += req.usage.completion_tokens;
    s.active.add(d.acct.record.account);
    if (d.acct.label.label === 'extraction') stats.extractionRequests++;
    if (status !== 200 && e.attempt < 4) {
      // Clients retry a failed call a few seconds later with the same body.
      const r = rngOf(d.acct.record.account);
      const back = status === 429 ? r.float(2000, 20000) * (e.attempt + 1) : r.float(1000, 6000);
      const retry: Draft = { ...d, t: t + back };
      if (retry.t < window.end) heap.push({ draft: retry, tie: tie++, src: null, srcName: 'retry', attempt: e.attempt + 1 });
    }
    if (onProgress && stats.requests % 50000 === 0) onProgress(stats.requests);
  }
  await out.close();
  return stats;
}

function finalize(d: Draft, t: number, status: number, rng: Rng, seq: number): TrafficRequest {
  const body = d.body;
  const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
  const base: Omit<TrafficRequest, 'response' | 'usage' | 'status' | 'latency_ms'> = {
    id: `r_${String(seq).padStart(7, '0')}`,
    ts: iso(t),
    account: d.acct.record.account,
    key: d.key,
    ip: d.ip,
    user_agent: d.ua,
    endpoint: d.endpoint,
    request: stored(body),
  };
  if (status !== 200) {
    return { ...base, response: { text: '', finish_reason: null }, usage: { prompt_tokens: 0, completion_tokens: 0 }, status, latency_ms: Math.round(rng.float(20, status === 429 ? 60 : 900)) };
  }
  const promptTokens = Math.ceil(promptChars(body) / 4);
  if (d.endpoint === '/v1/embeddings') {
    return { ...base, response: { text: '', finish_reason: null }, usage: { prompt_tokens: promptTokens, completion_tokens: 0 }, status, latency_ms: Math.round(rng.float(60, 400)) };
  }
  const maxTokens = body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens;
  let text = d.text;
  let finish = 'stop';
  if (typeof maxTokens === 'number' && text.length > maxTokens * 4) {
    text = text.slice(0, maxTokens * 4);
    finish = 'length';
  }
  const perChoice = Math.ceil(text.length / 4);
  let completion = perChoice;
  const n = d.choices ?? (typeof body.n === 'number' ? body.n : 1);
  for (let i = 1; i < n; i++) {
    const other = Math.ceil(perChoice * rng.float(0.75, 1.25));
    completion += typeof maxTokens === 'number' ? Math.min(other, maxTokens) : other;
  }
  const reasoning = /^(o\d|gpt-5)/.test(model) ? rng.float(1500, 9000) : 0;
  const latency = rng.float(150, 600) + perChoice * (MS_PER_TOKEN[model] ?? 12) * rng.float(0.8, 1.3) + reasoning;
  return { ...base, response: { text: cap(text), finish_reason: finish }, usage: { prompt_tokens: promptTokens, completion_tokens: completion }, status, latency_ms: Math.round(latency) };
}

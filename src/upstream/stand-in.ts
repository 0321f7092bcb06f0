import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENDPOINTS } from '../metering/endpoint.js';
import { contentText } from '../traffic/request-text.js';
import type { RequestBody } from '../traffic/types.js';
import { embeddingFor, streamPieces, syntheticAnswer, type Answer, type AnswerSource } from './stand-in-answers.js';
import { MAX_CHOICES, type ToolCall } from './stand-in-choices.js';

export interface StandInOptions {
  /** Models it claims to serve (GET /v1/models). */
  models: string[];
  /** Whether answers carry `usage`; off, Moat must count tokens itself. */
  reportUsage?: boolean;
  /** Pause between stream events, to let tests abort mid-stream. */
  chunkDelayMs?: number;
  /** Made-up answers by default; a replay serves recorded ones. */
  answers?: AnswerSource;
}

export interface ServedUsage {
  endpoint: string;
  user: string | undefined;
  usage: { prompt_tokens: number; completion_tokens: number };
}

/**
 * A local OpenAI-compatible server with no model behind it: Moat's `--stand-in` upstream
 * for a fresh machine, and the upstream of the tests. It records the usage it reported.
 */
export class StandInUpstream {
  readonly served: ServedUsage[] = [];
  private readonly server: Server;
  private sequence = 0;

  constructor(private readonly options: StandInOptions) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}/v1`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'GET' && request.url === '/v1/models') {
      return json(response, 200, { object: 'list', data: this.options.models.map(modelObject) });
    }
    if (request.method === 'GET' && request.url?.startsWith('/v1/models/')) {
      let id = request.url.slice('/v1/models/'.length);
      try {
        id = decodeURIComponent(id);
      } catch {
        // Not percent-encoded after all: looked up as sent.
      }
      if (this.options.models.includes(id)) return json(response, 200, modelObject(id));
      return json(response, 404, { error: { message: `The model '${id}' does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: RequestBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RequestBody;
    } catch {
      return json(response, 400, { error: { message: 'invalid JSON', type: 'invalid_request_error', param: null, code: null } });
    }
    if (!this.options.models.includes(String(body.model))) {
      return json(response, 404, { error: { message: `The model \`${String(body.model)}\` does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
    }
    // As OpenAI does, reject what no model could serve, so clients see upstream 4xx errors pass through.
    if (typeof body.max_tokens === 'number' && body.max_tokens < 1) {
      return json(response, 400, { error: { message: `Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got ${body.max_tokens} instead.`, type: 'invalid_request_error', param: 'max_tokens', code: 'integer_below_min_value' } });
    }
    if (body.n !== undefined && body.n !== null && (typeof body.n !== 'number' || !Number.isInteger(body.n) || body.n < 1 || body.n > MAX_CHOICES)) {
      return json(response, 400, { error: { message: `Invalid 'n': expected an integer from 1 to ${MAX_CHOICES}.`, type: 'invalid_request_error', param: 'n', code: 'invalid_value' } });
    }
    const id = `standin-${++this.sequence}`;
    const endpoint = ENDPOINTS[request.url ?? ''];
    if (!endpoint) {
      return json(response, 404, { error: { message: `Unknown request URL: ${request.url}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
    }
    const answer = (this.options.answers ?? syntheticAnswer)(endpoint, body);
    if (answer.status !== undefined && answer.status >= 400) {
      const code = answer.status === 429 ? 'rate_limit_exceeded' : 'server_error';
      return json(response, answer.status, { error: { message: `The upstream answered ${answer.status}.`, type: answer.status === 429 ? 'requests' : 'server_error', param: null, code } });
    }
    switch (endpoint) {
      case 'chat':
      case 'completions':
        return this.chat(id, body, answer, response, endpoint);
      case 'embeddings':
        return this.embeddings(body, answer, response);
      case 'responses':
        return this.responses(id, body, answer, response);
    }
  }

  private record(endpoint: string, body: RequestBody, usage: ServedUsage['usage']): ServedUsage['usage'] | undefined {
    this.served.push({ endpoint, user: body.user, usage });
    return this.options.reportUsage === false ? undefined : usage;
  }

  private async chat(id: string, body: RequestBody, answer: Answer, response: ServerResponse, kind: 'chat' | 'completions'): Promise<void> {
    const choices = answer.choices ?? [{ text: answer.text, toolCalls: [], finishReason: answer.finishReason }];
    const object = kind === 'chat' ? 'chat.completion' : 'text_completion';
    const base = { id, created: 1_700_000_000, model: body.model, system_fingerprint: 'fp_stand_in' };
    const withTotal = (usage: ServedUsage['usage']) => ({ ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens });
    if (body.stream !== true) {
      const usage = this.record(kind, body, answer.usage);
      const rendered = choices.map((choice, index) =>
        kind === 'chat'
          ? { index, message: { role: 'assistant', content: choice.text, refusal: null, ...(choice.toolCalls.length > 0 && { tool_calls: choice.toolCalls.map(toolCallOf) }) }, logprobs: null, finish_reason: choice.finishReason }
          : { index, text: choice.text ?? '', logprobs: null, finish_reason: choice.finishReason },
      );
      return json(response, 200, { ...base, object, choices: rendered, ...(usage && { usage: withTotal(usage) }) });
    }
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const chunkObject = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const chunk = (choice: object) => `data: ${JSON.stringify({ ...base, object: chunkObject, choices: [choice], ...(includeUsage && { usage: null }) })}\n\n`;
    const events: string[] = [];
    choices.forEach((choice, index) => {
      if (kind === 'completions') {
        for (const text of streamPieces(choice.text ?? '')) events.push(chunk({ index, text, logprobs: null, finish_reason: null }));
        events.push(chunk({ index, text: '', logprobs: null, finish_reason: choice.finishReason }));
        return;
      }
      // As the API does: the role comes first, on its own.
      events.push(chunk({ index, delta: { role: 'assistant', content: choice.text === null ? null : '', refusal: null }, logprobs: null, finish_reason: null }));
      for (const content of streamPieces(choice.text ?? '')) events.push(chunk({ index, delta: { content }, logprobs: null, finish_reason: null }));
      choice.toolCalls.forEach((call, position) => {
        events.push(chunk({ index, delta: { tool_calls: [{ index: position, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, logprobs: null, finish_reason: null }));
        for (const piece of argumentPieces(call.arguments)) events.push(chunk({ index, delta: { tool_calls: [{ index: position, function: { arguments: piece } }] }, logprobs: null, finish_reason: null }));
      });
      events.push(chunk({ index, delta: {}, logprobs: null, finish_reason: choice.finishReason }));
    });
    await this.sse(response, events, () => {
      const usage = this.record(kind, body, answer.usage);
      const tail = includeUsage && usage ? `data: ${JSON.stringify({ ...base, object: chunkObject, choices: [], usage: withTotal(usage) })}\n\n` : '';
      return `${tail}data: [DONE]\n\n`;
    });
  }

  private embeddings(body: RequestBody, answer: Answer, response: ServerResponse): void {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    // OpenAI's sizes: text-embedding-3-large has 3072 dimensions, the others 1536.
    const dimensions = body.dimensions ?? (String(body.model).includes('-large') ? 3072 : 1536);
    // As OpenAI does: a size no model has is the client's error, not a reason to fail.
    if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 3072) {
      return json(response, 400, { error: { message: "Invalid 'dimensions': expected an integer from 1 to 3072.", type: 'invalid_request_error', param: 'dimensions', code: 'invalid_value' } });
    }
    const data = inputs.map((input, index) => ({ object: 'embedding', index, embedding: embeddingFor(contentText(input), dimensions, body.encoding_format) }));
    const usage = this.record('embeddings', body, { prompt_tokens: answer.usage.prompt_tokens, completion_tokens: 0 });
    json(response, 200, { object: 'list', data, model: body.model, ...(usage && { usage: { prompt_tokens: usage.prompt_tokens, total_tokens: usage.prompt_tokens } }) });
  }

  private async responses(id: string, body: RequestBody, answer: Answer, response: ServerResponse): Promise<void> {
    const choice = answer.choices?.[0] ?? { text: answer.text, toolCalls: [], finishReason: answer.finishReason };
    const text = choice.text ?? '';
    const message = { id: `msg_${id}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
    const calls = choice.toolCalls.map((call) => ({ id: `fc_${call.id}`, type: 'function_call', status: 'completed', call_id: call.id, name: call.name, arguments: call.arguments }));
    const output = [...(choice.text === null ? [] : [message]), ...calls];
    const result = (usage: ServedUsage['usage'] | undefined, status = 'completed') => ({
      id: `resp_${id}`,
      object: 'response',
      created_at: 1_700_000_000,
      status,
      model: body.model,
      output: status === 'completed' ? output : [],
      ...(usage && { usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
    });
    if (body.stream !== true) return json(response, 200, result(this.record('responses', body, answer.usage)));
    let sequence = 0;
    const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`;
    const events = [event('response.created', { response: result(undefined, 'in_progress') }), event('response.in_progress', { response: result(undefined, 'in_progress') })];
    output.forEach((item, output_index) => {
      if (item.type === 'message') {
        const part = { item_id: message.id, output_index, content_index: 0 };
        events.push(event('response.output_item.added', { output_index, item: { ...message, status: 'in_progress', content: [] } }));
        events.push(event('response.content_part.added', { ...part, part: { type: 'output_text', text: '', annotations: [] } }));
        for (const delta of streamPieces(text)) events.push(event('response.output_text.delta', { ...part, delta, logprobs: [] }));
        events.push(event('response.output_text.done', { ...part, text, logprobs: [] }));
        events.push(event('response.content_part.done', { ...part, part: message.content[0] }));
      } else {
        const call = item as (typeof calls)[number];
        events.push(event('response.output_item.added', { output_index, item: { ...call, status: 'in_progress', arguments: '' } }));
        for (const delta of argumentPieces(call.arguments)) events.push(event('response.function_call_arguments.delta', { item_id: call.id, output_index, delta }));
        events.push(event('response.function_call_arguments.done', { item_id: call.id, output_index, arguments: call.arguments }));
      }
      events.push(event('response.output_item.done', { output_index, item }));
    });
    await this.sse(response, events, () => event('response.completed', { response: result(this.record('responses', body, answer.usage)) }));
  }

  private async sse(response: ServerResponse, events: string[], last: () => string): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const delay = this.options.chunkDelayMs ?? 0;
    for (const event of events) {
      if (response.destroyed) return;
      response.write(event);
      if (delay > 0) await sleep(delay);
    }
    if (!response.destroyed) response.end(last());
  }
}

const toolCallOf = (call: ToolCall) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } });

/** Tool-call arguments arrive in fragments, as a model emits them. */
const argumentPieces = (text: string): string[] => text.match(/[\s\S]{1,16}/g) ?? [];

const modelObject = (id: string) => ({ id, object: 'model', created: 0, owned_by: 'stand-in' });

function json(response: ServerResponse, status: number, body: unknown): void {
  const bytes = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(bytes) });
  response.end(bytes);
}

import { ENDPOINTS, type EndpointKind } from '../metering/endpoint.js';
import { promptText } from '../traffic/request-text.js';
import type { RequestBody, TrafficRequest } from '../traffic/types.js';
import type { Answer, AnswerSource } from '../upstream/stand-in-answers.js';

/**
 * What identifies a recorded request when it comes back through the gateway. Not the raw
 * bytes: clients re-serialize bodies and add defaults (the openai client sets
 * `encoding_format`, Moat adds `stream_options`), so the key holds only what they keep.
 */
export function answerKey(endpoint: string, body: RequestBody): string {
  return JSON.stringify([endpoint, body.model ?? null, promptText(body), body.max_tokens ?? body.max_output_tokens ?? null, body.seed ?? null, body.n ?? null, body.temperature ?? null, body.user ?? null]);
}

/**
 * Answers as a recorded traffic set has them, so a replay through the live gateway meters
 * and detects on exactly the recorded text and usage. Requests with the same key are
 * answered in recorded order; the replay client never has two of them in flight at once.
 */
export class RecordedAnswers {
  private readonly queues = new Map<string, Answer[]>();

  add(request: TrafficRequest): void {
    const key = answerKey(endpointKind(request.endpoint), request.request);
    const answer: Answer = {
      text: request.response.text,
      usage: request.usage,
      finishReason: request.response.finish_reason ?? 'stop',
      ...(request.status >= 400 && { status: request.status }),
    };
    const queue = this.queues.get(key);
    if (queue) queue.push(answer);
    else this.queues.set(key, [answer]);
  }

  /** The next recorded answer to this request, if one is left. */
  take(endpoint: EndpointKind, body: RequestBody): Answer | undefined {
    return this.queues.get(answerKey(endpoint, body))?.shift();
  }

  readonly source: AnswerSource = (endpoint, body) => {
    const answer = this.take(endpoint, body);
    if (!answer) throw new Error(`no recorded answer left for a ${endpoint} request`);
    return answer;
  };
}

export function endpointKind(endpoint: string): EndpointKind {
  const kind = ENDPOINTS[endpoint];
  if (!kind) throw new Error(`not an inference endpoint: ${endpoint}`);
  return kind;
}

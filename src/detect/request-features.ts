import { contentText } from '../traffic/request-text.js';
import type { RequestBody, TrafficRequest } from '../traffic/types.js';
import { fnv1a } from './hash.js';
import { skeletonOf, type Skeleton } from './skeleton.js';
import { simhash32 } from './simhash.js';
import { taskType } from './task-type.js';
import { textSignals, type TextSignals } from './text-signals.js';

/** What one request tells us on arrival (the body only: its response comes later). */
export interface RequestFeatures {
  ms: number;
  text: TextSignals;
  skeleton: Skeleton;
  /** Index into TASK_TYPES. */
  task: number;
  simhash: number;
  /** No assistant turn in the history: a fresh item, not a conversation. */
  singleTurn: boolean;
  chat: boolean;
  embedding: boolean;
  maxTokens: number;
  temperature: number | undefined;
  sampleCount: number;
  logprobs: boolean;
  logitBias: boolean;
  seed: number | undefined;
  endUser: string | undefined;
}

interface Turn {
  role: string;
  text: string;
}

function turnsOf(body: RequestBody): Turn[] {
  const turns: Turn[] = [];
  if (typeof body.instructions === 'string') turns.push({ role: 'system', text: body.instructions });
  const list = Array.isArray(body.messages) ? body.messages : Array.isArray(body.input) ? body.input : undefined;
  if (list) {
    for (const item of list) {
      if (item && typeof item === 'object' && 'role' in item) {
        const message = item as { role: unknown; content?: unknown };
        turns.push({ role: String(message.role), text: contentText(message.content) });
      }
    }
  } else {
    const single = body.prompt ?? body.input;
    if (single !== undefined) turns.push({ role: 'user', text: contentText(single) });
  }
  return turns;
}

export function requestFeatures(request: TrafficRequest): RequestFeatures {
  const body = request.request;
  const turns = turnsOf(body);
  let firstUser: string | undefined;
  let lastUser = '';
  let system = '';
  let assistantTurns = 0;
  for (const turn of turns) {
    if (turn.role === 'assistant') assistantTurns++;
    else if (turn.role === 'system' || turn.role === 'developer') system = turn.text;
    else {
      firstUser ??= turn.text;
      lastUser = turn.text;
    }
  }
  const embedding = request.endpoint.includes('embeddings');
  const conversation = assistantTurns === 0 ? 0 : fnv1a(firstUser ?? '');
  return {
    ms: Date.parse(request.ts),
    text: textSignals(lastUser, system),
    // A follow-up ("explain more") is only an item together with the question it follows.
    skeleton: skeletonOf(lastUser, system, conversation),
    task: taskType(lastUser),
    // Keyed by conversation, so a stock follow-up reused across conversations is not a repeat.
    simhash: (simhash32(lastUser) ^ conversation) >>> 0,
    singleTurn: assistantTurns === 0,
    chat: !embedding,
    embedding,
    maxTokens: body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens ?? 0,
    temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
    sampleCount: typeof body.n === 'number' && body.n > 1 ? body.n : 1,
    logprobs: body.logprobs === true || (typeof body.logprobs === 'number' && body.logprobs > 0) || typeof body.top_logprobs === 'number',
    logitBias: body.logit_bias !== undefined && Object.keys(body.logit_bias).length > 0,
    seed: typeof body.seed === 'number' ? body.seed : undefined,
    endUser: typeof body.user === 'string' ? body.user : undefined,
  };
}

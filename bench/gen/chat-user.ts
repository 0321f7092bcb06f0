/**
 * How a person chats: a client's settings (habits) and conversations played turn by turn with
 * the history resent. Casual users, employees, family members, VPN strangers and a hydra's cover
 * traffic all talk through here, so no group is told apart by its plumbing.
 */
import type { ChatMessage, RequestBody } from '../../src/traffic/types.js';
import { timesIn, type Curve } from './clock.js';
import { modernUa } from './net.js';
import type { Conversation, Item } from './prompts.js';
import type { Rng } from './rng.js';
import { userMsg, withSystem } from './stream.js';
import { neutral, vary } from './text.js';
import type { Acct, Ctx, Draft } from './world.js';
import { DAY } from './world.js';

/** A conversation played turn by turn with history resent. Returns when the last turn was sent. */
export function playConversation(
  ctx: Ctx,
  rng: Rng,
  conv: Conversation,
  t0: number,
  send: (t: number, messages: ChatMessage[], answer: string) => void,
  opts: { system: string | null; maxTurns: number; think: [number, number]; maxTokens?: number; varyFirst?: boolean },
): number {
  const history: ChatMessage[] = [];
  let t = t0;
  const turns = conv.turns.slice(0, opts.maxTurns);
  turns.forEach((turn, i) => {
    const user = i === 0 && opts.varyFirst ? vary(rng, turn.user) : turn.user;
    history.push(userMsg(user));
    const answer = turn.assistant ?? neutral(rng, ctx.corpus, /```|\bcode\b/.test(turn.user), opts.maxTokens, turn.user);
    send(t, withSystem(opts.system, history.slice()), answer);
    history.push({ role: 'assistant', content: answer });
    t += rng.logUniform(opts.think[0], opts.think[1]) + answer.length * 15;
  });
  return t;
}

export const MODERN_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-5-mini', 'gpt-5', 'o4-mini', 'gpt-4-turbo'];

const MODERN_SYSTEM = [
  'You are a helpful, friendly assistant. Keep answers short unless asked for detail.',
  'You are a helpful assistant.',
  'Always answer in Markdown.',
  'You are ChatGPT, a large language model. Answer as concisely as possible.',
  'You are an expert software engineer. Be direct.',
  'You are a helpful assistant. The user is a non-native English speaker; use simple English.',
];

/** A client's settings, fixed when the user set the client up. */
export interface Habits {
  ua: string;
  models: string[];
  system: string | null;
  endpoint: '/v1/chat/completions' | '/v1/responses';
  maxTokens: number | null;
  temperature: number | null;
  topP: number | null;
  stream: boolean;
}

/** Settings drawn like dev-v2's users: most send max_tokens and/or temperature, a third stream. */
export function modernHabits(rng: Rng, over: Partial<Habits> = {}): Habits {
  const model = rng.pick(MODERN_MODELS);
  return {
    ua: modernUa(rng),
    models: rng.chance(0.25) ? [model, rng.pick(MODERN_MODELS)] : [model],
    system: rng.chance(0.45) ? rng.pick(MODERN_SYSTEM) : null,
    endpoint: rng.chance(0.12) ? '/v1/responses' : '/v1/chat/completions',
    // Some clients default to very long limits: a 16k max_tokens alone says nothing about intent.
    maxTokens: rng.chance(0.55) ? rng.weighted([[512, 2], [800, 1], [1024, 4], [2048, 2], [4096, 2], [8192, 0.5], [16384, 0.5]] as const) : null,
    temperature: rng.chance(0.55) ? rng.pick([0.2, 0.3, 0.5, 0.7, 0.7, 0.8, 0.9, 1]) : null,
    topP: rng.chance(0.08) ? rng.pick([0.9, 0.95, 1]) : null,
    stream: rng.chance(0.35),
    ...over,
  };
}

/** The body a client with these habits sends for `messages` (a system message becomes `instructions` on /v1/responses). */
export function bodyFor(h: Habits, rng: Rng, messages: ChatMessage[]): RequestBody {
  const model = rng.pick(h.models);
  const extra: Omit<RequestBody, 'model' | 'messages'> = {
    ...(h.temperature !== null ? { temperature: h.temperature } : {}),
    ...(h.topP !== null ? { top_p: h.topP } : {}),
    ...(h.stream ? { stream: true } : {}),
  };
  if (h.endpoint === '/v1/chat/completions') return { model, messages, ...(h.maxTokens !== null ? { max_tokens: h.maxTokens } : {}), ...extra };
  const sys = messages[0]?.role === 'system' ? String(messages[0].content) : null;
  const rest = sys === null ? messages : messages.slice(1);
  const input = rest.length === 1 && rng.chance(0.5) ? String(rest[0]?.content ?? '') : rest;
  return { model, ...(sys !== null ? { instructions: sys } : {}), input, ...(h.maxTokens !== null ? { max_output_tokens: h.maxTokens } : {}), ...extra };
}

/** Someone at a keyboard: an account, its key, its client and where it connects from at time t. */
export interface Speaker {
  acct: Acct;
  key: string;
  habits: Habits;
  ip: (t: number) => string;
}

export function draftOf(s: Speaker, rng: Rng, t: number, messages: ChatMessage[], text: string): Draft {
  return { t, acct: s.acct, key: s.key, ip: s.ip(t), ua: s.habits.ua, endpoint: s.habits.endpoint, body: bodyFor(s.habits, rng, messages), text };
}

/** One sitting: up to `maxTurns` turns of `conv`. Returns the requests sent. */
export function converse(ctx: Ctx, rng: Rng, s: Speaker, conv: Conversation, t0: number, out: Draft[], maxTurns: number, think: [number, number] = [20_000, 900_000]): number {
  let sent = 0;
  playConversation(ctx, rng, conv, t0, (t, m, a) => {
    out.push(draftOf(s, rng, t, m, a));
    sent++;
  }, { system: s.habits.system, maxTurns, think, varyFirst: true, ...(s.habits.maxTokens !== null ? { maxTokens: s.habits.maxTokens } : {}) });
  return sent;
}

const AFTERTHOUGHTS = ['thanks! can you explain why?', 'ok and what if it was different?', 'can you make it shorter', 'wait, why is that?', 'got it, thanks'];

/** A homework-ish or task item asked the way a person asks it, with a possible follow-up. */
function itemConversation(it: Item): Conversation {
  return { src: it.src, turns: [{ user: it.prompt, ...(it.answer ? { assistant: it.answer } : {}) }, { user: AFTERTHOUGHTS[it.prompt.length % AFTERTHOUGHTS.length] as string }] };
}

/** What a person chats about: mostly conversations from the chat sources, sometimes an item. */
export interface Topics {
  convs: readonly Conversation[];
  items: readonly Item[];
  itemShare: number;
}

function sitting(ctx: Ctx, rng: Rng, s: Speaker, topics: Topics, t0: number, out: Draft[], maxTurns: number): number {
  if (topics.items.length > 0 && rng.chance(topics.itemShare)) return converse(ctx, rng, s, itemConversation(rng.pick(topics.items)), t0, out, Math.min(maxTurns, rng.int(1, 2)));
  return converse(ctx, rng, s, rng.pick(topics.convs), t0, out, maxTurns);
}

export interface Routine {
  /** Chance the person chats on a given day. */
  activeP: number;
  sittings: [number, number];
  maxTurns: number;
  curve: Curve;
  tz: number;
}

/** One day of a person's chatting. */
export function chatDay(ctx: Ctx, rng: Rng, s: Speaker, topics: Topics, r: Routine, ds: number, out: Draft[]): void {
  if (!rng.chance(r.activeP)) return;
  for (const t0 of timesIn(rng, ds, ds + DAY, rng.int(r.sittings[0], r.sittings[1]), r.curve, r.tz)) sitting(ctx, rng, s, topics, t0, out, rng.int(1, r.maxTurns));
}

/** A generator context over the dev prompt sources, and helpers to look at what one actor sends. */
import { resolve } from 'node:path';
import type { ChatMessage } from '../../src/traffic/types.js';
import { DEV_PAIRING } from '../../bench/gen/presets.js';
import { type Corpus, loadCorpus } from '../../bench/gen/prompts.js';
import { Rng } from '../../bench/gen/rng.js';
import { type Actor, type Ctx, DAY, type Draft, Ids, type SourcePlan } from '../../bench/gen/world.js';

export const PROMPTS = resolve(import.meta.dirname, '../../../shared/data/prompts');

let corpus: Corpus | null = null;

export function testCtx(seed: number, o: { days?: number; sources?: SourcePlan; rateMul?: number } = {}): Ctx {
  corpus ??= loadCorpus(PROMPTS);
  const start = Date.parse('2026-04-06T00:00:00Z');
  const days = o.days ?? 7;
  return { corpus, ids: new Ids(new Rng(seed).fork('ids')), start, days, end: start + days * DAY, rateMul: o.rateMul ?? 1, sources: o.sources ?? DEV_PAIRING };
}

export function drafts(actor: Actor): Draft[] {
  return [...actor.events()];
}

/** Every message of a request as the client sent it (chat messages, or a Responses input). */
export function messagesOf(d: Draft): ChatMessage[] {
  const b = d.body;
  if (b.messages) return b.messages;
  const sys: ChatMessage[] = typeof b.instructions === 'string' ? [{ role: 'system', content: b.instructions }] : [];
  if (typeof b.input === 'string') return [...sys, { role: 'user', content: b.input }];
  return [...sys, ...((Array.isArray(b.input) ? b.input : []) as ChatMessage[])];
}

export function lastUser(d: Draft): string {
  const users = messagesOf(d).filter((m) => m.role === 'user');
  return String(users[users.length - 1]?.content ?? '');
}

export function byAccount(ds: readonly Draft[]): Map<string, Draft[]> {
  const m = new Map<string, Draft[]>();
  for (const d of ds) {
    const k = d.acct.record.account;
    const list = m.get(k) ?? [];
    list.push(d);
    m.set(k, list);
  }
  return m;
}

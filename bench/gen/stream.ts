/** Helpers that keep an actor's drafts in time order while it generates a day at a time. */
import type { ChatMessage, RequestBody } from '../../src/traffic/types.js';
import type { Ctx, Draft } from './world.js';
import { DAY } from './world.js';

/**
 * Calls `perDay` for each day; drafts that spill past midnight are held back until the next
 * day's drafts (which all start after midnight) are generated, so only about a day is buffered.
 */
export function* byDay(ctx: Ctx, perDay: (day: number, dayStart: number, out: Draft[]) => void, fromDay = 0, toDay?: number): Generator<Draft> {
  let buf: Draft[] = [];
  const last = Math.min(ctx.days, toDay ?? ctx.days);
  for (let d = Math.max(0, fromDay); d < last; d++) {
    const ds = ctx.start + d * DAY;
    perDay(d, ds, buf);
    buf.sort((a, b) => a.t - b.t);
    const bound = ds + DAY;
    let i = 0;
    while (i < buf.length && (buf[i] as Draft).t < bound) yield buf[i++] as Draft;
    buf = buf.slice(i);
  }
  buf.sort((a, b) => a.t - b.t);
  yield* buf;
}

export function chat(model: string, messages: ChatMessage[], params: Omit<RequestBody, 'model' | 'messages'> = {}): RequestBody {
  return { model, messages, ...params };
}

export function userMsg(content: string): ChatMessage {
  return { role: 'user', content };
}

export function withSystem(system: string | null, messages: ChatMessage[]): ChatMessage[] {
  return system ? [{ role: 'system', content: system }, ...messages] : messages;
}

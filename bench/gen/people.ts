/**
 * Ordinary people with dev-v2's client mix: the casual background of the newer presets, and the
 * building block of families, employees, VPN users and viral-prompt askers.
 */
import { chatDay, modernHabits, type Routine, type Speaker, type Topics } from './chat-user.js';
import { residentialIp, tzOf } from './net.js';
import { benign } from './personas.js';
import { convsOf, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { byDay } from './stream.js';
import { type Acct, type AcctSpec, type Actor, type Ctx, type Draft, firstDayOf } from './world.js';

export function casualTopics(ctx: Ctx, itemShare = 0.2): Topics {
  return { convs: convsOf(ctx.corpus, ctx.sources.chat), items: itemsOf(ctx.corpus, ctx.sources.casualExtra), itemShare };
}

/** Someone at home: a residential address that changes now and then (DHCP, moving between networks). */
export function homeIp(rng: Rng): (t: number) => string {
  let ip = residentialIp(rng);
  let day = -1;
  return (t) => {
    const d = Math.floor(t / 86_400_000);
    if (d !== day) {
      day = d;
      if (rng.chance(0.04)) ip = residentialIp(rng);
    }
    return ip;
  };
}

function casualRoutine(rng: Rng, acct: Acct): Routine {
  return { activeP: Math.min(0.8, rng.logUniform(0.03, 0.6)), sittings: [1, 3], maxTurns: 8, curve: 'human', tz: tzOf(acct.record.country) };
}

export interface Person {
  speaker: Speaker;
  routine: Routine;
  topics: Topics;
}

export function person(ctx: Ctx, rng: Rng, playbook: string, o: { acct?: Partial<AcctSpec>; ip?: (t: number) => string; topics?: Topics; routine?: Partial<Routine> } = {}): Person {
  const acct = benign(ctx, rng, playbook, o.acct);
  return {
    speaker: { acct, key: acct.keys[0] as string, habits: modernHabits(rng), ip: o.ip ?? homeIp(rng) },
    routine: { ...casualRoutine(rng, acct), ...o.routine },
    topics: o.topics ?? casualTopics(ctx),
  };
}

/** Every person's day, for actors that group several people. */
export function peopleDays(ctx: Ctx, rng: Rng, people: readonly Person[], extra?: (d: number, ds: number, out: Draft[]) => void): Iterable<Draft> {
  return byDay(ctx, (d, ds, out) => {
    for (const p of people) if (d >= firstDayOf(ctx, p.speaker.acct)) chatDay(ctx, rng, p.speaker, p.topics, p.routine, ds, out);
    extra?.(d, ds, out);
  });
}

export function modernCasual(ctx: Ctx, rng: Rng): Actor {
  const p = person(ctx, rng, 'benign:casual');
  return { playbook: 'benign:casual', campaign: null, accounts: [p.speaker.acct], describe: '', events: () => peopleDays(ctx, rng, [p]) };
}

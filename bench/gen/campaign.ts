/**
 * What the newer campaigns share: accounts made for a campaign, a per-account schedule that fills
 * a day's quota with harvesting units, and cover chat on the same accounts at a set share of requests.
 */
import type { RequestBody } from '../../src/traffic/types.js';
import { timesIn } from './clock.js';
import { converse, type Speaker } from './chat-user.js';
import { country, personalDomain, type ProxyPool } from './net.js';
import type { Conversation } from './prompts.js';
import type { Rng } from './rng.js';
import { byDay } from './stream.js';
import { type Acct, card, type Ctx, DAY, dayOf, type Draft, firstDayOf, HOUR, makeAcct } from './world.js';

export interface FleetSpec {
  playbook: string;
  size: number;
  /** Creation times are spread uniformly over this range (absolute ms). */
  created: readonly [number, number];
  /** 'own': a card per account; a number: that many cards, shared by `sharedCardShare` of the accounts (the rest own one). */
  cards: 'own' | number;
  sharedCardShare?: number;
  tiers: readonly (readonly [string, number])[];
  verifiedP: number;
  signupIp: (rng: Rng) => string;
  /** Email domain; personal webmail when absent. */
  email?: (rng: Rng) => string;
}

export interface Fleet {
  campaign: string;
  accounts: Acct[];
}

export function fleetAccounts(ctx: Ctx, rng: Rng, spec: FleetSpec): Fleet {
  const campaign = ctx.ids.fresh('c', 3);
  const cards = spec.cards === 'own' ? [] : Array.from({ length: spec.cards }, () => card(ctx));
  const accounts = Array.from({ length: spec.size }, () =>
    makeAcct(ctx, {
      created: rng.float(spec.created[0], spec.created[1]),
      tier: rng.weighted(spec.tiers),
      country: country(rng).country,
      emailDomain: spec.email ? spec.email(rng) : personalDomain(rng),
      card: cards.length > 0 && rng.chance(spec.sharedCardShare ?? 1) ? rng.pick(cards) : card(ctx),
      signupIp: spec.signupIp(rng),
      verified: rng.chance(spec.verifiedP),
      label: 'extraction',
      campaign,
      playbook: spec.playbook,
    }),
  );
  return { campaign, accounts };
}

/** A proxy session: the same exit address for a few hours, then another from the pool. */
export function stickyProxy(ctx: Ctx, rng: Rng, pool: ProxyPool, hours: number): (t: number) => string {
  let slot = -1;
  let ip = '';
  return (t) => {
    const s = Math.floor(t / (hours * HOUR));
    if (s !== slot) {
      slot = s;
      ip = pool.pick(rng, dayOf(ctx, t));
    }
    return ip;
  };
}

/** The days an account works: each day from its first with chance `p`. */
export function activeDays(ctx: Ctx, rng: Rng, a: Acct, p: number, from = 0, to = ctx.days): Set<number> {
  const days = new Set<number>();
  for (let d = Math.max(from, firstDayOf(ctx, a)); d < to; d++) if (rng.chance(p)) days.add(d);
  return days;
}

export interface Member {
  speaker: Speaker;
  days: ReadonlySet<number>;
  /** Requests (harvest and cover together) on an active day, before day-to-day noise. */
  perDay: number;
  tz: number;
}

/**
 * When units start. 'human': a few sittings on the diurnal curve in the member's timezone, units
 * one after another with think time. 'script': spread over an operator shift (UTC hours), evenly
 * or as a Poisson process when jittered.
 */
export type Schedule = { kind: 'human'; sittings: readonly [number, number]; think: readonly [number, number] } | { kind: 'script'; shift: readonly [number, number]; jitter: boolean };

/** A request a harvesting script builds itself, sent with the member's key, address and client. */
export function sendAs(m: Member, t: number, body: RequestBody, text: string, endpoint = '/v1/chat/completions'): Draft {
  const s = m.speaker;
  return { t, acct: s.acct, key: s.key, ip: s.ip(t), ua: s.habits.ua, endpoint, body, text };
}

/** One harvesting step from t (it may send several requests); returns how many it sent. */
export type Unit = (m: Member, t: number, out: Draft[]) => number;

export interface CoverPlan {
  /** Share of the account's requests that are ordinary chat. */
  share: number;
  convs: readonly Conversation[];
}

function starts(rng: Rng, m: Member, s: Schedule, ds: number, count: number): number[] {
  if (s.kind === 'script') {
    const from = ds + s.shift[0] * HOUR;
    const span = (s.shift[1] - s.shift[0]) * HOUR;
    if (s.jitter) return Array.from({ length: count }, () => from + rng.float(0, span)).sort((a, b) => a - b);
    return Array.from({ length: count }, (_, i) => from + ((i + rng.float(0.45, 0.55)) * span) / count);
  }
  const out: number[] = [];
  const sittings = timesIn(rng, ds, ds + DAY, rng.int(s.sittings[0], s.sittings[1]), 'human', m.tz);
  sittings.forEach((t0, i) => {
    let t = t0;
    const share = Math.ceil(count / sittings.length);
    for (let k = 0; k < share && out.length < count && i * share + k < count; k++) {
      out.push(t);
      t += rng.logUniform(s.think[0], s.think[1]);
    }
  });
  return out.sort((a, b) => a - b);
}

/**
 * Each member's active days: units until the day's harvest quota is met, then cover chat sized so
 * that cover is `share` of that day's requests.
 */
export function runFleet(ctx: Ctx, rng: Rng, members: readonly Member[], schedule: Schedule, unit: Unit, cover: CoverPlan | null, fromDay = 0, toDay = ctx.days): Iterable<Draft> {
  const c = cover?.share ?? 0;
  return byDay(ctx, (d, ds, out) => {
    for (const m of members) {
      if (!m.days.has(d)) continue;
      const n = Math.max(1, Math.round(m.perDay * ctx.rateMul * rng.float(0.7, 1.3)));
      const quota = Math.max(1, Math.round(n * (1 - c)));
      let sent = 0;
      for (const t of starts(rng, m, schedule, ds, quota)) {
        if (sent >= quota) break;
        sent += unit(m, t, out);
      }
      if (!cover || c <= 0) continue;
      let budget = Math.round((sent * c) / (1 - c));
      for (const t0 of timesIn(rng, ds, ds + DAY, budget, 'human', m.tz)) {
        if (budget <= 0) break;
        budget -= converse(ctx, rng, m.speaker, rng.pick(cover.convs), t0, out, Math.min(budget, rng.weighted([[1, 5], [2, 2], [3, 2], [5, 1]] as const)));
      }
    }
  }, fromDay, toDay);
}

/**
 * The benign population of the newer presets, in dev-v2's style: casual users with dev-v2's
 * client mix, small teams sharing a card and domain, families, and the heavy legitimate users
 * (SaaS back ends, batch jobs, benchmark runs, cohorts, tinkerers). Each actor has its own
 * forked stream, so what else a preset adds does not change this population.
 */
import { casualTopics, homeIp, modernCasual, peopleDays, person } from './people.js';
import { family } from './orgs.js';
import { batch, bench, cohort, saas, tinker } from './personas.js';
import { smallCompanyDomain } from './net.js';
import type { Rng } from './rng.js';
import { type Actor, card, type Ctx } from './world.js';

export interface Background {
  casual: number;
  teams: number;
  families: number;
  saas: readonly number[];
  saasPeak: readonly [number, number];
  batch: number;
  batchHeavy: number;
  bench: number;
  benchHeavy: boolean;
  cohorts: readonly (readonly [number, number])[];
  tinker: number;
}

/** Colleagues on a company card and domain, each working from home: the benign org groups of dev-v1/v2. */
function team(ctx: Ctx, rng: Rng): Actor {
  const org = { emailDomain: smallCompanyDomain(rng), card: card(ctx) };
  const people = Array.from({ length: rng.int(2, 6) }, () => person(ctx, rng, 'benign:casual', { acct: org, ip: homeIp(rng), topics: casualTopics(ctx) }));
  return { playbook: 'benign:casual', campaign: null, accounts: people.map((p) => p.speaker.acct), describe: '', events: () => peopleDays(ctx, rng, people) };
}

export function background(ctx: Ctx, rng: Rng, m: Background, scale: number): Actor[] {
  const n = (x: number): number => (x === 0 ? 0 : Math.max(1, Math.round(x * scale)));
  const out: Actor[] = [];
  for (let i = 0; i < n(m.casual); i++) out.push(modernCasual(ctx, rng.fork(`casual${i}`)));
  for (let i = 0; i < n(m.teams); i++) out.push(team(ctx, rng.fork(`team${i}`)));
  for (let i = 0; i < n(m.families); i++) {
    const r = rng.fork(`family${i}`);
    out.push(family(ctx, r, r.int(2, 5)));
  }
  m.saas.forEach((product, i) => {
    const r = rng.fork(`saas${i}`);
    out.push(saas(ctx, r, product, r.int(m.saasPeak[0], m.saasPeak[1])));
  });
  out.push(...heavyUsers(ctx, rng, m, scale, 3));
  return out;
}

export type HeavyMix = Pick<Background, 'batch' | 'batchHeavy' | 'bench' | 'benchHeavy' | 'cohorts' | 'tinker'>;

/** Batch jobs, benchmark runs, cohorts and tinkerers; `uni` picks the first cohort's university. */
export function heavyUsers(ctx: Ctx, rng: Rng, m: HeavyMix, scale: number, uni: number): Actor[] {
  const n = (x: number): number => (x === 0 ? 0 : Math.max(1, Math.round(x * scale)));
  const out: Actor[] = [];
  for (let i = 0; i < n(m.batch); i++) out.push(batch(ctx, rng.fork(`batch${i}`), m.batchHeavy));
  for (let i = 0; i < n(m.bench); i++) out.push(bench(ctx, rng.fork(`bench${i}`), { heavy: m.benchHeavy }));
  m.cohorts.forEach(([lo, hi], i) => {
    const r = rng.fork(`cohort${i}`);
    out.push(cohort(ctx, r, Math.max(2, Math.round(r.int(lo, hi) * Math.min(1, scale * 2))), i + uni));
  });
  for (let i = 0; i < n(m.tinker); i++) out.push(tinker(ctx, rng.fork(`tinker${i}`)));
  return out;
}

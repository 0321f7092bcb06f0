/**
 * Sweep presets for robustness curves: one H1 hydra (hydra-sweep) or one organisation
 * (org-sweep) inside the same small benign background. The background is built first from its own
 * forked streams, so its accounts and requests are the same at every point of a sweep.
 */
import { background, type Background } from './background.js';
import { classroom } from './class.js';
import { h1Hydra } from './hydra.js';
import { enterprise } from './orgs.js';
import { p2Hydra } from './playbooks.js';
import type { Rng } from './rng.js';
import type { Actor, Ctx, SourcePlan } from './world.js';

export const SWEEP_PAIRING: SourcePlan = {
  chat: ['A06', 'A09', 'A11', 'A12', 'A14', 'A15'],
  casualExtra: ['B05'],
  bench: ['B11', 'B13'],
  cohort: ['B13', 'B08'],
  // A large deck, so the hydra's items stay disjoint at most sweep points (about 28k items).
  harvest: ['B03', 'B04', 'B08', 'B09', 'B11', 'B12', 'B13', 'B17', 'B19'],
  instructions: ['B01', 'B04'],
  saas: ['B12'],
  saasCode: ['B05'],
};

/** A few hundred casual users plus a few heavy benign users: enough for a false-positive rate, fast to make. */
const SWEEP_BACKGROUND: Background = { casual: 300, teams: 3, families: 3, saas: [4], saasPeak: [300, 400], batch: 1, batchHeavy: 0.6, bench: 2, benchHeavy: false, cohorts: [], tinker: 10 };

export interface SweepParams {
  size: number;
  cover: number;
  rate: number;
  orgSize: number;
  orgKind: 'enterprise' | 'class';
  attacker: 'none' | 'small';
}

export const SWEEP_DEFAULTS: SweepParams = { size: 150, cover: 0.3, rate: 20, orgSize: 50, orgKind: 'enterprise', attacker: 'small' };

export function hydraSweep(ctx: Ctx, rng: Rng, scale: number, p: SweepParams): Actor[] {
  return [...background(ctx, rng.fork('benign'), SWEEP_BACKGROUND, scale), h1Hydra(ctx, rng.fork('h1'), { size: p.size, rate: p.rate, cover: p.cover })];
}

export function orgSweep(ctx: Ctx, rng: Rng, scale: number, p: SweepParams): Actor[] {
  const out = background(ctx, rng.fork('benign'), SWEEP_BACKGROUND, scale);
  out.push(p.orgKind === 'class' ? classroom(ctx, rng.fork('org'), p.orgSize) : enterprise(ctx, rng.fork('org'), p.orgSize));
  if (p.attacker === 'small') out.push(p2Hydra(ctx, rng.fork('attacker'), 8));
  return out;
}

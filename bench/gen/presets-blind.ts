/**
 * blind-a and blind-b: two full 14-day sets in dev-v2's style, each with its own subset of the
 * new attack styles and benign traps, its own parameters and its own source pairings (some benign
 * users chat with B* instruction prompts, some harvesters take A* benchmark prompts).
 */
import { n4AlpacaGen } from './alpaca-gen.js';
import { background } from './background.js';
import { n3Camel } from './camel.js';
import { classroom } from './class.js';
import { n1Evol } from './evol.js';
import { h1Hydra } from './hydra.js';
import { h3Orca } from './orca.js';
import { enterprise } from './orgs.js';
import { p2Hydra, p3Traces, p5Sweep } from './playbooks.js';
import { n5Rationale } from './rationale.js';
import { h2Reseller } from './reseller.js';
import type { Rng } from './rng.js';
import { n2SelfChat } from './self-chat.js';
import { OPEN } from './stealth.js';
import { resellerHub, viralPrompt, vpnExit } from './traps.js';
import type { Actor, Ctx, SourcePlan } from './world.js';

export const BLIND_A: SourcePlan = {
  chat: ['A11', 'A12', 'A13', 'A06', 'A14', 'A15'],
  casualExtra: ['B04', 'B13'],
  bench: ['B11', 'B13', 'B17', 'A08'],
  cohort: ['B13', 'B17'],
  harvest: ['B12', 'B11', 'B19', 'B04', 'A03'],
  instructions: ['B01', 'B04', 'A05'],
  saas: ['B11', 'B13'],
  saasCode: ['B05', 'B06'],
};

export const BLIND_B: SourcePlan = {
  chat: ['A09', 'A15', 'A05', 'A08', 'A01', 'A07'],
  casualExtra: ['B03', 'B08', 'B12'],
  bench: ['B08', 'B14', 'B12', 'A01', 'A03'],
  cohort: ['B08', 'B09', 'B12'],
  harvest: ['A07', 'A10', 'A14', 'B13', 'B17', 'B19', 'B06'],
  instructions: ['B03', 'B01', 'A10'],
  saas: ['B08', 'B12'],
  saasCode: ['B16', 'B05'],
};

function sized(x: number, scale: number, min = 2): number {
  return Math.max(min, Math.round(x * Math.min(1, scale)));
}

/** A campaign's own pairing where it differs from the set's. */
function withSources(ctx: Ctx, over: Partial<SourcePlan>): Ctx {
  return { ...ctx, sources: { ...ctx.sources, ...over } };
}

export function blindA(ctx: Ctx, rng: Rng, scale: number): Actor[] {
  const out = background(ctx, rng.fork('benign'), { casual: 700, teams: 8, families: 12, saas: [4, 1, 9], saasPeak: [450, 600], batch: 7, batchHeavy: 1, bench: 12, benchHeavy: false, cohorts: [[20, 28]], tinker: 50 }, scale);
  out.push(enterprise(ctx, rng.fork('enterprise'), sized(80, scale)));
  out.push(classroom(ctx, rng.fork('class'), sized(60, scale), 0));
  out.push(vpnExit(ctx, rng.fork('vpn'), sized(40, scale), 'vpn'));
  out.push(viralPrompt(ctx, rng.fork('viral'), sized(250, scale), 2));
  out.push(h1Hydra(ctx, rng.fork('h1'), { size: sized(120, scale, 4), rate: 18, cover: 0.3 }));
  out.push(h2Reseller(ctx, rng.fork('h2'), { accounts: 2, perDay: [180, 300], harvestShare: [0.15, 0.3] }));
  out.push(n1Evol(withSources(ctx, { instructions: ['A05', 'B04', 'B01'] }), rng.fork('n1'), { size: 3, perDay: [150, 300], rounds: 4 }, { residential: false, aged: true, jitter: true, cover: 0 }));
  out.push(n3Camel(withSources(ctx, { instructions: ['A03', 'B01'], harvest: ['B04', 'B03'] }), rng.fork('n3'), { size: 2, perDay: [250, 400], turns: [4, 10] }, OPEN));
  out.push(n5Rationale(withSources(ctx, { harvest: ['B08', 'B09', 'B17', 'B13'] }), rng.fork('n5'), { size: 6, perDay: [60, 120], completionsShare: 0.3 }, { residential: true, aged: true, jitter: true, cover: 0.2 }));
  out.push(p3Traces(withSources(ctx, { harvest: ['B09', 'B11'] }), rng.fork('p3')));
  out.push(p2Hydra(withSources(ctx, { harvest: ['B12', 'B04'] }), rng.fork('p2'), sized(24, scale, 3), { residential: false, aged: true, jitter: true }));
  return out;
}

export function blindB(ctx: Ctx, rng: Rng, scale: number): Actor[] {
  const out = background(ctx, rng.fork('benign'), { casual: 320, teams: 10, families: 15, saas: [10, 0, 8], saasPeak: [400, 650], batch: 6, batchHeavy: 1.2, bench: 10, benchHeavy: true, cohorts: [], tinker: 40 }, scale);
  out.push(enterprise(ctx, rng.fork('enterprise1'), sized(150, scale)));
  out.push(enterprise(ctx, rng.fork('enterprise2'), sized(20, scale)));
  out.push(classroom(ctx, rng.fork('class'), sized(150, scale), 5));
  out.push(vpnExit(ctx, rng.fork('mobile'), sized(60, scale), 'mobile'));
  out.push(viralPrompt(ctx, rng.fork('viral1'), sized(220, scale), 0));
  out.push(viralPrompt(ctx, rng.fork('viral2'), sized(90, scale), 3));
  out.push(resellerHub(ctx, rng.fork('hub'), sized(40, scale)));
  out.push(h1Hydra(ctx, rng.fork('h1'), { size: sized(250, scale, 4), rate: 8, cover: 0.5, activeP: 0.5, staggerWeeks: 9 }));
  out.push(h3Orca(withSources(ctx, { harvest: ['B19', 'B12', 'B13', 'B04'] }), rng.fork('h3a'), { size: sized(15, scale, 3), perDay: [25, 50], systems: 5 }));
  out.push(h3Orca(withSources(ctx, { harvest: ['B11', 'B03', 'B19'] }), rng.fork('h3b'), { size: sized(25, scale, 3), perDay: [20, 40], systems: 8 }));
  out.push(n2SelfChat(withSources(ctx, { harvest: ['A14', 'A07', 'B06'] }), rng.fork('n2'), { size: 4, perDay: [100, 200] }, { residential: false, aged: false, jitter: true, cover: 0 }));
  out.push(n4AlpacaGen(ctx, rng.fork('n4'), { size: 3, perDay: [120, 250] }, { residential: true, aged: true, jitter: true, cover: 0.15 }));
  out.push(n5Rationale(withSources(ctx, { harvest: ['A07', 'B13', 'B17'] }), rng.fork('n5'), { size: 2, perDay: [300, 600], completionsShare: 0.5 }, OPEN));
  out.push(p5Sweep(ctx, rng.fork('p5'), { residential: true, aged: true, jitter: true }));
  return out;
}

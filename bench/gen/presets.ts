/** What each preset contains: the source pairing and the mix of personas and playbooks. */
import { heavyUsers } from './background.js';
import { casual, orgGroup, saas } from './personas.js';
import { p1Bulk, p2Hydra, p3Traces, p4SelfInstruct, p5Sweep, p6SlowLow, p7Paraphrase, p8Cover, p9MultiTurn, type Stealth } from './playbooks.js';
import { BLIND_A, BLIND_B, blindA, blindB } from './presets-blind.js';
import { hydraSweep, orgSweep, SWEEP_DEFAULTS, SWEEP_PAIRING, type SweepParams } from './presets-sweep.js';
import type { Rng } from './rng.js';
import type { Actor, Ctx, SourcePlan } from './world.js';

export const PRESETS = ['swap-sources', 'new-styles', 'hard-benign', 'scale10', 'blind-a', 'blind-b', 'hydra-sweep', 'org-sweep'] as const;
export type PresetName = (typeof PRESETS)[number];

/** dev-v1's pairing: chat sources for benign users, benchmark/instruction data for harvesters. */
export const DEV_PAIRING: SourcePlan = {
  chat: ['A01', 'A03', 'A05', 'A06', 'A07', 'A09', 'A10', 'A14', 'A15'],
  casualExtra: [],
  bench: ['B08', 'B09', 'B14', 'B16'],
  cohort: ['B08', 'B09'],
  harvest: ['B01', 'B03', 'B05', 'B06', 'B08', 'B09', 'B14', 'B16'],
  instructions: ['B01', 'B03'],
  saas: ['B08', 'B09'],
  saasCode: ['B05', 'B06'],
};

/** The reverse: harvesters take chat prompts, benign users bring benchmark-style items. */
export const SWAPPED: SourcePlan = {
  chat: ['A06', 'A09', 'A14', 'A15'],
  casualExtra: ['B03', 'B05', 'B06', 'B08', 'B09'],
  bench: ['A01', 'A03', 'A07', 'A10', 'B08', 'B14'],
  cohort: ['B05', 'B08', 'B09', 'B16'],
  harvest: ['A01', 'A03', 'A05', 'A07', 'A10', 'A14', 'A15'],
  instructions: ['A03', 'A10', 'A05'],
  saas: ['B08', 'B09', 'B03'],
  saasCode: ['B05', 'B06', 'B16'],
};

export interface PresetInfo {
  purpose: string;
  pairing: SourcePlan;
  /** Window start when --start is not given: each set on its own calendar. */
  start?: string;
}

export const INFO: Record<PresetName, PresetInfo> = {
  'swap-sources': {
    pairing: SWAPPED,
    purpose:
      'Source generalisation. The same personas and playbooks (P1-P5) as dev-v1, but the prompt sources are paired the other way round: ' +
      'extraction campaigns harvest the A* chat sources (AlpacaEval, Arena-Hard, WizardLM, OASST, MT-bench, ShareGPT and Chatbot Arena first turns), ' +
      'while benign users bring benchmark-style B* items: casual users ask GSM8K/MATH/Code-Alpaca questions, SaaS tutor and code apps serve them, ' +
      'cohorts do B* assignments, and benchmark runs evaluate MT-bench/AlpacaEval/Arena-Hard/WizardLM as well as GSM8K/HumanEval. ' +
      'A detector that learnt "#### answers / function stubs / Alpaca phrasing means extraction" fails here.',
  },
  'new-styles': {
    pairing: DEV_PAIRING,
    purpose:
      'Attack-style generalisation, with dev-v1\'s source pairing. Playbooks not in dev-v1: P6 slow-and-low (hundreds of aged accounts, 20-40 requests/day each, ' +
      'residential proxy IPs, one card each, human-shaped diurnal timing), P7 paraphrased templates (hundreds of wordings, random system prompts, jittered timing), ' +
      'P8 cover traffic (harvest requests mixed with casual multi-turn chat on the same accounts), P9 multi-turn extraction ("explain further" follow-ups with history resent); ' +
      'plus P2/P3/P5 campaigns run with stealth (residential proxies, accounts aged weeks, jittered timing).',
  },
  'hard-benign': {
    pairing: DEV_PAIRING,
    purpose:
      'False-positive pressure. More and heavier legitimate users: many benchmark runs with CoT suffixes, n>1 and logprobs, reruns and two models; ' +
      'big SaaS back ends (including a homework tutor and a code helper serving benchmark-like items); heavy batch jobs; three cohorts of 100 students; ' +
      'benign org groups sharing a card and domain; runaway loops. Only a few attackers (one small P2, one P3, one P5).',
  },
  scale10: {
    pairing: DEV_PAIRING,
    purpose:
      'Throughput benchmark: about 10x dev-v1 (~800k requests, ~11k accounts), mixing every persona and playbook P1-P9; a third of the campaigns use the swapped source pairing.',
  },
  'blind-a': {
    pairing: BLIND_A,
    start: '2026-06-08T00:00:00Z',
    purpose:
      'Blind test in the style of dev-v2. Attacks: an H1 low-and-slow hydra, an H2 reseller, N1 Evol-Instruct, N3 CAMEL role-play, N5 greedy rationale harvest (residential, aged, with cover), plus a P3 and a stealthy P2. ' +
      'Traps: an 80-person enterprise on one NAT/card/domain, a 60-student class on one university card doing the same assignment, a commercial VPN exit shared by 40 strangers, a viral riddle asked by 250 users, families, SaaS tutors serving MMLU/ARC items, benchmark runs on MMLU/ARC/GSM8K-test/Arena-Hard v2. ' +
      'Sources: WildChat/OASST/ShareGPT/Arena chat, some casual users asking Alpaca-Libre and ARC items; harvesters take MMLU, Orca pairs, Alpaca-Libre and AlpacaEval (A03) items.',
  },
  'blind-b': {
    pairing: BLIND_B,
    start: '2026-07-06T00:00:00Z',
    purpose:
      'Blind test in the style of dev-v2, disjoint in design from blind-a. Attacks: a 250-account H1 hydra at 8 requests a day with 50% cover, two H3 Orca campaigns, N2 Baize self-chat, N4 Alpaca/Self-Instruct generation (residential, aged, with cover), N5 on the completions endpoint, and a stealthy P5. ' +
      'Traps: enterprises of 150 and 20, a 150-student class, a mobile-carrier exit shared by 60 strangers, two viral prompts (220 and 90 users), an IT consultancy hub sharing its card and office address with 40 client accounts, heavy benchmark runs (CoT, n>1, logprobs, seed sweeps, two models, reruns). ' +
      'Sources: HH-RLHF/Arena/OASST/Arena-Hard/MT-bench chat, some casual users asking Alpaca, GSM8K and MMLU items; harvesters take Arena-Hard, WizardLM and ShareGPT prompts (A*) as well as ARC, GSM8K-test, Orca and Code Alpaca.',
  },
  'hydra-sweep': {
    pairing: SWEEP_PAIRING,
    purpose:
      'Robustness curve for the low-and-slow hydra: one H1 hydra (--size accounts, --rate requests per active day, --cover share of cover chat) inside a fixed benign background of ~300 casual users, 3 teams, 3 families, a SaaS tutor, a batch job, 2 benchmark runs and 10 tinkerers, identical at every sweep point.',
  },
  'org-sweep': {
    pairing: SWEEP_PAIRING,
    purpose:
      'Robustness curve for benign organisations: one --org-kind enterprise (organic work chat) or class (a shared assignment) of --org-size accounts on one card, one email domain and one NAT address, in the same fixed benign background as hydra-sweep, with no attacker or one small unrelated P2 hydra (--attacker none|small).',
  },
};

interface Mix {
  casual: number;
  orgs: number;
  saas: number;
  saasPeak: [number, number];
  batch: number;
  batchHeavy: number;
  bench: number;
  benchHeavy: boolean;
  cohorts: [number, number][];
  tinker: number;
}

function benignMix(ctx: Ctx, rng: Rng, m: Mix, scale: number): Actor[] {
  const n = (x: number): number => Math.max(1, Math.round(x * scale));
  const out: Actor[] = [];
  for (let i = 0; i < n(m.casual); i++) out.push(casual(ctx, rng.fork(`casual${i}`)));
  for (let i = 0; i < n(m.orgs); i++) out.push(...orgGroup(ctx, rng.fork(`org${i}`)));
  for (let i = 0; i < n(m.saas); i++) {
    const r = rng.fork(`saas${i}`);
    out.push(saas(ctx, r, i, r.int(m.saasPeak[0], m.saasPeak[1])));
  }
  out.push(...heavyUsers(ctx, rng, m, scale, 0));
  return out;
}

const STEALTH: Stealth = { residential: true, aged: true, jitter: true };

export function buildActors(preset: PresetName, ctx: Ctx, rng: Rng, scale: number, sweep: SweepParams = SWEEP_DEFAULTS): Actor[] {
  const n = (x: number): number => Math.max(1, Math.round(x * scale));
  const actors: Actor[] = [];
  const add = (count: number, label: string, make: (r: Rng, i: number) => Actor): void => {
    for (let i = 0; i < count; i++) actors.push(make(rng.fork(`${label}${i}`), i));
  };
  switch (preset) {
    case 'swap-sources': {
      actors.push(...benignMix(ctx, rng.fork('benign'), { casual: 700, orgs: 8, saas: 3, saasPeak: [450, 600], batch: 8, batchHeavy: 1, bench: 12, benchHeavy: false, cohorts: [[18, 30], [18, 30]], tinker: 50 }, scale));
      add(n(2), 'p1', (r) => p1Bulk(ctx, r));
      [24, 40, 50].slice(0, n(3)).forEach((size, i) => actors.push(p2Hydra(ctx, rng.fork(`p2${i}`), Math.max(3, Math.round(size * Math.min(1, scale * 2))))));
      add(n(3), 'p3', (r) => p3Traces(ctx, r));
      add(n(2), 'p4', (r) => p4SelfInstruct(ctx, r));
      add(n(2), 'p5', (r) => p5Sweep(ctx, r));
      break;
    }
    case 'new-styles': {
      actors.push(...benignMix(ctx, rng.fork('benign'), { casual: 650, orgs: 8, saas: 1, saasPeak: [450, 600], batch: 3, batchHeavy: 1, bench: 10, benchHeavy: false, cohorts: [[18, 30]], tinker: 35 }, scale));
      const big = Math.max(4, Math.round(300 * Math.min(1, scale * 2)));
      actors.push(p6SlowLow(ctx, rng.fork('p6a'), big, [20, 40], [2.5, 3.5]));
      actors.push(p6SlowLow(ctx, rng.fork('p6b'), Math.max(3, Math.round(big / 8)), [20, 30], [4, 6]));
      add(n(2), 'p7', (r, i) => p7Paraphrase(ctx, r, { residential: i === 0, aged: true, jitter: true }));
      add(n(2), 'p8', (r) => p8Cover(ctx, r, STEALTH));
      add(n(2), 'p9', (r, i) => p9MultiTurn(ctx, r, { residential: i === 0, aged: i === 0, jitter: true }));
      actors.push(p2Hydra(ctx, rng.fork('p2s'), Math.max(3, Math.round(30 * Math.min(1, scale * 2))), STEALTH));
      actors.push(p3Traces(ctx, rng.fork('p3s'), STEALTH));
      actors.push(p5Sweep(ctx, rng.fork('p5s'), STEALTH));
      break;
    }
    case 'hard-benign': {
      actors.push(...benignMix(ctx, rng.fork('benign'), { casual: 450, orgs: 15, saas: 5, saasPeak: [350, 800], batch: 8, batchHeavy: 1.3, bench: 20, benchHeavy: true, cohorts: [[100, 100], [100, 100], [100, 100]], tinker: 60 }, scale));
      actors.push(p2Hydra(ctx, rng.fork('p2'), Math.max(3, Math.round(15 * Math.min(1, scale * 2)))));
      actors.push(p3Traces(ctx, rng.fork('p3')));
      actors.push(p5Sweep(ctx, rng.fork('p5')));
      break;
    }
    case 'scale10': {
      const swapped: Ctx = { ...ctx, sources: SWAPPED };
      actors.push(...benignMix(ctx, rng.fork('benign'), { casual: 8200, orgs: 90, saas: 30, saasPeak: [450, 650], batch: 50, batchHeavy: 1, bench: 80, benchHeavy: true, cohorts: Array.from({ length: 14 }, (_, i) => (i % 3 === 0 ? [80, 100] : [18, 40]) as [number, number]), tinker: 520 }, scale));
      const c = (i: number): Ctx => (i % 3 === 2 ? swapped : ctx);
      add(n(12), 'p1', (r, i) => p1Bulk(c(i), r));
      add(n(14), 'p2', (r, i) => p2Hydra(c(i), r, r.int(20, 60), i % 4 === 3 ? STEALTH : undefined));
      add(n(18), 'p3', (r, i) => p3Traces(c(i), r, i % 4 === 3 ? STEALTH : undefined));
      add(n(12), 'p4', (r, i) => p4SelfInstruct(c(i), r));
      add(n(16), 'p5', (r, i) => p5Sweep(c(i), r));
      add(n(3), 'p6', (r, i) => p6SlowLow(c(i), r, Math.max(4, Math.round(r.int(150, 300) * Math.min(1, scale))), [20, 40], [2, 3.5]));
      add(n(10), 'p7', (r, i) => p7Paraphrase(c(i), r, { residential: i % 2 === 0, aged: true, jitter: true }));
      add(n(8), 'p8', (r, i) => p8Cover(c(i), r, STEALTH));
      add(n(10), 'p9', (r, i) => p9MultiTurn(c(i), r, { residential: i % 2 === 0, aged: i % 2 === 0, jitter: true }));
      break;
    }
    case 'blind-a':
      return blindA(ctx, rng, scale);
    case 'blind-b':
      return blindB(ctx, rng, scale);
    case 'hydra-sweep':
      return hydraSweep(ctx, rng, scale, sweep);
    case 'org-sweep':
      return orgSweep(ctx, rng, scale, sweep);
  }
  return actors;
}

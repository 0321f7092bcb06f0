import type { Tally } from './tally.js';

/**
 * Every signal detection weighs, in one table: what it measures, how much it counts and how it
 * reads to an analyst. A signal is evidence (adds up), a boost (multiplies the evidence up) or a
 * discount (multiplies it down: what legitimate heavy users do instead). The same table scores
 * one account and a whole group (from the members' pooled tallies), so a signal is added or
 * retuned here and nowhere else.
 */

/** What signals read: one account's behaviour, or a group's pooled. */
export interface BehaviourView {
  tally: Tally;
  /** Accounts whose traffic this is (1 for an account). */
  members: number;
  /** Distinct clock hours with traffic (summed over members for a group). */
  activeSlots: number;
  /** Hours of the day with traffic, 0-24. */
  activeHours: number;
  /** First to last request, in days. */
  spanDays: number;
  /** Share of single-turn prompts under the most used wrapper (the busiest member's, for a group). */
  wrapperConcentration: number;
  /** Share of typed items in the most common task type. */
  dominantTask: number;
  /** Task types holding >= 10% of the items. */
  taskSpread: number;
  /** Requests per day now (trailing, decayed). */
  perDay: number;
  /**
   * How far the items repeat others', in [0, 1]: for an account, the share of its items many other
   * accounts asked too; for a group, how far its members ask one set of items between them.
   */
  itemOverlap: number;
  /** Days since sign-up at the last request; undefined when unknown. */
  ageDays: number | undefined;
}

export type SignalKind = 'evidence' | 'boost' | 'discount';

export interface Signal {
  name: string;
  kind: SignalKind;
  weight: number;
  /** The signal's strength in [0, 1]. */
  score(v: BehaviourView): number;
  /** How it reads, with the numbers behind it; only called when the signal fired. */
  describe(v: BehaviourView, strength: number): string;
  /**
   * A discount measured over a group as a whole (members asking each other's items), rather than
   * on each member's own traffic before pooling.
   */
  pooled?: boolean;
  /**
   * A discount for one customer's shape that a fleet does not get: one benchmark run is
   * finite, but the same harness template run by several linked accounts is a hydra's rotation.
   */
  lapsesInFleet?: boolean;
  /** For evidence resting on a count of requests: that count and what it counts (a member's share of a group's behaviour is read from it). */
  count?: { of(t: Tally): number; noun: string };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
/** Saturating count: 63% of full strength at `scale`, 95% at three times it. */
const sat = (count: number, scale: number): number => 1 - Math.exp(-count / scale);
const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * How strongly the harvest-style requests ask, judged on the hits themselves. A stream of them
 * keeps its strength inside cover traffic or a reseller's end users (from a tenth of the traffic
 * on); the odd percent of a product's end users asking for steps is the background of real use.
 */
function harvestIntensity(t: Tally): number {
  if (t.harvestHits === 0) return t.chats === 0 ? 0 : t.harvest / t.chats;
  return (t.hitHarvest / t.harvestHits) * Math.min(1, 0.3 + 6 * t.share(t.harvestHits));
}

/** Asks for long or reasoned output, per answered prompt. */
function outputSeeking(t: Tally): number {
  return Math.min(1, t.share(t.reasoning + t.verbosity) + 0.5 * t.share(t.heavyMaxTokens));
}

const pipelineCount = (t: Tally): number => t.generation + t.grading;
const scriptedCount = (t: Tally): number => t.scriptedFollowUps + t.stockFollowUps;

/**
 * Prompts of a kind anyone sends now and then (a list of quiz questions, a dialogue for a play):
 * the first couple say nothing; a steady share of them is a pipeline.
 */
const beyondChance = (count: number, chats: number): number => sat(Math.max(0, count - 2), 8) * Math.min(1, (4 * count) / Math.max(1, chats));

export const SIGNALS: readonly Signal[] = [
  {
    name: 'harvest-requests',
    kind: 'evidence',
    weight: 1,
    count: { of: (t) => t.harvestHits, noun: 'requests asking for reasoning or long output' },
    score: (v) => harvestIntensity(v.tally) * sat(v.tally.harvestHits, 60),
    describe: (v) => `${plural(v.tally.harvestHits, 'request')} of ${v.tally.chats.toLocaleString('en-US')} ask for reasoning or long output (intensity ${harvestIntensity(v.tally).toFixed(2)})`,
  },
  {
    name: 'templated-items',
    kind: 'evidence',
    weight: 0.5,
    count: { of: (t) => t.templated, noun: 'new items in a recurring wrapper' },
    score: (v) => sat(v.tally.quietTemplated, 60) * Math.min(1, v.tally.templated / Math.max(1, v.tally.singleTurn) / 0.5) * outputSeeking(v.tally),
    describe: (v) => `${plural(v.tally.templated, 'new item')} sent inside one recurring wrapper, asking for long or reasoned answers`,
  },
  {
    name: 'dataset-sweep',
    kind: 'evidence',
    weight: 0.4,
    count: { of: (t) => t.datasetItems, noun: 'fresh dataset-style items with room for a long answer' },
    // Benchmark and instruction items one after another, bare or wrapped, each with room for a
    // worked answer: a capability sweep even when no request asks for reasoning in words.
    score: (v) => sat(v.tally.datasetItems, 80) * Math.min(1, v.tally.datasetItems / Math.max(1, v.tally.singleTurn) / 0.3),
    describe: (v) => `${plural(v.tally.datasetItems, 'fresh dataset-style item')} (options, Q/A fields, markup) with room for a long answer`,
  },
  {
    name: 'synthetic-data-pipeline',
    kind: 'evidence',
    weight: 0.8,
    score: (v) => beyondChance(pipelineCount(v.tally), v.tally.chats),
    count: { of: pipelineCount, noun: 'task-generation, rewriting or grading prompts' },
    describe: (v) => `${plural(Math.round(pipelineCount(v.tally)), 'prompt')} generate or rewrite tasks, or grade answers`,
  },
  {
    name: 'dialogue-synthesis',
    kind: 'evidence',
    weight: 0.8,
    score: (v) => beyondChance(v.tally.dialogue, v.tally.chats),
    count: { of: (t) => t.dialogue, noun: 'dialogue-writing prompts' },
    describe: (v) => `${plural(Math.round(v.tally.dialogue), 'prompt')} ask the model to write or play out whole dialogues`,
  },
  {
    name: 'scripted-follow-ups',
    kind: 'evidence',
    weight: 0.5,
    count: { of: scriptedCount, noun: 'scripted or stock follow-ups' },
    // Conversations a program writes: follow-ups within seconds of the answer, or the same
    // "explain further" pasted into conversation after conversation.
    score: (v) => sat(scriptedCount(v.tally), 10) * Math.min(1, scriptedCount(v.tally) / Math.max(1, v.tally.followUps) / 0.3),
    describe: (v) => `${plural(v.tally.scriptedFollowUps, 'follow-up')} sent within seconds of the answer, ${plural(v.tally.stockFollowUps, 'stock follow-up')} repeated across conversations`,
  },
  {
    name: 'sampling-sweep',
    kind: 'evidence',
    weight: 0.3,
    count: { of: (t) => t.sampling + t.seedChanges, noun: 'multi-sample, log-probability or seed-sweep requests' },
    // Several samples per item add to a harvest of reasoning or long answers; on their own they
    // are how pass@k and self-consistency are measured.
    score: (v) => sat(v.tally.sampling + v.tally.seedChanges, 20) * (1 - v.tally.share(v.tally.greedy)) * outputSeeking(v.tally),
    describe: (v) => `${plural(v.tally.sampling, 'request')} ask for several samples or log-probabilities, ${plural(v.tally.seedChanges, 'seed change')}`,
  },
  {
    name: 'coverage-sweep',
    kind: 'evidence',
    weight: 0.4,
    score: (v) => {
      const t = v.tally;
      if (v.taskSpread < 4 || v.activeHours < 20 || t.share(t.singleTurn) < 0.9 || t.share(t.withEndUser) > 0.5) return 0;
      if (t.share(t.greedy) >= 0.5 || t.share(t.brevity) >= 0.2 || outputSeeking(t) < 0.5) return 0;
      return sat(t.chats, 300);
    },
    describe: (v) => `sweeps ${v.taskSpread} task types round the clock (${v.activeHours}/24 hours) with ${plural(v.tally.chats, 'single-turn item')}`,
  },
  {
    name: 'refusals',
    kind: 'evidence',
    weight: 0.15,
    // Probing and key cycling (bad keys, suspensions, unknown models) show as a large share of
    // refusals; a busy client brushing its rate limit counts a quarter as much.
    score: (v) => {
      const t = v.tally;
      const weighted = t.refusedProbing + 0.25 * (t.refused - t.refusedProbing);
      return sat(weighted, 30) * Math.min(1, weighted / Math.max(1, t.requests) / 0.1);
    },
    describe: (v) => `${plural(v.tally.refused, 'request')} refused, ${v.tally.refusedProbing.toLocaleString('en-US')} of them for a bad key, a suspension or an unknown model (${pct(v.tally.refused / Math.max(1, v.tally.requests))} of its requests)`,
  },
  {
    name: 'volume',
    kind: 'boost',
    weight: 0.15,
    score: (v) => (v.perDay / v.members >= 150 ? 1 : 0),
    describe: (v) => `about ${Math.round(v.perDay / v.members)} requests a day${v.members > 1 ? ' per account' : ''}`,
  },
  {
    name: 'no-quiet-hours',
    kind: 'boost',
    weight: 0.1,
    score: (v) => (v.spanDays >= 1 && v.activeHours >= 22 ? 1 : 0),
    describe: (v) => `active in ${v.activeHours}/24 hours of the day`,
  },
  {
    name: 'new-account',
    kind: 'boost',
    weight: 0.05,
    score: (v) => (v.ageDays !== undefined && v.ageDays < 7 && v.tally.requests >= 20 ? 1 : 0),
    describe: (v) => `account ${(v.ageDays ?? 0).toFixed(1)} days old`,
  },
  {
    name: 'conversation',
    kind: 'discount',
    weight: 1,
    // Follow-ups that do not ask for more are people talking; the harvest-style requests among
    // them were already read down one by one.
    score: (v) => v.tally.share(v.tally.organicFollowUps),
    describe: (v) => `${pct(v.tally.share(v.tally.organicFollowUps))} of prompts carry on conversations at a person's pace without asking for more`,
  },
  {
    name: 'repeated-items',
    kind: 'discount',
    weight: 1,
    pooled: true,
    score: (v) => Math.min(1, v.tally.share(v.tally.nearDuplicates) + v.itemOverlap),
    describe: (v) =>
      v.members > 1
        ? `members ask one set of items between them (repetition ${pct(v.itemOverlap)}), ${pct(v.tally.share(v.tally.nearDuplicates))} repeats`
        : `${pct(v.itemOverlap)} of items were asked by many other accounts too, ${pct(v.tally.share(v.tally.nearDuplicates))} repeat its own`,
  },
  {
    name: 'end-users',
    kind: 'discount',
    weight: 0.7,
    score: (v) => (v.tally.share(v.tally.withEndUser) > 0.5 ? 1 : 0),
    describe: (v) => `tags ${pct(v.tally.share(v.tally.withEndUser))} of requests with end-user ids`,
  },
  {
    name: 'short-output',
    kind: 'discount',
    weight: 0.5,
    // Documents in, labels or summaries out is a batch job. A small cap or an ask for brevity
    // alone is half the case: harvesters want answers and short rationales too, not only essays.
    score: (v) => {
      const t = v.tally;
      if (t.promptTokens > 5000 && t.completionTokens < 0.3 * t.promptTokens) return 1;
      return t.share(t.shortMaxTokens) >= 0.5 || t.share(t.brevity) >= 0.2 ? 0.5 : 0;
    },
    describe: (v) => `asks for short output (${pct(v.tally.share(v.tally.brevity))} of prompts, ${pct(v.tally.share(v.tally.shortMaxTokens))} capped at 300 tokens or less)`,
  },
  {
    name: 'evaluation-run',
    kind: 'discount',
    weight: 0.9,
    lapsesInFleet: true,
    score: (v) => {
      const t = v.tally;
      // One harness template with its decoding spelled out, in a burst of a few busy hours: a
      // benchmark run, which asks for reasoning and samples as much as any harvester but is
      // finite. The longer it keeps going, the less it looks like one: the discount fades from
      // six busy hours to nothing at a day's worth.
      // A harness asks one item at a time; a program that plays out conversations is not one.
      if (t.chats < 4 || v.wrapperConcentration < 0.8 || t.share(t.scriptedFollowUps) > 0.1) return 0;
      const reproducible = t.share(t.greedy) >= 0.8 || t.share(t.shortMaxTokens) >= 0.8 || (v.wrapperConcentration >= 0.9 && t.share(t.explicitDecoding) >= 0.9);
      return reproducible ? Math.min(1, Math.max(0, (24 - v.activeSlots) / 18)) : 0;
    },
    describe: (v) => `benchmark-run shape: ${pct(v.wrapperConcentration)} one template, decoding parameters spelled out, ${v.activeSlots} busy hours`,
  },
];

export interface Reading {
  readonly signal: Signal;
  readonly strength: number;
  /** How it reads (worded when first read: most readings are only weighed). */
  readonly text: string;
}

/** A reading of a view that no longer changes (a group's pool, an account's peak). */
class ViewReading implements Reading {
  private worded: string | undefined;

  constructor(
    readonly signal: Signal,
    readonly strength: number,
    private readonly view: BehaviourView,
  ) {}

  get text(): string {
    return (this.worded ??= this.signal.describe(this.view, this.strength));
  }
}

export interface Assessed {
  /** Evidence times boosts times discounts, before calibration. */
  raw: number;
  readings: Reading[];
}

/** What an assessment without readings carries: one shared empty list, never added to. */
const NO_READINGS: Reading[] = [];

const memberDiscount = (signal: Signal): boolean => signal.kind === 'discount' && signal.pooled !== true;

/**
 * The product of the discounts read on one member's own traffic (1 = nothing explained away);
 * `inFleet`: the member's template is shared by other members of its group.
 */
export function memberDiscountOf(v: BehaviourView, inFleet: boolean): number {
  let discount = 1;
  for (const signal of SIGNALS) {
    if (!memberDiscount(signal) || (inFleet && signal.lapsesInFleet)) continue;
    discount *= 1 - signal.weight * signal.score(v);
  }
  return Math.max(0, discount);
}

/**
 * Scores a behaviour with the whole table; readings only when asked for, worded when read (so
 * `v` must not change while they are kept). A group's pooled tally is already discounted member
 * by member (`pooledGroup`), so a benchmark run inside an organisation stays a benchmark run when
 * pooled; only the discounts about the group as a whole are read on the pool.
 */
export function assess(v: BehaviourView, withReadings: boolean, pooledGroup = false): Assessed {
  let evidence = 0;
  let boost = 1;
  let discount = 1;
  const readings: Reading[] = withReadings ? [] : NO_READINGS;
  for (const signal of SIGNALS) {
    const strength = signal.score(v);
    if (strength <= 0 || (pooledGroup && memberDiscount(signal))) continue;
    if (signal.kind === 'evidence') evidence += signal.weight * strength;
    else if (signal.kind === 'boost') boost += signal.weight * strength;
    else discount *= 1 - signal.weight * strength;
    if (withReadings && strength >= 0.05) readings.push(new ViewReading(signal, strength, v));
  }
  const raw = Math.min(1, evidence) * boost * Math.max(0, discount);
  if (withReadings) readings.sort((a, b) => order(a) - order(b) || b.signal.weight * b.strength - a.signal.weight * a.strength);
  return { raw, readings };
}

const order = (r: Reading): number => (r.signal.kind === 'evidence' ? 0 : r.signal.kind === 'boost' ? 1 : 2);

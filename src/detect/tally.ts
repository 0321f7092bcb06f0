import type { RequestFeatures } from './features.js';
import type { HarvestIntent } from './harvest-score.js';

/** Output caps at or below this are short answers (labels, scores, titles). */
const SHORT_OUTPUT = 300;
/** Evaluation harnesses cap answers at this or less; trace harvesters ask for room beyond it. */
const HARNESS_CAP = 2048;
/** Output caps from this on leave room for a worked answer. */
const ROOMY_OUTPUT = 1000;

/** What one request added beyond its own body: how it relates to what came before it. */
export interface RequestContext {
  harvest: HarvestIntent;
  /** The item was asked before by another account. */
  sharedItem: boolean;
  /** The prompt nearly repeats one of this account's last few (a loop, a retry). */
  nearDuplicate: boolean;
  /** A new item under a wrapper this account has already used for other items. */
  templated: boolean;
  /** A follow-up whose text this account already sent in another conversation. */
  stockFollowUp: boolean;
  /** A follow-up sent sooner after the previous answer than a person reads and types. */
  scriptedFollowUp: boolean;
  /** The seed differs from the account's previous one. */
  seedChanged: boolean;
}

/** Where each counter sits in a tally's slice of 32-bit words. */
const REQUESTS = 0;
const REFUSED = 1;
const REFUSED_PROBING = 2;
const CHATS = 3;
const SINGLE_TURN = 4;
const HARVEST_HITS = 5;
const DATASET_ITEMS = 6;
const FOLLOW_UPS = 7;
const STOCK_FOLLOW_UPS = 8;
const SCRIPTED_FOLLOW_UPS = 9;
const ORGANIC_FOLLOW_UPS = 10;
const HEAVY_MAX_TOKENS = 11;
const SHORT_MAX_TOKENS = 12;
const GREEDY = 13;
const EXPLICIT_DECODING = 14;
const SAMPLING = 15;
const SEED_CHANGES = 16;
const WITH_END_USER = 17;
const SHARED_ITEMS = 18;
const SHARED_HITS = 19;
const NEAR_DUPLICATES = 20;
const TEMPLATED = 21;
const QUIET_TEMPLATED = 22;
const COUNTS = 23;
/** ... and each sum (fractional, or tokens, which may pass 32 bits) in its slice of float64s. */
const HARVEST = 0;
const HIT_HARVEST = 1;
const REASONING = 2;
const VERBOSITY = 3;
const BREVITY = 4;
const GENERATION = 5;
const GRADING = 6;
const DIALOGUE = 7;
const PROMPT_TOKENS = 8;
const COMPLETION_TOKENS = 9;
const SUMS = 10;

/**
 * Additive counters of request behaviour: a group's tally is the sum of its members', so pooled
 * evidence is computed with the same code as an account's own. The counters live in slices of
 * typed arrays, an account's in the blocks its other state shares (see account-state.ts): as an
 * object's fields they cost 8 bytes each and the fractional sums a boxed double more, some 450
 * bytes an account. Where the slices are is the subclass's to say: a plain tally holds them, an
 * account's state works them out from its id, as fields of its own cost 8 bytes each.
 */
export abstract class Counters {
  /** 32-bit words and float64s a tally takes in stores (`writeTo`, `readFrom`). */
  static readonly COUNTS = COUNTS;
  static readonly SUMS = SUMS;

  /** The counters are `counts[at]` on, the sums `sums[sumAt]` on. */
  protected abstract readonly counts: Uint16Array | Uint32Array;
  protected abstract readonly at: number;
  protected abstract readonly sums: Float64Array;
  protected abstract readonly sumAt: number;

  get requests(): number {
    return this.counts[this.at + REQUESTS]!;
  }

  get refused(): number {
    return this.counts[this.at + REFUSED]!;
  }

  /** Refused for a bad or revoked key, a suspension or an unknown model: probing, not volume. */
  get refusedProbing(): number {
    return this.counts[this.at + REFUSED_PROBING]!;
  }

  /** Served requests that carry a prompt to answer (everything but embeddings and refusals). */
  get chats(): number {
    return this.counts[this.at + CHATS]!;
  }

  get singleTurn(): number {
    return this.counts[this.at + SINGLE_TURN]!;
  }

  get harvestHits(): number {
    return this.counts[this.at + HARVEST_HITS]!;
  }

  /** Fresh single-turn items that look like a dataset's (options, markup, Q/A fields) with room for a long answer. */
  get datasetItems(): number {
    return this.counts[this.at + DATASET_ITEMS]!;
  }

  get followUps(): number {
    return this.counts[this.at + FOLLOW_UPS]!;
  }

  /** Follow-ups this account sent word for word in other conversations, asking for more. */
  get stockFollowUps(): number {
    return this.counts[this.at + STOCK_FOLLOW_UPS]!;
  }

  /** Follow-ups sent within seconds of the previous answer: a program plays the other side. */
  get scriptedFollowUps(): number {
    return this.counts[this.at + SCRIPTED_FOLLOW_UPS]!;
  }

  /** Follow-ups a person plausibly typed that ask nothing more: conversation. */
  get organicFollowUps(): number {
    return this.counts[this.at + ORGANIC_FOLLOW_UPS]!;
  }

  get heavyMaxTokens(): number {
    return this.counts[this.at + HEAVY_MAX_TOKENS]!;
  }

  get shortMaxTokens(): number {
    return this.counts[this.at + SHORT_MAX_TOKENS]!;
  }

  get greedy(): number {
    return this.counts[this.at + GREEDY]!;
  }

  /** Temperature and a harness-sized max_tokens both set: a harness spells out its decoding, a naive client leaves defaults. */
  get explicitDecoding(): number {
    return this.counts[this.at + EXPLICIT_DECODING]!;
  }

  /** n > 1, logprobs or logit_bias: asking for more than one answer's worth of the model. */
  get sampling(): number {
    return this.counts[this.at + SAMPLING]!;
  }

  get seedChanges(): number {
    return this.counts[this.at + SEED_CHANGES]!;
  }

  get withEndUser(): number {
    return this.counts[this.at + WITH_END_USER]!;
  }

  get sharedItems(): number {
    return this.counts[this.at + SHARED_ITEMS]!;
  }

  /** Harvest-style requests whose item many other accounts asked too (an assignment, a viral prompt). */
  get sharedHits(): number {
    return this.counts[this.at + SHARED_HITS]!;
  }

  get nearDuplicates(): number {
    return this.counts[this.at + NEAR_DUPLICATES]!;
  }

  get templated(): number {
    return this.counts[this.at + TEMPLATED]!;
  }

  /** Templated items that ask for nothing in words (no harvest hit): the template alone is the evidence. */
  get quietTemplated(): number {
    return this.counts[this.at + QUIET_TEMPLATED]!;
  }

  get harvest(): number {
    return this.sums[this.sumAt + HARVEST]!;
  }

  /** Sum of the harvest scores of the hits alone: cover traffic cannot dilute it. */
  get hitHarvest(): number {
    return this.sums[this.sumAt + HIT_HARVEST]!;
  }

  get reasoning(): number {
    return this.sums[this.sumAt + REASONING]!;
  }

  get verbosity(): number {
    return this.sums[this.sumAt + VERBOSITY]!;
  }

  get brevity(): number {
    return this.sums[this.sumAt + BREVITY]!;
  }

  get generation(): number {
    return this.sums[this.sumAt + GENERATION]!;
  }

  get grading(): number {
    return this.sums[this.sumAt + GRADING]!;
  }

  get dialogue(): number {
    return this.sums[this.sumAt + DIALOGUE]!;
  }

  get promptTokens(): number {
    return this.sums[this.sumAt + PROMPT_TOKENS]!;
  }

  get completionTokens(): number {
    return this.sums[this.sumAt + COMPLETION_TOKENS]!;
  }

  addRequest(f: RequestFeatures, c: RequestContext): void {
    const n = this.counts;
    const i = this.at;
    const sums = this.sums;
    const s = this.sumAt;
    n[i + REQUESTS]!++;
    if (f.refused) {
      n[i + REFUSED]!++;
      if (f.status !== 429) n[i + REFUSED_PROBING]!++;
      return;
    }
    if (f.embedding) return;
    n[i + CHATS]!++;
    if (f.singleTurn) n[i + SINGLE_TURN]!++;
    else {
      n[i + FOLLOW_UPS]!++;
      // The follow-up's own words: a product's system prompt asks the same of every turn.
      const asking = f.text.userAsks;
      if (asking && c.stockFollowUp) n[i + STOCK_FOLLOW_UPS]!++;
      if (c.scriptedFollowUp) n[i + SCRIPTED_FOLLOW_UPS]!++;
      else if (!asking) n[i + ORGANIC_FOLLOW_UPS]!++;
    }
    if (c.nearDuplicate) {
      // A prompt sent again harvests nothing new: it counts as a repeat, not as evidence twice.
      n[i + NEAR_DUPLICATES]!++;
      return;
    }
    const t = f.text;
    sums[s + REASONING] += t.reasoning;
    sums[s + VERBOSITY] += t.verbosity;
    sums[s + BREVITY] += t.brevity;
    // Writing tasks, grades or dialogues is data generation only with room for a long answer: a
    // grade capped at a few tokens is a batch job's label.
    const roomy = f.maxTokens === 0 || f.maxTokens > SHORT_OUTPUT;
    if (roomy) {
      sums[s + GENERATION] += Math.max(t.generation, t.rewriting);
      sums[s + GRADING] += t.grading;
      sums[s + DIALOGUE] += t.dialogue;
    }
    if (f.singleTurn && t.dataset > 0 && (f.maxTokens === 0 || f.maxTokens >= ROOMY_OUTPUT)) n[i + DATASET_ITEMS]!++;
    sums[s + HARVEST] += c.harvest.score;
    if (c.harvest.hit) {
      n[i + HARVEST_HITS]!++;
      sums[s + HIT_HARVEST] += c.harvest.score;
      if (c.sharedItem) n[i + SHARED_HITS]!++;
    }
    if (f.maxTokens >= 2000) n[i + HEAVY_MAX_TOKENS]!++;
    else if (f.maxTokens > 0 && f.maxTokens <= SHORT_OUTPUT) n[i + SHORT_MAX_TOKENS]!++;
    if (f.temperature === 0) n[i + GREEDY]!++;
    if (f.temperature !== undefined && f.maxTokens > 0 && f.maxTokens <= HARNESS_CAP) n[i + EXPLICIT_DECODING]!++;
    if (f.choices > 1 || f.logprobs || f.logitBias) n[i + SAMPLING]!++;
    if (c.seedChanged) n[i + SEED_CHANGES]!++;
    if (f.endUser) n[i + WITH_END_USER]!++;
    if (c.sharedItem) n[i + SHARED_ITEMS]!++;
    if (c.templated) {
      n[i + TEMPLATED]!++;
      if (!c.harvest.hit) n[i + QUIET_TEMPLATED]!++;
    }
  }

  addUsage(promptTokens: number, completionTokens: number): void {
    const sums = this.sums;
    const s = this.sumAt;
    sums[s + PROMPT_TOKENS] += promptTokens;
    sums[s + COMPLETION_TOKENS] += completionTokens;
  }

  /** Adds another tally's counts. */
  merge(other: Counters): void {
    const counts = this.counts;
    const at = this.at;
    const sums = this.sums;
    const sumAt = this.sumAt;
    const from = other.counts;
    const fromAt = other.at;
    const fromSums = other.sums;
    const fromSumAt = other.sumAt;
    for (let k = 0; k < COUNTS; k++) counts[at + k] += from[fromAt + k]!;
    for (let k = 0; k < SUMS; k++) sums[sumAt + k] += fromSums[fromSumAt + k]!;
  }

  /**
   * Copies this tally into `counts` from `at` and `sums` from `sumAt`: a snapshot later requests
   * do not move. Each counter counts requests, at most one a request, so 16-bit counts hold a
   * tally of fewer than 65536 requests.
   */
  writeTo(counts: Uint16Array | Uint32Array, at: number, sums: Float64Array, sumAt: number): void {
    const from = this.counts;
    const fromAt = this.at;
    const fromSums = this.sums;
    const fromSumAt = this.sumAt;
    for (let k = 0; k < COUNTS; k++) counts[at + k] = from[fromAt + k]!;
    for (let k = 0; k < SUMS; k++) sums[sumAt + k] = fromSums[fromSumAt + k]!;
  }

  /** Share of the answered prompts (`chats`) that `count` makes up. */
  share(count: number): number {
    const chats = this.chats;
    return chats === 0 ? 0 : Math.min(1, count / chats);
  }
}

/** A tally over the slices from `at` and `sumAt`, its own zeroed ones unless given. */
class OwnTally extends Counters {
  constructor(
    protected readonly counts: Uint16Array | Uint32Array = new Uint32Array(COUNTS),
    protected readonly at = 0,
    protected readonly sums: Float64Array = new Float64Array(SUMS),
    protected readonly sumAt = 0,
  ) {
    super();
  }

  /** A tally of its own holding what `writeTo` wrote at `at` and `sumAt`. */
  static readFrom(counts: Uint16Array | Uint32Array, at: number, sums: Float64Array, sumAt: number): Tally {
    const t = new OwnTally();
    for (let k = 0; k < COUNTS; k++) t.counts[k] = counts[at + k]!;
    for (let k = 0; k < SUMS; k++) t.sums[k] = sums[sumAt + k]!;
    return t;
  }
}

/** A tally: any of them to read (an account's state is one too), a plain one to make. */
export type Tally = Counters;
export const Tally = OwnTally;

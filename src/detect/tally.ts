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

/**
 * Additive counters of request behaviour: a group's tally is the sum of its members', so pooled
 * evidence is computed with the same code as an account's own.
 */
export class Tally {
  requests = 0;
  refused = 0;
  /** Refused for a bad or revoked key, a suspension or an unknown model: probing, not volume. */
  refusedProbing = 0;
  embeddings = 0;
  /** Served requests that carry a prompt to answer (everything but embeddings and refusals). */
  chats = 0;
  singleTurn = 0;
  harvest = 0;
  harvestHits = 0;
  /** Sum of the harvest scores of the hits alone: cover traffic cannot dilute it. */
  hitHarvest = 0;
  reasoning = 0;
  verbosity = 0;
  brevity = 0;
  generation = 0;
  grading = 0;
  dataset = 0;
  /** Fresh single-turn items that look like a dataset's (options, markup, Q/A fields) with room for a long answer. */
  datasetItems = 0;
  dialogue = 0;
  followUps = 0;
  /** Follow-up turns that ask for more reasoning or detail. */
  followUpAsks = 0;
  /** Follow-ups this account sent word for word in other conversations, asking for more. */
  stockFollowUps = 0;
  /** Follow-ups sent within seconds of the previous answer: a program plays the other side. */
  scriptedFollowUps = 0;
  /** Follow-ups a person plausibly typed that ask nothing more: conversation. */
  organicFollowUps = 0;
  heavyMaxTokens = 0;
  shortMaxTokens = 0;
  greedy = 0;
  /** Temperature and a harness-sized max_tokens both set: a harness spells out its decoding, a naive client leaves defaults. */
  explicitDecoding = 0;
  /** n > 1, logprobs or logit_bias: asking for more than one answer's worth of the model. */
  sampling = 0;
  seedChanges = 0;
  withEndUser = 0;
  sharedItems = 0;
  /** Harvest-style requests whose item many other accounts asked too (an assignment, a viral prompt). */
  sharedHits = 0;
  nearDuplicates = 0;
  templated = 0;
  /** Templated items that ask for nothing in words (no harvest hit): the template alone is the evidence. */
  quietTemplated = 0;
  promptTokens = 0;
  completionTokens = 0;

  addRequest(f: RequestFeatures, c: RequestContext): void {
    this.requests++;
    if (f.refused) {
      this.refused++;
      if (f.status !== 429) this.refusedProbing++;
      return;
    }
    if (f.embedding) {
      this.embeddings++;
      return;
    }
    this.chats++;
    if (f.singleTurn) this.singleTurn++;
    else {
      this.followUps++;
      // The follow-up's own words: a product's system prompt asks the same of every turn.
      const asking = f.text.userAsks;
      if (asking) this.followUpAsks++;
      if (asking && c.stockFollowUp) this.stockFollowUps++;
      if (c.scriptedFollowUp) this.scriptedFollowUps++;
      else if (!asking) this.organicFollowUps++;
    }
    if (c.nearDuplicate) {
      // A prompt sent again harvests nothing new: it counts as a repeat, not as evidence twice.
      this.nearDuplicates++;
      return;
    }
    const t = f.text;
    this.reasoning += t.reasoning;
    this.verbosity += t.verbosity;
    this.brevity += t.brevity;
    // Writing tasks, grades or dialogues is data generation only with room for a long answer: a
    // grade capped at a few tokens is a batch job's label.
    const roomy = f.maxTokens === 0 || f.maxTokens > SHORT_OUTPUT;
    if (roomy) {
      this.generation += Math.max(t.generation, t.rewriting);
      this.grading += t.grading;
      this.dialogue += t.dialogue;
    }
    this.dataset += t.dataset;
    if (f.singleTurn && t.dataset > 0 && (f.maxTokens === 0 || f.maxTokens >= ROOMY_OUTPUT)) this.datasetItems++;
    this.harvest += c.harvest.score;
    if (c.harvest.hit) {
      this.harvestHits++;
      this.hitHarvest += c.harvest.score;
      if (c.sharedItem) this.sharedHits++;
    }
    if (f.maxTokens >= 2000) this.heavyMaxTokens++;
    else if (f.maxTokens > 0 && f.maxTokens <= SHORT_OUTPUT) this.shortMaxTokens++;
    if (f.temperature === 0) this.greedy++;
    if (f.temperature !== undefined && f.maxTokens > 0 && f.maxTokens <= HARNESS_CAP) this.explicitDecoding++;
    if (f.choices > 1 || f.logprobs || f.logitBias) this.sampling++;
    if (c.seedChanged) this.seedChanges++;
    if (f.endUser) this.withEndUser++;
    if (c.sharedItem) this.sharedItems++;
    if (c.templated) {
      this.templated++;
      if (!c.harvest.hit) this.quietTemplated++;
    }
  }

  addUsage(promptTokens: number, completionTokens: number): void {
    this.promptTokens += promptTokens;
    this.completionTokens += completionTokens;
  }

  /**
   * Adds another tally's counts. Written out field by field: a loop over the names reads and
   * writes by key, several times slower, and a group's rebuild merges every member's tally.
   */
  merge(other: Tally): void {
    this.requests += other.requests;
    this.refused += other.refused;
    this.refusedProbing += other.refusedProbing;
    this.embeddings += other.embeddings;
    this.chats += other.chats;
    this.singleTurn += other.singleTurn;
    this.harvest += other.harvest;
    this.harvestHits += other.harvestHits;
    this.hitHarvest += other.hitHarvest;
    this.reasoning += other.reasoning;
    this.verbosity += other.verbosity;
    this.brevity += other.brevity;
    this.generation += other.generation;
    this.grading += other.grading;
    this.dataset += other.dataset;
    this.datasetItems += other.datasetItems;
    this.dialogue += other.dialogue;
    this.followUps += other.followUps;
    this.followUpAsks += other.followUpAsks;
    this.stockFollowUps += other.stockFollowUps;
    this.scriptedFollowUps += other.scriptedFollowUps;
    this.organicFollowUps += other.organicFollowUps;
    this.heavyMaxTokens += other.heavyMaxTokens;
    this.shortMaxTokens += other.shortMaxTokens;
    this.greedy += other.greedy;
    this.explicitDecoding += other.explicitDecoding;
    this.sampling += other.sampling;
    this.seedChanges += other.seedChanges;
    this.withEndUser += other.withEndUser;
    this.sharedItems += other.sharedItems;
    this.sharedHits += other.sharedHits;
    this.nearDuplicates += other.nearDuplicates;
    this.templated += other.templated;
    this.quietTemplated += other.quietTemplated;
    this.promptTokens += other.promptTokens;
    this.completionTokens += other.completionTokens;
  }

  /** Float64s a tally takes in a store (`writeTo`, `readFrom`). */
  static readonly WORDS = 36;

  /**
   * Writes this tally into `store` from `at`: a snapshot later requests do not move, in a block
   * shared by many accounts rather than a Tally object of its own (some 450 bytes with its boxed
   * fractional counters). Written out: keyed access is several times slower, and the peak's
   * snapshot is taken on most requests.
   */
  writeTo(store: Float64Array, at: number): void {
    store[at + 0] = this.requests;
    store[at + 1] = this.refused;
    store[at + 2] = this.refusedProbing;
    store[at + 3] = this.embeddings;
    store[at + 4] = this.chats;
    store[at + 5] = this.singleTurn;
    store[at + 6] = this.harvest;
    store[at + 7] = this.harvestHits;
    store[at + 8] = this.hitHarvest;
    store[at + 9] = this.reasoning;
    store[at + 10] = this.verbosity;
    store[at + 11] = this.brevity;
    store[at + 12] = this.generation;
    store[at + 13] = this.grading;
    store[at + 14] = this.dataset;
    store[at + 15] = this.datasetItems;
    store[at + 16] = this.dialogue;
    store[at + 17] = this.followUps;
    store[at + 18] = this.followUpAsks;
    store[at + 19] = this.stockFollowUps;
    store[at + 20] = this.scriptedFollowUps;
    store[at + 21] = this.organicFollowUps;
    store[at + 22] = this.heavyMaxTokens;
    store[at + 23] = this.shortMaxTokens;
    store[at + 24] = this.greedy;
    store[at + 25] = this.explicitDecoding;
    store[at + 26] = this.sampling;
    store[at + 27] = this.seedChanges;
    store[at + 28] = this.withEndUser;
    store[at + 29] = this.sharedItems;
    store[at + 30] = this.sharedHits;
    store[at + 31] = this.nearDuplicates;
    store[at + 32] = this.templated;
    store[at + 33] = this.quietTemplated;
    store[at + 34] = this.promptTokens;
    store[at + 35] = this.completionTokens;
  }

  /** The tally `writeTo` wrote into `store` at `at`, its counters as integers where they are. */
  static readFrom(store: Float64Array, at: number): Tally {
    const t = new Tally();
    t.requests = stored(store[at + 0]!);
    t.refused = stored(store[at + 1]!);
    t.refusedProbing = stored(store[at + 2]!);
    t.embeddings = stored(store[at + 3]!);
    t.chats = stored(store[at + 4]!);
    t.singleTurn = stored(store[at + 5]!);
    t.harvest = stored(store[at + 6]!);
    t.harvestHits = stored(store[at + 7]!);
    t.hitHarvest = stored(store[at + 8]!);
    t.reasoning = stored(store[at + 9]!);
    t.verbosity = stored(store[at + 10]!);
    t.brevity = stored(store[at + 11]!);
    t.generation = stored(store[at + 12]!);
    t.grading = stored(store[at + 13]!);
    t.dataset = stored(store[at + 14]!);
    t.datasetItems = stored(store[at + 15]!);
    t.dialogue = stored(store[at + 16]!);
    t.followUps = stored(store[at + 17]!);
    t.followUpAsks = stored(store[at + 18]!);
    t.stockFollowUps = stored(store[at + 19]!);
    t.scriptedFollowUps = stored(store[at + 20]!);
    t.organicFollowUps = stored(store[at + 21]!);
    t.heavyMaxTokens = stored(store[at + 22]!);
    t.shortMaxTokens = stored(store[at + 23]!);
    t.greedy = stored(store[at + 24]!);
    t.explicitDecoding = stored(store[at + 25]!);
    t.sampling = stored(store[at + 26]!);
    t.seedChanges = stored(store[at + 27]!);
    t.withEndUser = stored(store[at + 28]!);
    t.sharedItems = stored(store[at + 29]!);
    t.sharedHits = stored(store[at + 30]!);
    t.nearDuplicates = stored(store[at + 31]!);
    t.templated = stored(store[at + 32]!);
    t.quietTemplated = stored(store[at + 33]!);
    t.promptTokens = stored(store[at + 34]!);
    t.completionTokens = stored(store[at + 35]!);
    return t;
  }

  /** Share of the answered prompts (`chats`) that `count` makes up. */
  share(count: number): number {
    return this.chats === 0 ? 0 : Math.min(1, count / this.chats);
  }
}

/**
 * A number read back from a Float64Array, an integer in 32 bits as one. V8 hands every value read
 * from a Float64Array over as a boxed double, and one stored in a counter kept as a small integer
 * turns that field of every object of its shape into a boxed double (some 16 bytes more a field,
 * on every live tally), so integers go back as small integers.
 */
export function stored(x: number): number {
  return x === (x | 0) ? x | 0 : x;
}

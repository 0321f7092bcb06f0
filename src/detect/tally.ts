import type { RequestFeatures } from './request-features.js';

/**
 * Additive counters of request behaviour. Additive so that a campaign's tally is just the sum
 * of its members' (merged when two components join).
 */
export class Tally {
  requests = 0;
  singleTurn = 0;
  reasoning = 0;
  verbosity = 0;
  brevity = 0;
  generation = 0;
  grading = 0;
  dataset = 0;
  harvest = 0;
  harvestHits = 0;
  /** Sum of the harvest scores of the hits alone: cover traffic cannot dilute it. */
  hitHarvest = 0;
  /** Follow-up turns that ask for reasoning or more detail. */
  followUpAsks = 0;
  heavyMaxTokens = 0;
  greedy = 0;
  risky = 0;
  nearDuplicates = 0;
  sharedItems = 0;
  withEndUser = 0;
  promptTokens = 0;
  completionTokens = 0;

  addRequest(f: RequestFeatures, harvest: number, nearDuplicate: boolean, sharedItem: boolean): void {
    this.requests++;
    if (f.singleTurn) this.singleTurn++;
    const t = f.text;
    this.reasoning += t.reasoning;
    this.verbosity += t.verbosity;
    this.brevity += t.brevity;
    this.generation += t.generation;
    this.grading += t.grading;
    this.dataset += t.dataset;
    this.harvest += harvest;
    if (harvest >= 0.4) {
      this.harvestHits++;
      this.hitHarvest += harvest;
    }
    if (!f.singleTurn && t.reasoning + t.verbosity > 0) this.followUpAsks++;
    if (f.maxTokens >= 2000) this.heavyMaxTokens++;
    if (f.temperature === 0) this.greedy++;
    if (f.sampleCount > 1 || f.logprobs || f.logitBias) this.risky++;
    if (nearDuplicate) this.nearDuplicates++;
    if (sharedItem) this.sharedItems++;
    if (f.endUser !== undefined) this.withEndUser++;
  }

  addUsage(promptTokens: number, completionTokens: number): void {
    this.promptTokens += promptTokens;
    this.completionTokens += completionTokens;
  }

  merge(other: Tally): void {
    const self = this as unknown as Record<string, number>;
    const from = other as unknown as Record<string, number>;
    for (const key of Object.keys(self)) self[key] = self[key]! + from[key]!;
  }

  share(count: number): number {
    return this.requests === 0 ? 0 : count / this.requests;
  }
}

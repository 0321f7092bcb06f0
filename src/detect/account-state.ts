import type { RequestFeatures } from './request-features.js';
import { hamming32 } from './simhash.js';
import { DecayedCounter, DistinctCounter, TopK } from './sketches.js';
import { Tally } from './tally.js';

const HOUR = 3_600_000;
const RECENT = 8;

// Layout of the per-account store, in 32-bit words.
const HOURS = 0;
const TASKS = HOURS + 24;
const SKELETONS = TASKS + 6;
const CONTENTS = SKELETONS + TopK.words(6);
const RECENT_SIMHASH = CONTENTS + DistinctCounter.words(24);
const WORDS = RECENT_SIMHASH + RECENT;

/**
 * Everything the engine remembers about one account: counters and fixed-size sketches, so the
 * state is the same size after ten requests or ten million.
 */
export class AccountState {
  readonly tally = new Tally();
  firstMs = 0;
  lastMs = 0;
  seedChanges = 0;
  lastSeed: number | undefined = undefined;
  /** Distinct clock hours with traffic: how long the account has really been at it. */
  activeSlots = 0;
  private lastSlot = -1;
  /** Every array of the state in one allocation: see the layout below. */
  private readonly store = new Uint32Array(WORDS);
  readonly skeletons = new TopK(this.store, SKELETONS, 6);
  readonly contents = new DistinctCounter(this.store, CONTENTS, 24);
  /** Requests in (roughly) the trailing day: a decayed count with a 12 h half-life. */
  readonly recentVolume = new DecayedCounter(12 * HOUR);

  /** True when the prompt nearly repeats one of the last few (a loop, a retry, a sweep). */
  isNearDuplicate(f: RequestFeatures): boolean {
    for (let i = RECENT_SIMHASH; i < WORDS; i++) {
      const previous = this.store[i]!;
      if (previous !== 0 && hamming32(previous, f.simhash) <= 2) return true;
    }
    return false;
  }

  /** Folds in the body of a request that just arrived. */
  observeRequest(f: RequestFeatures, harvest: number, sharedItem: boolean): void {
    const nearDuplicate = this.isNearDuplicate(f);
    if (this.tally.requests === 0) this.firstMs = f.ms;
    this.store[RECENT_SIMHASH + (this.tally.requests % RECENT)] = f.simhash || 1;
    this.tally.addRequest(f, harvest, nearDuplicate, sharedItem);
    this.lastMs = f.ms;
    this.recentVolume.add(f.ms, 1);
    this.store[HOURS + new Date(f.ms).getUTCHours()]!++;
    const slot = Math.floor(f.ms / HOUR);
    if (slot !== this.lastSlot) {
      this.activeSlots++;
      this.lastSlot = slot;
    }
    if (f.chat) this.store[TASKS + f.task]!++;
    if (f.seed !== undefined) {
      if (this.lastSeed !== undefined && f.seed !== this.lastSeed) this.seedChanges++;
      this.lastSeed = f.seed;
    }
    this.skeletons.add(f.skeleton.head);
    this.skeletons.add(f.skeleton.tail);
    this.contents.add(f.skeleton.content);
  }

  activeHours(): number {
    let n = 0;
    for (let i = HOURS; i < HOURS + 24; i++) if (this.store[i]! > 0) n++;
    return n;
  }

  /** Share of chat requests in the most common task type. */
  dominantTask(): number {
    let top = 0;
    let total = 0;
    for (let i = TASKS; i < TASKS + 6; i++) {
      const count = this.store[i]!;
      total += count;
      if (count > top) top = count;
    }
    return total === 0 ? 0 : top / total;
  }

  /** Task types holding at least `share` of the chat requests: how much of task space is covered. */
  taskSpread(share: number): number {
    let total = 0;
    for (let i = TASKS; i < TASKS + 6; i++) total += this.store[i]!;
    let spread = 0;
    for (let i = TASKS; i < TASKS + 6; i++) if (total > 0 && this.store[i]! / total >= share) spread++;
    return spread;
  }

  /** Share of requests carrying the account's most common skeleton (head or tail). */
  skeletonConcentration(): number {
    return this.tally.requests === 0 ? 0 : Math.min(1, this.skeletons.top().count / this.tally.requests);
  }
}

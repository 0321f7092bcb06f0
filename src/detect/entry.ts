import { AccountState } from './account-state.js';
import type { BehaviourView } from './signals.js';
import { stored, Tally } from './tally.js';
import type { Reason } from './types.js';

const DAY = 86_400_000;

export interface Entry {
  id: number;
  account: string;
  createdMs: number | undefined;
  state: AccountState;
  /** The account's own calibrated score at its peak, and what it rested on then. */
  peak: number;
  peakRaw: number;
  /**
   * Where PeakViews keeps the account's behaviour as it stood at its latest peak (-1 before its
   * first request), so the reasons are worded only when asked for, not on every request that
   * holds the peak.
   */
  peakSlot: number;
  /** The reasons worded from the peak view, until the next peak. */
  reasons: Reason[] | undefined;
  flaggedAt: string | null;
  /** Flagged through its group rather than on its own traffic alone. */
  viaGroup: boolean;
}

/** An account's behaviour as the signal table reads it. */
export function accountView(entry: Entry, nowMs: number): BehaviourView {
  const s = entry.state;
  return {
    tally: s.tally,
    members: 1,
    activeSlots: s.activeSlots,
    activeHours: s.activeHours(),
    spanDays: (s.lastMs - s.firstMs) / DAY,
    wrapperConcentration: s.wrapperConcentration(),
    dominantTask: s.dominantTask(),
    taskSpread: s.taskSpread(0.1),
    perDay: s.recentVolume.valueAt(nowMs) * Math.LN2 * 2,
    // What matters is whether the harvest-style requests ask what everyone asks: a reseller's end
    // users repeat popular prompts around a stream of fresh items.
    itemOverlap: s.tally.harvestHits > 0 ? s.tally.sharedHits / s.tally.harvestHits : s.tally.share(s.tally.sharedItems),
    ageDays: entry.createdMs === undefined ? undefined : (nowMs - entry.createdMs) / DAY,
  };
}


/** The view's numbers besides its tally, in the order a snapshot keeps them. */
const VIEW_NUMBERS = 10;
const WIDTH = VIEW_NUMBERS + Tally.WORDS;
/** Snapshots per block (a power of two): a block never moves, and a new one costs 64 snapshots' room. */
const BLOCK_BITS = 6;
const BLOCK = 1 << BLOCK_BITS;

/**
 * Accounts' peak views as float64s in blocks shared by many accounts: kept as objects, each was
 * the view (boxed fractions) and a Tally of its own, some 630 bytes an account.
 */
export class PeakViews {
  private readonly blocks: Float64Array[] = [];
  private slots = 0;

  /** Room for one more account's snapshot; its slot number. */
  take(): number {
    if (this.slots === this.blocks.length * BLOCK) this.blocks.push(new Float64Array(BLOCK * WIDTH));
    return this.slots++;
  }

  /** Keeps `view` (its tally copied) in `slot`, in place of what the slot held. */
  keep(slot: number, view: BehaviourView): void {
    const store = this.blocks[slot >> BLOCK_BITS]!;
    const at = (slot & (BLOCK - 1)) * WIDTH;
    store[at] = view.members;
    store[at + 1] = view.activeSlots;
    store[at + 2] = view.activeHours;
    store[at + 3] = view.spanDays;
    store[at + 4] = view.wrapperConcentration;
    store[at + 5] = view.dominantTask;
    store[at + 6] = view.taskSpread;
    store[at + 7] = view.perDay;
    store[at + 8] = view.itemOverlap;
    // An age is a difference of two finite times, so NaN is free to mean unknown.
    store[at + 9] = view.ageDays ?? NaN;
    view.tally.writeTo(store, at + VIEW_NUMBERS);
  }

  /** The view kept in `slot`. */
  read(slot: number): BehaviourView {
    const store = this.blocks[slot >> BLOCK_BITS]!;
    const at = (slot & (BLOCK - 1)) * WIDTH;
    const age = store[at + 9]!;
    return {
      tally: Tally.readFrom(store, at + VIEW_NUMBERS),
      members: stored(store[at]!),
      activeSlots: stored(store[at + 1]!),
      activeHours: stored(store[at + 2]!),
      spanDays: stored(store[at + 3]!),
      wrapperConcentration: stored(store[at + 4]!),
      dominantTask: stored(store[at + 5]!),
      taskSpread: stored(store[at + 6]!),
      perDay: stored(store[at + 7]!),
      itemOverlap: stored(store[at + 8]!),
      ageDays: Number.isNaN(age) ? undefined : stored(age),
    };
  }
}

import type { AccountState } from './account-state.js';
import { grown } from './columns.js';
import type { BehaviourView } from './signals.js';
import { Tally } from './tally.js';

const DAY = 86_400_000;

/** The engine's entry for an account: its state (see AccountState), its id and name, its peak and flag. */
export type Entry = AccountState;

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
    ageDays: s.createdMs === undefined ? undefined : (nowMs - s.createdMs) / DAY,
  };
}

/**
 * Views are built at three sites (accountView, PeakViews.read, a group's pooled view) with one
 * field order, so they share one hidden class, and V8 gives each number field the representation
 * of the first values stored in it. A field that held only whole numbers through a replay's first
 * thousands of views (an item overlap of 0) and then a fraction moved every view to a new class,
 * and each signal whose optimised code read the old one was thrown away and compiled again (a
 * dozen on dev-v2). One view built at load, with fractions where views hold them and both forms of
 * an age, settles the fields before any of that code is compiled.
 */
function settleViewShape(ageDays: number | undefined): BehaviourView {
  return { tally: new Tally(), members: 1, activeSlots: 1, activeHours: 1, spanDays: 0.5, wrapperConcentration: 0.5, dominantTask: 0.5, taskSpread: 1, perDay: 0.5, itemOverlap: 0.5, ageDays };
}
settleViewShape(undefined);
settleViewShape(0.5);

/** The view's whole numbers besides its tally (an account's own view has one member), and its fractional ones, in the order a snapshot keeps them. */
const VIEW_COUNTS = 3;
const VIEW_SUMS = 6;
const COUNT_WIDTH = VIEW_COUNTS + Tally.COUNTS;
const SUM_WIDTH = VIEW_SUMS + Tally.SUMS;
/** Snapshots per block at most (a power of two): slots are found through their block, which may move as it grows. */
const BLOCK_BITS = 6;
const BLOCK = 1 << BLOCK_BITS;
/** A new block's room, in snapshots: it doubles from there up to BLOCK. */
const FIRST_ROOM = 4;
/** A block's whole numbers are 16 bits each until a view of 65536 requests or more comes to it (its counters count requests, at most one a request). */
const NARROW = 0xffff;

/**
 * Accounts' peak views in blocks shared by many accounts, whole numbers in 16-bit words (32-bit
 * ones once a block needs them) and fractions in float64s: kept as objects, each was the view
 * (boxed fractions) and a Tally of its own, some 630 bytes an account; as float64s alone, 368.
 */
export class PeakViews {
  private readonly counts: (Uint16Array | Uint32Array)[] = [];
  private readonly sums: Float64Array[] = [];
  private slots = 0;

  /** Room for one more account's snapshot; its slot number. */
  take(): number {
    const slot = this.slots++;
    const block = slot >> BLOCK_BITS;
    const at = slot & (BLOCK - 1);
    if (block === this.counts.length) {
      this.counts.push(new Uint16Array(FIRST_ROOM * COUNT_WIDTH));
      this.sums.push(new Float64Array(FIRST_ROOM * SUM_WIDTH));
    } else if (at * SUM_WIDTH >= this.sums[block]!.length) {
      // A block grows as slots are taken, where one made whole up front left the last block's unused room on every gateway.
      const room = Math.min(BLOCK, 2 * at);
      this.counts[block] = grown(this.counts[block]!, room * COUNT_WIDTH);
      this.sums[block] = grown(this.sums[block]!, room * SUM_WIDTH);
    }
    return slot;
  }

  /** Keeps an account's own `view` (its tally copied) in `slot`, in place of what the slot held. */
  keep(slot: number, view: BehaviourView): void {
    const block = slot >> BLOCK_BITS;
    let counts = this.counts[block]!;
    if ((view.tally.requests > NARROW || view.activeSlots > NARROW) && counts instanceof Uint16Array) this.counts[block] = counts = Uint32Array.from(counts);
    const sums = this.sums[block]!;
    const at = (slot & (BLOCK - 1)) * COUNT_WIDTH;
    const sumAt = (slot & (BLOCK - 1)) * SUM_WIDTH;
    counts[at] = view.activeSlots;
    counts[at + 1] = view.activeHours;
    counts[at + 2] = view.taskSpread;
    sums[sumAt] = view.spanDays;
    sums[sumAt + 1] = view.wrapperConcentration;
    sums[sumAt + 2] = view.dominantTask;
    sums[sumAt + 3] = view.perDay;
    sums[sumAt + 4] = view.itemOverlap;
    // An age is a difference of two finite times, so NaN is free to mean unknown.
    sums[sumAt + 5] = view.ageDays ?? NaN;
    view.tally.writeTo(counts, at + VIEW_COUNTS, sums, sumAt + VIEW_SUMS);
  }

  /** The view kept in `slot`. */
  read(slot: number): BehaviourView {
    const counts = this.counts[slot >> BLOCK_BITS]!;
    const sums = this.sums[slot >> BLOCK_BITS]!;
    const at = (slot & (BLOCK - 1)) * COUNT_WIDTH;
    const sumAt = (slot & (BLOCK - 1)) * SUM_WIDTH;
    const age = sums[sumAt + 5]!;
    return {
      tally: Tally.readFrom(counts, at + VIEW_COUNTS, sums, sumAt + VIEW_SUMS),
      members: 1,
      activeSlots: counts[at]!,
      activeHours: counts[at + 1]!,
      // In the order every view is built in (accountView, a group's pooled view): objects built
      // with the same fields in the same order share one shape, and the signal table's code, fed
      // views of two shapes, would be thrown away and optimised again for both.
      spanDays: stored(sums[sumAt]!),
      wrapperConcentration: stored(sums[sumAt + 1]!),
      dominantTask: stored(sums[sumAt + 2]!),
      taskSpread: counts[at + 2]!,
      perDay: stored(sums[sumAt + 3]!),
      itemOverlap: stored(sums[sumAt + 4]!),
      ageDays: Number.isNaN(age) ? undefined : stored(age),
    };
  }
}

/**
 * A number read back from a Float64Array, an integer in 32 bits as one. V8 hands every value read
 * from a Float64Array over as a boxed double, and one stored in a field kept as a small integer
 * turns that field of every object of its shape into a boxed double, so integers go back as small
 * integers.
 */
function stored(x: number): number {
  return x === (x | 0) ? x | 0 : x;
}

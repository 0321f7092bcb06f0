import { AccountState } from './account-state.js';
import type { BehaviourView } from './signals.js';
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
   * The account's behaviour as it stood at its latest peak (its tally copied), so the reasons
   * are worded only when asked for, not on every request that holds the peak.
   */
  peakView: BehaviourView | undefined;
  /** The reasons worded from `peakView`, until the next peak. */
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


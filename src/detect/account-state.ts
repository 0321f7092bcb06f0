import type { RequestFeatures } from './features.js';
import type { HarvestIntent } from './harvest-score.js';
import { DecayedCounter, DistinctCounter, TopK } from './sketches.js';
import { Tally, type RequestContext } from './tally.js';
import { TASK_TYPES } from './task-type.js';

const HOUR = 3_600_000;
const RECENT = 8;
const WRAPPER_SLOTS = 16;
const LINE_SLOTS = 8;
/** A wrapper seen this often over other items is an established template. */
const TEMPLATE_AT = 2;

// Layout of the per-account store, in 32-bit words: one allocation for every array of the state.
const HOURS = 0;
const TASKS = HOURS + 24;
const WRAPPERS = TASKS + TASK_TYPES.length;
const CONTENTS = WRAPPERS + TopK.words(WRAPPER_SLOTS);
const LINES = CONTENTS + DistinctCounter.words(24);
const IPS = LINES + TopK.words(LINE_SLOTS);
const RECENT_PROMPTS = IPS + DistinctCounter.words(8);
const RECENT_FOLLOW_UPS = RECENT_PROMPTS + 2 * RECENT;
const THREADS = RECENT_FOLLOW_UPS + 2 * RECENT;
const WORDS = THREADS + 2 * RECENT;
/** Faster than this from an answer to the next turn of its conversation, no person read and typed. */
const HUMAN_THINK_MS = 5_000;

/**
 * Everything detection remembers about one account: counters and fixed-size sketches, so the
 * state is the same size after ten requests or ten million.
 */
export class AccountState {
  readonly tally = new Tally();
  firstMs = 0;
  lastMs = 0;
  /** Distinct clock hours with traffic: how long the account has really been at it. */
  activeSlots = 0;
  private lastSlot = -1;
  private lastSeed: number | undefined = undefined;
  /** Per recent conversation: its thread hash and when its last answer ended (ms, as float64s). */
  private readonly answeredAt = new Float64Array(RECENT);
  private lastThreadSlot = -1;
  private readonly store = new Uint32Array(WORDS);
  readonly wrappers = new TopK(this.store, WRAPPERS, WRAPPER_SLOTS);
  /** The items the account asked (a KMV sketch of both keys of each): group members' sketches compared show an assignment. */
  readonly contents = new DistinctCounter(this.store, CONTENTS, 24);
  readonly ips = new DistinctCounter(this.store, IPS, 8);
  /** Item lines this account sent: one it keeps sending is its own template's, not an item. */
  private readonly lines = new TopK(this.store, LINES, LINE_SLOTS);
  /** Requests in (roughly) the trailing day: a decayed count with a 12 h half-life. */
  readonly recentVolume = new DecayedCounter(12 * HOUR);

  /** Relates a request to what this account sent before, then folds it in. */
  /** Which item a fresh prompt asks: its longest line that is not one this account keeps sending (its template's). */
  itemOf(f: RequestFeatures): readonly [number, number] | undefined {
    for (const line of f.itemLines) {
      if (line.edge !== 0 && this.wrappers.count(line.edge) >= TEMPLATE_AT) continue;
      if (this.lines.count(line.keys[0]) >= TEMPLATE_AT) continue;
      return line.keys;
    }
    return undefined;
  }

  observe(f: RequestFeatures, harvest: HarvestIntent, sharedItem: boolean, ipHash: number, item: readonly [number, number] | undefined): RequestContext {
    const seedChanged = f.seed !== undefined && this.lastSeed !== undefined && f.seed !== this.lastSeed;
    // The same prompt again under a new seed is a sweep for more samples, not a loop.
    const nearDuplicate = !f.refused && !seedChanged && this.isRepeat(f.item, item);
    const context: RequestContext = {
      harvest,
      sharedItem,
      nearDuplicate,
      templated: !nearDuplicate && this.isTemplated(f),
      stockFollowUp: !f.singleTurn && this.isStockFollowUp(f),
      scriptedFollowUp: !f.singleTurn && !nearDuplicate && this.isScripted(f),
      seedChanged,
    };
    const n = this.tally.requests;
    if (n === 0) this.firstMs = f.ms;
    this.tally.addRequest(f, context);
    this.lastMs = f.ms;
    this.recentVolume.add(f.ms, 1);
    this.ips.add(ipHash);
    const slot = Math.floor(f.ms / HOUR);
    if (slot !== this.lastSlot) {
      this.activeSlots++;
      this.lastSlot = slot;
    }
    // The hour of the day, as getUTCHours gives it, without a Date built per request.
    this.store[HOURS + (((slot % 24) + 24) % 24)]!++;
    if (f.refused || f.embedding) return context;
    if (f.seed !== undefined) this.lastSeed = f.seed;
    if (f.task >= 0) this.store[TASKS + f.task]!++;
    const at = RECENT_PROMPTS + 2 * (n % RECENT);
    this.store[at] = f.item || 1;
    this.store[at + 1] = item ? (item[0] ^ Math.imul(item[1], 0x9e3779b1)) >>> 0 || 1 : 0;
    if (!f.singleTurn) {
      const slotAt = RECENT_FOLLOW_UPS + 2 * (this.tally.followUps % RECENT);
      this.store[slotAt] = f.followUp;
      this.store[slotAt + 1] = f.conversation;
    }
    for (const key of f.wrappers) this.wrappers.add(key);
    for (const line of f.itemLines) this.lines.add(line.keys[0]);
    if (item) {
      this.contents.add(item[0]);
      this.contents.add(item[1]);
    }
    this.noteThread(f);
    return context;
  }

  /** The request just observed was answered after `latencyMs`: its conversation's clock for the next turn. */
  answered(latencyMs: number): void {
    if (this.lastThreadSlot < 0) return;
    this.answeredAt[this.lastThreadSlot] = this.answeredAt[this.lastThreadSlot]! + Math.max(0, latencyMs);
    this.lastThreadSlot = -1;
  }

  private threadSlot(thread: number): number {
    for (let i = 0; i < RECENT; i++) if (this.store[THREADS + i] === thread) return i;
    return -1;
  }

  private isScripted(f: RequestFeatures): boolean {
    const slot = this.threadSlot(f.thread);
    return slot >= 0 && f.ms - this.answeredAt[slot]! < HUMAN_THINK_MS;
  }

  private noteThread(f: RequestFeatures): void {
    let slot = this.threadSlot(f.thread);
    if (slot < 0) {
      slot = this.tally.chats % RECENT;
      this.store[THREADS + slot] = f.thread;
    }
    this.answeredAt[slot] = f.ms;
    this.lastThreadSlot = slot;
  }

  /**
   * The prompt repeats one of the last few: word for word (a loop, a retry), or as the same item
   * lightly edited (a developer tuning a prompt). The item is the line the account does not keep
   * sending, so a template's other items do not count as repeats.
   */
  private isRepeat(prompt: number, item: readonly [number, number] | undefined): boolean {
    for (let i = RECENT_PROMPTS; i < RECENT_PROMPTS + 2 * RECENT; i += 2) {
      if (this.store[i] === prompt) return true;
      // Both keys must agree: items that merely share a stock phrase agree on one now and then.
      if (item && this.store[i + 1] === ((item[0] ^ Math.imul(item[1], 0x9e3779b1)) >>> 0 || 1)) return true;
    }
    return false;
  }

  private isTemplated(f: RequestFeatures): boolean {
    for (const key of f.wrappers) if (this.wrappers.count(key) >= TEMPLATE_AT) return true;
    return false;
  }

  private isStockFollowUp(f: RequestFeatures): boolean {
    for (let i = RECENT_FOLLOW_UPS; i < RECENT_FOLLOW_UPS + 2 * RECENT; i += 2) {
      if (this.store[i] === f.followUp && this.store[i + 1] !== f.conversation) return true;
    }
    return false;
  }

  activeHours(): number {
    let n = 0;
    for (let i = HOURS; i < HOURS + 24; i++) if (this.store[i]! > 0) n++;
    return n;
  }

  /** Share of typed items in the most common task type. */
  dominantTask(): number {
    let top = 0;
    let total = 0;
    for (let i = TASKS; i < TASKS + TASK_TYPES.length; i++) {
      const count = this.store[i]!;
      total += count;
      if (count > top) top = count;
    }
    return total === 0 ? 0 : top / total;
  }

  /** Task types holding at least `share` of the typed items: how much of task space is covered. */
  taskSpread(share: number): number {
    let total = 0;
    for (let i = TASKS; i < TASKS + TASK_TYPES.length; i++) total += this.store[i]!;
    let spread = 0;
    for (let i = TASKS; i < TASKS + TASK_TYPES.length; i++) if (total > 0 && this.store[i]! / total >= share) spread++;
    return spread;
  }

  /** Share of single-turn prompts under the account's most used wrapper. */
  wrapperConcentration(): number {
    const single = this.tally.singleTurn;
    return single === 0 ? 0 : Math.min(1, this.wrappers.top().count / single);
  }

  /** The most used wrapper key, when it is an established template (else 0). */
  template(): number {
    const top = this.wrappers.top();
    return top.count > TEMPLATE_AT ? top.key : 0;
  }
}

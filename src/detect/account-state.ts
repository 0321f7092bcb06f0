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

// Layout of an account's slices of the shared stores: 32-bit words (hashes and bits), 16-bit
// counts, then float64s. The tally's come first: the state is its own tally (see AccountState),
// reading the slices from their start.
/** The clock hours of the day with traffic, one bit each. */
const HOURS = 0;
const WRAPPER_KEYS = HOURS + 1;
const CONTENTS = WRAPPER_KEYS + TopK.keyWords(WRAPPER_SLOTS);
const LINE_KEYS = CONTENTS + DistinctCounter.words(24);
const RECENT_PROMPTS = LINE_KEYS + TopK.keyWords(LINE_SLOTS);
const RECENT_FOLLOW_UPS = RECENT_PROMPTS + 2 * RECENT;
const THREADS = RECENT_FOLLOW_UPS + 2 * RECENT;
/** The recent conversation the last request was in (its slot plus one, 0 for none). */
const LAST_THREAD = THREADS + RECENT;
/** Where PeakViews keeps its peak view, plus one (0 for none); 1 once flagged through its group. */
const PEAK_SLOT = LAST_THREAD + 1;
const VIA_GROUP = PEAK_SLOT + 1;
const WORDS = VIA_GROUP + 1;
/**
 * The counts, in 16 bits each: none grows by more than PER_REQUEST a request, so they fit until
 * the account's NARROW_REQUESTS-th request, when they move to 32 bits of their own (4 bytes each
 * cost some 150 bytes an account, and a gateway's accounts send a few dozen requests each). The
 * tally's counters; per task type its items; the wrappers' and lines' top-k counts; distinct
 * clock hours with traffic.
 */
const TALLY_COUNTS = 0;
const TASKS = TALLY_COUNTS + Tally.COUNTS;
const WRAPPER_COUNTS = TASKS + TASK_TYPES.length;
const LINE_COUNTS = WRAPPER_COUNTS + TopK.countWords(WRAPPER_SLOTS);
const ACTIVE_SLOTS = LINE_COUNTS + TopK.countWords(LINE_SLOTS);
const NARROW_COUNTS = ACTIVE_SLOTS + 1;
/** Adds a request makes at most to any one count (one per wrapper key, per item line, one to a counter, a task, the hours). */
const PER_REQUEST = 6;
const NARROW_REQUESTS = Math.floor(0xffff / PER_REQUEST);
const TALLY_SUMS = 0;
/** Per recent conversation (as in THREADS), when its last answer ended. */
const ANSWERED_AT = TALLY_SUMS + Tally.SUMS;
const FIRST_MS = ANSWERED_AT + RECENT;
const LAST_MS = FIRST_MS + 1;
const RECENT_VOLUME = LAST_MS + 1;
/** The clock hour of the last request; the seed it last set (NaN for none); when the account was created (NaN: unknown). */
const LAST_SLOT = RECENT_VOLUME + DecayedCounter.words;
const LAST_SEED = LAST_SLOT + 1;
const CREATED_MS = LAST_SEED + 1;
/** The account's own calibrated score at its peak, and the raw evidence it rested on then. */
const PEAK = CREATED_MS + 1;
const PEAK_RAW = PEAK + 1;
const FLOATS = PEAK_RAW + 1;
/** Accounts per block of the stores: a block never moves, so a state keeps its slice for good. */
const BLOCK = 64;

/**
 * Where accounts' fixed-size state lives: blocks of typed arrays shared by many accounts. A typed
 * array of its own per account and per sketch cost more in headers and objects than the data
 * held (some 900 bytes an account).
 */
export class StatePool {
  private words = new Uint32Array(0);
  private narrow = new Uint16Array(0);
  private floats = new Float64Array(0);
  private used = BLOCK;

  /** A fresh account's slices: its words from `words[wordAt]`, its 16-bit counts from `narrow[narrowAt]`, its floats from `floats[floatAt]`. */
  take(): { words: Uint32Array; wordAt: number; narrow: Uint16Array; narrowAt: number; floats: Float64Array; floatAt: number } {
    if (this.used === BLOCK) {
      this.words = new Uint32Array(BLOCK * WORDS);
      this.narrow = new Uint16Array(BLOCK * NARROW_COUNTS);
      this.floats = new Float64Array(BLOCK * FLOATS);
      this.used = 0;
    }
    const n = this.used++;
    return { words: this.words, wordAt: n * WORDS, narrow: this.narrow, narrowAt: n * NARROW_COUNTS, floats: this.floats, floatAt: n * FLOATS };
  }
}
/** Faster than this from an answer to the next turn of its conversation, no person read and typed. */
const HUMAN_THINK_MS = 5_000;

/**
 * Everything detection remembers about one account: counters and fixed-size sketches, so the
 * state is the same size after ten requests or ten million. One object an account: the state is
 * the engine's entry for the account and its own tally too (its counters lead its slices), where
 * an entry, a state and a tally object each cost a header and the fields pointing to the next,
 * some 100 bytes an account.
 */
export class AccountState extends Tally {
  flaggedAt: string | null = null;
  /** The account's words start at `base`; its counts (see NARROW_COUNTS) are the tally's slice, its floats the tally's sums' (which lead them). */
  private readonly store: Uint32Array;
  private readonly base: number;

  constructor(
    pool: StatePool,
    readonly id: number,
    readonly account: string,
  ) {
    const { words, wordAt, narrow, narrowAt, floats, floatAt } = pool.take();
    super(narrow, narrowAt + TALLY_COUNTS, floats, floatAt + TALLY_SUMS);
    this.store = words;
    this.base = wordAt;
    floats[floatAt + LAST_SLOT] = -1;
    floats[floatAt + LAST_SEED] = NaN;
    floats[floatAt + CREATED_MS] = NaN;
  }

  /** Its behaviour, and also when it was created and its own peak score: the entry is its state. */
  get state(): AccountState {
    return this;
  }

  /** Its counters, the tally's own slices: the state is its tally. */
  get tally(): Tally {
    return this;
  }

  /** The counts: a slice of the pool's 16-bit store, or 32-bit words of their own past NARROW_REQUESTS (see `widen`). The sketches below are views of the slices. */
  private get sketchCounts(): Uint16Array | Uint32Array {
    return this.counts;
  }

  private get sketchAt(): number {
    return this.at - TALLY_COUNTS;
  }

  private get floats(): Float64Array {
    return this.sums;
  }

  private get floatBase(): number {
    return this.sumAt - TALLY_SUMS;
  }

  /**
   * Where PeakViews keeps the account's behaviour as it stood at its latest peak (-1 before its
   * first request), so the reasons are worded only when asked for, not on every request that
   * holds the peak. A word of the state's, as is `viaGroup`: a field each cost 8 bytes.
   */
  get peakSlot(): number {
    return this.store[this.base + PEAK_SLOT]! - 1;
  }

  set peakSlot(slot: number) {
    this.store[this.base + PEAK_SLOT] = slot + 1;
  }

  /** Flagged through its group rather than on its own traffic alone. */
  get viaGroup(): boolean {
    return this.store[this.base + VIA_GROUP] === 1;
  }

  set viaGroup(via: boolean) {
    this.store[this.base + VIA_GROUP] = via ? 1 : 0;
  }

  /** Distinct clock hours with traffic: how long the account has really been at it. */
  get activeSlots(): number {
    return this.sketchCounts[this.sketchAt + ACTIVE_SLOTS]!;
  }

  get createdMs(): number | undefined {
    const ms = this.floats[this.floatBase + CREATED_MS]!;
    return Number.isNaN(ms) ? undefined : ms;
  }

  set createdMs(ms: number | undefined) {
    this.floats[this.floatBase + CREATED_MS] = ms ?? NaN;
  }

  get peak(): number {
    return this.floats[this.floatBase + PEAK]!;
  }

  set peak(score: number) {
    this.floats[this.floatBase + PEAK] = score;
  }

  get peakRaw(): number {
    return this.floats[this.floatBase + PEAK_RAW]!;
  }

  set peakRaw(raw: number) {
    this.floats[this.floatBase + PEAK_RAW] = raw;
  }

  get firstMs(): number {
    return this.floats[this.floatBase + FIRST_MS]!;
  }

  get lastMs(): number {
    return this.floats[this.floatBase + LAST_MS]!;
  }

  private get wrappers(): TopK {
    return new TopK(this.store, this.base + WRAPPER_KEYS, this.sketchCounts, this.sketchAt + WRAPPER_COUNTS, WRAPPER_SLOTS);
  }

  /** The items the account asked (a KMV sketch of both keys of each): group members' sketches compared show an assignment. */
  get contents(): DistinctCounter {
    return new DistinctCounter(this.store, this.base + CONTENTS, 24);
  }

  /** Item lines this account sent: one it keeps sending is its own template's, not an item. */
  private get lines(): TopK {
    return new TopK(this.store, this.base + LINE_KEYS, this.sketchCounts, this.sketchAt + LINE_COUNTS, LINE_SLOTS);
  }

  /** Requests in (roughly) the trailing day: a decayed count with a 12 h half-life. */
  get recentVolume(): DecayedCounter {
    return new DecayedCounter(this.floats, this.floatBase + RECENT_VOLUME, 12 * HOUR);
  }

  /** Relates a request to what this account sent before, then folds it in. */
  /** Which item a fresh prompt asks: its longest line that is not one this account keeps sending (its template's). */
  itemOf(f: RequestFeatures): readonly [number, number] | undefined {
    const wrappers = this.wrappers;
    const lines = this.lines;
    for (const line of f.itemLines) {
      if (line.edge !== 0 && wrappers.count(line.edge) >= TEMPLATE_AT) continue;
      if (lines.count(line.keys[0]) >= TEMPLATE_AT) continue;
      return line.keys;
    }
    return undefined;
  }

  observe(f: RequestFeatures, harvest: HarvestIntent, sharedItem: boolean, item: readonly [number, number] | undefined): RequestContext {
    if (this.sketchCounts instanceof Uint16Array && (this.tally.requests >= NARROW_REQUESTS || f.wrappers.length > PER_REQUEST || f.itemLines.length > PER_REQUEST)) this.widen();
    const lastSeed = this.floats[this.floatBase + LAST_SEED]!;
    const seedChanged = f.seed !== undefined && !Number.isNaN(lastSeed) && f.seed !== lastSeed;
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
    const floats = this.floats;
    const fb = this.floatBase;
    if (n === 0) floats[fb + FIRST_MS] = f.ms;
    this.tally.addRequest(f, context);
    floats[fb + LAST_MS] = f.ms;
    this.recentVolume.add(f.ms, 1);
    const slot = Math.floor(f.ms / HOUR);
    const store = this.store;
    const base = this.base;
    if (slot !== floats[fb + LAST_SLOT]) {
      this.sketchCounts[this.sketchAt + ACTIVE_SLOTS]!++;
      floats[fb + LAST_SLOT] = slot;
    }
    // The hour of the day, as getUTCHours gives it, without a Date built per request.
    store[base + HOURS] = store[base + HOURS]! | (1 << (((slot % 24) + 24) % 24));
    if (f.refused || f.embedding) return context;
    if (f.seed !== undefined) floats[fb + LAST_SEED] = f.seed;
    if (f.task >= 0) this.sketchCounts[this.sketchAt + TASKS + f.task]!++;
    const at = base + RECENT_PROMPTS + 2 * (n % RECENT);
    store[at] = f.item || 1;
    store[at + 1] = item ? (item[0] ^ Math.imul(item[1], 0x9e3779b1)) >>> 0 || 1 : 0;
    if (!f.singleTurn) {
      const slotAt = base + RECENT_FOLLOW_UPS + 2 * (this.tally.followUps % RECENT);
      store[slotAt] = f.followUp;
      store[slotAt + 1] = f.conversation;
    }
    const wrappers = this.wrappers;
    for (const key of f.wrappers) wrappers.add(key);
    const lines = this.lines;
    for (const line of f.itemLines) lines.add(line.keys[0]);
    if (item) {
      const contents = this.contents;
      contents.add(item[0]);
      contents.add(item[1]);
    }
    this.noteThread(f);
    return context;
  }

  /** Moves the counts to 32 bits of their own before one could pass 16 bits. */
  private widen(): void {
    const wide = new Uint32Array(NARROW_COUNTS);
    for (let k = 0; k < NARROW_COUNTS; k++) wide[k] = this.sketchCounts[this.sketchAt + k]!;
    this.counts = wide;
    this.at = TALLY_COUNTS;
  }

  /** The request just observed was answered after `latencyMs`: its conversation's clock for the next turn. */
  answered(latencyMs: number): void {
    const thread = this.store[this.base + LAST_THREAD]!;
    if (thread === 0) return;
    const at = this.floatBase + ANSWERED_AT + thread - 1;
    this.floats[at] = this.floats[at]! + Math.max(0, latencyMs);
    this.store[this.base + LAST_THREAD] = 0;
  }

  private threadSlot(thread: number): number {
    const at = this.base + THREADS;
    for (let i = 0; i < RECENT; i++) if (this.store[at + i] === thread) return i;
    return -1;
  }

  private isScripted(f: RequestFeatures): boolean {
    const slot = this.threadSlot(f.thread);
    return slot >= 0 && f.ms - this.floats[this.floatBase + ANSWERED_AT + slot]! < HUMAN_THINK_MS;
  }

  private noteThread(f: RequestFeatures): void {
    let slot = this.threadSlot(f.thread);
    if (slot < 0) {
      slot = this.tally.chats % RECENT;
      this.store[this.base + THREADS + slot] = f.thread;
    }
    this.floats[this.floatBase + ANSWERED_AT + slot] = f.ms;
    this.store[this.base + LAST_THREAD] = slot + 1;
  }

  /**
   * The prompt repeats one of the last few: word for word (a loop, a retry), or as the same item
   * lightly edited (a developer tuning a prompt). The item is the line the account does not keep
   * sending, so a template's other items do not count as repeats.
   */
  private isRepeat(prompt: number, item: readonly [number, number] | undefined): boolean {
    const from = this.base + RECENT_PROMPTS;
    for (let i = from; i < from + 2 * RECENT; i += 2) {
      if (this.store[i] === prompt) return true;
      // Both keys must agree: items that merely share a stock phrase agree on one now and then.
      if (item && this.store[i + 1] === ((item[0] ^ Math.imul(item[1], 0x9e3779b1)) >>> 0 || 1)) return true;
    }
    return false;
  }

  private isTemplated(f: RequestFeatures): boolean {
    const wrappers = this.wrappers;
    for (const key of f.wrappers) if (wrappers.count(key) >= TEMPLATE_AT) return true;
    return false;
  }

  private isStockFollowUp(f: RequestFeatures): boolean {
    const from = this.base + RECENT_FOLLOW_UPS;
    for (let i = from; i < from + 2 * RECENT; i += 2) {
      if (this.store[i] === f.followUp && this.store[i + 1] !== f.conversation) return true;
    }
    return false;
  }

  activeHours(): number {
    let n = 0;
    for (let hours = this.store[this.base + HOURS]!; hours !== 0; hours &= hours - 1) n++;
    return n;
  }

  /** Share of typed items in the most common task type. */
  dominantTask(): number {
    let top = 0;
    let total = 0;
    const counts = this.sketchCounts;
    const from = this.sketchAt + TASKS;
    for (let i = from; i < from + TASK_TYPES.length; i++) {
      const count = counts[i]!;
      total += count;
      if (count > top) top = count;
    }
    return total === 0 ? 0 : top / total;
  }

  /** Task types holding at least `share` of the typed items: how much of task space is covered. */
  taskSpread(share: number): number {
    const counts = this.sketchCounts;
    const from = this.sketchAt + TASKS;
    let total = 0;
    for (let i = from; i < from + TASK_TYPES.length; i++) total += counts[i]!;
    let spread = 0;
    for (let i = from; i < from + TASK_TYPES.length; i++) if (total > 0 && counts[i]! / total >= share) spread++;
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

import type { RequestFeatures } from './features.js';
import type { HarvestIntent } from './harvest-score.js';
import { grown } from './columns.js';
import { MsColumn } from './ms-column.js';
import { DecayedCounter, DistinctCounter, TopK } from './sketches.js';
import { Counters, Tally, type RequestContext } from './tally.js';
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
/**
 * The clock hours of the day with traffic, one bit each; above them, the recent conversation the
 * last request was in (its slot plus one, 0 for none) and whether the account was flagged through
 * its group, and whether its peak is live: a word each cost 4 bytes an account.
 */
const HOURS = 0;
const DAY_HOURS = 0xffffff;
const LAST_THREAD_SHIFT = 24;
const LAST_THREAD_BITS = 0xf << LAST_THREAD_SHIFT;
const VIA_GROUP_BIT = 1 << 28;
const LIVE_PEAK_BIT = 1 << 29;
const WRAPPER_KEYS = HOURS + 1;
const CONTENTS = WRAPPER_KEYS + TopK.keyWords(WRAPPER_SLOTS);
const LINE_KEYS = CONTENTS + DistinctCounter.words(24);
const RECENT_PROMPTS = LINE_KEYS + TopK.keyWords(LINE_SLOTS);
const RECENT_FOLLOW_UPS = RECENT_PROMPTS + 2 * RECENT;
const THREADS = RECENT_FOLLOW_UPS + 2 * RECENT;
/**
 * The clock hour of the last request, in 32 bits (0xffffffff before the first, as the hour before
 * 1970 reads): consecutive requests 2^32 hours apart, beyond half a million years, would read as
 * one hour, which a float64 of its own (4 bytes more an account) told apart.
 */
const LAST_SLOT = THREADS + RECENT;
/** Where PeakViews keeps its peak view, plus one (0 for none). */
const PEAK_SLOT = LAST_SLOT + 1;
/** The last request's prompt and completion tokens, while its peak is live (see `livePeak`). */
const LAST_USAGE = PEAK_SLOT + 1;
const WORDS = LAST_USAGE + 2;
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
const FIRST_MS = TALLY_SUMS + Tally.SUMS;
/**
 * The decayed count keeps the time of its last add in its second float, and every request adds
 * to it: that is the last request's time, so it needs no float of its own.
 */
const RECENT_VOLUME = FIRST_MS + 1;
const LAST_MS = RECENT_VOLUME + 1;
/** The seed the account last set (NaN for none); when the account was created (NaN: unknown). */
const LAST_SEED = RECENT_VOLUME + DecayedCounter.words;
const CREATED_MS = LAST_SEED + 1;
/** The account's own calibrated score at its peak, and the raw evidence it rested on then. */
const PEAK = CREATED_MS + 1;
const PEAK_RAW = PEAK + 1;
const FLOATS = PEAK_RAW + 1;
/** Accounts per block of the stores (a power of two): a block never moves, so a state keeps its slice for good. */
const BLOCK_BITS = 6;
const BLOCK = 1 << BLOCK_BITS;
const IN_BLOCK = BLOCK - 1;

/**
 * One block's stores: account `id` of the block has its words from `(id & IN_BLOCK) * WORDS`, its
 * floats likewise, and its counts from `(id & narrowMask) * NARROW_COUNTS`. An account whose
 * counts moved to 32 bits gets a block of its own sharing the words and floats, its counts alone
 * in it (`narrowMask` 0): the widening costs that account alone, and the rest need no field saying
 * whether theirs did.
 */
class Block {
  constructor(
    public words: Uint32Array,
    public narrow: Uint16Array | Uint32Array,
    public floats: Float64Array,
    readonly narrowMask: number,
    /**
     * Per recent conversation of each account (as in THREADS), when its last answer ended: 32-bit
     * offsets from the block's epoch, 32 bytes an account fewer than float64s. A time raised to the
     * epoch is weeks old, and a follow-up is only timed against an answer seconds old.
     */
    readonly answeredAt: MsColumn,
  ) {}

  /** Accounts the stores have room for. */
  get room(): number {
    return this.floats.length / FLOATS;
  }

  /**
   * Room for `accounts` accounts, the slices held moved along: a block grows as its accounts come
   * (states find their slices through the block, so nothing else points into its stores), where
   * one made whole up front left the last block's unused room on every gateway, some 45 kB.
   */
  grow(accounts: number): void {
    this.words = grown(this.words, accounts * WORDS);
    this.narrow = grown(this.narrow, accounts * NARROW_COUNTS);
    this.floats = grown(this.floats, accounts * FLOATS);
    this.answeredAt.grow(accounts * RECENT);
  }
}

/** A new block's room, in accounts: it doubles from there up to BLOCK. */
const FIRST_ROOM = 4;

/**
 * Where accounts' fixed-size state lives: blocks of typed arrays shared by many accounts. A typed
 * array of its own per account and per sketch cost more in headers and objects than the data
 * held (some 900 bytes an account).
 */
export class StatePool {
  private readonly blocks: Block[] = [];

  /** The block holding account `id`'s slices, with room for it (ids are dense: the engine's entries' indexes). */
  blockOf(id: number): Block {
    const n = id >> BLOCK_BITS;
    while (this.blocks.length <= n) this.blocks.push(new Block(new Uint32Array(FIRST_ROOM * WORDS), new Uint16Array(FIRST_ROOM * NARROW_COUNTS), new Float64Array(FIRST_ROOM * FLOATS), IN_BLOCK, new MsColumn(FIRST_ROOM * RECENT)));
    const block = this.blocks[n]!;
    const room = block.room;
    if ((id & IN_BLOCK) >= room) block.grow(Math.min(BLOCK, Math.max(2 * room, (id & IN_BLOCK) + 1)));
    return block;
  }
}

/** Faster than this from an answer to the next turn of its conversation, no person read and typed. */
const HUMAN_THINK_MS = 5_000;

/**
 * Everything detection remembers about one account: counters and fixed-size sketches, so the
 * state is the same size after ten requests or ten million. One object an account: the state is
 * the engine's entry for the account and its own tally too (its counters lead its slices), where
 * an entry, a state and a tally object each cost a header and the fields pointing to the next,
 * some 100 bytes an account. Its slices are found from its id and its block, not kept as fields:
 * each field costs 8 bytes an account.
 */
export class AccountState extends Counters {
  flaggedAt: string | null = null;
  private block: Block;

  constructor(
    pool: StatePool,
    readonly id: number,
    readonly account: string,
  ) {
    super();
    this.block = pool.blockOf(id);
    this.words[this.wordAt + LAST_SLOT] = 0xffffffff;
    const floats = this.sums;
    const fb = this.sumAt;
    floats[fb + LAST_SEED] = NaN;
    floats[fb + CREATED_MS] = NaN;
  }

  /** Its behaviour, and also when it was created and its own peak score: the entry is its state. */
  get state(): AccountState {
    return this;
  }

  /** Its counters, the tally's own slices: the state is its tally. */
  get tally(): Tally {
    return this;
  }

  /** The counts (see NARROW_COUNTS): the tally's, then the sketches'. The sketches below are views of the slices. */
  protected get counts(): Uint16Array | Uint32Array {
    return this.block.narrow;
  }

  protected get at(): number {
    return (this.id & this.block.narrowMask) * NARROW_COUNTS;
  }

  /** The floats: the tally's sums, then the state's own. */
  protected get sums(): Float64Array {
    return this.block.floats;
  }

  protected get sumAt(): number {
    return (this.id & IN_BLOCK) * FLOATS;
  }

  private get words(): Uint32Array {
    return this.block.words;
  }

  private get wordAt(): number {
    return (this.id & IN_BLOCK) * WORDS;
  }

  /**
   * Where PeakViews keeps the account's behaviour as it stood at its latest peak (-1 before its
   * first request), so the reasons are worded only when asked for, not on every request that
   * holds the peak. A word of the state's, as is `viaGroup` a bit: a field each cost 8 bytes.
   */
  get peakSlot(): number {
    return this.words[this.wordAt + PEAK_SLOT]! - 1;
  }

  set peakSlot(slot: number) {
    this.words[this.wordAt + PEAK_SLOT] = slot + 1;
  }

  /** Flagged through its group rather than on its own traffic alone. */
  get viaGroup(): boolean {
    return (this.words[this.wordAt + HOURS]! & VIA_GROUP_BIT) !== 0;
  }

  set viaGroup(via: boolean) {
    const at = this.wordAt + HOURS;
    this.words[at] = via ? this.words[at]! | VIA_GROUP_BIT : this.words[at]! & ~VIA_GROUP_BIT;
  }

  /**
   * The account's peak is its last request, scored 0 and read without its group's light: its peak
   * view is its state as it stands but for that request's usage (see `lastUsage`), so it needs no
   * snapshot. Most accounts never score above 0, and a snapshot each cost some 180 bytes.
   */
  get livePeak(): boolean {
    return (this.words[this.wordAt + HOURS]! & LIVE_PEAK_BIT) !== 0;
  }

  /** A peak made live is the request just decided on, before its usage is known. */
  set livePeak(live: boolean) {
    const words = this.words;
    const at = this.wordAt;
    words[at + HOURS] = live ? words[at + HOURS]! | LIVE_PEAK_BIT : words[at + HOURS]! & ~LIVE_PEAK_BIT;
    if (!live) return;
    words[at + LAST_USAGE] = 0;
    words[at + LAST_USAGE + 1] = 0;
  }

  /**
   * Adds a request's usage to the tally, remembering it while the peak is live; false, adding
   * nothing, when taking it off again would not be exact (a count not a whole number in 32 bits,
   * a sum past 2^53): the peak must then be snapshotted first.
   */
  addLiveUsage(promptTokens: number, completionTokens: number): boolean {
    const prompt = this.promptTokens;
    const completion = this.completionTokens;
    if (!(wholeWord(promptTokens) && wholeWord(completionTokens) && Number.isSafeInteger(prompt + promptTokens) && Number.isSafeInteger(completion + completionTokens) && Number.isSafeInteger(prompt) && Number.isSafeInteger(completion))) return false;
    const at = this.wordAt + LAST_USAGE;
    this.words[at] = promptTokens;
    this.words[at + 1] = completionTokens;
    this.addUsage(promptTokens, completionTokens);
    return true;
  }

  /** The tally as it stood before the last request's usage was added, while the peak is live. */
  tallyBeforeUsage(): Tally {
    const t = new Tally();
    t.merge(this);
    const at = this.wordAt + LAST_USAGE;
    t.addUsage(-this.words[at]!, -this.words[at + 1]!);
    return t;
  }

  /** Distinct clock hours with traffic: how long the account has really been at it. */
  get activeSlots(): number {
    return this.counts[this.at + ACTIVE_SLOTS]!;
  }

  get createdMs(): number | undefined {
    const ms = this.sums[this.sumAt + CREATED_MS]!;
    return Number.isNaN(ms) ? undefined : ms;
  }

  set createdMs(ms: number | undefined) {
    this.sums[this.sumAt + CREATED_MS] = ms ?? NaN;
  }

  get peak(): number {
    return this.sums[this.sumAt + PEAK]!;
  }

  set peak(score: number) {
    this.sums[this.sumAt + PEAK] = score;
  }

  get peakRaw(): number {
    return this.sums[this.sumAt + PEAK_RAW]!;
  }

  set peakRaw(raw: number) {
    this.sums[this.sumAt + PEAK_RAW] = raw;
  }

  get firstMs(): number {
    return this.sums[this.sumAt + FIRST_MS]!;
  }

  get lastMs(): number {
    return this.sums[this.sumAt + LAST_MS]!;
  }

  private get wrappers(): TopK {
    return new TopK(this.words, this.wordAt + WRAPPER_KEYS, this.counts, this.at + WRAPPER_COUNTS, WRAPPER_SLOTS);
  }

  /** The items the account asked (a KMV sketch of both keys of each): group members' sketches compared show an assignment. */
  get contents(): DistinctCounter {
    return new DistinctCounter(this.words, this.wordAt + CONTENTS, 24);
  }

  /** Item lines this account sent: one it keeps sending is its own template's, not an item. */
  private get lines(): TopK {
    return new TopK(this.words, this.wordAt + LINE_KEYS, this.counts, this.at + LINE_COUNTS, LINE_SLOTS);
  }

  /** Requests in (roughly) the trailing day: a decayed count with a 12 h half-life. */
  get recentVolume(): DecayedCounter {
    return new DecayedCounter(this.sums, this.sumAt + RECENT_VOLUME, 12 * HOUR);
  }

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

  /** Relates a request to what this account sent before, then folds it in. */
  observe(f: RequestFeatures, harvest: HarvestIntent, sharedItem: boolean, item: readonly [number, number] | undefined): RequestContext {
    if (this.block.narrowMask !== 0 && (this.requests >= NARROW_REQUESTS || f.wrappers.length > PER_REQUEST || f.itemLines.length > PER_REQUEST)) this.widen();
    const floats = this.sums;
    const fb = this.sumAt;
    const lastSeed = floats[fb + LAST_SEED]!;
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
    const n = this.requests;
    if (n === 0) floats[fb + FIRST_MS] = f.ms;
    this.addRequest(f, context);
    // Sets LAST_MS too (see RECENT_VOLUME).
    this.recentVolume.add(f.ms, 1);
    const slot = Math.floor(f.ms / HOUR);
    const store = this.words;
    const base = this.wordAt;
    const counts = this.counts;
    const at = this.at;
    if (slot >>> 0 !== store[base + LAST_SLOT]) {
      counts[at + ACTIVE_SLOTS]!++;
      store[base + LAST_SLOT] = slot;
    }
    // The hour of the day, as getUTCHours gives it, without a Date built per request.
    store[base + HOURS] = store[base + HOURS]! | (1 << (((slot % 24) + 24) % 24));
    if (f.refused || f.embedding) return context;
    if (f.seed !== undefined) floats[fb + LAST_SEED] = f.seed;
    if (f.task >= 0) counts[at + TASKS + f.task]!++;
    const prompt = base + RECENT_PROMPTS + 2 * (n % RECENT);
    store[prompt] = f.item || 1;
    store[prompt + 1] = item ? (item[0] ^ Math.imul(item[1], 0x9e3779b1)) >>> 0 || 1 : 0;
    if (!f.singleTurn) {
      const slotAt = base + RECENT_FOLLOW_UPS + 2 * (this.followUps % RECENT);
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

  /** Moves the counts to 32 bits of their own (a block of their own, see Block) before one could pass 16 bits. */
  private widen(): void {
    // The stores shared with the block must never move again: its own block keeps them.
    if (this.block.room < BLOCK) this.block.grow(BLOCK);
    const wide = new Uint32Array(NARROW_COUNTS);
    const counts = this.counts;
    const at = this.at;
    for (let k = 0; k < NARROW_COUNTS; k++) wide[k] = counts[at + k]!;
    this.block = new Block(this.block.words, wide, this.block.floats, 0, this.block.answeredAt);
  }

  /** The request just observed was answered after `latencyMs`: its conversation's clock for the next turn. */
  answered(latencyMs: number): void {
    const store = this.words;
    const base = this.wordAt;
    const hours = store[base + HOURS]!;
    const thread = (hours & LAST_THREAD_BITS) >>> LAST_THREAD_SHIFT;
    if (thread === 0) return;
    const answeredAt = this.block.answeredAt;
    const at = this.threadAt + thread - 1;
    answeredAt.put(at, answeredAt.at(at) + Math.max(0, latencyMs));
    store[base + HOURS] = hours & ~LAST_THREAD_BITS;
  }

  /** Where the account's recent conversations' answer times start in its block's column. */
  private get threadAt(): number {
    return (this.id & IN_BLOCK) * RECENT;
  }

  private threadSlot(thread: number): number {
    const store = this.words;
    const at = this.wordAt + THREADS;
    for (let i = 0; i < RECENT; i++) if (store[at + i] === thread) return i;
    return -1;
  }

  private isScripted(f: RequestFeatures): boolean {
    const slot = this.threadSlot(f.thread);
    return slot >= 0 && f.ms - this.block.answeredAt.at(this.threadAt + slot) < HUMAN_THINK_MS;
  }

  private noteThread(f: RequestFeatures): void {
    const store = this.words;
    const base = this.wordAt;
    let slot = this.threadSlot(f.thread);
    if (slot < 0) {
      slot = this.chats % RECENT;
      store[base + THREADS + slot] = f.thread;
    }
    this.block.answeredAt.put(this.threadAt + slot, f.ms);
    store[base + HOURS] = (store[base + HOURS]! & ~LAST_THREAD_BITS) | ((slot + 1) << LAST_THREAD_SHIFT);
  }

  /**
   * The prompt repeats one of the last few: word for word (a loop, a retry), or as the same item
   * lightly edited (a developer tuning a prompt). The item is the line the account does not keep
   * sending, so a template's other items do not count as repeats.
   */
  private isRepeat(prompt: number, item: readonly [number, number] | undefined): boolean {
    const store = this.words;
    const from = this.wordAt + RECENT_PROMPTS;
    for (let i = from; i < from + 2 * RECENT; i += 2) {
      if (store[i] === prompt) return true;
      // Both keys must agree: items that merely share a stock phrase agree on one now and then.
      if (item && store[i + 1] === ((item[0] ^ Math.imul(item[1], 0x9e3779b1)) >>> 0 || 1)) return true;
    }
    return false;
  }

  private isTemplated(f: RequestFeatures): boolean {
    const wrappers = this.wrappers;
    for (const key of f.wrappers) if (wrappers.count(key) >= TEMPLATE_AT) return true;
    return false;
  }

  private isStockFollowUp(f: RequestFeatures): boolean {
    const store = this.words;
    const from = this.wordAt + RECENT_FOLLOW_UPS;
    for (let i = from; i < from + 2 * RECENT; i += 2) {
      if (store[i] === f.followUp && store[i + 1] !== f.conversation) return true;
    }
    return false;
  }

  activeHours(): number {
    let n = 0;
    for (let hours = this.words[this.wordAt + HOURS]! & DAY_HOURS; hours !== 0; hours &= hours - 1) n++;
    return n;
  }

  /** Share of typed items in the most common task type. */
  dominantTask(): number {
    let top = 0;
    let total = 0;
    const counts = this.counts;
    const from = this.at + TASKS;
    for (let i = from; i < from + TASK_TYPES.length; i++) {
      const count = counts[i]!;
      total += count;
      if (count > top) top = count;
    }
    return total === 0 ? 0 : top / total;
  }

  /** Task types holding at least `share` of the typed items: how much of task space is covered. */
  taskSpread(share: number): number {
    const counts = this.counts;
    const from = this.at + TASKS;
    let total = 0;
    for (let i = from; i < from + TASK_TYPES.length; i++) total += counts[i]!;
    let spread = 0;
    for (let i = from; i < from + TASK_TYPES.length; i++) if (total > 0 && counts[i]! / total >= share) spread++;
    return spread;
  }

  /** Share of single-turn prompts under the account's most used wrapper. */
  wrapperConcentration(): number {
    const single = this.singleTurn;
    return single === 0 ? 0 : Math.min(1, this.wrappers.top().count / single);
  }

  /** The most used wrapper key, when it is an established template (else 0). */
  template(): number {
    const top = this.wrappers.top();
    return top.count > TEMPLATE_AT ? top.key : 0;
  }
}

function wholeWord(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
}

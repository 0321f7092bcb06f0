import type { AccountRecord } from '../traffic/types.js';
import { fnv1a, mix32, stringHash2 } from './hash.js';
import { CandidateLists } from './candidate-lists.js';
import { HolderLists } from './holder-lists.js';
import { grown } from './columns.js';
import { END, PairTable } from './pair-table.js';
import { SingleHolders } from './single-holders.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What two linked accounts share. */
export type LinkKind = 'card' | 'email-family' | 'email-domain' | 'signup-subnet' | 'ip' | 'subnet' | 'user-agent' | 'wrapper' | 'system-prompt';

interface KindSpec {
  /** Weight of a value shared by two accounts only. */
  base: number;
  /** Traffic links fade with this half-life after the later of the two accounts last showed the value. */
  halfLifeMs: number;
  /** ... and are gone after this. Sign-up attributes never fade. */
  ttlMs: number;
  /** How a value reads to an analyst. */
  label: (value: string) => string;
}

export const LINK_KINDS: Readonly<Record<LinkKind, KindSpec>> = {
  card: { base: 0.9, halfLifeMs: Infinity, ttlMs: Infinity, label: (v) => `payment card ${v}` },
  'email-family': { base: 0.6, halfLifeMs: Infinity, ttlMs: Infinity, label: (v) => `email domains of the pattern ${v}` },
  'email-domain': { base: 0.45, halfLifeMs: Infinity, ttlMs: Infinity, label: (v) => `email domain ${v}` },
  'signup-subnet': { base: 0.35, halfLifeMs: Infinity, ttlMs: Infinity, label: (v) => `signed up from ${v}.0/24` },
  ip: { base: 0.6, halfLifeMs: 14 * DAY, ttlMs: 30 * DAY, label: (v) => `requests from IP ${v}` },
  subnet: { base: 0.25, halfLifeMs: 2 * DAY, ttlMs: 7 * DAY, label: (v) => `requests from ${v}.0/24` },
  'user-agent': { base: 0.15, halfLifeMs: 3 * DAY, ttlMs: 14 * DAY, label: (v) => `user agent “${v}”` },
  wrapper: { base: 0.35, halfLifeMs: 2 * DAY, ttlMs: 10 * DAY, label: (v) => `prompt template #${v}` },
  'system-prompt': { base: 0.35, halfLifeMs: 2 * DAY, ttlMs: 10 * DAY, label: (v) => `system prompt #${v}` },
};

/** The kinds by number, for values kept by hash alone (see single-holders.ts), and each one's hash seeds. */
const KINDS = Object.keys(LINK_KINDS) as LinkKind[];
const SEED_A = KINDS.map((_, k) => mix32(k + 1, 0x9e3779b9));
const SEED_B = KINDS.map((_, k) => mix32(k + 1, 0x85ebca6b));
/** Each kind's spec by number: a touch weighs a value by its kind's, and a lookup by name cost more. */
const SPEC_OF_KIND = KINDS.map((kind) => LINK_KINDS[kind]);
/** Each kind's ttl by number: a weighing reads one per value, and a lookup by the kind's name was most of a sweep's time. */
const TTL_OF_KIND = Float64Array.from(KINDS, (kind) => LINK_KINDS[kind].ttlMs);
const HALF_LIFE_OF_KIND = Float64Array.from(KINDS, (kind) => LINK_KINDS[kind].halfLifeMs);
/** Whether a kind's holders' times are ever read: a sign-up attribute's never fades, so no weighing reads its time. */
const TIMED = KINDS.map((kind) => LINK_KINDS[kind].halfLifeMs !== Infinity);

/**
 * A value shared by more accounts than this is common property (a webmail domain, a cloud NAT,
 * a popular SDK): it stops linking anyone, and its existing links fade to nothing.
 */
export const SHARE_CAP = 64;

/** How much a value shared by `holders` accounts says about any two of them: rare is strong. */
export function rarity(holders: number): number {
  if (holders <= 2) return 1;
  if (holders >= SHARE_CAP) return 0;
  return RARITY[holders]!;
}

const RARITY = Array.from({ length: SHARE_CAP }, (_, holders) => (holders <= 2 ? 1 : 1 - Math.log(holders / 2) / Math.log(SHARE_CAP / 2)));

/**
 * Bounds on a traffic value's decay `Math.pow(0.5, age / halfLife)`, for ages in steps of
 * 1/DECAY_STEPS of a half-life up to the longest ttl: DECAY_MOST[k] is at least the decay of any
 * age in step k, DECAY_LEAST[k] at most (the step's ends, widened by far more than pow's error).
 */
const DECAY_STEPS = 256;
const DECAY_SLACK = 2 ** -30;
const LONGEST_DECAY = Math.max(...Object.values(LINK_KINDS).map((spec) => (spec.halfLifeMs === Infinity ? 0 : spec.ttlMs / spec.halfLifeMs)));
const DECAY_MOST = Float64Array.from({ length: Math.ceil(LONGEST_DECAY * DECAY_STEPS) + 2 }, (_, k) => Math.pow(0.5, k / DECAY_STEPS) * (1 + DECAY_SLACK));
const DECAY_LEAST = Float64Array.from({ length: DECAY_MOST.length }, (_, k) => Math.pow(0.5, (k + 1) / DECAY_STEPS) * (1 - DECAY_SLACK));

/** What a link between two accounts rests on: which value, shared by how many, how fresh. */
export interface LinkEvidence {
  kind: LinkKind;
  value: string;
  label: string;
  holders: number;
  weight: number;
  /** When the later of the two accounts last showed it (null for sign-up attributes). */
  lastSeenMs: number | null;
}

/** A link at least this strong holds two accounts together (one card, or an IP plus a template). */
export const EDGE_MIN = 0.3;

/** Neighbours kept per account: a hub's long tail adds nothing a community method could use. */
const MAX_NEIGHBOURS = 64;

/** The /24 of an IPv4 address (or the first three groups of an IPv6 one). */
export function subnetOf(ip: string | null | undefined): string | undefined {
  if (!ip) return undefined;
  if (ip.includes(':')) return ip.split(':').slice(0, 3).join(':');
  const cut = ip.lastIndexOf('.');
  return cut > 0 ? ip.slice(0, cut) : undefined;
}

/** A generated-looking domain's family: digits masked, or the parent of a throwaway subdomain. */
export function emailFamily(domain: string): string | undefined {
  const lower = domain.toLowerCase();
  const masked = lower.replace(/\d+/g, '#');
  if (masked !== lower) return masked;
  const labels = lower.split('.');
  // a1.sendbyte.site, b7.sendbyte.site: one registrant's sub-domains (academic sub-domains are real units).
  if (labels.length >= 3 && !/\.(?:edu|ac\.[a-z]{2}|edu\.[a-z]{2})$/.test(lower) && labels[0]!.length <= 3) return `*.${labels.slice(1).join('.')}`;
  return undefined;
}

/**
 * The bounded link store: shared values with their holders, and per pair of accounts the values
 * they share. A link's weight is computed when it is read, from how many accounts share the value
 * now and how long ago it was last shown, so links weaken as a value turns out to be common and
 * fade when the traffic behind them stops.
 */
export class LinkStore {
  /**
   * Values at least two accounts showed, by id, as columns: each one's text here, its kind in
   * `kindOf`, its holders in `listAt` and `heldOf` (none once common), and how many accounts
   * ever showed it in `countOf` (it keeps counting past the cap, each touch of a common value
   * once, so a float64). An object each was some 60 bytes a value. Those of one account alone
   * are in `single`.
   */
  private readonly texts: string[] = [];
  /** At most SHARE_CAP, so a byte. */
  private heldOf = new Uint8Array(1024);
  private countOf = new Float64Array(1024);
  /** By kind number: a kind's own table keeps no kind per value. */
  private readonly single = KINDS.map(() => new SingleHolders());
  private readonly lists = new HolderLists();
  /**
   * Per shared value, what it weighs without decay (its kind's base times its rarity), kept as
   * its holder count changes: a regrouping bounds every candidate pair from these, and reading
   * them from one array spares a walk through each value's object and kind.
   */
  private strengths = new Float64Array(1024);
  /**
   * Per shared value, its kind's number and where its holders' list starts: a regrouping's bounds
   * read them for every value of every candidate pair, and an object per value, scattered over
   * the heap, was a cache miss each time.
   */
  private kindOf = new Uint8Array(1024);
  private listAt = new Int32Array(1024);
  /** What each account showed last of each traffic kind (see RecentValues). */
  private readonly recent = new RecentValues();
  /** Per kind, each shared value's id: keyed by the value itself, so a touch builds no key string. */
  private readonly valueIds = new Map<LinkKind, Map<string, number>>(Object.keys(LINK_KINDS).map((kind) => [kind as LinkKind, new Map()]));
  /** Two accounts that share at least one value, what they share, and per account the pairs it is in. */
  private readonly pairs = new PairTable();
  /** Per account, its pairs that may still reach EDGE_MIN (see CandidateLists). */
  private readonly candidates = new CandidateLists();
  /**
   * Pairs' weights computed at `weighedAt`, by pair: a regrouping weighs most pairs from both
   * ends, and a full list's weakest link is looked for on each new one. Time does not go back, so
   * only the current instant's are worth keeping (a column of weights and times per pair cost 16
   * bytes a pair).
   */
  private weighedAt = -Infinity;
  private readonly weights = new WeightCache();
  /**
   * Pairs a regrouping at `unweighedAt` told from their bounds alone (see `reaches`), so not in
   * `weights`. Were a value touched at that same instant, a later weighing then would read the
   * weight as it stood at the regrouping from `weights`, so they are weighed before the touch.
   */
  private unweighed = new Int32Array(1024);
  private unweighedCount = 0;
  private unweighedAt = -Infinity;
  /** Accounts that gained a link since the last `takeDirty`. */
  private dirty = new Set<number>();

  /** Sign-up and billing attributes: they link for good. */
  addAccount(id: number, record: AccountRecord, ms: number): void {
    this.touch(id, 'card', record.payment_fingerprint ?? undefined, ms);
    const domain = record.email_domain?.toLowerCase();
    if (domain) {
      const family = emailFamily(domain);
      if (family) this.touch(id, 'email-family', family, ms);
      else this.touch(id, 'email-domain', domain, ms);
    }
    this.touch(id, 'signup-subnet', subnetOf(record.signup_ip), ms);
  }

  /** Records that `id` showed `value` at `ms`, linking it to the value's other live holders. */
  touch(id: number, kind: LinkKind, value: string | undefined, ms: number): void {
    if (value === undefined || value === '') return;
    if (this.unweighedCount > 0) this.weighUnweighed(ms);
    const k = KINDS.indexOf(kind);
    const at = this.recent.slot(id, k);
    const held = at < 0 ? NOT_HELD : this.recent.heldAt(at);
    if (held >= 0 && this.texts[held] === value) {
      // The value it showed last time, found again without a lookup by its text.
      const seat = this.recent.seat[at]!;
      const start = this.listAt[held]!;
      if (seat >= 0 && seat < this.heldOf[held]! && this.lists.ids[start + seat] === id) {
        this.lists.seen.put(start + seat, ms);
        return;
      }
      // Common property by now: a touch only counts.
      if (this.countOf[held]! > SHARE_CAP) {
        // Past the cap a value weighs nothing whatever its count: its strength stays 0.
        this.countOf[held]++;
        return;
      }
    }
    let hashA = 0;
    let hashB = 0;
    // Held by this account alone last time: still so if the table still holds it as its.
    if (held === HELD_ALONE) {
      hashA = fnv1a(value, SEED_A[k]!);
      hashB = stringHash2(value, SEED_B[k]!);
      const single = this.single[k]!;
      const slot = single.find(hashA, hashB);
      if (slot >= 0 && single.holderAt(slot) === id) {
        single.see(slot, ms);
        return;
      }
    }
    const valueId = this.valueIds.get(kind)!.get(value);
    if (valueId === undefined) {
      if (held !== HELD_ALONE) {
        hashA = fnv1a(value, SEED_A[k]!);
        hashB = stringHash2(value, SEED_B[k]!);
      }
      this.touchSingle(id, k, value, hashA, hashB, ms, at);
      return;
    }
    const others = this.heldOf[valueId]!;
    const seat = this.lists.seatOf(this.listAt[valueId]!, others, id);
    if (seat >= 0) {
      this.lists.see(this.listAt[valueId]! + seat, ms, TIMED[k]!);
      this.recent.remember(at, valueId, seat);
      return;
    }
    const count = ++this.countOf[valueId]!;
    const spec = SPEC_OF_KIND[k]!;
    this.strengths[valueId] = spec.base * rarity(count);
    if (count > SHARE_CAP) {
      if (others > 0) {
        this.lists.release(this.listAt[valueId]!, others);
        this.heldOf[valueId] = 0;
      }
      this.recent.remember(at, valueId, -1);
      return;
    }
    const ttl = spec.ttlMs;
    const start = this.lists.push(this.listAt[valueId]!, others, id, ms, TIMED[k]!);
    this.listAt[valueId] = start;
    this.heldOf[valueId] = others + 1;
    this.recent.remember(at, valueId, others);
    for (let i = 0; i < others; i++) {
      if (ms - this.lists.seen.at(start + i) <= ttl) this.link(id, others, this.lists.ids[start + i]!, i, valueId, ms);
    }
  }

  /** A value no other account has shown: held by hash until a second one does, then shared. */
  private touchSingle(id: number, k: number, value: string, hashA: number, hashB: number, ms: number, at: number): void {
    const single = this.single[k]!;
    const slot = single.find(hashA, hashB);
    if (slot < 0) {
      single.add(hashA, hashB, id, ms);
      this.recent.remember(at, HELD_ALONE, 0);
      return;
    }
    const holder = single.holderAt(slot);
    if (holder === id) {
      single.see(slot, ms);
      this.recent.remember(at, HELD_ALONE, 0);
      return;
    }
    const seen = single.seenAt(slot);
    single.remove(slot);
    const kind = KINDS[k]!;
    const spec = SPEC_OF_KIND[k]!;
    const valueId = this.texts.length;
    this.texts.push(value);
    if (valueId === this.strengths.length) this.growValues();
    this.strengths[valueId] = spec.base * rarity(2);
    this.kindOf[valueId] = k;
    this.listAt[valueId] = this.lists.pair(holder, seen, id, ms, TIMED[k]!);
    this.heldOf[valueId] = 2;
    this.countOf[valueId] = 2;
    this.valueIds.get(kind)!.set(value, valueId);
    this.recent.remember(at, valueId, 1);
    if (ms - seen <= spec.ttlMs) this.link(id, 1, holder, 0, valueId, ms);
  }

  /** Doubles the shared values' columns. */
  private growValues(): void {
    const size = 2 * this.strengths.length;
    this.strengths = grown(this.strengths, size);
    this.kindOf = grown(this.kindOf, size);
    this.listAt = grown(this.listAt, size);
    this.heldOf = grown(this.heldOf, size);
    this.countOf = grown(this.countOf, size);
  }

  /** Links `a` and `b`, seated at `seatA` and `seatB` among the value's holders. */
  private link(a: number, seatA: number, b: number, seatB: number, valueId: number, ms: number): void {
    const pairs = this.pairs;
    let pair = this.find(a, b);
    if (pair === undefined) {
      const fresh = this.valueWeight(valueId, seatA, seatB, ms);
      if (!this.room(a, fresh, ms) || !this.room(b, fresh, ms)) return;
      pair = pairs.create(a, b);
      this.weights.delete(pair);
    }
    if (!pairs.has(pair, valueId)) {
      if (pairs.a[pair] === a) pairs.add(pair, valueId, seatA, seatB);
      else pairs.add(pair, valueId, seatB, seatA);
      this.weights.delete(pair);
      pairs.reachable[pair] = 1;
      this.candidates.drop(a);
      this.candidates.drop(b);
    }
    this.dirty.add(a);
    this.dirty.add(b);
  }

  private find(a: number, b: number): number | undefined {
    const pairs = this.pairs;
    for (let pair = pairs.firstOf(a); pair !== END; pair = pairs.nextOf(pair, a)) if (pairs.a[pair] === b || pairs.b[pair] === b) return pair;
    return undefined;
  }

  /**
   * Whether `id` can take a neighbour linked this strongly: a full list gives up its weakest link
   * (often one a common value has faded to nothing) for a stronger one.
   */
  private room(id: number, weight: number, ms: number): boolean {
    const pairs = this.pairs;
    if (pairs.countOf(id) < MAX_NEIGHBOURS) return true;
    let weakest: number | undefined;
    let least = Infinity;
    for (let pair = pairs.firstOf(id); pair !== END; pair = pairs.nextOf(pair, id)) {
      const w = this.weight(pair, ms);
      if (w >= least) continue;
      weakest = pair;
      least = w;
      // Nothing weighs less than nothing: the first such link is the weakest, and half the time
      // a hub's full list holds one early on.
      if (w <= 0) break;
    }
    if (weakest === undefined || least >= weight) return false;
    this.candidates.drop(pairs.a[weakest]!);
    this.candidates.drop(pairs.b[weakest]!);
    pairs.remove(weakest);
    return true;
  }

  /** The pairs `id` is in, in link order (`other` gives the other account). */
  pairsOf(id: number): number[] {
    const pairs = this.pairs;
    const out: number[] = [];
    for (let pair = pairs.firstOf(id); pair !== END; pair = pairs.nextOf(pair, id)) out.push(pair);
    return out;
  }

  /** The account paired with `id` in `pair`. */
  other(pair: number, id: number): number {
    return this.pairs.other(pair, id);
  }

  /**
   * The accounts linked to `id` at least EDGE_MIN strongly at `ms`, in link order. A pair's bound
   * only falls until another value joins it, so one that fell below it cannot hold a group and
   * leaves the account's list of candidates.
   */
  strongNeighbours(id: number, ms: number): number[] {
    const pairs = this.pairs;
    const lists = this.candidates;
    let at = lists.startOf(id);
    if (at < 0) at = lists.keep(id, this.pairsOf(id).filter((pair) => pairs.reachable[pair] === 1));
    const length = lists.lengthOf(id);
    const out: number[] = [];
    let kept = 0;
    for (let i = 0; i < length; i++) {
      const pair = lists.pairs[at + i]!;
      if (this.reaches(pair, ms)) out.push(pairs.other(pair, id));
      if (pairs.reachable[pair] === 1) lists.pairs[at + kept++] = pair;
    }
    lists.shorten(id, kept);
    return out;
  }

  /** A pair's combined weight at `ms`: independent shared values combine as a noisy-or. */
  weight(pair: number, ms: number): number {
    const pairs = this.pairs;
    if (ms !== this.weighedAt) {
      this.weights.clear();
      this.weighedAt = ms;
    }
    const known = this.weights.get(pair);
    if (!Number.isNaN(known)) return known;
    let missing = 1;
    for (let e = pairs.first(pair), end = pairs.end(pair); e < end; e++) missing *= 1 - this.valueWeight(pairs.valueOf[e]!, pairs.seatA[e]!, pairs.seatB[e]!, ms);
    this.weights.set(pair, 1 - missing);
    return 1 - missing;
  }

  /**
   * Whether the pair's weight at `ms` reaches `min`. Most pairs rest on values too common or too
   * weak ever to reach it, fresh or not: a bound without decay (never below the weight, in
   * floating point too, since every factor only shrinks) settles those without weighing them.
   */
  private reaches(pair: number, ms: number): boolean {
    const pairs = this.pairs;
    if (ms === this.weighedAt) {
      const known = this.weights.get(pair);
      if (!Number.isNaN(known)) return known >= EDGE_MIN;
    }
    if (pairs.reachable[pair] === 0) return false;
    // With the bound without decay, the weight's bounds from the decay table (see DECAY_STEPS): most
    // pairs are well clear of EDGE_MIN either way, and only those too close to tell are weighed
    // exactly (each traffic value a Math.pow, most of a regrouping's weighing). Every factor only
    // grows with its value's weight, in floating point too, so the bounds hold as computed.
    let missing = 1;
    let missingLeast = 1;
    let missingMost = 1;
    // Times read as offsets from their base: the later of two is the later offset.
    const seen = this.lists.seen.offsets;
    const base = this.lists.seen.base;
    for (let e = pairs.first(pair), end = pairs.end(pair); e < end; e++) {
      const value = pairs.valueOf[e]!;
      const strength = this.strengths[value]!;
      missing *= 1 - strength;
      const kind = this.kindOf[value]!;
      const halfLife = HALF_LIFE_OF_KIND[kind]!;
      if (strength <= 0 || halfLife === Infinity) {
        missingLeast *= 1 - strength;
        missingMost *= 1 - strength;
        continue;
      }
      const at = this.listAt[value]!;
      const age = Math.max(0, ms - (base + Math.max(seen[at + pairs.seatA[e]!]!, seen[at + pairs.seatB[e]!]!)));
      if (age > TTL_OF_KIND[kind]!) continue;
      const step = Math.floor((age / halfLife) * DECAY_STEPS);
      missingLeast *= 1 - strength * DECAY_MOST[step]!;
      missingMost *= 1 - strength * DECAY_LEAST[step]!;
    }
    if (1 - missing < EDGE_MIN) {
      pairs.reachable[pair] = 0;
      return false;
    }
    if (1 - missingMost >= EDGE_MIN) {
      this.leaveUnweighed(pair, ms);
      return true;
    }
    if (1 - missingLeast < EDGE_MIN) {
      this.leaveUnweighed(pair, ms);
      return false;
    }
    return this.weight(pair, ms) >= EDGE_MIN;
  }

  /** Keeps a pair `reaches` told from its bounds at `ms` without weighing it. */
  private leaveUnweighed(pair: number, ms: number): void {
    if (ms !== this.unweighedAt) {
      this.unweighedCount = 0;
      this.unweighedAt = ms;
    }
    if (this.unweighedCount === this.unweighed.length) {
      const bigger = new Int32Array(2 * this.unweighed.length);
      bigger.set(this.unweighed);
      this.unweighed = bigger;
    }
    this.unweighed[this.unweighedCount++] = pair;
  }

  /** Before a touch at `ms`: the pairs left unweighed at that instant are weighed as they stand (none changed since). */
  private weighUnweighed(ms: number): void {
    if (ms === this.unweighedAt) for (let i = 0; i < this.unweighedCount; i++) this.weight(this.unweighed[i]!, ms);
    this.unweighedCount = 0;
  }

  /** Everything a pair's link rests on, strongest first. */
  evidence(pair: number, ms: number): LinkEvidence[] {
    const pairs = this.pairs;
    const out: LinkEvidence[] = [];
    for (let e = pairs.first(pair), end = pairs.end(pair); e < end; e++) {
      const valueId = pairs.valueOf[e]!;
      const k = this.kindOf[valueId]!;
      const kind = KINDS[k]!;
      const spec = SPEC_OF_KIND[k]!;
      const seatA = pairs.seatA[e]!;
      const seatB = pairs.seatB[e]!;
      const weight = this.valueWeight(valueId, seatA, seatB, ms);
      if (weight <= 0) continue;
      const lastSeenMs = spec.ttlMs === Infinity ? null : this.pairSeen(valueId, seatA, seatB);
      const value = this.texts[valueId]!;
      out.push({ kind, value, label: spec.label(value), holders: this.countOf[valueId]!, weight, lastSeenMs });
    }
    return out.sort((x, y) => y.weight - x.weight);
  }

  /** What one shared value adds to the link between the holders seated at `seatA` and `seatB`. */
  private valueWeight(value: number, seatA: number, seatB: number, ms: number): number {
    // Read from the value's columns (its kind's base times its rarity is its strength), not its
    // object: a full list weighs all its pairs for its weakest, and each object was a cache miss.
    const strength = this.strengths[value]!;
    const kind = this.kindOf[value]!;
    const halfLife = HALF_LIFE_OF_KIND[kind]!;
    // Holders are dropped only once the value is common, and then it weighs nothing.
    if (strength <= 0 || halfLife === Infinity) return strength;
    const at = this.listAt[value]!;
    const seen = this.lists.seen;
    const age = Math.max(0, ms - (seen.base + Math.max(seen.offsets[at + seatA]!, seen.offsets[at + seatB]!)));
    return age > TTL_OF_KIND[kind]! ? 0 : strength * Math.pow(0.5, age / halfLife);
  }

  /** When the later of two holders last showed the value. */
  private pairSeen(valueId: number, seatA: number, seatB: number): number {
    const at = this.listAt[valueId]!;
    return Math.max(this.lists.seen.at(at + seatA), this.lists.seen.at(at + seatB));
  }

  /**
   * Forgets traffic values seen by one account only that expired: they never linked anyone, and
   * a gateway sees new IPs and templates forever. Values in a pair stay: the pair reads them.
   */
  sweep(ms: number): void {
    for (const [k, single] of this.single.entries()) {
      const ttl = TTL_OF_KIND[k]!;
      single.sweep((lastSeenMs) => ms - lastSeenMs > ttl);
    }
  }

  hasDirty(): boolean {
    return this.dirty.size > 0;
  }

  /** Accounts whose links changed since the last call. */
  takeDirty(): Set<number> {
    const taken = this.dirty;
    this.dirty = new Set();
    return taken;
  }
}

/**
 * Pairs' weights by pair, for one instant: an open-addressed table of pair numbers, emptied by a
 * new stamp. A regrouping asks it about every candidate pair and finds most not there, and a
 * Map's lookup of a number cost more than the bounds that then settle the pair.
 */
class WeightCache {
  private pairs = new Int32Array(1024);
  private weights = new Float64Array(1024);
  /** A byte a slot: every 255th instant empties them outright, a pass over a few kilobytes. */
  private stamps = new Uint8Array(1024);
  private stamp = 1;
  /** Slots taken under the current stamp (a deleted pair keeps its slot). */
  private taken = 0;

  clear(): void {
    if (this.stamp === 0xff) {
      this.stamps.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
    this.taken = 0;
  }

  /** The pair's weight, or NaN when none is kept (a weight is never NaN). */
  get(pair: number): number {
    const mask = this.pairs.length - 1;
    for (let i = pair & mask; this.stamps[i] === this.stamp; i = (i + 1) & mask) if (this.pairs[i] === pair) return this.weights[i]!;
    return NaN;
  }

  set(pair: number, weight: number): void {
    if (2 * (this.taken + 1) > this.pairs.length) this.grow();
    const mask = this.pairs.length - 1;
    let i = pair & mask;
    for (; this.stamps[i] === this.stamp; i = (i + 1) & mask) {
      if (this.pairs[i] === pair) {
        this.weights[i] = weight;
        return;
      }
    }
    this.stamps[i] = this.stamp;
    this.pairs[i] = pair;
    this.weights[i] = weight;
    this.taken++;
  }

  delete(pair: number): void {
    const mask = this.pairs.length - 1;
    for (let i = pair & mask; this.stamps[i] === this.stamp; i = (i + 1) & mask) {
      if (this.pairs[i] === pair) {
        this.weights[i] = NaN;
        return;
      }
    }
  }

  private grow(): void {
    const { pairs, weights, stamps, stamp } = this;
    this.pairs = new Int32Array(2 * pairs.length);
    this.weights = new Float64Array(2 * pairs.length);
    this.stamps = new Uint8Array(2 * pairs.length);
    this.stamp = 1;
    this.taken = 0;
    for (let i = 0; i < pairs.length; i++) if (stamps[i] === stamp && !Number.isNaN(weights[i]!)) this.set(pairs[i]!, weights[i]!);
  }
}

/** `RecentValues.held` for a value no other account showed (found again by its hashes), and for none. */
export const HELD_ALONE = -1;
export const NOT_HELD = -2;
/** The kinds an account shows request after request; sign-up attributes are shown once. */
const RECENT_KINDS: readonly LinkKind[] = ['ip', 'subnet', 'user-agent', 'wrapper', 'system-prompt'];
const RECENT_SLOT = KINDS.map((kind) => RECENT_KINDS.indexOf(kind));

/**
 * Per account and traffic kind, the value it showed last: a shared value's id and the account's
 * seat among its holders, or that it held the value alone. An account shows the same IP, user
 * agent and template request after request, and finding the value by its text (a map lookup
 * hashing each request's fresh copy of it, a search of the holders) was most of a touch. A hint
 * only: a touch checks it against the value and falls back to the lookup. Three bytes a kind: a
 * seat is below SHARE_CAP, so a byte, and what is held is kept less NOT_HELD (0 for none) in 16
 * bits until a value's id passes them.
 */
export class RecentValues {
  private held: Uint16Array | Int32Array = new Uint16Array(0);
  seat = new Int8Array(0);

  /** What the slot holds: a shared value's id, HELD_ALONE or NOT_HELD. */
  heldAt(at: number): number {
    return this.held[at]! + NOT_HELD;
  }

  /** The slot for `id` and kind number `k`, or -1 for a kind not kept. */
  slot(id: number, k: number): number {
    const kind = RECENT_SLOT[k]!;
    if (kind < 0) return -1;
    const at = id * RECENT_KINDS.length + kind;
    if (at >= this.held.length) this.grow(at + 1);
    return at;
  }

  remember(at: number, held: number, seat: number): void {
    if (at < 0) return;
    if (held - NOT_HELD > 0xffff && this.held instanceof Uint16Array) this.held = Int32Array.from(this.held);
    this.held[at] = held - NOT_HELD;
    this.seat[at] = seat;
  }

  private grow(size: number): void {
    // A quarter more at a time: ids come one by one, and doubling left up to half unused.
    const capacity = Math.max(size, Math.ceil(1.25 * this.held.length), 1024);
    const held = this.held instanceof Uint16Array ? new Uint16Array(capacity) : new Int32Array(capacity);
    held.set(this.held);
    const seat = new Int8Array(capacity);
    seat.set(this.seat);
    this.held = held;
    this.seat = seat;
  }
}

import type { AccountRecord } from '../traffic/types.js';

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

/**
 * A value shared by more accounts than this is common property (a webmail domain, a cloud NAT,
 * a popular SDK): it stops linking anyone, and its existing links fade to nothing.
 */
export const SHARE_CAP = 64;

/** How much a value shared by `holders` accounts says about any two of them: rare is strong. */
export function rarity(holders: number): number {
  if (holders <= 2) return 1;
  if (holders >= SHARE_CAP) return 0;
  return 1 - Math.log(holders / 2) / Math.log(SHARE_CAP / 2);
}

/** One shared value and who showed it when. */
interface SharedValue {
  kind: LinkKind;
  value: string;
  /** Holders and the last time each showed the value, as parallel arrays; empty once common. */
  holders: number[];
  lastSeen: number[];
  /** How many accounts ever showed it (keeps counting past the cap). */
  count: number;
}

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

/** Neighbours kept per account: a hub's long tail adds nothing a community method could use. */
const MAX_NEIGHBOURS = 64;
const MAX_PAIRS = 500_000;

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
  private readonly values: SharedValue[] = [];
  private readonly valueIds = new Map<string, number>();
  private readonly pairs = new Map<number, number[]>();
  private readonly neighbours: number[][] = [];
  /** Accounts that gained or refreshed a link since the last `takeDirty`. */
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
    const key = `${kind}\u0000${value}`;
    let valueId = this.valueIds.get(key);
    if (valueId === undefined) {
      valueId = this.values.length;
      this.values.push({ kind, value, holders: [id], lastSeen: [ms], count: 1 });
      this.valueIds.set(key, valueId);
      return;
    }
    const shared = this.values[valueId]!;
    const at = shared.holders.indexOf(id);
    if (at >= 0) {
      shared.lastSeen[at] = ms;
      return;
    }
    shared.count++;
    if (shared.count > SHARE_CAP) {
      shared.holders = [];
      shared.lastSeen = [];
      return;
    }
    const ttl = LINK_KINDS[kind].ttlMs;
    const others = shared.holders.length;
    shared.holders.push(id);
    shared.lastSeen.push(ms);
    for (let i = 0; i < others; i++) {
      if (ms - shared.lastSeen[i]! <= ttl) this.pair(id, shared.holders[i]!, valueId, ms);
    }
  }

  private pair(a: number, b: number, valueId: number, ms: number): void {
    const key = pairKey(a, b);
    let list = this.pairs.get(key);
    if (!list) {
      if (this.pairs.size >= MAX_PAIRS) return;
      const fresh = this.valueWeight(valueId, a, b, ms);
      if (!this.room(a, fresh, ms) || !this.room(b, fresh, ms)) return;
      list = [];
      this.pairs.set(key, list);
      this.neighboursOf(a).push(b);
      this.neighboursOf(b).push(a);
    }
    if (!list.includes(valueId)) list.push(valueId);
    this.dirty.add(a);
    this.dirty.add(b);
  }

  /**
   * Whether `id` can take a neighbour linked this strongly: a full list gives up its weakest link
   * (often one a common value has faded to nothing) for a stronger one.
   */
  private room(id: number, weight: number, ms: number): boolean {
    const list = this.neighboursOf(id);
    if (list.length < MAX_NEIGHBOURS) return true;
    let weakest = -1;
    let weakestWeight = Infinity;
    for (let i = 0; i < list.length; i++) {
      const w = this.weight(id, list[i]!, ms);
      if (w < weakestWeight) {
        weakest = i;
        weakestWeight = w;
      }
    }
    if (weakestWeight >= weight) return false;
    this.unpair(id, list[weakest]!);
    return true;
  }

  private unpair(a: number, b: number): void {
    this.pairs.delete(pairKey(a, b));
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const list = this.neighboursOf(x);
      const at = list.indexOf(y);
      if (at >= 0) list.splice(at, 1);
    }
  }

  private neighboursOf(id: number): number[] {
    while (this.neighbours.length <= id) this.neighbours.push([]);
    return this.neighbours[id]!;
  }

  neighbourIds(id: number): readonly number[] {
    return this.neighbours[id] ?? [];
  }

  /** The pair's combined weight at `ms`: independent shared values combine as a noisy-or. */
  weight(a: number, b: number, ms: number): number {
    const list = this.pairs.get(pairKey(a, b));
    if (!list) return 0;
    let missing = 1;
    for (const valueId of list) missing *= 1 - this.valueWeight(valueId, a, b, ms);
    return 1 - missing;
  }

  /** Everything the pair's link rests on, strongest first. */
  evidence(a: number, b: number, ms: number): LinkEvidence[] {
    const list = this.pairs.get(pairKey(a, b)) ?? [];
    const out: LinkEvidence[] = [];
    for (const valueId of list) {
      const shared = this.values[valueId]!;
      const spec = LINK_KINDS[shared.kind];
      const weight = this.valueWeight(valueId, a, b, ms);
      if (weight <= 0) continue;
      const lastSeenMs = spec.ttlMs === Infinity ? null : this.pairSeen(shared, a, b);
      out.push({ kind: shared.kind, value: shared.value, label: spec.label(shared.value), holders: shared.count, weight, lastSeenMs });
    }
    return out.sort((x, y) => y.weight - x.weight);
  }

  private valueWeight(valueId: number, a: number, b: number, ms: number): number {
    const shared = this.values[valueId]!;
    const spec = LINK_KINDS[shared.kind];
    const strength = spec.base * rarity(shared.count);
    if (strength <= 0 || spec.halfLifeMs === Infinity) return strength;
    const seen = this.pairSeen(shared, a, b);
    if (seen === null) return 0;
    const age = Math.max(0, ms - seen);
    return age > spec.ttlMs ? 0 : strength * Math.pow(0.5, age / spec.halfLifeMs);
  }

  private pairSeen(shared: SharedValue, a: number, b: number): number | null {
    const ia = shared.holders.indexOf(a);
    const ib = shared.holders.indexOf(b);
    if (ia < 0 || ib < 0) return null;
    return Math.max(shared.lastSeen[ia]!, shared.lastSeen[ib]!);
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

function pairKey(a: number, b: number): number {
  return a < b ? a * 0x200000 + b : b * 0x200000 + a;
}

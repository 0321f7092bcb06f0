import type { LinkStore } from './links.js';

/**
 * Strong links a member needs inside its group. A chain's links, a hub's spokes or the handful of
 * strangers who met on one VPN exit are not enough; a fleet whose accounts keep meeting on shared
 * cards, proxies and templates is.
 */
const CORE_DEGREE = 4;
const MIN_GROUP = CORE_DEGREE + 1;
/** Accounts one regrouping may visit: bounds the work however the graph grows. */
const MAX_REGION = 5000;

export interface Group {
  id: string;
  /** Core and border members, ascending. */
  members: number[];
  /** The members held by many strong links (the rest hang on by two): only they make the group's behaviour. */
  core: ReadonlySet<number>;
  /** Bumped whenever the membership changes, so pooled state knows to rebuild. */
  version: number;
}

/** Strong links into a group's core that attach an account as a border member. */
const BORDER_LINKS = 1;

/**
 * Groups of accounts held together by many strong links: the k-core of the strong links that lie
 * in triangles, split into connected pieces. Peeling away accounts with few strong links inside the group is
 * what keeps a hub's unrelated neighbours and the far ends of a chain of single coincidences out.
 * An account with a couple of strong links into one core hangs on as a border member: it can be
 * flagged with the group on its own traffic, but does not shape what the group is suspected of.
 * Regrouping is incremental: only the region around accounts whose links changed (or faded) is
 * recomputed, and groups split again when the links holding them weaken.
 */
export class Groups {
  private readonly groupOf: (Group | undefined)[] = [];
  /** The groups as they stand, by id. */
  readonly live = new Map<string, Group>();
  private nextId = 0;
  private readonly marks = new Marks();
  private readonly places = new Places();

  constructor(private readonly links: LinkStore) {}

  of(id: number): Group | undefined {
    return this.groupOf[id];
  }

  /** Regroups the region around `seeds` as the links stand at `ms`; returns groups whose membership changed. */
  regroup(seeds: Iterable<number>, ms: number): Group[] {
    // Each account's strong links are found once per regrouping: the region, its core, its
    // pieces and their borders all read the same adjacency, by the accounts' places in the
    // region (typed arrays: maps and sets of ids were most of a regrouping's own time).
    const region = this.region(seeds, ms);
    if (region.ids.length === 0) return [];
    const cohesive = supported(region, this.marks);
    const alive = core(region, cohesive);
    const pieces = this.pieces(region, alive, cohesive);
    const sorted = [...region.ids].sort((a, b) => a - b);
    return this.assign(sorted, pieces.map((piece) => this.withBorder(piece, sorted, region, alive)));
  }

  /** The seeds, their current groups' members, and everything strongly linked to them, each with its strong links. */
  private region(seeds: Iterable<number>, ms: number): Region {
    const region = new Region(this.places);
    // A group's members are visited once: when a fading check seeds every member of every
    // group, walking each member's whole group again was quadratic in the group's size.
    const expanded = new Set<Group>();
    for (const seed of seeds) {
      region.visit(seed);
      const group = this.groupOf[seed];
      if (!group || expanded.has(group)) continue;
      expanded.add(group);
      for (const member of group.members) region.visit(member);
    }
    for (let i = 0; i < region.ids.length; i++) {
      const neighbours = this.links.strongNeighbours(region.ids[i]!, ms);
      region.lists.push(neighbours);
      for (const other of neighbours) region.visit(other);
    }
    return region;
  }

  private pieces(region: Region, alive: Uint8Array, cohesive: readonly (readonly number[])[]): number[][] {
    const out: number[][] = [];
    const done = new Uint8Array(region.ids.length);
    const starts: number[] = [];
    for (let p = 0; p < alive.length; p++) if (alive[p] === 1) starts.push(p);
    starts.sort((a, b) => region.ids[a]! - region.ids[b]!);
    for (const start of starts) {
      if (done[start] === 1) continue;
      const piece = [start];
      done[start] = 1;
      for (let i = 0; i < piece.length; i++) {
        for (const other of cohesive[piece[i]!]!) {
          if (done[other] === 1 || alive[other] === 0) continue;
          done[other] = 1;
          piece.push(other);
        }
      }
      if (piece.length >= MIN_GROUP) out.push(piece);
    }
    return out;
  }

  /** A piece (places in the region) with the accounts outside every core that have enough strong links into it. */
  private withBorder(piece: readonly number[], sorted: readonly number[], region: Region, alive: Uint8Array): { core: Set<number>; members: number[] } {
    const stamp = this.marks.next();
    const inPiece = new Set<number>();
    for (const place of piece) {
      const id = region.ids[place]!;
      inPiece.add(id);
      this.marks.set(id, stamp);
    }
    const members = [...inPiece];
    for (const id of sorted) {
      const place = region.placeOf(id);
      if (alive[place] === 1) continue;
      let links = 0;
      for (const other of region.lists[place]!) if (this.marks.has(other, stamp)) links++;
      if (links >= BORDER_LINKS) members.push(id);
    }
    return { core: new Set([...inPiece].sort((a, b) => a - b)), members: members.sort((a, b) => a - b) };
  }

  /** New pieces keep the id of the old group most of their members came from, when still free. */
  private assign(region: number[], pieces: { core: Set<number>; members: number[] }[]): Group[] {
    const before = new Map<number, Group | undefined>();
    for (const id of region) before.set(id, this.groupOf[id]);
    const taken = new Set<string>();
    const changed: Group[] = [];
    for (const group of new Set(before.values())) if (group) this.live.delete(group.id);
    for (const id of region) this.groupOf[id] = undefined;
    const byOverlap = pieces
      .map((piece) => ({ piece, origin: majority(piece.members, before) }))
      .sort((a, b) => b.piece.members.length - a.piece.members.length || a.piece.members[0]! - b.piece.members[0]!);
    for (const { piece, origin } of byOverlap) {
      const { members, core } = piece;
      // A border account between two groups hangs on to the bigger one only.
      const free = members.filter((id) => this.groupOf[id] === undefined);
      const keep = origin && !taken.has(origin.id) ? origin : undefined;
      const same = keep !== undefined && sameMembers(keep, free, core);
      const group: Group = keep ? { id: keep.id, members: free, core, version: same ? keep.version : keep.version + 1 } : { id: `g${this.nextId++}`, members: free, core, version: 0 };
      taken.add(group.id);
      this.live.set(group.id, group);
      for (const id of free) this.groupOf[id] = group;
      if (!same) changed.push(group);
    }
    return changed;
  }
}

function sameMembers(group: Group, members: readonly number[], core: ReadonlySet<number>): boolean {
  if (group.members.length !== members.length || group.core.size !== core.size) return false;
  return group.members.every((m, i) => m === members[i] && group.core.has(m) === core.has(m));
}

/**
 * The strong links that lie in a triangle of strong links: a single link between two dense groups
 * (one shared exit, one reused card) is in none, so the groups fall apart on it instead of merging.
 * Per place in the region, the places of its neighbours so linked.
 */
function supported(region: Region, marks: Marks): number[][] {
  const out: number[][] = [];
  for (let place = 0; place < region.ids.length; place++) {
    const list = region.lists[place]!;
    // The account's neighbours marked, a link is in a triangle when the other end has a marked
    // neighbour of its own: no list is sorted or copied, and a dense group's first try succeeds.
    const stamp = marks.next();
    for (const other of list) marks.set(other, stamp);
    const kept: number[] = [];
    for (const other of list) {
      const theirs = region.placeOf(other);
      if (theirs < 0) continue;
      for (const third of region.lists[theirs]!) {
        if (third !== other && marks.has(third, stamp)) {
          kept.push(theirs);
          break;
        }
      }
    }
    out.push(kept);
  }
  return out;
}

/**
 * The region's k-core over its supported links, as a flag per place: accounts with fewer than
 * CORE_DEGREE such links inside are peeled away until none is left.
 */
function core(region: Region, cohesive: readonly (readonly number[])[]): Uint8Array {
  const n = region.ids.length;
  const alive = new Uint8Array(n).fill(1);
  const degree = new Int32Array(n);
  const peel: number[] = [];
  for (let place = 0; place < n; place++) {
    degree[place] = cohesive[place]!.length;
    if (degree[place]! < CORE_DEGREE) peel.push(place);
  }
  while (peel.length > 0) {
    const place = peel.pop()!;
    if (alive[place] === 0) continue;
    alive[place] = 0;
    for (const other of cohesive[place]!) {
      if (alive[other] === 0) continue;
      if (--degree[other]! < CORE_DEGREE) peel.push(other);
    }
  }
  return alive;
}

/** The accounts a regrouping visits in visiting order (an account's place), with each one's strong links. */
class Region {
  readonly ids: number[] = [];
  readonly lists: number[][] = [];

  constructor(private readonly places: Places) {
    places.clear();
  }

  visit(id: number): void {
    if (this.places.get(id) >= 0 || this.ids.length >= MAX_REGION) return;
    this.places.set(id, this.ids.length);
    this.ids.push(id);
  }

  /** The account's place, or -1 outside the region. */
  placeOf(id: number): number {
    return this.places.get(id);
  }
}

/** Places by account id, for one region at a time: the region's stamp on its accounts tells them from the last region's. */
class Places {
  private readonly marks = new Marks();
  private places = new Int32Array(1024);
  private stamp = 0;

  clear(): void {
    this.stamp = this.marks.next();
  }

  set(id: number, place: number): void {
    this.marks.set(id, this.stamp);
    if (id >= this.places.length) {
      const bigger = new Int32Array(Math.max(2 * this.places.length, id + 1));
      bigger.set(this.places);
      this.places = bigger;
    }
    this.places[id] = place;
  }

  get(id: number): number {
    return this.marks.has(id, this.stamp) ? this.places[id]! : -1;
  }
}

/** Marks on account ids, each set of marks told apart by a stamp, so clearing one costs nothing. */
class Marks {
  private marks = new Int32Array(1024);
  private stamp = 0;

  /** A stamp no mark holds yet. */
  next(): number {
    if (this.stamp === 0x7fffffff) {
      this.marks.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  set(id: number, stamp: number): void {
    if (id >= this.marks.length) {
      const bigger = new Int32Array(Math.max(2 * this.marks.length, id + 1));
      bigger.set(this.marks);
      this.marks = bigger;
    }
    this.marks[id] = stamp;
  }

  has(id: number, stamp: number): boolean {
    return this.marks[id] === stamp;
  }
}

function majority(piece: number[], before: Map<number, Group | undefined>): Group | undefined {
  const votes = new Map<Group, number>();
  for (const id of piece) {
    const group = before.get(id);
    if (group) votes.set(group, (votes.get(group) ?? 0) + 1);
  }
  let best: Group | undefined;
  let bestVotes = 0;
  for (const [group, count] of votes) {
    if (count > bestVotes || (count === bestVotes && best !== undefined && group.id < best.id)) {
      best = group;
      bestVotes = count;
    }
  }
  return best;
}

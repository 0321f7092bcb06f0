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

  constructor(private readonly links: LinkStore) {}

  of(id: number): Group | undefined {
    return this.groupOf[id];
  }

  /** Regroups the region around `seeds` as the links stand at `ms`; returns groups whose membership changed. */
  regroup(seeds: Iterable<number>, ms: number): Group[] {
    // Each account's strong links are found once per regrouping: the region, its core, its
    // pieces and their borders all read the same adjacency.
    const strong = this.region(seeds, ms);
    if (strong.size === 0) return [];
    const region = [...strong.keys()].sort((a, b) => a - b);
    const cohesive = supported(strong, this.marks);
    const core = this.core(region, cohesive);
    const pieces = this.pieces(core, cohesive);
    return this.assign(region, pieces.map((piece) => this.withBorder(piece, region, core, strong)));
  }

  /** The seeds, their current groups' members, and everything strongly linked to them, each with its strong links. */
  private region(seeds: Iterable<number>, ms: number): Map<number, number[]> {
    const strong = new Map<number, number[]>();
    const queue: number[] = [];
    const visit = (id: number): void => {
      if (strong.has(id) || strong.size >= MAX_REGION) return;
      strong.set(id, []);
      queue.push(id);
    };
    // A group's members are visited once: when a fading check seeds every member of every
    // group, walking each member's whole group again was quadratic in the group's size.
    const expanded = new Set<Group>();
    for (const seed of seeds) {
      visit(seed);
      const group = this.groupOf[seed];
      if (!group || expanded.has(group)) continue;
      expanded.add(group);
      for (const member of group.members) visit(member);
    }
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!;
      const neighbours = this.links.strongNeighbours(id, ms);
      strong.set(id, neighbours);
      for (const other of neighbours) visit(other);
    }
    return strong;
  }

  private core(region: readonly number[], strong: ReadonlyMap<number, readonly number[]>): Set<number> {
    const alive = new Set(region);
    const degree = new Map<number, number>();
    const peel: number[] = [];
    for (const id of region) {
      let d = 0;
      for (const other of strong.get(id)!) if (alive.has(other)) d++;
      degree.set(id, d);
      if (d < CORE_DEGREE) peel.push(id);
    }
    while (peel.length > 0) {
      const id = peel.pop()!;
      if (!alive.delete(id)) continue;
      for (const other of strong.get(id)!) {
        if (!alive.has(other)) continue;
        const d = degree.get(other)! - 1;
        degree.set(other, d);
        if (d < CORE_DEGREE) peel.push(other);
      }
    }
    return alive;
  }

  private pieces(core: ReadonlySet<number>, strong: ReadonlyMap<number, readonly number[]>): number[][] {
    const out: number[][] = [];
    const done = new Set<number>();
    for (const start of [...core].sort((a, b) => a - b)) {
      if (done.has(start)) continue;
      const piece = [start];
      done.add(start);
      for (let i = 0; i < piece.length; i++) {
        for (const other of strong.get(piece[i]!)!) {
          if (done.has(other) || !core.has(other)) continue;
          done.add(other);
          piece.push(other);
        }
      }
      if (piece.length >= MIN_GROUP) out.push(piece.sort((a, b) => a - b));
    }
    return out;
  }

  private withBorder(piece: number[], region: readonly number[], core: ReadonlySet<number>, strong: ReadonlyMap<number, readonly number[]>): { core: Set<number>; members: number[] } {
    const inPiece = new Set(piece);
    const members = [...piece];
    for (const id of region) {
      if (core.has(id)) continue;
      let links = 0;
      for (const other of strong.get(id)!) if (inPiece.has(other)) links++;
      if (links >= BORDER_LINKS) members.push(id);
    }
    return { core: inPiece, members: members.sort((a, b) => a - b) };
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
 */
function supported(strong: ReadonlyMap<number, readonly number[]>, marks: Marks): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [id, list] of strong) {
    // The account's neighbours marked, a link is in a triangle when the other end has a marked
    // neighbour of its own: no list is sorted or copied, and a dense group's first try succeeds.
    const stamp = marks.next();
    for (const other of list) marks.set(other, stamp);
    out.set(
      id,
      list.filter((other) => {
        const theirs = strong.get(other);
        if (theirs === undefined) return false;
        for (const third of theirs) if (third !== other && marks.has(third, stamp)) return true;
        return false;
      }),
    );
  }
  return out;
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

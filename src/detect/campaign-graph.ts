/** Why two accounts are linked; each kind counts once per pair. */
export type LinkKind = 'payment' | 'email-pattern' | 'email-domain' | 'signup-subnet' | 'request-subnet' | 'skeleton' | 'system-prompt' | 'shared-item';

export const LINK_WEIGHTS: Record<LinkKind, number> = {
  payment: 1,
  'email-pattern': 0.6,
  'email-domain': 0.35,
  'signup-subnet': 0.35,
  'request-subnet': 0.35,
  skeleton: 0.35,
  'system-prompt': 0.35,
  'shared-item': 0.35,
};

const KINDS = Object.keys(LINK_WEIGHTS) as LinkKind[];
const UNION_AT = 1;
const MAX_PAIRS = 400_000;

/**
 * Weighted links between accounts, merged into campaigns (connected components of the links
 * that reach UNION_AT) with union-find. A single weak coincidence never merges two accounts;
 * one strong link (the same card) or several independent weak ones do.
 */
export class CampaignGraph {
  private readonly parent: number[] = [];
  private readonly size: number[] = [];
  private readonly kinds: number[] = [];
  private readonly pairs = new Map<number, number>();

  add(): number {
    const id = this.parent.length;
    this.parent.push(id);
    this.size.push(1);
    this.kinds.push(0);
    return id;
  }

  find(id: number): number {
    let root = id;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[id] !== root) {
      const next = this.parent[id]!;
      this.parent[id] = root;
      id = next;
    }
    return root;
  }

  /** Adds a link; returns the absorbed root when it merged two components, else -1. */
  link(a: number, b: number, kind: LinkKind): { merged: boolean; from: number; into: number } {
    const key = a < b ? a * 0x200000 + b : b * 0x200000 + a;
    const bit = 1 << KINDS.indexOf(kind);
    // The mask lives in the low byte, the weight (hundredths) above it.
    const packed = this.pairs.get(key) ?? 0;
    if (packed & bit) return { merged: false, from: -1, into: -1 };
    const weight = (packed >>> 8) + Math.round(LINK_WEIGHTS[kind] * 100);
    if (this.pairs.size >= MAX_PAIRS) this.pairs.clear();
    this.pairs.set(key, ((weight << 8) | (packed & 0xff) | bit) >>> 0);
    const ra = this.find(a);
    const rb = this.find(b);
    if (weight < UNION_AT * 100 || ra === rb) return { merged: false, from: -1, into: -1 };
    this.kinds[ra] = this.kinds[ra]! | this.kinds[rb]! | (packed & 0xff) | bit;
    const [big, small] = this.size[ra]! >= this.size[rb]! ? [ra, rb] : [rb, ra];
    this.parent[small] = big;
    this.size[big]! += this.size[small]!;
    this.kinds[big] = this.kinds[ra]!;
    return { merged: true, from: small, into: big };
  }

  componentSize(id: number): number {
    return this.size[this.find(id)]!;
  }

  /** The kinds of link that hold a component together. */
  linkKinds(id: number): LinkKind[] {
    const mask = this.kinds[this.find(id)]!;
    return KINDS.filter((_, i) => mask & (1 << i));
  }
}

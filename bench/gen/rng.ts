/**
 * Seeded randomness. Every actor gets its own stream forked by a label, so adding an actor
 * or changing one actor's draws does not shift what every other actor generates.
 */

/** FNV-1a, to turn a fork label into 32 bits of seed. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const B36 = '0123456789abcdefghijklmnopqrstuvwxyz';

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: small, fast, good enough for synthetic data. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  fork(label: string): Rng {
    return new Rng(hash32(label, (this.state ^ 0x9e3779b9) >>> 0));
  }

  float(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Inclusive on both ends. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return (pairs[pairs.length - 1] as readonly [T, number])[0];
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  sample<T>(items: readonly T[], k: number): T[] {
    const n = items.length;
    const want = Math.min(k, n);
    // Small samples from big pools by rejection: copying and shuffling the pool per call is what made P4 slow.
    if (want * 4 < n) {
      const seen = new Set<number>();
      const out: T[] = [];
      while (out.length < want) {
        const i = Math.floor(this.next() * n);
        if (seen.has(i)) continue;
        seen.add(i);
        out.push(items[i] as T);
      }
      return out;
    }
    return this.shuffle(items.slice()).slice(0, want);
  }

  normal(mean = 0, sd = 1): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  exp(mean: number): number {
    return -Math.log(Math.max(this.next(), 1e-12)) * mean;
  }

  /** Log-uniform: think times and gaps span orders of magnitude. */
  logUniform(lo: number, hi: number): number {
    return Math.exp(this.float(Math.log(lo), Math.log(hi)));
  }

  b36(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += B36[Math.floor(this.next() * 36)];
    return s;
  }

  hex(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += B36[Math.floor(this.next() * 16)];
    return s;
  }
}

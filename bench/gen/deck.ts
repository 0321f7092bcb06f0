import type { Rng } from './rng.js';

/** Walks a shuffled pool without repeats until exhausted, then reshuffles: harvesters maximise coverage. */
export class Deck<T> {
  private order: T[] = [];
  private i = 0;
  constructor(private readonly rng: Rng, private readonly pool: readonly T[]) {
    if (pool.length === 0) throw new Error('empty harvest pool');
  }
  next(): T {
    if (this.i >= this.order.length) {
      this.order = this.rng.shuffle(this.pool.slice());
      this.i = 0;
    }
    return this.order[this.i++] as T;
  }
}

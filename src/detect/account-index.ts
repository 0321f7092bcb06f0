import { fnv1a } from './hash.js';

/** A table this full doubles: linear probing stays short to here. */
const MAX_LOAD = 0.75;

/**
 * The engine's accounts by name: an open-addressed table of account ids (plus one, 0 for a free
 * slot) hashed by name, the names themselves read from the accounts. A Map of name to entry held
 * some 40 bytes an account in its hash table; this holds 4 bytes a slot.
 */
export class AccountIndex<T extends { readonly account: string }> {
  private slots = new Int32Array(1024);
  private size = 0;

  /** `accounts[id]` is the account with id `id`; the index adds them as they come. */
  constructor(private readonly accounts: readonly T[]) {}

  get(account: string): T | undefined {
    const mask = this.slots.length - 1;
    for (let i = home(account) & mask; this.slots[i] !== 0; i = (i + 1) & mask) {
      const found = this.accounts[this.slots[i]! - 1]!;
      if (found.account === account) return found;
    }
    return undefined;
  }

  /** Adds the account with id `id` (not held yet). */
  add(id: number): void {
    if (this.size + 1 > MAX_LOAD * this.slots.length) this.grow();
    this.put(id);
    this.size++;
  }

  private put(id: number): void {
    const mask = this.slots.length - 1;
    let i = home(this.accounts[id]!.account) & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = id + 1;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    for (const slot of old) if (slot !== 0) this.put(slot - 1);
  }
}

/** The name's hash, its high bits folded into the low ones a slot is picked by. */
function home(account: string): number {
  const h = fnv1a(account);
  return h ^ (h >>> 15);
}

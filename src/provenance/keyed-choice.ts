import { createHmac } from 'node:crypto';
import type { Pair } from './lexicon.js';

/**
 * What a key says about one context (the word before a site) and one pair: which member it
 * prefers, and a uniform draw in [0, 1) that decides whether this context is switched. HMAC-SHA256,
 * so neither the preference nor the draw of an unseen context can be told from seen ones.
 */
export interface Choice {
  preferred: 0 | 1;
  draw: number;
}

export function choiceOf(secret: Buffer, previous: string, pair: Pair): Choice {
  const digest = createHmac('sha256', secret).update(`${previous}\u0000${pair.id}`).digest();
  return { preferred: (digest[0]! & 1) as 0 | 1, draw: digest.readUInt32BE(4) / 2 ** 32 };
}

/**
 * Chance that a context preferring `member` has the other member switched to it. Proportional
 * to the member's share (CATER's condition): averaged over contexts, each member gains as
 * much as it loses, so each pair's word counts stay where unmarked text has them.
 */
export function switchChance(pair: Pair, member: 0 | 1, rate: number): number {
  const shares = [pair.share, 1 - pair.share] as const;
  return (rate * shares[member]) / Math.max(shares[0], shares[1]);
}

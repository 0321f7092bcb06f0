import { createHmac } from 'node:crypto';
import { COUPLE_TABLE } from './context-couples.js';
import { PAIRS, type Pair } from './lexicon.js';

/** Where a context stands in the couple table: its couple, and which of the two it is. */
interface CoupleSeat {
  couple: number;
  role: 0 | 1;
}

const seatKey = (pair: Pair, previous: string) => `${pair.id}\u0000${previous}`;

/** Lines of `first-member unit ; unit ...`, a unit being `team / team`, a team contexts (`^`: the start of a line). */
const SEATS = new Map<string, CoupleSeat>();
for (const line of COUPLE_TABLE.trim().split('\n')) {
  const [first, units] = line.trim().split(/ (.*)/s) as [string, string];
  const pair = PAIRS.find((candidate) => candidate.members[0] === first.replace(/_/g, ' '));
  if (!pair) throw new Error(`context couples: no pair starts with "${first}"`);
  units.split(' ; ').forEach((unit, couple) =>
    unit.split(' / ').forEach((team, role) => {
      for (const previous of team.split(' ')) SEATS.set(seatKey(pair, previous === '^' ? '' : previous), { couple, role: role as 0 | 1 });
    }),
  );
}

const hmac = (secret: Buffer, message: string): Buffer => createHmac('sha256', secret).update(message).digest();

/** How a context is keyed: its unit, its role in it, the chance of heads, the switch chances at rate 1. */
export interface Keying {
  /** The unit of the key's randomness it belongs to: its couple, or the context alone. Units have independent coins. */
  unit: string;
  /** Heads: a role-0 context prefers the first member, a role-1 context the second. */
  role: 0 | 1;
  heads: number;
  /** The chance, at rate 1, that a site is switched to the first member / second member when that one is preferred. */
  switches: readonly [number, number];
}

/**
 * The first member's share the mark keeps: the pair's own at `balance` 1; nearer even below
 * that, down to even at 0 (the plain keyed preference of He et al.), so word counts drift toward
 * even by as much.
 */
const keptShare = (pair: Pair, balance: number): number => 0.5 + (pair.share - 0.5) * balance;

/**
 * A coupled context (one of a pair's frequent ones) gets a fair coin, and its partner the
 * opposite side: each member is switched to in proportion to its share (CATER's condition), so
 * whatever the coin, the unit's pull on word counts cancels. A pair used 95 to 5 can then move
 * only a tenth of such sites.
 *
 * Any other context is rare (under 5 uses in dev-v1, or past the pair's 80 most frequent), and
 * there the coin itself carries the share: heads (the first member preferred) as often as the
 * first member is used, every site switched to the preferred member. Over the many rare
 * contexts a pair has, word counts stay where they were, and each context moves as far as it
 * can: a site there carries as much evidence as one of a pair used half and half. The coin is
 * kept within [COIN_MIN, 1 - COIN_MIN] (the rarer side's switches scaled down to keep the
 * share), so no single rare outcome weighs without bound in the test.
 */
export function keyingOf(previous: string, pair: Pair, balance = 1): Keying {
  const share = keptShare(pair, balance);
  const seat = SEATS.get(seatKey(pair, previous));
  if (seat) {
    const shares = [share, 1 - share] as const;
    const most = Math.max(share, 1 - share);
    return { unit: `couple\u0000${pair.id}\u0000${seat.couple}`, role: seat.role, heads: 0.5, switches: [shares[0] / most, shares[1] / most] };
  }
  const heads = Math.min(1 - COIN_MIN, Math.max(COIN_MIN, share));
  // Kept share: heads x (1 - share) x first switches = (1 - heads) x share x second switches.
  const gainFirst = heads * (1 - share);
  const gainSecond = (1 - heads) * share;
  const most = Math.max(gainFirst, gainSecond);
  return { unit: `${previous}\u0000${pair.id}`, role: 0, heads, switches: [gainSecond / most, gainFirst / most] };
}

const COIN_MIN = 0.1;

/**
 * The member a key prefers after `previous` (the word before the site, '' at the start of a
 * line). HMAC-SHA256, so the preference of an unseen context cannot be told from seen ones.
 */
export function preferenceOf(secret: Buffer, keying: Keying): 0 | 1 {
  const heads = hmac(secret, keying.unit).readUInt32BE(0) / 2 ** 32 < keying.heads;
  return (heads ? keying.role : 1 - keying.role) as 0 | 1;
}

/** A uniform draw in [0, 1) for the `occurrence`-th site of an answer: whether that one is switched. */
export function drawOf(secret: Buffer, previous: string, pair: Pair, occurrence: number): number {
  return hmac(secret, `draw\u0000${previous}\u0000${pair.id}\u0000${occurrence}`).readUInt32BE(0) / 2 ** 32;
}

import { createHmac } from 'node:crypto';
import { COUPLE_TABLE } from './context-couples.js';
import { PAIRS, type Pair } from './lexicon.js';

/** Where a context stands in the couple table: its couple, and which of the two it is. */
interface CoupleSeat {
  couple: number;
  role: 0 | 1;
}

const seatKey = (pair: Pair, previous: string) => `${pair.id}\u0000${previous}`;

/** Lines of `first-member unit ; unit ...`, a unit being `team / team`, a team contexts (`^`: the start of the answer). */
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

/**
 * The unit of the key's randomness a context belongs to: its couple, or the context alone.
 * Contexts of one unit share one coin; distinct units have independent coins.
 */
export function unitOf(previous: string, pair: Pair): { unit: string; role: 0 | 1 } {
  const seat = SEATS.get(seatKey(pair, previous));
  return seat ? { unit: `couple\u0000${pair.id}\u0000${seat.couple}`, role: seat.role } : { unit: `${previous}\u0000${pair.id}`, role: 0 };
}

/**
 * The member a key prefers after `previous` (the word before the site). HMAC-SHA256, so the
 * preference of an unseen context cannot be told from seen ones; a coupled context gets the
 * opposite of its partner.
 */
export function preferenceOf(secret: Buffer, previous: string, pair: Pair): 0 | 1 {
  const { unit, role } = unitOf(previous, pair);
  return ((hmac(secret, unit)[0]! & 1) ^ role) as 0 | 1;
}

/** A uniform draw in [0, 1) for the `occurrence`-th site of an answer: whether that one is switched. */
export function drawOf(secret: Buffer, previous: string, pair: Pair, occurrence: number): number {
  return hmac(secret, `draw\u0000${previous}\u0000${pair.id}\u0000${occurrence}`).readUInt32BE(0) / 2 ** 32;
}

/**
 * Chance that a site in a context preferring `member` has the other member switched to it.
 * With `balance` 1, proportional to the member's share (CATER's condition): averaged over
 * contexts each member gains as much as it loses, so each pair's word counts stay where
 * unmarked text has them, but a pair used 95 to 5 can move only a tenth of its sites. Lower
 * `balance` treats shares as nearer even: more sites move (a stronger mark), and word counts
 * drift toward even by as much (at 0, the plain keyed preference of He et al.).
 */
export function switchChance(pair: Pair, member: 0 | 1, rate: number, balance = 1): number {
  const share = 0.5 + (pair.share - 0.5) * balance;
  const shares = [share, 1 - share] as const;
  return (rate * shares[member]) / Math.max(shares[0], shares[1]);
}

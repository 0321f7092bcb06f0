/**
 * H1 low-and-slow hydra (dev-v2's style, parametrised): N accounts at R requests per active day
 * on a human diurnal curve, created over weeks, residential proxy exits shared across the
 * campaign, one wording per account around benchmark/instruction items drawn from one deck
 * (no item twice while the deck lasts), and cover chat at share C on the same accounts.
 */
import { type CoverPlan, type Member, activeDays, fleetAccounts, runFleet, stickyProxy } from './campaign.js';
import { draftOf, modernHabits } from './chat-user.js';
import { Deck } from './deck.js';
import { ProxyPool, residentialIp } from './net.js';
import { convsOf, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { userMsg, withSystem } from './stream.js';
import { accountWordings, fill } from './templates.js';
import { respond } from './text.js';
import { type Actor, type Ctx, DAY } from './world.js';

export interface HydraParams {
  /** Accounts (dev-v2: 150; sweeps 50-300). */
  size: number;
  /** Mean requests per active day per account, cover included (dev-v2: 10-40). */
  rate: number;
  /** Share of requests that are cover chat (dev-v2: 0.2-0.4). */
  cover: number;
  /** Chance an account works on a given day after it exists. */
  activeP?: number;
  /** How many weeks before the window creation starts. */
  staggerWeeks?: number;
}

const OPERATOR_TZ = [-8, -6, -5, 0, 1, 2, 3, 5.5, 7, 8];

/** `wordings`: each account's template, so a check can tell its harvest requests from its cover. */
export function h1Hydra(ctx: Ctx, rng: Rng, p: HydraParams): Actor & { wordings: ReadonlyMap<string, string> } {
  const weeks = p.staggerWeeks ?? 6;
  const activeP = p.activeP ?? 0.45;
  const exits = new ProxyPool(rng, Math.round(p.size * 2.5), ctx.days, [1, 6]);
  const f = fleetAccounts(ctx, rng, {
    playbook: 'H1',
    size: p.size,
    created: [ctx.start - weeks * 7 * DAY, ctx.start + 0.6 * ctx.days * DAY],
    cards: 'own',
    tiers: [['tier-1', 2], ['tier-2', 1]],
    verifiedP: 0.45,
    signupIp: (r) => (r.chance(0.5) ? exits.pick(r, 0) : residentialIp(r)),
  });
  const wordings = accountWordings(rng, p.size);
  const pool = itemsOf(ctx.corpus, ctx.sources.harvest);
  const deck = new Deck(rng, pool);
  const members: (Member & { wording: string })[] = f.accounts.map((acct, i) => ({
    speaker: {
      acct,
      key: acct.keys[0] as string,
      // Harvesting clients ask for long answers more often than people do.
      habits: modernHabits(rng, { maxTokens: rng.pick([null, 1024, 2048, 4096, 16384]) }),
      // One exit a day or half-day, as rotating-proxy plans bill: each exit then serves a few accounts.
      ip: stickyProxy(ctx, rng, exits, rng.pick([12, 24, 24])),
    },
    days: activeDays(ctx, rng, acct, activeP),
    // Accounts differ around the campaign's rate (log-uniform over x0.5-x1.8 has mean ~1), as dev-v2's did.
    perDay: p.rate * rng.logUniform(0.5, 1.8),
    tz: rng.pick(OPERATOR_TZ),
    wording: wordings[i % wordings.length] as string,
  }));
  const wordingOf = new Map(members.map((m) => [m.speaker.acct.record.account, m.wording] as const));
  const cover: CoverPlan | null = p.cover > 0 ? { share: p.cover, convs: convsOf(ctx.corpus, ctx.sources.chat) } : null;
  return {
    playbook: 'H1',
    campaign: f.campaign,
    accounts: f.accounts,
    wordings: wordingOf,
    describe: `${f.campaign}: ${p.size} accounts created over ${weeks} weeks before and into the window, ~${p.rate}/active day (each day with p=${activeP}), cover ${Math.round(p.cover * 100)}%, ${Math.round(p.size * 2.5)} residential proxy IPs (each alive 1-6 days), ${new Set(wordings).size} distinct wordings, a deck of ${pool.length} items (repeats only past that), sources=[${ctx.sources.harvest.join(', ')}]`,
    events: () =>
      runFleet(ctx, rng, members, { kind: 'human', sittings: [1, 3], think: [20_000, 240_000] }, (m, t, out) => {
        const it = deck.next();
        const s = m.speaker;
        out.push(draftOf(s, rng, t, withSystem(s.habits.system, [userMsg(fill(wordingOf.get(s.acct.record.account) as string, it.prompt))]), respond(rng, ctx.corpus, it, s.habits.maxTokens ?? undefined)));
        return 1;
      }, cover),
  };
}

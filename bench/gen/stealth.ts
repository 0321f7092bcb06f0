/**
 * A harvesting fleet with the stealth options public distillation write-ups describe: residential
 * proxy exits instead of hosting addresses, accounts aged weeks before use, jittered timing, and
 * cover chat on the same accounts. Each new playbook says what it sends; this says from where and when.
 */
import { activeDays, type CoverPlan, type Fleet, fleetAccounts, type Member, type Schedule, stickyProxy } from './campaign.js';
import type { Habits } from './chat-user.js';
import { hostingSubnet, HOSTING_NAMES, ipIn, ProxyPool, residentialIp } from './net.js';
import { convsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { type Ctx, DAY } from './world.js';

export interface StealthOpts {
  residential: boolean;
  aged: boolean;
  jitter: boolean;
  /** Share of requests that are cover chat (0 for none). */
  cover: number;
}

export const OPEN: StealthOpts = { residential: false, aged: false, jitter: false, cover: 0 };

export interface FleetPlan {
  playbook: string;
  size: number;
  perDay: readonly [number, number];
  /** Length of the campaign in days (drawn in this range, placed at random in the window). */
  span: readonly [number, number];
  activeP: number;
  habits: (rng: Rng) => Habits;
}

export interface StealthFleet extends Fleet {
  members: Member[];
  schedule: Schedule;
  cover: CoverPlan | null;
  fromDay: number;
  toDay: number;
  /** For the README: the stealth in words. */
  stealthText: string;
}

export function stealthFleet(ctx: Ctx, rng: Rng, plan: FleetPlan, st: StealthOpts): StealthFleet {
  const span = Math.min(ctx.days, rng.int(plan.span[0], plan.span[1]));
  const fromDay = rng.int(0, ctx.days - span);
  const toDay = fromDay + span;
  const first = ctx.start + fromDay * DAY;
  const provider = rng.pick(HOSTING_NAMES);
  const subnets = Array.from({ length: rng.int(1, 2) }, () => hostingSubnet(rng, provider));
  const pool = st.residential ? new ProxyPool(rng, Math.max(3, Math.round(plan.size * 2.5)), ctx.days, [1, 6]) : null;
  const f = fleetAccounts(ctx, rng, {
    playbook: plan.playbook,
    size: plan.size,
    created: st.aged ? [first - 150 * DAY, first - 20 * DAY] : [first - 3 * DAY, first],
    cards: st.aged ? 'own' : rng.int(1, 3),
    tiers: st.aged ? [['tier-1', 2], ['tier-2', 2], ['tier-3', 1]] : [['tier-1', 2], ['tier-2', 1], ['free', 1]],
    verifiedP: st.aged ? 0.5 : 0.1,
    signupIp: (r) => (st.residential ? residentialIp(r) : ipIn(r.pick(subnets), r)),
  });
  const members: Member[] = f.accounts.map((acct) => {
    const fixed = ipIn(rng.pick(subnets), rng);
    return {
      speaker: { acct, key: acct.keys[0] as string, habits: plan.habits(rng), ip: pool ? stickyProxy(ctx, rng, pool, rng.pick([12, 24])) : () => fixed },
      days: activeDays(ctx, rng, acct, plan.activeP, fromDay, toDay),
      perDay: rng.int(plan.perDay[0], plan.perDay[1]),
      tz: rng.pick([-6, 0, 1, 5.5, 8]),
    };
  });
  const shift = rng.pick([[0, 24], [6, 22], [8, 20]] as const);
  // Operators who bother with proxies and aged accounts also pace like people.
  const schedule: Schedule = st.residential && st.jitter ? { kind: 'human', sittings: [1, 4], think: [8_000, 180_000] } : { kind: 'script', shift, jitter: st.jitter };
  const cover = st.cover > 0 ? { share: st.cover, convs: convsOf(ctx.corpus, ctx.sources.chat) } : null;
  const words = [st.residential ? 'residential proxies' : `${provider} /24s`, st.aged ? 'aged accounts' : 'fresh accounts', st.jitter ? 'jittered' : 'metronomic', st.cover > 0 ? `${Math.round(st.cover * 100)}% cover chat` : 'no cover'];
  return { ...f, members, schedule, cover, fromDay, toDay, stealthText: `days ${fromDay}-${toDay - 1}, ${schedule.kind === 'script' ? `shift ${shift[0]}-${shift[1]}h UTC` : 'human sittings'}, ${words.join(', ')}` };
}

/** A harvesting script's client: an SDK or HTTP library, fixed parameters set per call by the playbook. */
export function scriptHabits(ua: string, models: string[]): Habits {
  return { ua, models, system: null, endpoint: '/v1/chat/completions', maxTokens: null, temperature: null, topP: null, stream: false };
}

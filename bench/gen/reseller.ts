/**
 * H2 reseller/router (dev-v2's style): 1-3 high-volume accounts that resell access, so most of
 * their traffic is many end users' ordinary conversations under many products' system prompts,
 * with a harvesting stream of 15-30% mixed in by the operator.
 */
import type { ChatMessage } from '../../src/traffic/types.js';
import { dayFactor, timesIn } from './clock.js';
import { MODERN_MODELS, playConversation } from './chat-user.js';
import { Deck } from './deck.js';
import { hostingSubnet, ipIn, scriptUa, sdkUa } from './net.js';
import { convsOf, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { byDay, chat, userMsg } from './stream.js';
import { respond } from './text.js';
import { type Acct, type Actor, card, type Ctx, DAY, type Draft, makeAcct } from './world.js';

/** The apps a router's customers build: each end-user conversation runs under one of them. */
const APP_SYSTEMS: readonly (string | null)[] = [
  'You review resumes and cover letters for job seekers. Give specific, actionable feedback organized under Strengths, Issues and Suggested rewrites. Be encouraging but honest. Do not fabricate experience for the user.',
  'You are ChatGPT, a large language model. Answer as concisely as possible.',
  'You are a patient math tutor for high-school and first-year university students. Explain concepts step by step, check the student\'s understanding, and never just give the final answer to graded work.',
  'You are a helpful assistant. The user is a non-native English speaker; use simple English.',
  'You are StudyBuddy, an assistant for university students. Explain course concepts clearly, create practice questions on request and keep a friendly tone.',
  'You turn raw meeting transcripts and notes into structured summaries: Summary (3 bullet points), Decisions, Action items (owner, due date), Open questions. Do not add information that is not in the notes.',
  "You are a fitness and nutrition coach in a workout app. Create safe, progressive workout plans based on the user's goals and equipment. Remind users to consult a doctor for medical issues.",
  'Always answer in Markdown.',
  'You are the virtual assistant of Harborview Credit Union. Answer general questions about accounts, cards, transfers and opening hours. Never ask for passwords or full card numbers.',
  'You are an expert software engineer. Be direct.',
  null,
  null,
];

export const HARVEST_SUFFIXES = [
  'Give a detailed, step-by-step answer.',
  'Give a thorough explanation of how to arrive at the answer, covering the underlying concepts and each deduction.',
  'Explain your answer in detail.',
  'Show all intermediate reasoning, then state the answer.',
];

const PARAMS = [{ max_tokens: 1024, temperature: 0.3 }, { max_tokens: 4096, temperature: 0.7 }, { max_tokens: 512, temperature: 0.7 }, { max_tokens: 2048, temperature: 1 }, { max_tokens: 2048, temperature: 0.7, stream: true }, { temperature: 0.7, stream: true }, { max_tokens: 1024, temperature: 0.7, stream: true }];

export interface ResellerParams {
  accounts: number;
  perDay: readonly [number, number];
  harvestShare: readonly [number, number];
}

export function h2Reseller(ctx: Ctx, rng: Rng, p: ResellerParams): Actor {
  const campaign = ctx.ids.fresh('c', 3);
  const domain = `${rng.pick(['ember', 'orbit', 'relay', 'switch', 'prism', 'nexa'])}${rng.pick(['-works.com', 'labs.co', 'route.io', 'ai.dev'])}`;
  const shared = card(ctx);
  const subnet = hostingSubnet(rng, 'aws');
  const accounts: Acct[] = Array.from({ length: p.accounts }, () =>
    makeAcct(ctx, { created: ctx.start - rng.float(60, 360) * DAY, tier: rng.pick(['tier-4', 'tier-5']), country: rng.pick(['US', 'US', 'AE', 'SG', 'GB']), emailDomain: domain, card: rng.chance(0.7) ? shared : card(ctx), signupIp: ipIn(subnet, rng), verified: true, label: 'extraction', campaign, playbook: 'H2', keys: rng.int(1, 2) }),
  );
  const plans = accounts.map((a) => ({ a, ips: [ipIn(subnet, rng), ipIn(subnet, rng)], ua: rng.chance(0.5) ? sdkUa(rng) : scriptUa(rng), perDay: rng.int(p.perDay[0], p.perDay[1]), share: rng.float(p.harvestShare[0], p.harvestShare[1]) }));
  const convs = convsOf(ctx.corpus, ctx.sources.chat);
  const deck = new Deck(rng, itemsOf(ctx.corpus, ctx.sources.harvest));
  return {
    playbook: 'H2',
    campaign,
    accounts,
    describe: `${campaign}: ${p.accounts} reseller account(s) @${domain}, ~${p.perDay[0]}-${p.perDay[1]}/day/acct, ${plans.map((x) => `${Math.round(x.share * 100)}%`).join('/')} harvest, ${APP_SYSTEMS.length} end-user app prompts, sources=[${ctx.sources.harvest.join(', ')}]`,
    events: () =>
      byDay(ctx, (_d, ds, out) => {
        for (const x of plans) {
          const n = Math.round(x.perDay * ctx.rateMul * dayFactor(rng, ds, 0.15));
          const harvest = Math.round(n * x.share);
          const push = (t: number, messages: ChatMessage[], text: string): void => {
            out.push({ t, acct: x.a, key: rng.pick(x.a.keys), ip: rng.pick(x.ips), ua: x.ua, endpoint: '/v1/chat/completions', body: chat(rng.pick(MODERN_MODELS), messages, rng.pick(PARAMS)), text } satisfies Draft);
          };
          for (const t of timesIn(rng, ds, ds + DAY, harvest, 'flat', 0)) {
            const it = deck.next();
            push(t, [userMsg(`${it.prompt}\n\n${rng.pick(HARVEST_SUFFIXES)}`)], respond(rng, ctx.corpus, it, 2048));
          }
          let left = n - harvest;
          for (const t0 of timesIn(rng, ds, ds + DAY, left, 'human', rng.pick([-6, 1, 8]))) {
            if (left <= 0) break;
            const system = rng.pick(APP_SYSTEMS);
            playConversation(ctx, rng, rng.pick(convs), t0, (t, m, a) => {
              push(t, m, a);
              left--;
            }, { system, maxTurns: Math.min(left, rng.int(1, 4)), think: [15_000, 400_000], varyFirst: true });
          }
        }
      }),
  };
}

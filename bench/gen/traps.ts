/**
 * Benign traffic that links unrelated accounts: a VPN or mobile-carrier exit address shared by
 * strangers, a viral prompt asked by hundreds of people within days, and a hub account whose
 * card and office address also set up many small client accounts.
 */
import { timesIn } from './clock.js';
import { converse, type Topics } from './chat-user.js';
import { cloudIp, personalDomain, residentialIp } from './net.js';
import { casualTopics, homeIp, peopleDays, type Person, person } from './people.js';
import { itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { type Actor, card, type Ctx, DAY, type Draft, HOUR } from './world.js';

export function vpnExit(ctx: Ctx, rng: Rng, size: number, kind: 'vpn' | 'mobile'): Actor & { exit: string } {
  // Commercial VPN exits sit in hosting ranges; carrier-grade NAT exits look residential.
  const exit = kind === 'vpn' ? cloudIp(rng) : residentialIp(rng);
  const people = Array.from({ length: size }, () => {
    const home = homeIp(rng);
    const share = kind === 'vpn' ? rng.float(0.6, 1) : rng.float(0.2, 0.7);
    // Whole sittings go through the exit: a VPN is switched on for a while, a phone leaves Wi-Fi for a while.
    let slot = -1;
    let via = false;
    return person(ctx, rng, 'benign:vpn', {
      ip: (t) => {
        const s = Math.floor(t / (2 * HOUR));
        if (s !== slot) {
          slot = s;
          via = rng.chance(share);
        }
        return via ? exit : home(t);
      },
    });
  });
  return {
    playbook: 'benign:vpn',
    campaign: null,
    accounts: people.map((p) => p.speaker.acct),
    exit,
    describe: `${size} unrelated users behind one ${kind === 'vpn' ? 'commercial VPN exit (hosting range)' : 'mobile-carrier CGNAT exit'} ${exit}, ${kind === 'vpn' ? '60-100%' : '20-70%'} of their sittings through it`,
    events: () => peopleDays(ctx, rng, people),
  };
}

/** Prompts that went round social media; {a}/{b} slots vary per person. */
const VIRAL: readonly { text: string; a: string[]; b: string[] }[] = [
  { text: 'Based on everything you know about me, describe my personality in three words and explain why. Be brutally honest.', a: [], b: [] },
  { text: 'Act as my brutally honest career coach. I am a {a} with {b} years of experience. What are the three things most likely holding me back?', a: ['software engineer', 'nurse', 'teacher', 'marketing manager', 'accountant', 'designer', 'data analyst'], b: ['2', '3', '5', '8', '12'] },
  { text: 'A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost? Think step by step.', a: [], b: [] },
  { text: 'How many r\'s are in the word "strawberry"? Count carefully, letter by letter.', a: [], b: [] },
  { text: 'Explain {a} like I am five, then explain it again like I am a PhD student.', a: ['quantum entanglement', 'inflation', 'black holes', 'blockchain', 'CRISPR', 'the stock market', 'general relativity'], b: [] },
  { text: 'Write a short poem about {a} in the style of a Taylor Swift song.', a: ['my cat', 'Mondays', 'coffee', 'my ex', 'the ocean', 'taxes', 'my hometown'], b: [] },
];

function viralText(rng: Rng, v: (typeof VIRAL)[number]): string {
  const t = v.text.replace('{a}', () => (v.a.length > 0 ? rng.pick(v.a) : '')).replace('{b}', () => (v.b.length > 0 ? rng.pick(v.b) : ''));
  return rng.chance(0.3) ? t.charAt(0).toLowerCase() + t.slice(1) : t;
}

export function viralPrompt(ctx: Ctx, rng: Rng, users: number, which?: number): Actor & { prompt: string } {
  const v = VIRAL[which ?? rng.int(0, VIRAL.length - 1)] ?? (VIRAL[0] as (typeof VIRAL)[number]);
  const peak = ctx.start + rng.float(1, Math.max(1.5, ctx.days - 3)) * DAY;
  const people = Array.from({ length: users }, () =>
    // One in five signed up to try it; the rest are existing users who saw it.
    person(ctx, rng, 'benign:viral', rng.chance(0.2) ? { acct: { created: peak - rng.float(0, 0.5) * DAY, verified: false, tier: 'free' } } : {}),
  );
  const asks = people.map((p) => {
    const created = Date.parse(p.speaker.acct.record.created_at);
    return { p, at: Math.max(created + rng.float(60_000, 3_600_000), peak + rng.normal(0, 0.2) * DAY + rng.exp(1.2 * DAY)) };
  });
  const askDay = new Map<number, typeof asks>();
  for (const a of asks) {
    const d = Math.floor((a.at - ctx.start) / DAY);
    askDay.set(d, [...(askDay.get(d) ?? []), a]);
  }
  return {
    playbook: 'benign:viral',
    campaign: null,
    accounts: people.map((p) => p.speaker.acct),
    prompt: v.text,
    describe: `${users} unrelated users ask "${v.text.slice(0, 70)}..." (light variations) within days of ${new Date(peak).toISOString().slice(0, 10)}, 20% signed up for it, otherwise their usual chat`,
    events: () =>
      peopleDays(ctx, rng, people, (d, _ds, out) => {
        for (const a of askDay.get(d) ?? []) {
          const conv = { src: 'viral', turns: [{ user: viralText(rng, v) }, ...(rng.chance(0.35) ? [{ user: rng.pick(['haha ok, go deeper', 'that is weirdly accurate', 'are you sure?', 'now do it for my friend']) }] : [])] };
          converse(ctx, rng, a.p.speaker, conv, a.at, out, 2);
        }
      }),
  };
}

const CLIENT_TEST = ['Hello! Can you confirm this key works?', 'test', 'Say hi in one sentence.', 'ping - are you there?'];

/** An IT consultancy: its own heavy account, plus client accounts it set up on its card and from its office. */
export function resellerHub(ctx: Ctx, rng: Rng, clients: number): Actor & { hub: string; card: string; office: string } {
  const office = residentialIp(rng);
  const shared = card(ctx);
  const domain = `${rng.pick(['bright', 'summit', 'clear', 'keystone', 'harbor'])}${rng.pick(['it', 'digital', 'tech'])}.${rng.pick(['com', 'co.uk', 'de'])}`;
  const code = itemsOf(ctx.corpus, ctx.sources.saasCode);
  const hubTopics: Topics = { ...casualTopics(ctx), items: code.length > 0 ? code : casualTopics(ctx).items, itemShare: 0.5 };
  const hub = person(ctx, rng, 'benign:hub', {
    acct: { created: ctx.start - rng.float(200, 700) * DAY, tier: 'tier-3', emailDomain: domain, card: shared, signupIp: office, verified: true, keys: 3 },
    ip: () => office,
    topics: hubTopics,
    routine: { activeP: 0.9, sittings: [3, 8], maxTurns: 5, curve: 'office' },
  });
  const people: Person[] = Array.from({ length: clients }, () => {
    const home = homeIp(rng);
    return person(ctx, rng, 'benign:hub', {
      acct: { created: ctx.start - rng.float(5, 500) * DAY, tier: rng.pick(['tier-1', 'tier-1', 'tier-2']), emailDomain: rng.chance(0.5) ? personalDomain(rng) : `${rng.pick(['bakery', 'dental', 'law', 'studio', 'garage', 'clinic', 'shop'])}${rng.int(1, 99)}.com`, card: rng.chance(0.6) ? shared : card(ctx), signupIp: rng.chance(0.7) ? office : residentialIp(rng), verified: rng.chance(0.3) },
      ip: (t) => (rng.chance(0.04) ? office : home(t)),
      routine: { activeP: rng.float(0.05, 0.4) },
    });
  });
  const setups = people.filter(() => rng.chance(0.3)).map((p) => ({ p, at: ctx.start + rng.float(0, ctx.days) * DAY }));
  return {
    playbook: 'benign:hub',
    campaign: null,
    accounts: [hub.speaker.acct, ...people.map((p) => p.speaker.acct)],
    hub: hub.speaker.acct.record.account,
    card: shared,
    office,
    describe: `IT consultancy @${domain} (office ${office}) with ${clients} client accounts it set up: 60% on its card, 70% signed up from its office, each then used by its own client from their own address; the consultancy tests some keys from the office`,
    events: () =>
      peopleDays(ctx, rng, [hub, ...people], (d, ds, out: Draft[]) => {
        for (const s of setups) {
          if (Math.floor((s.at - ctx.start) / DAY) !== d) continue;
          const t = timesIn(rng, ds, ds + DAY, 1, 'office', 1)[0] ?? s.at;
          converse(ctx, rng, { ...s.p.speaker, ip: () => office }, { src: 'setup', turns: [{ user: rng.pick(CLIENT_TEST) }] }, t, out, 1);
        }
      }),
  };
}

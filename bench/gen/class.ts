/**
 * A class of students on the university's card, domain and campus NAT, all working through the
 * same assignment items (in the same order, often pasted verbatim, "show your work") in the days
 * before a deadline, at temperature 0 or the client's default. The benign twin of a hydra that
 * shares items, except that here the items are shared, not split up.
 */
import type { ChatMessage } from '../../src/traffic/types.js';
import { timesIn } from './clock.js';
import { bodyFor, type Habits, modernHabits } from './chat-user.js';
import { country, residentialIp } from './net.js';
import { benign } from './personas.js';
import { itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { byDay, userMsg } from './stream.js';
import { respond } from './text.js';
import { type Actor, card, type Ctx, DAY, firstDayOf } from './world.js';
import type { OrgInfo } from './orgs.js';

const UNIS = ['cs.washington.edu', 'mit.edu', 'ox.ac.uk', 'tudelft.nl', 'kth.se', 'uni-heidelberg.de', 'nus.edu.sg', 'unsw.edu.au', 'mcgill.ca', 'uchicago.edu', 'iisc.ac.in', 'usp.br'];
const WORDINGS = ['{x}', '{x}\n\nShow your work.', 'Show your work:\n{x}', '{x}\nplease show your work step by step', 'Can you help me with this question from my assignment? Show your work.\n\n{x}', '{x}\n\nExplain how you got the answer.'];
const FOLLOW = ['why?', 'I got a different answer, can you check again?', 'can you explain the second step?', 'ok thanks', 'is there a faster way?'];

export function classroom(ctx: Ctx, rng: Rng, size: number, index = 0): Actor & { org: OrgInfo; assignment: string[] } {
  const domain = UNIS[index % UNIS.length] as string;
  const org: OrgInfo = { domain, card: card(ctx), ip: residentialIp(rng) };
  const c = country(rng);
  const deadline = rng.int(Math.min(ctx.days - 1, Math.floor(ctx.days / 2)), ctx.days - 1);
  const release = Math.max(0, deadline - rng.int(6, 10));
  const items = rng.sample(itemsOf(ctx.corpus, ctx.sources.cohort), rng.int(15, 40));
  const sdk = modernHabits(rng).ua;
  const students = Array.from({ length: size }, () => {
    const acct = benign(ctx, rng, 'benign:class', { created: ctx.start + rng.float(release - 20, release + 1) * DAY, tier: 'free', country: c.country, emailDomain: domain, card: org.card, signupIp: rng.chance(0.7) ? org.ip : residentialIp(rng), verified: false });
    // The course's starter notebook fixes the SDK for most; the rest use whatever client they like.
    const habits: Habits = { ...modernHabits(rng), system: null, endpoint: '/v1/chat/completions', temperature: rng.chance(0.35) ? 0 : null, ...(rng.chance(0.7) ? { ua: sdk, stream: false } : {}) };
    const first = Math.max(release, firstDayOf(ctx, acct));
    const sessions = Array.from({ length: rng.int(1, 4) }, () => Math.max(first, deadline - Math.floor(rng.exp(1.2)))).sort((a, b) => a - b);
    return { acct, habits, home: residentialIp(rng), wording: rng.pick(WORDINGS), sessions, done: Math.round(items.length * rng.float(0.4, 1)), pos: 0 };
  });
  return {
    playbook: 'benign:class',
    campaign: null,
    accounts: students.map((s) => s.acct),
    org,
    assignment: items.map((it) => it.prompt),
    describe: `${size} students @${domain}, one university card, campus NAT ${org.ip}, assignment of ${items.length} items from [${ctx.sources.cohort.join(', ')}] released day ${release}, deadline day ${deadline}, "show your work" wordings, temperature 0 or default`,
    events: () =>
      byDay(ctx, (d, ds, out) => {
        for (const s of students) {
          const today = s.sessions.filter((x) => x === d).length;
          if (today === 0 || s.pos >= s.done) continue;
          const per = Math.ceil(s.done / s.sessions.length);
          const lateNight = d === deadline || d === deadline - 1;
          let t = timesIn(rng, ds, ds + DAY, 1, 'human', c.tz)[0] ?? ds + 20 * 3_600_000;
          if (lateNight && rng.chance(0.4)) t = ds + ((23 - c.tz + 24) % 24) * 3_600_000 + rng.float(0, 2) * 3_600_000;
          const ip = rng.chance(lateNight ? 0.3 : 0.65) ? org.ip : s.home;
          for (const it of items.slice(s.pos, s.pos + per * today)) {
            const history: ChatMessage[] = [userMsg(s.wording.replace('{x}', () => it.prompt))];
            const turns = rng.chance(0.25) ? 2 : 1;
            for (let k = 0; k < turns; k++) {
              const answer = respond(rng, ctx.corpus, it, 1024);
              out.push({ t, acct: s.acct, key: s.acct.keys[0] as string, ip, ua: s.habits.ua, endpoint: '/v1/chat/completions', body: bodyFor(s.habits, rng, history.slice()), text: answer });
              history.push({ role: 'assistant', content: answer }, userMsg(rng.pick(FOLLOW)));
              t += rng.logUniform(20_000, 400_000);
            }
            t += rng.logUniform(30_000, 900_000);
          }
          s.pos += per * today;
        }
      }),
  };
}

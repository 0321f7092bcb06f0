/**
 * Benign organisations that share what a hydra shares: an enterprise's employees behind one NAT
 * address with one email domain and one company card; a family on one card and one home address.
 * Their traffic is organic: each member has their own client, topics and rhythm.
 */
import type { Habits, Topics } from './chat-user.js';
import { country, modernUa, residentialIp, tzOf, WEBMAIL } from './net.js';
import { casualTopics, homeIp, peopleDays, type Person, person } from './people.js';
import { convsOf, type Item, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { type Actor, card, type Ctx, DAY } from './world.js';

const COMPANIES = ['acme', 'northwind', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'tyrell', 'cyberdyne', 'soylent', 'hooli', 'vandelay', 'pied', 'dunder', 'wonka'];
const SUFFIX = ['corp.com', 'group.com', '-inc.com', 'industries.com', 'consulting.de', 'partners.co.uk', 'systems.io', 'bank.com', 'health.org', 'logistics.nl'];

const WORK_ASKS = [
  'Summarize this for a short update to my team:',
  'Turn this into three bullet points for a status report:',
  'Rewrite this so it sounds more professional:',
  'What are the key risks mentioned here?',
  'Draft a polite reply to this:',
  'Translate this into plain English for a customer:',
];

/** Work tasks built from the document pool: what office staff paste into a chat window. */
function workItems(ctx: Ctx, rng: Rng, n: number): Item[] {
  const docs = ctx.corpus.docs.length > 0 ? ctx.corpus.docs : ['Quarterly numbers are in; the team hit its targets.'];
  return Array.from({ length: n }, () => ({ src: 'docs', prompt: `${rng.pick(WORK_ASKS)}\n\n${rng.pick(docs).slice(0, rng.int(300, 2500))}`, kind: 'instr' as const, cat: 'writing' as const }));
}

export interface OrgInfo {
  domain: string;
  card: string;
  ip: string;
}

export function enterprise(ctx: Ctx, rng: Rng, size: number): Actor & { org: OrgInfo } {
  const domain = `${rng.pick(COMPANIES)}${rng.pick(SUFFIX)}`;
  const org: OrgInfo = { domain, card: card(ctx), ip: residentialIp(rng) };
  const c = country(rng);
  const rollout = ctx.start - rng.float(30, 400) * DAY;
  // An internal wrapper many employees use: one client string and one system prompt across accounts.
  const wrapper: Partial<Habits> = { ua: `${domain.split(/[.-]/)[0]}-assistant/1.${rng.int(0, 9)} ${modernUa(rng)}`, system: `You are the internal assistant of ${domain.split(/[.-]/)[0]}. Be accurate and concise. Do not share confidential information outside the company.` };
  const code = itemsOf(ctx.corpus, ctx.sources.saasCode);
  const work = workItems(ctx, rng, Math.max(40, size * 4));
  const people: Person[] = Array.from({ length: size }, () => {
    const dev = rng.chance(0.35);
    const home = residentialIp(rng);
    const remote = rng.float(0, 0.3);
    const topics: Topics = { convs: convsOf(ctx.corpus, ctx.sources.chat), items: dev && code.length > 0 ? code : work, itemShare: dev ? 0.5 : 0.45 };
    const p = person(ctx, rng, 'benign:enterprise', {
      acct: { created: rng.chance(0.6) ? rollout + rng.float(0, 2) * DAY : rng.float(rollout, ctx.start + 0.7 * ctx.days * DAY), tier: rng.pick(['tier-2', 'tier-3']), country: c.country, emailDomain: domain, card: org.card, signupIp: org.ip, verified: rng.chance(0.7) },
      ip: () => (rng.chance(remote) ? home : org.ip),
      topics,
      routine: { activeP: rng.float(0.3, 0.85), sittings: [1, 4], maxTurns: 6, curve: 'office', tz: c.tz },
    });
    if (rng.chance(0.4)) p.speaker.habits = { ...p.speaker.habits, ...wrapper };
    return p;
  });
  return {
    playbook: 'benign:enterprise',
    campaign: null,
    accounts: people.map((p) => p.speaker.acct),
    org,
    describe: `${size} employees @${domain} (${c.country}), one company card, office NAT ${org.ip} (0-30% of each employee's requests from home), ~40% through an internal wrapper (shared UA and system prompt), 35% developers asking code items, office hours`,
    events: () => peopleDays(ctx, rng, people),
  };
}

export function family(ctx: Ctx, rng: Rng, size: number): Actor & { org: OrgInfo } {
  const org: OrgInfo = { domain: rng.pick(WEBMAIL), card: card(ctx), ip: residentialIp(rng) };
  const c = country(rng);
  const homework = itemsOf(ctx.corpus, ctx.sources.cohort);
  const people = Array.from({ length: size }, (_, i) => {
    const teen = i >= 2 || (i === 1 && rng.chance(0.3));
    const mobile = homeIp(rng);
    return person(ctx, rng, 'benign:family', {
      acct: { created: ctx.start - rng.logUniform(3, 700) * DAY, tier: rng.pick(['free', 'tier-1', 'tier-1']), country: c.country, emailDomain: rng.chance(0.6) ? org.domain : rng.pick(WEBMAIL), card: org.card, signupIp: org.ip, verified: i === 0 },
      ip: (t) => (rng.chance(teen ? 0.1 : 0.25) ? mobile(t) : org.ip),
      topics: teen && homework.length > 0 ? { ...casualTopics(ctx), items: homework, itemShare: 0.5 } : casualTopics(ctx),
      routine: { activeP: rng.float(0.1, 0.6), sittings: [1, 2], maxTurns: 6, curve: 'human', tz: tzOf(c.country) },
    });
  });
  return {
    playbook: 'benign:family',
    campaign: null,
    accounts: people.map((p) => p.speaker.acct),
    org,
    describe: `${size} members (${c.country}), one card, home IP ${org.ip} (mobile some of the time), the younger ones asking homework items from [${ctx.sources.cohort.join(', ')}]`,
    events: () => peopleDays(ctx, rng, people),
  };
}

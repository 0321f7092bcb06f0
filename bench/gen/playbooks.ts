/**
 * Extraction playbooks. P1-P5 follow dev-v1's README; P6-P9 are styles dev-v1 lacks
 * (slow-and-low, paraphrased templates, cover traffic, multi-turn extraction), with options
 * for residential proxies, aged accounts and jittered timing.
 */
import type { ChatMessage, RequestBody } from '../../src/traffic/types.js';
import { timesIn } from './clock.js';
import { country, hostingSubnet, HOSTING_NAMES, ipIn, personalDomain, residentialIp, scriptUa, sdkUa } from './net.js';
import { convsOf, type Category, type Item, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { byDay, chat, userMsg, withSystem } from './stream.js';
import { COT_SUFFIXES, FOLLOW_UPS, HARVEST_TEMPLATES, neutral, paraphrase, RANDOM_SYSTEM, respond, TRACE_PROMPTS } from './text.js';
import { playConversation } from './chat-user.js';
import { Deck } from './deck.js';
import { type Acct, type Actor, card, type Ctx, DAY, type Draft, HOUR, makeAcct } from './world.js';

export interface Stealth {
  /** Each request from a random residential address (a proxy network) instead of hosting /24s. */
  residential: boolean;
  /** Accounts created weeks to months before first use. */
  aged: boolean;
  /** Gaps drawn from a wide distribution instead of a metronome. */
  jitter: boolean;
}

const NO_STEALTH: Stealth = { residential: false, aged: false, jitter: false };

interface Fleet {
  campaign: string;
  accounts: Acct[];
  ip: (rng: Rng, a: Acct) => string;
  ua: (rng: Rng, a: Acct) => string;
}

interface FleetOpts {
  playbook: string;
  size: number;
  cards: number;
  stealth: Stealth;
  firstDay: number;
  sharedUa: boolean;
  /** Email domains: one pattern across the fleet (hydra) or ordinary webmail. */
  emailPattern: boolean;
}

function fleet(ctx: Ctx, rng: Rng, o: FleetOpts): Fleet {
  const campaign = ctx.ids.fresh('c', 3);
  const cards = Array.from({ length: Math.max(1, o.cards) }, () => card(ctx));
  const base = `${rng.pick(['nova', 'flux', 'sky', 'zen', 'apex', 'lumo', 'quark', 'vela'])}${rng.pick(['alpha', 'send', 'cloud', 'mail', 'box', 'net'])}`;
  const tld = rng.pick(['io', 'net', 'co', 'shop', 'xyz']);
  const provider = rng.pick(HOSTING_NAMES);
  const subnets = Array.from({ length: rng.int(1, 3) }, () => hostingSubnet(rng, provider));
  const c = country(rng);
  const start = ctx.start + o.firstDay * DAY;
  const accounts: Acct[] = [];
  const ipOf = new Map<string, string>();
  for (let i = 0; i < o.size; i++) {
    const created = o.stealth.aged ? start - rng.float(14, 120) * DAY : start - rng.float(0, 3) * DAY;
    const a = makeAcct(ctx, {
      created,
      tier: o.stealth.aged ? rng.pick(['tier-1', 'tier-2', 'tier-2', 'tier-3']) : rng.pick(['tier-1', 'tier-1', 'tier-2', 'free']),
      country: o.stealth.aged ? country(rng).country : c.country,
      emailDomain: o.emailPattern ? (rng.chance(0.5) ? `${base}.${tld}` : `${base}${rng.int(1, 99)}.${tld}`) : personalDomain(rng),
      card: o.cards >= o.size ? card(ctx) : rng.pick(cards),
      signupIp: o.stealth.residential ? residentialIp(rng) : ipIn(rng.pick(subnets), rng),
      verified: o.stealth.aged && rng.chance(0.4),
      label: 'extraction',
      campaign,
      playbook: o.playbook,
    });
    accounts.push(a);
    ipOf.set(a.record.account, ipIn(rng.pick(subnets), rng));
  }
  const fixedUa = scriptUa(rng);
  const uaPool = [sdkUa(rng), sdkUa(rng), sdkUa(rng), scriptUa(rng)];
  const uaOf = new Map(accounts.map((a) => [a.record.account, rng.pick(uaPool)] as const));
  return {
    campaign,
    accounts,
    ip: (r, a) => (o.stealth.residential ? residentialIp(r) : (ipOf.get(a.record.account) as string)),
    ua: (_r, a) => (o.sharedUa ? fixedUa : (uaOf.get(a.record.account) as string)),
  };
}

function harvestPool(ctx: Ctx, cats?: readonly Category[]): Item[] {
  const all = itemsOf(ctx.corpus, ctx.sources.harvest);
  if (!cats) return all;
  const some = all.filter((it) => cats.includes(it.cat));
  return some.length >= 200 ? some : all;
}

/** Arrival gaps: metronomic for naive scripts, heavy-tailed when the operator adds jitter. */
function gap(rng: Rng, mean: number, jitter: boolean): number {
  return jitter ? rng.exp(mean) : mean * rng.float(0.9, 1.1);
}

function inShift(t: number, shift: readonly [number, number]): boolean {
  const h = ((t % DAY) + DAY) % DAY / HOUR;
  return h >= shift[0] && h < shift[1];
}

interface Window {
  firstDay: number;
  days: number;
}

function campaignWindow(ctx: Ctx, rng: Rng, lo: number, hi: number): Window {
  const days = Math.min(ctx.days, rng.float(lo, hi));
  return { firstDay: rng.float(0, Math.max(0, ctx.days - days)), days };
}

/**
 * Shared driver: a campaign-wide clock, with each tick assigned round-robin to the fleet's
 * accounts (the synchronized load balancing of dev-v1's hydras) unless `perAccount` is set.
 */
function* ticks(ctx: Ctx, rng: Rng, f: Fleet, w: Window, perDay: number, shift: readonly [number, number], jitter: boolean, make: (t: number, a: Acct, out: Draft[]) => void): Generator<Draft> {
  const from = ctx.start + w.firstDay * DAY;
  const to = from + w.days * DAY;
  const activeHours = shift[1] - shift[0];
  const mean = (activeHours * HOUR) / Math.max(1, perDay * ctx.rateMul);
  let t = from;
  let i = 0;
  yield* byDay(ctx, (_d, ds, out) => {
    const dayEnd = Math.min(ds + DAY, to);
    if (t < ds) t = ds;
    while (t < dayEnd) {
      t += gap(rng, mean, jitter);
      if (t >= dayEnd) break;
      if (!inShift(t, shift)) continue;
      make(t, f.accounts[i++ % f.accounts.length] as Acct, out);
    }
  }, Math.floor(w.firstDay), Math.ceil(w.firstDay + w.days));
}

function draftFor(f: Fleet, rng: Rng, a: Acct, t: number, body: RequestBody, text: string, choices?: number): Draft {
  return { t, acct: a, key: rng.pick(a.keys), ip: f.ip(rng, a), ua: f.ua(rng, a), endpoint: '/v1/chat/completions', body, text, ...(choices ? { choices } : {}) };
}

const HARVEST_MODELS = ['gpt-5', 'gpt-4.1', 'o4-mini', 'gpt-4o', 'o3'];

export function p1Bulk(ctx: Ctx, rng: Rng, stealth: Stealth = NO_STEALTH): Actor {
  const w = campaignWindow(ctx, rng, 0.4, 1);
  const f = fleet(ctx, rng, { playbook: 'P1', size: rng.int(1, 3), cards: 3, stealth, firstDay: w.firstDay, sharedUa: true, emailPattern: false });
  const template = rng.pick(HARVEST_TEMPLATES);
  const cot = rng.chance(0.6) ? `\n\n${rng.pick(COT_SUFFIXES)}` : '';
  const deck = new Deck(rng, harvestPool(ctx));
  const model = rng.pick(HARVEST_MODELS);
  const rate = rng.int(2500, 4000) * f.accounts.length;
  const maxTokens = rng.pick([2048, 4096]);
  return {
    playbook: 'P1',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${f.accounts.length} acct, template='${template.slice(0, 40).replace(/\n/g, ' ')}', sources=[${ctx.sources.harvest.join(', ')}], ~${rate}/day for ${w.days.toFixed(2)} d`,
    events: () =>
      ticks(ctx, rng, f, w, rate, [0, 24], stealth.jitter, (t, a, out) => {
        const it = deck.next();
        out.push(draftFor(f, rng, a, t, chat(model, [userMsg(template.replace('{x}', it.prompt) + cot)], { max_tokens: maxTokens, temperature: 0.7 }), respond(rng, ctx.corpus, it, maxTokens)));
      }),
  };
}

export function p2Hydra(ctx: Ctx, rng: Rng, size: number, stealth: Stealth = NO_STEALTH): Actor {
  const w = campaignWindow(ctx, rng, 1, 2);
  const f = fleet(ctx, rng, { playbook: 'P2', size, cards: rng.int(3, 6), stealth, firstDay: w.firstDay, sharedUa: true, emailPattern: true });
  const family = rng.sample(HARVEST_TEMPLATES, 2);
  const shift = rng.pick([[6, 22], [8, 20], [0, 24]] as const);
  const perAcct = rng.int(50, 200);
  const deck = new Deck(rng, harvestPool(ctx));
  const model = rng.pick(HARVEST_MODELS);
  return {
    playbook: 'P2',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${size} accounts, shift=${shift[0]}-${shift[1]}h UTC, ~${perAcct}/day/acct for ${w.days.toFixed(2)} d, sources=[${ctx.sources.harvest.join(', ')}]`,
    events: () =>
      ticks(ctx, rng, f, w, perAcct * size, shift, stealth.jitter, (t, a, out) => {
        const it = deck.next();
        const tpl = rng.pick(family);
        out.push(draftFor(f, rng, a, t, chat(model, [userMsg(tpl.replace('{x}', it.prompt))], { max_tokens: 1024, temperature: 1 }), respond(rng, ctx.corpus, it, 1024)));
      }),
  };
}

export function p3Traces(ctx: Ctx, rng: Rng, stealth: Stealth = NO_STEALTH): Actor {
  const w = campaignWindow(ctx, rng, 2.5, 3.5);
  const f = fleet(ctx, rng, { playbook: 'P3', size: rng.int(1, 3), cards: 3, stealth, firstDay: w.firstDay, sharedUa: true, emailPattern: false });
  const deck = new Deck(rng, harvestPool(ctx, ['math', 'code', 'qa']));
  const mode = rng.pick(['n', 'seeds', 'logprobs'] as const);
  const perAcct = rng.int(150, 600);
  const model = rng.pick(['o4-mini', 'gpt-5', 'o3', 'gpt-4.1']);
  return {
    playbook: 'P3',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${f.accounts.length} acct, ${mode}, ~${perAcct}/day/acct for ${w.days.toFixed(2)} d`,
    events: () => {
      let seedRun = 0;
      let current: Item = deck.next();
      return ticks(ctx, rng, f, w, perAcct * f.accounts.length, [0, 24], stealth.jitter, (t, a, out) => {
        if (mode !== 'seeds' || seedRun === 0) {
          current = deck.next();
          seedRun = mode === 'seeds' ? rng.int(3, 6) : 1;
        }
        seedRun--;
        const trace = rng.pick(TRACE_PROMPTS);
        const text = rng.chance(0.5) ? `${trace}\n\n${current.prompt}` : `${current.prompt}\n\n${trace}`;
        const maxTokens = rng.pick([2048, 4096, 8192]);
        const params: Omit<RequestBody, 'model' | 'messages'> = { max_tokens: maxTokens, temperature: rng.pick([0.7, 0.8, 1]) };
        let n: number | undefined;
        if (mode === 'n') params.n = n = rng.int(2, 8);
        if (mode === 'seeds') params.seed = rng.int(1, 10000);
        if (mode === 'logprobs') Object.assign(params, { logprobs: true, top_logprobs: rng.pick([5, 10, 20]) });
        out.push(draftFor(f, rng, a, t, chat(model, [userMsg(text)], params), respond(rng, ctx.corpus, current, maxTokens), n));
      });
    },
  };
}

function listOf(rng: Rng, pool: readonly Item[], k: number): string {
  return rng
    .sample(pool, k)
    .map((it, i) => `${i + 1}. Instruction: ${it.prompt.split('\n')[0] ?? ''}\n${i + 1}. Output:\n${(it.answer ?? '').slice(0, 300)}`)
    .join('\n###\n');
}

export function p4SelfInstruct(ctx: Ctx, rng: Rng, stealth: Stealth = NO_STEALTH): Actor {
  const w = campaignWindow(ctx, rng, 3, 5);
  const f = fleet(ctx, rng, { playbook: 'P4', size: rng.int(1, 2), cards: 2, stealth, firstDay: w.firstDay, sharedUa: true, emailPattern: false });
  const pool = itemsOf(ctx.corpus, ctx.sources.instructions);
  const withAnswers = pool.filter((it) => it.answer);
  const deck = new Deck(rng, pool);
  const useB02 = ctx.sources.instructions.some((s) => s.startsWith('B'));
  const ownPrompt = `Generate ${rng.pick([10, 15, 20])} new, diverse requests that real users might send to an AI assistant. Vary topic, length and format (questions, commands, creative tasks). Number them and put each on its own line.\n\nExamples:\n`;
  const perAcct = rng.int(150, 500);
  const model = rng.pick(HARVEST_MODELS);
  return {
    playbook: 'P4',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${f.accounts.length} acct, generation prompt=${useB02 ? 'B02' : 'own wording'}, ~${perAcct}/day/acct for ${w.days.toFixed(2)} d`,
    events: () => {
      let k = 0;
      return ticks(ctx, rng, f, w, perAcct * f.accounts.length, [0, 24], stealth.jitter, (t, a, out) => {
        const phase = k++ % 12;
        if (phase === 0) {
          const prompt = useB02 ? `${ctx.corpus.generationPrompt}\n\n${listOf(rng, withAnswers.length > 0 ? withAnswers : pool, 3)}\n###\n4. Instruction:` : `${ownPrompt}${rng.sample(pool, 3).map((it) => `- ${it.prompt.split('\n')[0] ?? ''}`).join('\n')}`;
          const generated = rng.sample(pool, 20).map((it, i) => `${i + 4}. Instruction: ${it.prompt.split('\n')[0] ?? ''}`).join('\n###\n');
          out.push(draftFor(f, rng, a, t, chat(model, [userMsg(prompt)], { max_tokens: 3072, temperature: 1, top_p: 1 }), generated));
        } else if (phase === 11) {
          const it = deck.next();
          const prompt = `You are a strict grader. Compare the two answers below, say which is better, and give each a score out of 10 with a short justification.\n\nQuestion: ${it.prompt}\n\nAnswer 1: ${respond(rng, ctx.corpus, it, 512)}\n\nAnswer 2: ${neutral(rng, ctx.corpus, false, 512, '')}`;
          out.push(draftFor(f, rng, a, t, chat(model, [userMsg(prompt)], { max_tokens: 512, temperature: 0 }), `Answer ${rng.int(1, 2)} is better. Answer 1: ${rng.int(3, 9)}/10. Answer 2: ${rng.int(2, 8)}/10. ${neutral(rng, ctx.corpus, false, 200, '').slice(0, 300)}`));
        } else {
          const it = deck.next();
          const prompt = `Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\n${it.prompt}\n\n### Response:`;
          out.push(draftFor(f, rng, a, t, chat(model, [userMsg(prompt)], { max_tokens: 1024, temperature: 0.7 }), respond(rng, ctx.corpus, it, 1024)));
        }
      });
    },
  };
}

export function p5Sweep(ctx: Ctx, rng: Rng, stealth: Stealth = NO_STEALTH): Actor {
  const w = campaignWindow(ctx, rng, 2.5, 4);
  const f = fleet(ctx, rng, { playbook: 'P5', size: rng.int(2, 3), cards: 3, stealth, firstDay: w.firstDay, sharedUa: true, emailPattern: false });
  const all = harvestPool(ctx);
  const cats = (['classification', 'code', 'math', 'qa', 'writing'] as Category[]).filter((c) => all.some((it) => it.cat === c));
  const decks = cats.map((c) => new Deck(rng, all.filter((it) => it.cat === c)));
  const system = rng.chance(0.5) ? 'You are a helpful assistant. Always give complete, detailed answers.' : null;
  const suffix = rng.pick(['', '\n\nPlease give a complete answer.', '\n\nBe thorough.']);
  const perAcct = rng.int(120, 300);
  const model = rng.pick(HARVEST_MODELS);
  return {
    playbook: 'P5',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${f.accounts.length} acct, categories=[${cats.join(', ')}], ~${perAcct}/day/acct for ${w.days.toFixed(2)} d`,
    events: () => {
      let k = 0;
      return ticks(ctx, rng, f, w, perAcct * f.accounts.length, [0, 24], stealth.jitter, (t, a, out) => {
        const it = (decks[k++ % decks.length] as Deck<Item>).next();
        out.push(draftFor(f, rng, a, t, chat(model, withSystem(system, [userMsg(it.prompt + suffix)]), { max_tokens: 2048 }), respond(rng, ctx.corpus, it, 2048)));
      });
    },
  };
}

/**
 * P6 slow-and-low: hundreds of aged accounts, each a few dozen requests a day on a human-looking
 * curve, each from its own residential proxy address and card, together covering a dataset.
 */
export function p6SlowLow(ctx: Ctx, rng: Rng, size: number, perDay: [number, number], span: [number, number] = [6, 12]): Actor {
  const stealth: Stealth = { residential: true, aged: true, jitter: true };
  const w = campaignWindow(ctx, rng, span[0], span[1]);
  const f = fleet(ctx, rng, { playbook: 'P6', size, cards: size, stealth, firstDay: w.firstDay, sharedUa: false, emailPattern: false });
  const from = ctx.start + w.firstDay * DAY;
  const to = from + w.days * DAY;
  const deck = new Deck(rng, harvestPool(ctx));
  const model = rng.pick(HARVEST_MODELS);
  const plans = f.accounts.map((a) => ({ a, rate: rng.int(perDay[0], perDay[1]), tz: rng.pick([-6, 0, 1, 5.5, 8]), first: w.firstDay + rng.float(0, w.days / 4), last: w.firstDay + w.days - rng.float(0, w.days / 4) }));
  const traces = rng.sample(TRACE_PROMPTS, 2).concat(COT_SUFFIXES);
  return {
    playbook: 'P6',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${size} aged accounts, ${perDay[0]}-${perDay[1]}/day each, residential proxies, one card each, ${w.days.toFixed(1)} d, sources=[${ctx.sources.harvest.join(', ')}]`,
    events: () =>
      byDay(ctx, (d, ds, out) => {
        for (const p of plans) {
          if (d < Math.floor(p.first) || d > p.last) continue;
          const n = Math.max(1, Math.round(p.rate * ctx.rateMul * rng.float(0.7, 1.3)));
          for (const t of timesIn(rng, ds, ds + DAY, n, 'human', p.tz)) {
            if (t < from || t >= to) continue;
            const it = deck.next();
            const text = rng.chance(0.6) ? paraphrase(rng, it.prompt) : `${it.prompt}\n\n${rng.pick(traces)}`;
            const maxTokens = rng.pick([1024, 2048, 4096]);
            out.push(draftFor(f, rng, p.a, t, chat(model, [userMsg(text)], { max_tokens: maxTokens, temperature: rng.pick([0.7, 1]) }), respond(rng, ctx.corpus, it, maxTokens)));
          }
        }
      }, Math.floor(w.firstDay), Math.ceil(w.firstDay + w.days)),
  };
}

/** P7 paraphrased templates: every request reworded and under a random system prompt. */
export function p7Paraphrase(ctx: Ctx, rng: Rng, stealth: Stealth): Actor {
  const w = campaignWindow(ctx, rng, 3, 6);
  const f = fleet(ctx, rng, { playbook: 'P7', size: rng.int(3, 8), cards: rng.int(2, 8), stealth, firstDay: w.firstDay, sharedUa: false, emailPattern: false });
  const deck = new Deck(rng, harvestPool(ctx));
  const perAcct = rng.int(60, 150);
  const models = rng.sample(HARVEST_MODELS, 2);
  return {
    playbook: 'P7',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${f.accounts.length} acct, paraphrased prompts + random system prompts, ~${perAcct}/day/acct for ${w.days.toFixed(2)} d${stealth.residential ? ', residential proxies' : ''}`,
    events: () =>
      ticks(ctx, rng, f, w, perAcct * f.accounts.length, [0, 24], true, (t, a, out) => {
        const it = deck.next();
        const maxTokens = rng.pick([800, 1500, 2048, 3000]);
        const system = rng.chance(0.8) ? rng.pick(RANDOM_SYSTEM) : null;
        out.push(draftFor(f, rng, a, t, chat(rng.pick(models), withSystem(system, [userMsg(paraphrase(rng, it.prompt))]), { max_tokens: maxTokens, temperature: Math.round(rng.float(0.3, 1.1) * 10) / 10 }), respond(rng, ctx.corpus, it, maxTokens)));
      }),
  };
}

/** P8 cover traffic: harvest requests hidden among casual multi-turn chats from the same accounts. */
export function p8Cover(ctx: Ctx, rng: Rng, stealth: Stealth): Actor {
  const w = campaignWindow(ctx, rng, 5, 10);
  const f = fleet(ctx, rng, { playbook: 'P8', size: rng.int(3, 10), cards: rng.int(2, 10), stealth, firstDay: w.firstDay, sharedUa: false, emailPattern: false });
  const from = ctx.start + w.firstDay * DAY;
  const to = from + w.days * DAY;
  const deck = new Deck(rng, harvestPool(ctx));
  const convs = convsOf(ctx.corpus, ctx.sources.chat);
  const coverShare = rng.float(0.3, 0.6);
  const perAcct = rng.int(50, 120);
  const model = rng.pick(HARVEST_MODELS);
  const template = rng.pick(HARVEST_TEMPLATES);
  return {
    playbook: 'P8',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${f.accounts.length} acct, ~${perAcct}/day/acct, ${Math.round(coverShare * 100)}% cover chat, ${w.days.toFixed(1)} d`,
    events: () =>
      byDay(ctx, (_d, ds, out) => {
        for (const a of f.accounts) {
          const n = Math.round(perAcct * ctx.rateMul * rng.float(0.8, 1.2));
          const starts = timesIn(rng, ds, ds + DAY, n, 'human', 0);
          for (let i = 0; i < starts.length; i++) {
            const t = starts[i] as number;
            if (t < from || t >= to) continue;
            if (rng.chance(coverShare / 2)) {
              // A cover chat costs several requests, hence half the share in starts.
              playConversation(ctx, rng, rng.pick(convs), t, (tt, m, ans) => out.push(draftFor(f, rng, a, tt, chat(model, m), ans)), { system: null, maxTurns: rng.int(2, 5), think: [20_000, 400_000], varyFirst: true });
            } else {
              const it = deck.next();
              const text = rng.chance(0.5) ? template.replace('{x}', it.prompt) : paraphrase(rng, it.prompt);
              out.push(draftFor(f, rng, a, t, chat(model, [userMsg(text)], { max_tokens: 2048 }), respond(rng, ctx.corpus, it, 2048)));
            }
          }
        }
      }, Math.floor(w.firstDay), Math.ceil(w.firstDay + w.days)),
  };
}

/** P9 multi-turn extraction: each item followed by "explain further" turns, history resent. */
export function p9MultiTurn(ctx: Ctx, rng: Rng, stealth: Stealth): Actor {
  const w = campaignWindow(ctx, rng, 3, 6);
  const f = fleet(ctx, rng, { playbook: 'P9', size: rng.int(2, 6), cards: rng.int(1, 6), stealth, firstDay: w.firstDay, sharedUa: true, emailPattern: false });
  const from = ctx.start + w.firstDay * DAY;
  const to = from + w.days * DAY;
  const deck = new Deck(rng, harvestPool(ctx));
  const perAcct = rng.int(20, 45);
  const model = rng.pick(HARVEST_MODELS);
  return {
    playbook: 'P9',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${f.accounts.length} acct, ~${perAcct} items/day/acct with 1-3 follow-ups each, ${w.days.toFixed(1)} d`,
    events: () =>
      byDay(ctx, (_d, ds, out) => {
        for (const a of f.accounts) {
          const n = Math.round(perAcct * ctx.rateMul * rng.float(0.8, 1.2));
          for (const t0 of timesIn(rng, ds, ds + DAY, n, stealth.jitter ? 'human' : 'flat', 0)) {
            if (t0 < from || t0 >= to) continue;
            const it = deck.next();
            const history: ChatMessage[] = [userMsg(it.prompt)];
            let t = t0;
            const turns = 1 + rng.int(1, 3);
            for (let k = 0; k < turns; k++) {
              const ans = k === 0 ? respond(rng, ctx.corpus, it, 2048) : neutral(rng, ctx.corpus, it.kind === 'code', 2048, 'explain');
              out.push(draftFor(f, rng, a, t, chat(model, history.slice(), { max_tokens: 2048, temperature: 0.7 }), ans));
              history.push({ role: 'assistant', content: ans }, userMsg(rng.pick(FOLLOW_UPS)));
              t += stealth.jitter ? rng.logUniform(5_000, 120_000) : rng.float(2_000, 4_000);
            }
          }
        }
      }, Math.floor(w.firstDay), Math.ceil(w.firstDay + w.days)),
  };
}

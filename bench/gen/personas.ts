/** Benign personas, modelled on dev-v1's README (casual, saas, batch, bench, cohort, tinker). */
import type { ChatMessage, RequestBody } from '../../src/traffic/types.js';
import { dayFactor, timesIn } from './clock.js';
import { cloudIp, clientUa, country, hostingSubnet, HOSTING_NAMES, ipIn, personalDomain, residentialIp, scriptUa, sdkUa } from './net.js';
import { convsOf, type Conversation, type Item, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { playConversation } from './chat-user.js';
import { byDay, chat, userMsg, withSystem } from './stream.js';
import { CASUAL_SYSTEM, COT_SUFFIXES, neutral, respond, vary } from './text.js';
import { type Acct, type AcctSpec, type Actor, card, type Ctx, DAY, HOUR, makeAcct, MIN } from './world.js';

const CONSUMER_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-5-mini', 'gpt-5', 'o4-mini'];

export function benign(ctx: Ctx, rng: Rng, playbook: string, over: Partial<AcctSpec> = {}): Acct {
  const c = country(rng);
  return makeAcct(ctx, {
    created: ctx.start - rng.logUniform(2 * DAY, 900 * DAY),
    tier: rng.weighted([['tier-1', 6], ['tier-2', 3], ['tier-3', 1], ['free', 2]]),
    country: c.country,
    emailDomain: personalDomain(rng),
    card: card(ctx),
    signupIp: residentialIp(rng),
    verified: rng.chance(0.35),
    label: 'benign',
    campaign: null,
    playbook,
    ...over,
  });
}

export function casual(ctx: Ctx, rng: Rng, org?: { domain: string; card: string }): Actor {
  const acct = benign(ctx, rng, 'benign:casual', org ? { emailDomain: org.domain, card: org.card } : {});
  const c = acct.record.country ?? 'US';
  const tz = ({ US: -6, CA: -5, BR: -3, MX: -6, IN: 5.5, JP: 9, KR: 9, AU: 10, SG: 8, ID: 7, VN: 7, PH: 8 } as Record<string, number>)[c] ?? 1;
  const convs = convsOf(ctx.corpus, ctx.sources.chat);
  const extra = itemsOf(ctx.corpus, ctx.sources.casualExtra);
  const activeP = Math.min(0.8, rng.logUniform(0.03, 0.6));
  const ua = clientUa(rng);
  const model = rng.pick(CONSUMER_MODELS);
  const system = rng.pick(CASUAL_SYSTEM) || null;
  let ip = residentialIp(rng);
  const key = acct.keys[0] as string;
  return {
    playbook: 'benign:casual',
    campaign: null,
    accounts: [acct],
    describe: '',
    events: () =>
      byDay(ctx, (_d, ds, out) => {
        if (!rng.chance(activeP)) return;
        if (rng.chance(0.15)) ip = residentialIp(rng);
        const sessions = rng.int(1, 3);
        for (const t0 of timesIn(rng, ds, ds + DAY, sessions, 'human', tz)) {
          const send = (t: number, messages: ChatMessage[], answer: string): void => {
            const temp = rng.chance(0.5) ? { temperature: rng.pick([0.7, 1, 0.5]) } : {};
            out.push({ t, acct, key, ip, ua, endpoint: '/v1/chat/completions', body: chat(model, messages, temp), text: answer });
          };
          if (extra.length > 0 && rng.chance(0.25)) {
            const it = rng.pick(extra);
            const conv: Conversation = { src: it.src, turns: [{ user: it.prompt, ...(it.answer ? { assistant: it.answer } : {}) }, { user: rng.pick(['thanks! can you explain why?', 'ok and what if it was different?', 'can you make it shorter']) }] };
            playConversation(ctx, rng, conv, t0, send, { system, maxTurns: rng.int(1, 2), think: [20_000, 900_000], varyFirst: true });
          } else {
            playConversation(ctx, rng, rng.pick(convs), t0, send, { system, maxTurns: rng.int(1, 8), think: [20_000, 900_000], varyFirst: true });
          }
        }
      }),
  };
}

interface Product {
  name: string;
  system: string;
  mode: 'chat' | 'oneshot' | 'rag' | 'tutor';
}

const PRODUCTS: Product[] = [
  { name: 'journaling-companion', mode: 'chat', system: 'You are Sol, a warm journaling companion. Reflect the user\'s feelings back, ask one gentle follow-up question, never give medical advice.' },
  { name: 'code-helper', mode: 'chat', system: 'You are DevPilot, a coding assistant embedded in an IDE. Answer programming questions precisely. Prefer short, working code examples with brief explanations.' },
  { name: 'review-responder', mode: 'oneshot', system: 'You write polite, brand-safe replies to customer reviews for small businesses. Keep replies under 80 words. Thank the customer and address specific points.' },
  { name: 'support-desk', mode: 'rag', system: 'You are the help-center assistant for Trellis (project management software). Answer only from the provided context. If the answer is not in the context, say you will connect the user with a human.' },
  { name: 'homework-tutor', mode: 'tutor', system: 'You are Quill, a patient tutor for middle- and high-school students. Explain step by step, check understanding, and do not just hand over final answers.' },
  { name: 'writing-assistant', mode: 'chat', system: 'You are Inkwell, a writing assistant. Help users draft, edit and polish text. Match the user\'s tone.' },
  { name: 'sales-email-gen', mode: 'oneshot', system: 'Generate a concise, personalised outreach email from the notes provided. Subject line first. No more than 120 words.' },
  { name: 'study-notes', mode: 'tutor', system: 'You turn course material into clear study notes with worked examples. Use headings and bullet points.' },
  { name: 'quiz-coach', mode: 'tutor', system: 'You are QuizCoach. The student sends a practice question from their course; explain the reasoning step by step, name the concept tested, then give the answer.' },
  { name: 'research-explainer', mode: 'chat', system: 'You explain research papers and technical topics to curious non-experts. Use analogies, avoid jargon, and say when something is uncertain.' },
  { name: 'exam-prep', mode: 'tutor', system: 'You help university students prepare for exams. For each question, show your work, then summarise the method in one line.' },
];

export function saas(ctx: Ctx, rng: Rng, index: number, peakPerDay: number): Actor {
  const product = PRODUCTS[index % PRODUCTS.length] as Product;
  const region = rng.pick([['us', -6], ['eu', 1], ['apac', 8]] as const);
  const acct = benign(ctx, rng, 'benign:saas', { tier: rng.pick(['tier-4', 'tier-5']), verified: true, keys: rng.int(1, 3), emailDomain: `${product.name.replace(/-/g, '')}.io`, created: ctx.start - rng.float(60, 700) * DAY });
  const provider = rng.pick(HOSTING_NAMES);
  const subnets = [hostingSubnet(rng, provider), hostingSubnet(rng, provider)];
  const ips = Array.from({ length: rng.int(2, 5) }, () => ipIn(rng.pick(subnets), rng));
  const ua = rng.pick([`langchain-openai/0.2.17 ${sdkUa(rng)}`, sdkUa(rng), `llamaindex/0.12.${rng.int(1, 30)} ${sdkUa(rng)}`]);
  const model = rng.pick(['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o']);
  const launchDay = rng.chance(0.25) ? rng.int(2, Math.max(2, ctx.days - 5)) : 0;
  const chatPool = convsOf(ctx.corpus, ctx.sources.chat);
  const codePool = itemsOf(ctx.corpus, ctx.sources.saasCode);
  const tutorPool = itemsOf(ctx.corpus, ctx.sources.saas);
  const docs = ctx.corpus.docs;
  const peak = Math.max(5, Math.round(peakPerDay * ctx.rateMul));
  const endUsers = Array.from({ length: Math.max(20, peak) }, () => `u_${rng.hex(10)}`);
  const temperature = rng.pick([0.3, 0.7, 0.9]);
  const stream = rng.chance(0.6);
  return {
    playbook: 'benign:saas',
    campaign: null,
    accounts: [acct],
    describe: `${product.name} (${product.mode}, peak~${peak}/day, region ${region[0]}${launchDay > 0 ? `, launched day ${launchDay}` : ''})`,
    events: () =>
      byDay(ctx, (d, ds, out) => {
        const ramp = launchDay > 0 ? Math.min(1, (d - launchDay + 1) / 3) : 1;
        const n = Math.round(peak * 0.75 * ramp * dayFactor(rng, ds, 0.3));
        const push = (t: number, body: RequestBody, text: string, endpoint = '/v1/chat/completions'): void => {
          out.push({ t, acct, key: rng.pick(acct.keys), ip: rng.pick(ips), ua, endpoint, body, text });
        };
        // Conversations, not requests, follow the curve; bursts come from campaigns/newsletters.
        const burst = rng.chance(0.2) ? rng.float(ds, ds + DAY) : -1;
        let sent = 0;
        const starts = timesIn(rng, ds, ds + DAY, Math.ceil(n / 2), 'human', region[1]);
        if (burst > 0) for (let i = 0; i < n / 6; i++) starts.push(burst + rng.exp(20 * MIN));
        for (const t0 of starts) {
          if (sent >= n * 1.3) break;
          const user = rng.pick(endUsers);
          const params = { max_tokens: 1024, temperature, ...(stream ? { stream: true } : {}), user };
          if (product.mode === 'oneshot') {
            const src = rng.pick(docs.length > 0 ? docs : ['Great service, will come back.']);
            const snippet = src.slice(0, rng.int(120, 600));
            push(t0, chat(model, withSystem(product.system, [userMsg(snippet)]), { ...params, max_tokens: 300 }), neutral(rng, ctx.corpus, false, 300, ''));
            sent++;
          } else if (product.mode === 'tutor' && tutorPool.length > 0) {
            const it = rng.pick(tutorPool);
            let t = t0;
            const msgs: ChatMessage[] = [userMsg(vary(rng, it.prompt))];
            const turns = rng.int(1, 3);
            for (let k = 0; k < turns; k++) {
              const ans = k === 0 ? respond(rng, ctx.corpus, it, 1024) : neutral(rng, ctx.corpus, false, 512, '');
              push(t, chat(model, withSystem(product.system, msgs.slice()), params), ans);
              sent++;
              msgs.push({ role: 'assistant', content: ans }, userMsg(rng.pick(['I still don\'t get step 2', 'ok what about the next one', 'can you check my answer: 42', 'why?', 'thanks'])));
              t += rng.logUniform(15_000, 240_000);
            }
          } else if (product.mode === 'rag') {
            const conv = rng.pick(chatPool);
            const q = (conv.turns[0]?.user ?? 'How do I reset my password?').slice(0, 400);
            push(t0, { model: 'text-embedding-3-small', input: q }, '', '/v1/embeddings');
            const ctxDoc = rng.pick(docs.length > 0 ? docs : ['No context.']).slice(0, 1500);
            push(t0 + rng.float(150, 600), chat(model, [{ role: 'system', content: `${product.system}\n\nContext:\n${ctxDoc}` }, userMsg(q)], params), neutral(rng, ctx.corpus, false, 1024, ''));
            sent += 2;
          } else if (product.name === 'code-helper' && codePool.length > 0 && rng.chance(0.5)) {
            const it = rng.pick(codePool);
            push(t0, chat(model, withSystem(product.system, [userMsg(vary(rng, it.prompt))]), params), respond(rng, ctx.corpus, it, 1024));
            sent++;
          } else {
            playConversation(ctx, rng, rng.pick(chatPool), t0, (t, m, a) => {
              push(t, chat(model, withSystem(product.system, m.filter((x) => x.role !== 'system')), params), a);
              sent++;
            }, { system: null, maxTurns: rng.int(1, 4), think: [10_000, 300_000], varyFirst: true });
          }
        }
      }, launchDay),
  };
}

type BatchTask = 'summarize' | 'classify' | 'extract' | 'title' | 'embed' | 'topic' | 'pii' | 'ticket';
const TASK_PROMPT: Record<BatchTask, string> = {
  summarize: 'Write a concise summary (max 60 words) of this document:\n\n"""\n{x}\n"""',
  classify: 'Classify the sentiment of the following text as positive, negative, or neutral. Reply with one word.\n\nText: {x}',
  extract: 'Extract the following fields from the document below as JSON: title, people, organisations, dates.\n\nDocument:\n{x}',
  title: 'Suggest a short title (max 8 words) for this text:\n\n{x}',
  embed: '{x}',
  topic: 'Assign one topic label from [technology, health, finance, education, entertainment, other] to this text. Answer with the label only.\n\n{x}',
  pii: 'Redact all personal data (names, emails, phone numbers, addresses) in the text below; return the redacted text only.\n\n{x}',
  ticket: 'Route this support ticket to one of: billing, bug, feature-request, account, other. Answer with the queue name.\n\n{x}',
};

function batchAnswer(rng: Rng, task: BatchTask, doc: string): string {
  const lead = (doc.split(/(?<=[.!?])\s+/)[0] ?? doc).slice(0, 300);
  switch (task) {
    case 'classify': return rng.pick(['positive', 'negative', 'neutral']);
    case 'topic': return rng.pick(['technology', 'health', 'finance', 'education', 'entertainment', 'other']);
    case 'ticket': return rng.pick(['billing', 'bug', 'feature-request', 'account', 'other']);
    case 'title': return lead.split(/\s+/).slice(0, 7).join(' ');
    case 'extract': return JSON.stringify({ title: lead.split(/\s+/).slice(0, 6).join(' '), people: [], organisations: [], dates: [] });
    case 'pii': return doc.slice(0, 1200);
    default: return lead;
  }
}

export function batch(ctx: Ctx, rng: Rng, heavy: number): Actor {
  const acct = benign(ctx, rng, 'benign:batch', { tier: rng.pick(['tier-3', 'tier-4']), verified: true });
  const tasks: BatchTask[] = rng.sample(['summarize', 'classify', 'extract', 'title', 'embed', 'topic', 'pii', 'ticket'] as BatchTask[], rng.int(1, 3));
  const nightly = rng.chance(0.6);
  const ip = cloudIp(rng);
  const ua = scriptUa(rng);
  const model = rng.pick(['gpt-4o-mini', 'gpt-4.1-nano', 'gpt-4.1-mini']);
  const endpoint = rng.chance(0.5) ? '/v1/responses' : '/v1/chat/completions';
  const docs = ctx.corpus.docs.length > 0 ? ctx.corpus.docs : ['Empty.'];
  const runs: { day: number; hour: number; size: number }[] = [];
  if (nightly) {
    const hour = rng.float(0.5, 4);
    for (let d = 0; d < ctx.days; d++) if (rng.chance(0.35)) runs.push({ day: d, hour, size: Math.round(rng.int(80, 400) * heavy * ctx.rateMul) });
  } else {
    const n = rng.int(1, 2);
    for (let i = 0; i < n; i++) runs.push({ day: rng.int(0, ctx.days - 1), hour: rng.float(8, 20), size: Math.round(rng.int(400, 1500) * heavy * ctx.rateMul) });
    runs.sort((a, b) => a.day - b.day);
  }
  const gap = rng.float(300, 2500);
  return {
    playbook: 'benign:batch',
    campaign: null,
    accounts: [acct],
    describe: `${nightly ? 'nightly' : 'backfill'} [${tasks.join(', ')}] runs=${runs.length} ~${runs.reduce((s, r) => s + r.size, 0)} req, every ~${Math.round(gap)} ms`,
    events: () =>
      byDay(ctx, (d, ds, out) => {
        for (const run of runs.filter((r) => r.day === d)) {
          let t = ds + run.hour * HOUR;
          for (let i = 0; i < run.size; i++) {
            const task = tasks[i % tasks.length] as BatchTask;
            const doc = rng.pick(docs).slice(0, 4000);
            t += gap * rng.float(0.85, 1.15);
            if (task === 'embed') {
              out.push({ t, acct, key: acct.keys[0] as string, ip, ua, endpoint: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: doc }, text: '' });
              continue;
            }
            const prompt = TASK_PROMPT[task].replace('{x}', doc);
            const body: RequestBody = endpoint === '/v1/responses' ? { model, input: prompt, temperature: 0, max_output_tokens: 300 } : chat(model, [userMsg(prompt)], { temperature: 0, max_tokens: 300 });
            out.push({ t, acct, key: acct.keys[0] as string, ip, ua, endpoint, body, text: batchAnswer(rng, task, doc) });
          }
        }
      }),
  };
}

interface Suite {
  name: string;
  items: Item[];
  render: (it: Item, cot: boolean) => { messages: ChatMessage[][]; prompt?: string };
}

function suites(ctx: Ctx): Suite[] {
  const all: Suite[] = [];
  const fewShot = ctx.corpus.fewShot.map((f) => `Q: ${f.question}\nA: ${f.target}`).join('\n\n');
  const cotText = (x: string, cot: boolean): string => (cot ? `${x}\n\n${COT_SUFFIXES[0] as string}` : x);
  for (const src of ctx.sources.bench) {
    const items = ctx.corpus.items.get(src) ?? [];
    if (items.length === 0) continue;
    switch (src) {
      case 'B08':
        all.push({ name: 'gsm8k', items, render: (it, cot) => ({ messages: [[userMsg(cotText(`Question: ${it.prompt}\nAnswer:`, cot))]] }) });
        all.push({ name: 'gsm8k-8shot', items, render: (it) => ({ messages: [[userMsg(`${fewShot}\n\nQ: ${it.prompt}\nA:`)]], prompt: `${fewShot}\n\nQ: ${it.prompt}\nA:` }) });
        break;
      case 'B09':
        all.push({ name: 'math', items, render: (it, cot) => ({ messages: [[userMsg(cotText(`Problem:\n${it.prompt}\n\nPut the final answer in \\boxed{}.`, cot))]] }) });
        break;
      case 'B14':
      case 'B16':
        all.push({ name: src === 'B14' ? 'humaneval' : 'mbpp', items, render: (it) => ({ messages: [[userMsg(`Complete the following Python function. Return only the code.\n\n\`\`\`python\n${it.prompt}\n\`\`\``)]] }) });
        break;
      case 'B11':
      case 'B12':
      case 'B13': {
        const name = ({ B11: 'mmlu-stem', B12: 'mmlu', B13: 'arc-challenge' } as Record<string, string>)[src] ?? src;
        all.push({ name, items, render: (it, cot) => ({ messages: [[userMsg(cot ? `${it.prompt}\n\n${COT_SUFFIXES[2] as string} End with "Answer: X".` : `${it.prompt}\nAnswer with the letter of the correct option.`)]] }) });
        break;
      }
      case 'B17':
        all.push({ name: 'gsm8k-test', items, render: (it, cot) => ({ messages: [[userMsg(cotText(`Question: ${it.prompt}\nAnswer:`, cot))]] }) });
        break;
      case 'A01': {
        const convs = ctx.corpus.convs.get('A01') ?? [];
        all.push({
          name: 'mt-bench',
          items,
          render: (it) => {
            const conv = convs.find((c) => c.turns[0]?.user === it.prompt);
            const second = conv?.turns[1]?.user ?? 'Please elaborate.';
            return { messages: [[userMsg(it.prompt)], [userMsg(it.prompt), { role: 'assistant', content: '{a0}' }, userMsg(second)]] };
          },
        });
        break;
      }
      default: {
        const name = ({ A03: 'alpaca-eval', A07: 'arena-hard', A08: 'arena-hard-v2', A10: 'wizardlm-eval', B03: 'alpaca-holdout', B05: 'code-alpaca-eval', B01: 'self-instruct-eval' } as Record<string, string>)[src] ?? src;
        all.push({ name, items, render: (it, cot) => ({ messages: [[userMsg(cotText(it.prompt, cot))]] }) });
      }
    }
  }
  return all;
}

export interface BenchOpts {
  heavy: boolean;
}

export function bench(ctx: Ctx, rng: Rng, opts: BenchOpts): Actor {
  // Many benchmark runners sign up for the run: a new account with a burst is not by itself a campaign.
  const fresh = rng.chance(0.4);
  // Signed up no later than the window's second-to-last day, so the run still fits after sign-up.
  const created = fresh ? ctx.start + rng.float(-3, Math.min(4, ctx.days - 1)) * DAY : ctx.start - rng.logUniform(2 * DAY, 900 * DAY);
  const workers = rng.pick([1, 2, 4, 8, 16]);
  // Runners raise their tier to fit their concurrency rather than eat 429s all run long.
  const tier = workers >= 8 ? rng.pick(['tier-3', 'tier-4']) : rng.pick(['tier-2', 'tier-3']);
  const acct = benign(ctx, rng, 'benign:bench', { created, tier });
  const all = suites(ctx);
  const suite = rng.pick(all);
  const items = rng.sample(suite.items, Math.round(Math.min(suite.items.length, rng.int(150, opts.heavy ? 1300 : 800)) * Math.min(1, ctx.rateMul * 2)) || 5);
  const models = rng.sample(['gpt-4o', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4o-mini', 'o4-mini', 'gpt-5'], rng.chance(opts.heavy ? 0.5 : 0.2) ? 2 : 1);
  const cot = rng.chance(opts.heavy ? 0.5 : 0.2);
  const n = rng.chance(opts.heavy ? 0.4 : 0.1) ? rng.pick([3, 5, 10]) : 1;
  // Seed sweeps: the same item at a few fixed seeds, to measure run-to-run variance.
  const seeds = n === 1 && rng.chance(opts.heavy ? 0.25 : 0.08) ? [0, 1, 2].slice(0, rng.int(2, 3)) : [42];
  const logprobs = opts.heavy && rng.chance(0.3);
  const ip = rng.chance(0.6) ? cloudIp(rng) : residentialIp(rng);
  const ua = rng.chance(0.7) ? sdkUa(rng) : scriptUa(rng);
  const day = rng.int(Math.min(ctx.days - 1, Math.max(0, Math.ceil((created - ctx.start) / DAY))), ctx.days - 1);
  const startH = rng.float(7, 22);
  const completions = suite.name === 'gsm8k-8shot' && rng.chance(0.4);
  const maxTokens = cot || n > 1 ? rng.pick([1024, 2048]) : rng.pick([256, 512, 1024]);
  const reruns = rng.chance(0.3) ? 2 : 1;
  const casualAfter = rng.chance(0.3);
  const convs = convsOf(ctx.corpus, ctx.sources.chat);
  const key = acct.keys[0] as string;
  return {
    playbook: 'benign:bench',
    campaign: null,
    accounts: [acct],
    describe: `${suite.name} items=${items.length} models=${models.length} cot=${cot} n=${n} logprobs=${logprobs}${seeds.length > 1 ? ` seeds=${seeds.length}` : ''} workers=${workers}${reruns > 1 ? ' rerun' : ''}${completions ? ' completions' : ''}`,
    events: () =>
      byDay(ctx, (d, ds, out) => {
        if (d === day || (reruns > 1 && d === Math.min(ctx.days - 1, day + 1))) {
          let t = ds + startH * HOUR;
          for (const model of models) {
            for (const it of items.flatMap((x) => seeds.map((seed) => ({ x, seed })))) {
              const r = suite.render(it.x, cot);
              let prevAnswer = '';
              for (const turn of r.messages) {
                t += rng.float(800, 5000) / workers;
                const answer = respond(rng, ctx.corpus, it.x, maxTokens);
                const messages = turn.map((m) => (m.content === '{a0}' ? { ...m, content: prevAnswer } : m));
                prevAnswer = answer;
                if (completions && r.prompt !== undefined) {
                  out.push({ t, acct, key, ip, ua, endpoint: '/v1/completions', body: { model: 'gpt-3.5-turbo-instruct', prompt: r.prompt, max_tokens: 256, temperature: 0, stop: ['Q:'], seed: 1234 }, text: answer });
                  continue;
                }
                const params: Omit<RequestBody, 'model' | 'messages'> = { temperature: n > 1 || seeds.length > 1 ? 0.7 : 0, max_tokens: maxTokens, ...(n > 1 ? { n } : { seed: it.seed }), ...(logprobs ? { logprobs: true, top_logprobs: 5 } : {}) };
                out.push({ t, acct, key, ip, ua, endpoint: '/v1/chat/completions', body: chat(model, messages, params), text: answer, choices: n });
              }
            }
          }
        } else if (casualAfter && d > day && rng.chance(0.25)) {
          const t0 = timesIn(rng, ds, ds + DAY, 1, 'human', 0)[0] ?? ds + 12 * HOUR;
          playConversation(ctx, rng, rng.pick(convs), t0, (t, m, a) => out.push({ t, acct, key, ip, ua, endpoint: '/v1/chat/completions', body: chat(models[0] as string, m), text: a }), { system: null, maxTurns: 3, think: [30_000, 600_000] });
        }
      }),
  };
}

const UNIS = ['cmu.edu', 'uva.nl', 'ethz.ch', 'stanford.edu', 'tum.de', 'utoronto.ca', 'iitb.ac.in', 'ucl.ac.uk', 'epfl.ch', 'kaist.ac.kr', 'umich.edu', 'unimelb.edu.au'];
const ASSIGNMENT_TEMPLATES = [
  'Explain the solution to this problem to a fellow student in under 150 words.\n\n{x}',
  'You are helping me study. Solve this and explain the key idea:\n\n{x}',
  'Give a step-by-step solution.\n\n{x}',
  '{x}',
  'Answer the following, then rate your confidence from 1 to 5.\n\n{x}',
];

export function cohort(ctx: Ctx, rng: Rng, size: number, index: number): Actor {
  const domain = UNIS[index % UNIS.length] as string;
  const nat = [residentialIp(rng), residentialIp(rng)];
  const sdk = sdkUa(rng);
  const created0 = ctx.start + rng.float(-10, 2) * DAY;
  const c = country(rng);
  const accounts = Array.from({ length: size }, () =>
    benign(ctx, rng, 'benign:cohort', { created: created0 + rng.float(0, 3) * DAY, emailDomain: domain, signupIp: rng.chance(0.7) ? rng.pick(nat) : residentialIp(rng), country: c.country, tier: 'free', verified: false }),
  );
  const pool = itemsOf(ctx.corpus, ctx.sources.cohort);
  const k = rng.int(30, 60);
  const assignment = rng.sample(pool, k);
  const template = rng.pick(ASSIGNMENT_TEMPLATES);
  const deadline = rng.int(Math.min(ctx.days - 1, 7), ctx.days - 1);
  const model = rng.pick(['gpt-4o-mini', 'gpt-4.1-mini']);
  const plans = accounts.map((a) => {
    const share = rng.float(0.5, 1);
    const sessions = rng.int(1, 3);
    // Students start after sign-up: no session before the day after the account exists.
    const firstDay = Math.min(deadline, Math.max(0, Math.ceil((Date.parse(a.record.created_at) - ctx.start) / DAY)));
    const days = Array.from({ length: sessions }, () => Math.max(firstDay, deadline - Math.floor(rng.exp(1.5)))).sort((x, y) => x - y);
    const home = residentialIp(rng);
    return { a: a, share, days, home, items: rng.sample(assignment, Math.max(1, Math.round(k * share))) };
  });
  return {
    playbook: 'benign:cohort',
    campaign: null,
    accounts,
    describe: `${size} students @${domain}, assignment of ${k} items from ${ctx.sources.cohort.join('/')}, deadline day ${deadline}`,
    events: () =>
      byDay(ctx, (d, ds, out) => {
        for (const p of plans) {
          const sessionsToday = p.days.filter((x) => x === d).length;
          if (sessionsToday === 0) continue;
          const per = Math.ceil(p.items.length / p.days.length);
          const offset = p.days.indexOf(d) * per;
          const mine = p.items.slice(offset, offset + per * sessionsToday);
          const onCampus = rng.chance(0.7);
          let t = (timesIn(rng, ds, ds + DAY, 1, 'human', c.tz)[0] ?? ds + 15 * HOUR);
          for (const it of mine) {
            const repeats = rng.chance(0.15) ? 2 : 1;
            for (let r = 0; r < repeats; r++) {
              t += rng.logUniform(5_000, 240_000);
              const temp = r === 0 ? 0 : 0.7;
              out.push({ t, acct: p.a, key: p.a.keys[0] as string, ip: onCampus ? (nat[0] as string) : p.home, ua: sdk, endpoint: '/v1/chat/completions', body: chat(model, [userMsg(template.replace('{x}', it.prompt))], { temperature: temp, max_tokens: 512 }), text: respond(rng, ctx.corpus, it, 512) });
            }
          }
        }
      }),
  };
}

export function tinker(ctx: Ctx, rng: Rng): Actor {
  const acct = benign(ctx, rng, 'benign:tinker');
  const ua = rng.chance(0.5) ? sdkUa(rng) : scriptUa(rng);
  const ip = rng.chance(0.5) ? residentialIp(rng) : cloudIp(rng);
  const loop = rng.chance(0.15) ? rng.int(50, 300) : 0;
  const loopDay = rng.int(0, ctx.days - 1);
  const pool = convsOf(ctx.corpus, ctx.sources.chat);
  const suffixes = ['', '\n\nFormat the answer as a bulleted list.', '\n\nRespond in JSON.', '\n\nBe brief.', '\n\nAnswer in French.'];
  const activeDays = new Set(rng.sample(Array.from({ length: ctx.days }, (_, i) => i), rng.int(1, 4)));
  const key = acct.keys[0] as string;
  return {
    playbook: 'benign:tinker',
    campaign: null,
    accounts: [acct],
    describe: loop > 0 ? `runaway loop of ${loop} identical requests` : `prompt debugging on ${activeDays.size} days`,
    events: () =>
      byDay(ctx, (d, ds, out) => {
        const model = rng.pick(CONSUMER_MODELS);
        if (activeDays.has(d)) {
          let t = timesIn(rng, ds, ds + DAY, 1, 'office', 1)[0] ?? ds + 14 * HOUR;
          const base = rng.pick(pool).turns[0]?.user ?? 'Hello';
          const n = rng.int(5, 40);
          for (let i = 0; i < n; i++) {
            t += rng.logUniform(4_000, 180_000);
            const maxTokens = rng.pick([50, 100, 256, 512, 1024]);
            out.push({ t, acct, key, ip, ua, endpoint: '/v1/chat/completions', body: chat(model, [userMsg(base + rng.pick(suffixes))], { temperature: rng.pick([0, 0.2, 0.7, 1]), max_tokens: maxTokens }), text: neutral(rng, ctx.corpus, false, maxTokens, base) });
          }
        }
        if (loop > 0 && d === loopDay) {
          const body = chat(model, [userMsg(rng.pick(pool).turns[0]?.user ?? 'ping')], { max_tokens: 200 });
          const text = neutral(rng, ctx.corpus, false, 200, '');
          let t = ds + rng.float(0, 20) * HOUR;
          for (let i = 0; i < loop; i++) {
            t += rng.float(1500, 9000);
            out.push({ t, acct, key, ip, ua, endpoint: '/v1/chat/completions', body, text });
          }
        }
      }),
  };
}

/** Colleagues sharing a company card and domain: benign look-alikes of a hydra's shared cards. */
export function orgGroup(ctx: Ctx, rng: Rng): Actor[] {
  const org = { domain: `${rng.pick(['acme', 'nimbus', 'orbit', 'fjord', 'cobalt', 'tandem'])}${rng.pick(['corp', 'labs', 'analytics', 'health'])}.com`, card: card(ctx) };
  return Array.from({ length: rng.int(2, 6) }, () => casual(ctx, rng, org));
}

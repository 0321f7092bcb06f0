/**
 * H3 Orca-style harvest (dev-v2's style): Orca's system messages over FLAN/MMLU/ARC-like tasks from
 * tens of accounts. The infrastructure hints are weak on purpose: one hosting provider but a
 * different /24 per account, a few cards shared by about a third of the accounts, one working shift.
 */
import type { RequestBody } from '../../src/traffic/types.js';
import { activeDays, fleetAccounts, type Member, runFleet } from './campaign.js';
import type { Habits } from './chat-user.js';
import { Deck } from './deck.js';
import { cloudIp, hostingSubnet, HOSTING_NAMES, ipIn, residentialIp } from './net.js';
import { type Item, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { userMsg } from './stream.js';
import { respond } from './text.js';
import { type Actor, type Ctx, DAY } from './world.js';

/** The system messages of the Orca paper (Mukherjee et al., 2023, table 2), as Orca-style datasets use them. */
export const ORCA_SYSTEM = [
  "You are an AI assistant. Provide a detailed answer so user don't need to search outside to understand the answer.",
  'You are an AI assistant. You will be given a task. You must generate a detailed and long answer.',
  'You are a helpful assistant, who always provide explanation. Think like you are answering to a five year old.',
  'You are an AI assistant that follows instruction extremely well. Help as much as you can.',
  "You are an AI assistant that helps people find information. Provide a detailed answer so user don't need to search outside to understand the answer.",
  'You are an AI assistant. User will you give you a task. Your goal is to complete the task as faithfully as you can. While performing the task think step-by-step and justify your steps.',
  'You should describe the task and explain your answer. While answering a multiple choice question, first output the correct answer(s). Then explain why other answers are wrong. Think like you are answering to a five year old.',
  'Explain how you used the definition to come up with the answer.',
  'You are an AI assistant. You should describe the task and explain your answer. While answering a multiple choice question, first output the correct answer(s). Then explain why other answers are wrong. You might need to use additional knowledge to answer the question.',
  'You are an AI assistant that helps people find information. User will you give you a question. Your task is to answer as faithfully as you can. While answering think step-by-step and justify your answer.',
  'User will you give you a task with some instruction. Your job is follow the instructions as faithfully as you can. While answering think step-by-step and justify your answer.',
  'You are a teacher. Given a task, you explain in simple steps what the task is asking, any guidelines it provides and how to use those guidelines to find the answer.',
  'You are an AI assistant, who knows every language and how to translate one language to another. Given a task, you explain in simple steps what the task is asking, any guidelines that it provides. You solve the task and show how you used the guidelines to solve the task.',
  'Given a definition of a task and a sample input, break the definition into small parts. Each of those parts will have some instruction. Explain their meaning by showing an example that meets the criteria in the instruction. Use the following format: Part #: a key part of the definition. Usage: Sample response that meets the criteria from the key part. Explain why you think it meets the criteria.',
  'You are an AI assistant that helps people find information.',
];

const L = 'ABCDE';

/** FLAN's templates turn one multiple-choice item into many surface forms. */
const MCQ_FORMS: ((q: string, c: string[]) => string)[] = [
  (q, c) => `Answer the following question: ${q}\nPossible answers:\n${c.map((x) => `- ${x}`).join('\n')}`,
  (q, c) => `Question: ${q}\nOptions:\n${c.map((x) => `- ${x}`).join('\n')}`,
  (q, c) => `Q: ${q}\nChoose from: ${c.map((x, i) => `(${L[i]}) ${x}`).join(' ')}\nA:`,
  (q, c) => `${q}\nPick your answer from:\n${c.map((x, i) => `(${L[i]}). ${x}`).join('\n')}`,
  (q, c) => `Please answer the following question: ${q}\n\n${c.map((x, i) => `${L[i]}) ${x}`).join('\n')}\n\nThe answer is:`,
];
const OPEN_FORMS: ((x: string) => string)[] = [(x) => x, (x) => `Please answer the following question: ${x}`, (x) => `Q: ${x}\nA:`, (x) => `${x}\n\nWhat is the answer?`, (x) => `Answer this question.\n\n${x}`];

function orcaPrompt(rng: Rng, it: Item): string {
  if (it.mcq) return rng.pick(MCQ_FORMS)(it.mcq.question, it.mcq.choices);
  return it.system ? it.prompt : rng.pick(OPEN_FORMS)(it.prompt);
}

const PARAMS: Omit<RequestBody, 'model' | 'messages'>[] = [{ max_tokens: 2048, temperature: 0.7 }, { max_tokens: 2048 }, { temperature: 0.7 }, {}, { max_tokens: 1024, temperature: 0.7 }, { max_tokens: 1024 }];

export interface OrcaParams {
  size: number;
  perDay: readonly [number, number];
  systems: number;
}

export function h3Orca(ctx: Ctx, rng: Rng, p: OrcaParams): Actor {
  const provider = rng.pick(HOSTING_NAMES);
  const shift = rng.pick([[6, 16], [8, 18], [13, 23]] as const);
  const cards = rng.int(2, 3);
  const f = fleetAccounts(ctx, rng, {
    playbook: 'H3',
    size: p.size,
    created: [ctx.start - 15 * DAY, ctx.start + 0.3 * ctx.days * DAY],
    cards,
    sharedCardShare: 0.35,
    tiers: [['tier-1', 3], ['tier-2', 1]],
    verifiedP: 0.3,
    signupIp: (r) => (r.chance(0.7) ? residentialIp(r) : cloudIp(r, provider)),
  });
  const systems = rng.sample(ORCA_SYSTEM, p.systems);
  const deck = new Deck(rng, itemsOf(ctx.corpus, ctx.sources.harvest));
  const members: Member[] = f.accounts.map((acct) => {
    const habits: Habits = { ua: `OpenAI/Python ${rng.pick(['1.54.0', '1.58.1', '1.66.3', '2.1.2', '2.3.1', '2.6.0'])}`, models: [rng.pick(['gpt-4o', 'gpt-5', 'o4-mini', 'gpt-4.1'])], system: null, endpoint: '/v1/chat/completions', maxTokens: null, temperature: null, topP: null, stream: false };
    const ip = ipIn(hostingSubnet(rng, provider), rng);
    return { speaker: { acct, key: acct.keys[0] as string, habits, ip: () => ip }, days: activeDays(ctx, rng, acct, 0.55), perDay: rng.int(p.perDay[0], p.perDay[1]), tz: 0 };
  });
  return {
    playbook: 'H3',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${p.size} accounts, ${systems.length} Orca system prompts, ${cards} shared cards (35% of accounts), provider ${provider} (a /24 per account), shift ${shift[0]}-${shift[1]}h UTC, ~${p.perDay[0]}-${p.perDay[1]}/day/acct, sources=[${ctx.sources.harvest.join(', ')}]`,
    events: () =>
      runFleet(ctx, rng, members, { kind: 'script', shift, jitter: true }, (m, t, out) => {
        const it = deck.next();
        const s = m.speaker;
        const system = it.system ?? rng.pick(systems);
        const body: RequestBody = { model: s.habits.models[0] as string, messages: [{ role: 'system', content: system }, userMsg(orcaPrompt(rng, it))], ...rng.pick(PARAMS) };
        out.push({ t, acct: s.acct, key: s.key, ip: s.ip(t), ua: s.habits.ua, endpoint: s.habits.endpoint, body, text: respond(rng, ctx.corpus, it, body.max_tokens) });
        return 1;
      }, null),
  };
}

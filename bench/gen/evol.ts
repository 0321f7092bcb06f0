/**
 * N1 Evol-Instruct loop (WizardLM, Xu et al. 2023): the model is asked to rewrite a seed
 * instruction into a harder one (added constraints, deepening, concretising, more reasoning steps,
 * or a new rarer prompt in the same domain), sometimes asked whether two versions are equal, and
 * then asked to answer each evolved instruction. Chains of 1-4 rounds per seed.
 */
import type { RequestBody } from '../../src/traffic/types.js';
import { type Member, runFleet, sendAs } from './campaign.js';
import { Deck } from './deck.js';
import { scriptUa } from './net.js';
import { type Item, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { scriptHabits, stealthFleet, type StealthOpts } from './stealth.js';
import { userMsg } from './stream.js';
import { fill } from './templates.js';
import { neutral } from './text.js';
import type { Actor, Ctx, Draft } from './world.js';

const DEPTH = [
  "Please add one more constraints/requirements into #The Given Prompt#'",
  'If #The Given Prompt# contains inquiries about certain issues, the depth and breadth of the inquiry can be increased.',
  'Please replace general concepts with more specific concepts.',
  'If #The Given Prompt# can be solved with just a few simple thinking processes, you can rewrite it to explicitly request multiple-step reasoning.',
];

const WIZARD_DEPTH = (method: string): string =>
  `I want you act as a Prompt Rewriter.\r\nYour objective is to rewrite a given prompt into a more complex version to make those famous AI systems (e.g., chatgpt and GPT4) a bit harder to handle.\r\nBut the rewritten prompt must be reasonable and must be understood and responded by humans.\r\nYour rewriting cannot omit the non-text parts such as the table and code in #The Given Prompt#:. Also, please do not omit the input in #The Given Prompt#. \r\nYou SHOULD complicate the given prompt using the following method: \r\n${method} \r\nYou should try your best not to make the #Rewritten Prompt# become verbose, #Rewritten Prompt# can only add 10 to 20 words into #The Given Prompt#. \r\n'#The Given Prompt#', '#Rewritten Prompt#', 'given prompt' and 'rewritten prompt' are not allowed to appear in #Rewritten Prompt#\r\n#The Given Prompt#:\r\n{x}\r\n#Rewritten Prompt#:\r\n`;

const WIZARD_BREADTH =
  "I want you act as a Prompt Creator.\r\nYour goal is to draw inspiration from the #Given Prompt# to create a brand new prompt.\r\nThis new prompt should belong to the same domain as the #Given Prompt# but be even more rare.\r\nThe LENGTH and complexity of the #Created Prompt# should be similar to that of the #Given Prompt#.\r\nThe #Created Prompt# must be reasonable and must be understood and responded by humans.\r\n'#Given Prompt#', '#Created Prompt#', 'given prompt' and 'created prompt' are not allowed to appear in #Created Prompt#\r\n#Given Prompt#:\r\n{x}\r\n#Created Prompt#:\r\n";

const CODE_METHODS = [
  'Add new constraints and requirements to the original problem, adding approximately 10 additional words.',
  'Replace a commonly used requirement in the programming task with a less common and more specific one.',
  'If the original problem can be solved with only a few logical steps, please add more reasoning steps.',
  'Provide a piece of erroneous code as a reference to increase misdirection.',
  'Propose higher time or space complexity requirements, but please refrain from doing so frequently.',
];

const INHOUSE_METHODS = ['add one extra constraint', 'ask for more depth', 'make the concepts more specific', 'require several reasoning steps', 'change the scenario to a rarer one in the same field'];

/** How one operator words the rewriting request; each returns the prompt with {x} for the instruction. */
type Variant = 'wizardlm' | 'code' | 'inhouse';
function evolvePrompt(rng: Rng, v: Variant): string {
  if (v === 'code') return `Please increase the difficulty of the given programming test question a bit.\n\nYou can increase the difficulty using, but not limited to, the following methods:\n${rng.pick(CODE_METHODS)}\n\n{x}`;
  if (v === 'inhouse') return `Rewrite the instruction below so that it is harder for an AI assistant to answer but still reasonable for a person. Method: ${rng.pick(INHOUSE_METHODS)}. Output only the new instruction, nothing else.\n\nInstruction:\n{x}`;
  return rng.chance(0.2) ? WIZARD_BREADTH : WIZARD_DEPTH(rng.pick(DEPTH));
}

const JUDGE = (a: string, b: string): string =>
  `Here are two Instructions to ChatGPT AI, do you think they are equal to each other, which meet the following requirements:\n1. They have same constraints and requirments.\n2. They have same depth and breadth of the inquiry.\nThe First Prompt: ${a}\nThe Second Prompt: ${b}\nYour Judgement (Just answer: Equal or Not Equal. No need to explain the reason.):`;

export interface EvolParams {
  size: number;
  perDay: readonly [number, number];
  rounds: number;
  variant?: Variant;
}

export function n1Evol(ctx: Ctx, rng: Rng, p: EvolParams, st: StealthOpts): Actor {
  const ua = scriptUa(rng);
  const models = rng.sample(['gpt-4o', 'gpt-4.1', 'gpt-5', 'gpt-4o-mini', 'gpt-4.1-mini'], rng.int(1, 2));
  const f = stealthFleet(ctx, rng, { playbook: 'N1', size: p.size, perDay: p.perDay, span: [3, 8], activeP: 0.85, habits: () => scriptHabits(ua, models) }, st);
  const seeds = itemsOf(ctx.corpus, ctx.sources.instructions);
  const deck = new Deck(rng, seeds);
  // Stand-ins for the rewritten instructions: evolved-looking prompts that are not the seeds.
  const evolved = new Deck(rng, itemsOf(ctx.corpus, ['A10', 'A07', 'A08']));
  const variant: Variant = p.variant ?? (seeds.every((s) => s.kind === 'code') ? 'code' : rng.pick(['wizardlm', 'wizardlm', 'inhouse'] as const));
  const answerTokens = rng.pick([1024, 2048, 4096]);
  const judgeP = rng.pick([0, 0.3, 0.6]);
  const chain = (m: Member, t0: number, out: Draft[]): number => {
    let current: Item = deck.next();
    let t = t0;
    let sent = 0;
    const rounds = rng.int(1, p.rounds);
    for (let r = 0; r < rounds; r++) {
      const next = evolved.next();
      const evolve: RequestBody = { model: rng.pick(models), messages: [userMsg(fill(evolvePrompt(rng, variant), current.prompt))], temperature: 1, max_tokens: 2048 };
      out.push(sendAs(m, t, evolve, next.prompt));
      t += rng.float(2_000, 9_000) + next.prompt.length * 8;
      if (judgeP > 0 && rng.chance(judgeP)) {
        out.push(sendAs(m, t, { model: rng.pick(models), messages: [userMsg(JUDGE(current.prompt, next.prompt))], temperature: 0, max_tokens: 16 }, 'Not Equal'));
        t += rng.float(400, 1_500);
        sent++;
      }
      const answer = neutral(rng, ctx.corpus, next.kind === 'code', answerTokens, next.prompt);
      out.push(sendAs(m, t, { model: rng.pick(models), messages: [userMsg(next.prompt)], temperature: 0.7, max_tokens: answerTokens }, answer));
      t += rng.float(2_000, 12_000) + answer.length * 8;
      sent += 2;
      current = next;
    }
    return sent;
  };
  return {
    playbook: 'N1',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${p.size} acct, ${variant} rewriting prompts, 1-${p.rounds} rounds per seed, judge calls ${Math.round(judgeP * 100)}%, answers max_tokens ${answerTokens}, ~${p.perDay[0]}-${p.perDay[1]}/day/acct, ${f.stealthText}, seeds=[${ctx.sources.instructions.join(', ')}]`,
    events: () => runFleet(ctx, rng, f.members, f.schedule, chain, f.cover, f.fromDay, f.toDay),
  };
}

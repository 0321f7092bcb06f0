/**
 * N4 Alpaca / Self-Instruct generation (Wang et al. 2022; Taori et al. 2023): prompts that ask
 * the model to invent new task instructions from a few seed examples, in each account's own
 * wording (Alpaca's prompt.txt, Self-Instruct's "Come up with a series of tasks", Unnatural
 * Instructions' examples, in-house rewrites), then the pipeline's follow-up calls: "is it a
 * classification task?", instance generation, and answering the generated instructions.
 */
import { type Member, runFleet, sendAs } from './campaign.js';
import { Deck } from './deck.js';
import { scriptUa } from './net.js';
import { type Item, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { scriptHabits, stealthFleet, type StealthOpts } from './stealth.js';
import { userMsg } from './stream.js';
import { respond } from './text.js';
import type { Actor, Ctx, Draft } from './world.js';

const REQUIREMENTS = [
  'Try not to repeat the verb for each instruction to maximize diversity.',
  'The language used for the instruction also should be diverse. For example, you should combine questions with imperative instructions.',
  'The type of instructions should be diverse. The list should include diverse types of tasks like open-ended generation, classification, editing, etc.',
  'A GPT language model should be able to complete the instruction. For example, do not ask the assistant to create any visual or audio output.',
  'The instructions should be in English.',
  'The instructions should be 1 to 2 sentences long. Either an imperative sentence or a question is permitted.',
  'You should generate an appropriate input to the instruction. The input field should contain a specific example provided for the instruction.',
  'Not all instructions require input. In that case, simply put "<noinput>" in the input field.',
  'The output should be an appropriate response to the instruction and the input. Make sure the output is less than 100 words.',
];

function firstLine(it: Item): string {
  return (it.prompt.split('\n')[0] ?? it.prompt).slice(0, 300);
}

/** One way of asking for new instructions, and how the model's list comes back in that format. */
interface Wording {
  name: string;
  prompt: (rng: Rng, seeds: Item[], n: number, alpaca: string) => string;
  /** The k-th generated entry (numbered after the seeds). */
  entry: (k: number, it: Item) => string;
}

const WORDINGS: readonly Wording[] = [
  {
    name: 'alpaca prompt.txt',
    prompt: (_r, seeds, _n, alpaca) => `${alpaca}\n${seeds.map((s, i) => `###\n${i + 1}. Instruction: ${firstLine(s)}\n${i + 1}. Input:\n<noinput>\n${i + 1}. Output:\n${(s.answer ?? '').slice(0, 300)}`).join('\n')}\n###\n${seeds.length + 1}. Instruction:`,
    entry: (k, it) => `${k}. Instruction: ${firstLine(it)}\n${k}. Input:\n<noinput>\n${k}. Output:\n${(it.answer ?? '').slice(0, 300)}\n###`,
  },
  { name: 'self-instruct tasks', prompt: (_r, seeds) => `Come up with a series of tasks:\n\n${seeds.map((s, i) => `Task ${i + 1}: ${firstLine(s)}`).join('\n')}\nTask ${seeds.length + 1}:`, entry: (k, it) => `Task ${k}: ${firstLine(it)}` },
  {
    name: 'unnatural-instructions examples',
    prompt: (_r, seeds) => `${seeds.map((s, i) => `Example ${i + 1}\nInstruction: ${firstLine(s)}\nInput: ${s.prompt.split('\n').slice(1).join(' ').trim().slice(0, 200) || 'None'}\nConstraints: None.`).join('\n\n')}\n\nExample ${seeds.length + 1}`,
    entry: (k, it) => `Example ${k}\nInstruction: ${firstLine(it)}\nInput: None\nConstraints: None.\n`,
  },
  {
    name: 'in-house requirements',
    prompt: (r, seeds, n) => `You are asked to come up with a set of ${n} diverse task instructions. These task instructions will be given to an AI model and we will evaluate the model for completing the instructions.\n\nHere are the requirements:\n${r.sample(REQUIREMENTS, r.int(4, 7)).map((q, i) => `${i + 1}. ${q}`).join('\n')}\n\nHere are some examples:\n${seeds.map((s) => `- ${firstLine(s)}`).join('\n')}\n\nList of ${n} tasks:`,
    entry: (k, it) => `${k}. ${firstLine(it)}`,
  },
  { name: 'short ask', prompt: (_r, seeds, n) => `Generate ${n} new instructions similar in style to these, but on different topics. Number them.\n${seeds.map((s, i) => `${i + 1}) ${firstLine(s)}`).join('\n')}`, entry: (k, it) => `${k}) ${firstLine(it)}` },
];

/** Alpaca's generate_instruction.py stops on these (the repeat is theirs). */
const ALPACA_STOP = ['\n20', '20.', '20.'];

const CLASSIFY = (x: string): string => `Can the following task be regarded as a classification task with finite output labels?\n\nTask: ${x}\nIs it classification?`;
const INSTANCES = (x: string): string => `Come up with examples for the following tasks. Try to generate multiple examples when possible. If the task doesn't require additional input, you can generate the output directly.\n\nTask: ${x}\n`;
const ALPACA_ANSWER = (x: string): string => `Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\n${x}\n\n### Response:`;

export interface AlpacaGenParams {
  size: number;
  perDay: readonly [number, number];
}

export function n4AlpacaGen(ctx: Ctx, rng: Rng, p: AlpacaGenParams, st: StealthOpts): Actor {
  const ua = scriptUa(rng);
  const model = rng.pick(['gpt-4o', 'gpt-4.1', 'gpt-4o-mini', 'gpt-5-mini']);
  const f = stealthFleet(ctx, rng, { playbook: 'N4', size: p.size, perDay: p.perDay, span: [3, 9], activeP: 0.85, habits: () => scriptHabits(ua, [model]) }, st);
  const pool = itemsOf(ctx.corpus, ctx.sources.instructions);
  const deck = new Deck(rng, pool);
  // Each account is set up with its own wording and batch size: the accounts do not look alike.
  const setup = new Map<string, { wording: Wording; n: number; answers: number; alpacaFrame: boolean; calls: number }>(
    f.accounts.map((a) => [a.record.account, { wording: rng.pick(WORDINGS), n: rng.pick([5, 10, 15, 20]), answers: rng.int(4, 12), alpacaFrame: rng.chance(0.5), calls: 0 }]),
  );
  const step = (m: Member, t: number, out: Draft[]): number => {
    const s = setup.get(m.speaker.acct.record.account);
    if (!s) return 1;
    const phase = s.calls++ % (s.answers + 3);
    const it = deck.next();
    if (phase === 0) {
      const seeds = rng.sample(pool, rng.int(2, 4));
      const generated = rng.sample(pool, s.n).map((x, i) => s.wording.entry(i + seeds.length + 1, x)).join('\n');
      out.push(sendAs(m, t, { model, messages: [userMsg(s.wording.prompt(rng, seeds, s.n, ctx.corpus.generationPrompt))], temperature: 1, top_p: 1, max_tokens: 3072, ...(rng.chance(0.3) ? { stop: ALPACA_STOP } : {}) }, generated));
    } else if (phase === 1) {
      out.push(sendAs(m, t, { model, messages: [userMsg(CLASSIFY(firstLine(it)))], temperature: 0, max_tokens: 3 }, it.cat === 'classification' ? 'Yes' : 'No'));
    } else if (phase === 2) {
      out.push(sendAs(m, t, { model, messages: [userMsg(INSTANCES(firstLine(it)))], temperature: 0.7, max_tokens: 1024 }, respond(rng, ctx.corpus, it, 1024)));
    } else {
      out.push(sendAs(m, t, { model, messages: [userMsg(s.alpacaFrame ? ALPACA_ANSWER(it.prompt) : it.prompt)], temperature: 0.7, max_tokens: 1024 }, respond(rng, ctx.corpus, it, 1024)));
    }
    return 1;
  };
  const used = [...new Set([...setup.values()].map((s) => s.wording.name))];
  return {
    playbook: 'N4',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${p.size} acct, generation wordings [${used.join('; ')}], batches of 5-20, then classification check, instance generation and 4-12 answers per batch, ~${p.perDay[0]}-${p.perDay[1]}/day/acct, ${f.stealthText}, seeds=[${ctx.sources.instructions.join(', ')}]`,
    events: () => runFleet(ctx, rng, f.members, f.schedule, step, f.cover, f.fromDay, f.toDay),
  };
}

/**
 * N3 CAMEL role-play (Li et al. 2023): a program plays two agents against the model. The
 * "user" agent (one role prompt) issues instructions, the "assistant" agent (another) answers;
 * each call resends that agent's whole history with the roles flipped for the user agent, and
 * the loop runs on a fixed sleep until a turn limit or <CAMEL_TASK_DONE>.
 */
import type { ChatMessage, RequestBody } from '../../src/traffic/types.js';
import { type Member, runFleet, sendAs } from './campaign.js';
import { Deck } from './deck.js';
import { scriptUa } from './net.js';
import { itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { scriptHabits, stealthFleet, type StealthOpts } from './stealth.js';
import { userMsg } from './stream.js';
import { respond } from './text.js';
import type { Actor, Ctx, Draft } from './world.js';

const ASSISTANT_ROLES = ['Accountant', 'Actor', 'Administrator', 'Analyst', 'Artist', 'Athlete', 'Author', 'Chef', 'Coach', 'Consultant', 'Counselor', 'Designer', 'Doctor', 'Editor', 'Engineer', 'Entrepreneur', 'Event Planner', 'Financial Advisor', 'Graphic Designer', 'Historian', 'Journalist', 'Lawyer', 'Marketer', 'Mathematician', 'Musician', 'Nurse', 'Nutritionist', 'Photographer', 'Physicist', 'Psychologist', 'Real Estate Agent', 'Researcher', 'Scientist', 'Social Media Manager', 'Software Engineer', 'Teacher', 'Translator', 'Web Developer', 'Writer'];
const USER_ROLES = ['Accountant', 'Artist', 'Athlete', 'Blogger', 'Chef', 'Customer', 'Dancer', 'Entrepreneur', 'Farmer', 'Gamer', 'Historian', 'Homeowner', 'Investor', 'Journalist', 'Lawyer', 'Musician', 'Nurse', 'Parent', 'Photographer', 'Professor', 'Retiree', 'Scientist', 'Small Business Owner', 'Student', 'Teacher', 'Tourist', 'Volunteer', 'Writer'];
const LANGUAGES = ['Python', 'JavaScript', 'Java', 'C++', 'R', 'SQL', 'Go', 'Rust', 'MATLAB', 'Solidity'];

const assistantPrompt = (a: string, u: string, task: string): string =>
  `Never forget you are a ${a} and I am a ${u}. Never flip roles! Never instruct me!\nWe share a common interest in collaborating to successfully complete a task.\nYou must help me to complete the task.\nHere is the task: ${task}. Never forget our task!\nI must instruct you based on your expertise and my needs to complete the task.\n\nI must give you one instruction at a time.\nYou must write a specific solution that appropriately completes the requested instruction.\nYou must decline my instruction honestly if you cannot perform the instruction due to physical, moral, legal reasons or your capability and explain the reasons.\nDo not add anything else other than your solution to my instruction.\nYou are never supposed to ask me any questions you only answer questions.\nYou are never supposed to reply with a flake solution. Explain your solutions.\nYour solution must be declarative sentences and simple present tense.\nUnless I say the task is completed, you should always start with:\n\nSolution: <YOUR_SOLUTION>\n\n<YOUR_SOLUTION> should be specific and provide preferable implementations and examples for task-solving.\nAlways end <YOUR_SOLUTION> with: Next request.`;

const userPrompt = (a: string, u: string, task: string): string =>
  `Never forget you are a ${u} and I am a ${a}. Never flip roles! You will always instruct me.\nWe share a common interest in collaborating to successfully complete a task.\nI must help you to complete the task.\nHere is the task: ${task}. Never forget our task!\nYou must instruct me based on my expertise and your needs to complete the task ONLY in the following two ways:\n\n1. Instruct with a necessary input:\nInstruction: <YOUR_INSTRUCTION>\nInput: <YOUR_INPUT>\n\n2. Instruct without any input:\nInstruction: <YOUR_INSTRUCTION>\nInput: None\n\nThe "Instruction" describes a task or question. The paired "Input" provides further context or information for the requested "Instruction".\n\nYou must give me one instruction at a time.\nI must write a response that appropriately completes the requested instruction.\nI must decline your instruction honestly if I cannot perform the instruction due to physical, moral, legal reasons or my capability and explain the reasons.\nYou should instruct me not ask me questions.\nNow you must start to instruct me using the two ways described above.\nDo not add anything else other than your instruction and the optional corresponding input!\nKeep giving me instructions and necessary inputs until you think the task is completed.\nWhen the task is completed, you must only reply with a single word <CAMEL_TASK_DONE>.\nNever say <CAMEL_TASK_DONE> unless my responses have solved your task.`;

const START = 'Now start to give me instructions one by one. Only reply with Instruction and Input.';

export interface CamelParams {
  size: number;
  perDay: readonly [number, number];
  /** Exchanges per conversation (user instruction + assistant solution). */
  turns: readonly [number, number];
  domain?: 'society' | 'code';
}

export function n3Camel(ctx: Ctx, rng: Rng, p: CamelParams, st: StealthOpts): Actor {
  const ua = scriptUa(rng);
  const model = rng.pick(['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o']);
  const f = stealthFleet(ctx, rng, { playbook: 'N3', size: p.size, perDay: p.perDay, span: [3, 8], activeP: 0.85, habits: () => scriptHabits(ua, [model]) }, st);
  const domain = p.domain ?? rng.pick(['society', 'society', 'code'] as const);
  const temperature = rng.pick([0.2, 1]);
  const maxTokens = rng.pick([768, 1024, 1536]);
  // The program sleeps a fixed time between calls: the clock CAMEL-style scripts run on.
  const sleep = rng.pick([1_000, 2_000, 5_000, 10_000]);
  const tasks = new Deck(rng, itemsOf(ctx.corpus, ctx.sources.instructions));
  const steps = new Deck(rng, itemsOf(ctx.corpus, ctx.sources.harvest));
  const clip = (s: string): string => s.slice(0, maxTokens * 4);
  const call = (m: Member, t: number, messages: ChatMessage[], text: string): Draft => sendAs(m, t, { model, messages, temperature, max_tokens: maxTokens } satisfies RequestBody, text);
  const after = (t: number, text: string): number => t + sleep + 400 + (text.length / 4) * 12;
  const conversation = (m: Member, t0: number, out: Draft[]): number => {
    const a = domain === 'code' ? `${rng.pick(LANGUAGES)} Programmer` : rng.pick(ASSISTANT_ROLES);
    const u = rng.pick(USER_ROLES);
    const seed = tasks.next();
    const task = (seed.prompt.split('\n')[0] ?? seed.prompt).slice(0, 200).replace(/[.?!]\s*$/, '');
    const specified = clip(`${task} for a ${u.toLowerCase()}, with a concrete plan, examples and a short checklist`);
    let t = t0;
    out.push(call(m, t, [{ role: 'system', content: 'You can make a task more specific.' }, userMsg(`Here is a task that ${a} will help ${u} to complete: ${task}.\nPlease make it more specific. Be creative and imaginative.\nPlease reply with the specified task in 50 words or less. Do not add anything else.`)], specified));
    t = after(t, specified);
    const asSys: ChatMessage = { role: 'system', content: assistantPrompt(a, u, specified) };
    const userSys: ChatMessage = { role: 'system', content: userPrompt(a, u, specified) };
    // Each agent's own view of the chat: the user agent sees solutions as user turns.
    const userView: ChatMessage[] = [userMsg(START)];
    const asView: ChatMessage[] = [];
    let sent = 1;
    const turns = rng.int(p.turns[0], p.turns[1]);
    for (let k = 0; k < turns; k++) {
      const step = steps.next();
      const done = k === turns - 1 && rng.chance(0.6);
      const instruction = done ? '<CAMEL_TASK_DONE>' : `Instruction: ${(step.prompt.split('\n')[0] ?? '').slice(0, 300)}\nInput: ${step.prompt.includes('\n') ? step.prompt.split('\n').slice(1).join('\n').trim().slice(0, 600) : 'None'}`;
      out.push(call(m, t, [userSys, ...userView], instruction));
      sent++;
      t = after(t, instruction);
      if (done) break;
      userView.push({ role: 'assistant', content: instruction });
      asView.push(userMsg(instruction));
      const solution = clip(`Solution: ${respond(rng, ctx.corpus, step, maxTokens)}\n\nNext request.`);
      out.push(call(m, t, [asSys, ...asView], solution));
      sent++;
      t = after(t, solution);
      asView.push({ role: 'assistant', content: solution });
      userView.push(userMsg(solution));
    }
    return sent;
  };
  return {
    playbook: 'N3',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${p.size} acct, ${domain === 'code' ? 'code (language programmer x domain)' : 'AI-society'} role pairs, ${p.turns[0]}-${p.turns[1]} exchanges per conversation, ${sleep / 1000} s sleep between calls, ${model} T=${temperature} max_tokens ${maxTokens}, ~${p.perDay[0]}-${p.perDay[1]}/day/acct, ${f.stealthText}, tasks=[${ctx.sources.instructions.join(', ')}]`,
    events: () => runFleet(ctx, rng, f.members, f.schedule, conversation, f.cover, f.fromDay, f.toDay),
  };
}

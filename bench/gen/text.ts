/**
 * Wording: templates, reasoning-elicitation phrasings, system prompts, follow-ups, and the
 * label-independent rule that picks response text.
 */
import type { Corpus, Item } from './prompts.js';
import type { Rng } from './rng.js';

export const COT_SUFFIXES = [
  "Let's think step by step.",
  'Think step by step and show your work.',
  'Explain your reasoning step by step before giving the final answer.',
];

/** dev-v1-style harvest templates (P1/P2). */
export const HARVEST_TEMPLATES = [
  'Solve the following problem. Explain your reasoning step by step, then give the final answer.\n\n{x}',
  'Task: {x}\n\nRespond with a complete, well-structured and detailed answer.',
  'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\n{x}\n\n### Response:',
  'Answer the following question thoroughly.\n\nQuestion: {x}\nAnswer:',
  '{x}\n\nProvide a detailed answer with an explanation.',
];

/** Elaborate reasoning-trace elicitation (P3). */
export const TRACE_PROMPTS = [
  "Write a detailed chain of thought explaining each step, then state 'Final answer:' followed by the result.",
  'Break the problem into sub-problems, solve each one, and explain how they combine into the final answer.',
  'Reason through this carefully inside <thinking></thinking> tags, verifying each step, then give the answer.',
  'Show your complete internal reasoning process, including any false starts and how you corrected them.',
  'First restate the problem, then list what is known, then derive the answer step by step. Be exhaustive.',
];

/**
 * Paraphrase pieces (new-styles P7): combined they give hundreds of wordings, so a single
 * masked skeleton does not cover the campaign.
 */
const LEADS = [
  '', 'Hey, ', 'Quick one: ', 'Could you help me with this? ', 'I need help. ', 'Please help: ', 'Question for you. ', 'Hi! ', 'ok so ',
  'My teacher gave us this: ', 'Working on something and stuck. ', 'Curious about this one. ',
];
const ASKS = [
  'Can you walk me through it?', 'How would you approach this?', 'What is the answer, and why?', 'Explain how you get there.',
  'Please go through it carefully.', 'I want to understand the reasoning, not just the result.', 'Show me how to think about it.',
  'Talk me through your thought process.', 'Break it down for me.', 'Give me the full explanation.', 'Help me see why.',
  'Could you reason it out loud?', 'What steps would you take?', 'Mind explaining each part?',
];
const FRAMES = ['{lead}{x}\n\n{ask}', '{lead}{ask}\n\n{x}', '{x}\n{ask}', '{lead}{x} {ask}', '"{x}"\n\n{lead}{ask}', '{ask}\n---\n{x}\n---'];

export function paraphrase(rng: Rng, x: string): string {
  return rng
    .pick(FRAMES)
    .replace('{lead}', rng.pick(LEADS))
    .replace('{ask}', rng.pick(ASKS))
    .replace('{x}', x)
    .trim();
}

/** System prompts an operator might rotate through to look like different apps. */
export const RANDOM_SYSTEM = [
  'You are a helpful assistant.',
  'You are an expert tutor. Be thorough and precise.',
  'You are a friendly assistant for a learning app. Explain clearly.',
  'You are a senior software engineer. Answer with working code and explanations.',
  'You are a knowledgeable assistant. Provide complete, detailed answers.',
  'You are StudyBuddy, an assistant that helps students understand their homework.',
  'Answer as accurately as possible. Include reasoning.',
  'You are a careful analyst. Think things through before answering.',
  'You are a concise assistant.',
  'You are an AI assistant that gives well-structured, comprehensive responses.',
  'You are Ava, a customer-facing assistant for a productivity tool.',
  'You are a math and science tutor for high-school students.',
];

/** Multi-turn extraction follow-ups (new-styles P9). */
export const FOLLOW_UPS = [
  'Can you explain that further?',
  'Explain the second step in more detail.',
  'Why is that true? Go deeper.',
  'Can you give another example and walk through it?',
  'Explain it again as if to a beginner, step by step.',
  'What are common mistakes here, and why?',
  'Expand on your reasoning; be more detailed.',
  'Now verify your answer a different way.',
];

export const CASUAL_SYSTEM = ['You are a helpful assistant.', 'You are ChatGPT, a large language model. Be helpful.', ''];

/** Light user-side variation so a reused prompt is not byte-identical across users. */
export function vary(rng: Rng, text: string): string {
  const r = rng.next();
  if (r < 0.55) return text;
  if (r < 0.65) return text.charAt(0).toLowerCase() + text.slice(1);
  if (r < 0.75) return rng.pick(['hey ', 'hi, ', 'quick question: ', 'pls help: ']) + text;
  if (r < 0.85) return text + rng.pick([' thanks', ' thx', '?', ' please', ' :)']);
  const i = rng.int(0, Math.max(0, text.length - 2));
  return text.slice(0, i) + text.slice(i + 1);
}

/**
 * Response text: the item's own answer when it has one, else a neutral assistant text chosen
 * by length class (from max_tokens and wording) and code-ness, never by label.
 */
export function respond(rng: Rng, corpus: Corpus, item: Pick<Item, 'answer' | 'kind' | 'prompt'> | null, maxTokens: number | undefined): string {
  if (item && item.answer !== undefined && item.answer !== '') return item.answer;
  return neutral(rng, corpus, item ? item.kind === 'code' : false, maxTokens, item?.prompt ?? '');
}

export function neutral(rng: Rng, corpus: Corpus, code: boolean, maxTokens: number | undefined, wording: string): string {
  let cls = maxTokens === undefined ? 1 : maxTokens <= 300 ? 0 : maxTokens <= 1200 ? 1 : 2;
  if (/\b(detailed|thorough|step by step|explain|essay|complete)\b/i.test(wording)) cls = Math.min(2, cls + 1);
  const pools = code ? corpus.neutral.code : corpus.neutral.text;
  for (let c = cls; c >= 0; c--) {
    const pool = pools[c];
    if (pool && pool.length > 0) return rng.pick(pool);
  }
  const any = corpus.neutral.text[1] ?? [];
  return any.length > 0 ? rng.pick(any) : 'OK.';
}

/**
 * One wording per account: the low-and-slow hydra gives every account its own way of wrapping an
 * item, so no skeleton repeats across the campaign. Pieces combine into tens of thousands of wordings.
 */
import type { Rng } from './rng.js';

const OPENERS = [
  'please walk me through this problem -', 'trying to understand this homework question:', 'Hey, could you solve the following', 'Can you help me with this one?',
  "I'm stuck on this:", 'Got this on a practice test:', 'quick q', 'Need help with:', 'So my professor asked this', 'Working through a problem set.',
  'How would you answer this?', 'Hi! Question:', "ok here's one", 'Help me figure this out', 'What do you think about this one?', "I can't figure this out",
  'Could you take a look at this?', 'My friend and I disagree on this:', 'For my revision notes:', 'Studying for an exam and came across this.', 'yo',
  'Hello, I have a question', 'Pls help', 'Another one:', 'Next question:', 'Explain this to me:', 'Here is something I came across at work.', 'Curious what you make of this:',
  'Can you do this for me?', 'I was given this task:', 'Quick favour:', 'Task for you:', 'Let me know how you would handle this.',
];
const CLOSERS = [
  'How do you get the answer?', 'What would you say? thx', 'thx', 'Explain please.', 'Walk me through your reasoning.', 'Please show the steps.', 'Why?',
  'And explain why the other options are wrong.', 'Be detailed.', 'I want to understand it, not just the answer.', 'Thanks in advance!', "What's the reasoning?",
  'Can you break it down?', 'Go step by step please', 'Answer and explain.', 'short explanation is fine', 'Show your work.', 'ty', ':)', 'Thank you!',
  'Please be thorough.', 'what is the right answer here', 'Explain like I am new to this.', 'Keep it clear.', 'Appreciate it.',
];
const OPEN_SEP = ['\n\n', '\n', ' ', ':\n\n', '\n---\n'];
const CLOSE_SEP = ['\n\n', '\n--\n', ' ', '\n'];

function oneWording(rng: Rng): string {
  const open = rng.chance(0.8) ? rng.pick(OPENERS) : '';
  const close = rng.chance(0.7) ? rng.pick(CLOSERS) : '';
  const body = rng.chance(0.15) ? '"{x}"' : '{x}';
  const o = open && rng.chance(0.25) ? open.charAt(0).toLowerCase() + open.slice(1) : open;
  const head = o ? `${o}${rng.pick(OPEN_SEP)}` : '';
  const tail = close ? `${rng.pick(CLOSE_SEP)}${close}` : '';
  return `${head}${body}${tail}`;
}

/** `count` distinct wordings, each with one {x} slot. */
export function accountWordings(rng: Rng, count: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  let guard = 0;
  while (out.length < count && guard++ < count * 50) {
    const w = oneWording(rng);
    if (w === '{x}' || seen.has(w)) continue;
    seen.add(w);
    out.push(w);
  }
  return out;
}

export function fill(template: string, x: string): string {
  // A function replacer: item text holds dollar signs, which a replacement string would read as patterns.
  return template.replace('{x}', () => x);
}

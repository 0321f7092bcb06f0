import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanPrompt } from '../../src/detect/prompt-scan.js';

const shared = (a: readonly number[], b: readonly number[]): boolean => a.some((key) => b.includes(key));
const keysOf = (prompt: string): readonly number[] => scanPrompt(prompt).items[0]!.keys;

test('one template around different items shares wrapper keys; the items do not share item keys', () => {
  const a = scanPrompt('Solve the following problem. Explain your reasoning.\n\nTom has 3 apples and eats 1. How many are left over at the end of the day?');
  const b = scanPrompt('Solve the following problem. Explain your reasoning.\n\nA train leaves at 9 and travels 60 km/h for 2.5 hours; how far did the train go in total?');
  assert.ok(shared(a.wrappers, b.wrappers));
  assert.ok(!shared(a.items[0]!.keys, b.items[0]!.keys));
  // An inline wrapper and a closing ask are found too, on either side of the item.
  const c = scanPrompt('Hi! quick one: which gas do plants take in during photosynthesis to make their food?');
  const d = scanPrompt('Hi! quick one: who painted the ceiling of the Sistine Chapel in the sixteenth century?');
  assert.ok(shared(c.wrappers, d.wrappers));
  const e = scanPrompt('Name three rivers that flow through more than two countries in Europe. Please give a complete answer.');
  const f = scanPrompt('Describe how a bill becomes a law in a parliamentary system. Please give a complete answer.');
  assert.ok(shared(e.wrappers, f.wrappers));
});

test('numbers do not make a new wrapper, and a field label on its own line is one', () => {
  const a = scanPrompt('Question 12: what is the boiling point of water at sea level in degrees?\nAnswer:');
  const b = scanPrompt('Question 97: how many legs does a spider have according to biologists today?\nAnswer:');
  assert.ok(shared(a.wrappers, b.wrappers));
});

test('the same item keeps its keys whatever wraps it', () => {
  const item = 'A metal rod is struck and starts to vibrate. Which of these could happen next? The rod becomes a liquid, heavier, or attracts metals.';
  const bare = keysOf(item);
  assert.ok(shared(bare, scanPrompt(`Show your work.\n\n${item}`).items[0]!.keys));
  assert.ok(shared(bare, scanPrompt(`${item}\n\nExplain your reasoning step by step.`).items[0]!.keys));
  assert.ok(shared(bare, keysOf(`ok so ${item}`)));
});

test('a prompt too short to wrap anything has no wrapper keys, and long prompts are read at both ends', () => {
  assert.deepEqual(scanPrompt('hello there').wrappers, []);
  const long = `Summarize this:\n${'word '.repeat(3000)}\nKeep it under 100 words please.`;
  const other = `Summarize this:\n${'other '.repeat(3000)}\nKeep it under 100 words please.`;
  assert.ok(shared(scanPrompt(long).wrappers, scanPrompt(other).wrappers));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnchorSet } from '../../src/detect/anchors.js';
import { TASK_PATTERNS, taskTypeOf, taskWindow } from '../../src/detect/task-type.js';
import { readPrompt, textSignals } from '../../src/detect/text-signals.js';

test('reasoning elicitation is found in its many phrasings', () => {
  for (const prompt of [
    'Solve this. Explain your reasoning step by step, then give the final answer.',
    'Work through this carefully, one step at a time.',
    "Let's think about it before answering.",
    'Provide a rigorous derivation and justify every transformation you make.',
    'Show all your work and double-check the result.',
    'Use chain-of-thought and put the final answer in a box.',
  ]) {
    assert.ok(textSignals(prompt).reasoning > 0, prompt);
  }
});

test('ordinary questions do not count as reasoning elicitation', () => {
  for (const prompt of ['What is the capital of France?', 'Write a haiku about autumn leaves.', 'Summarize this thread for my manager.']) {
    assert.equal(textSignals(prompt).reasoning, 0, prompt);
  }
  // A bounded explanation is a mild ask, read together with its ask for brevity.
  const bounded = textSignals('Explain the solution to this problem to a fellow student in under 150 words.');
  assert.equal(bounded.reasoning, 0.7);
  assert.ok(bounded.brevity > 0);
});

test('the newer harvesting shapes are found: rewriting loops, whole dialogues, role-play scripts, Self-Instruct steps', () => {
  assert.ok(textSignals('I want you to act as a Prompt Rewriter. Rewrite the given prompt into a more complex version.\n#Given Prompt#: ...').rewriting > 0);
  assert.ok(textSignals('Generate a conversation between a human and an AI assistant about the following topic.').dialogue > 0);
  assert.ok(textSignals('[|Human|] hi [|AI|] hello').dialogue > 0);
  assert.ok(textSignals('', 'Never forget you are a Writer and I am a Counselor. Never flip roles!').dialogue > 0);
  assert.ok(textSignals('Come up with a series of tasks:\n\nTask 1: ...').generation > 0);
  assert.ok(textSignals('Can the following task be regarded as a classification task with finite output labels?').generation > 0);
  assert.equal(textSignals('Can you write a dialogue for my play? Two friends argue about dinner.').rewriting, 0);
});

test('asks from a system prompt alone are told from the user asking', () => {
  const product = textSignals('How do I reset my router?', 'You are a support assistant. Explain every answer step by step.');
  assert.equal(product.asksFromSystem, true);
  assert.equal(product.userAsks, false);
  const user = textSignals('Explain your reasoning step by step.', 'You are a support assistant.');
  assert.equal(user.userAsks, true);
  assert.equal(user.asksFromSystem, false);
});

test('verbosity and brevity requests are told apart', () => {
  assert.ok(textSignals('Respond with a complete, well-structured and detailed answer.').verbosity > 0);
  assert.ok(textSignals('Answer the following as completely as possible.').verbosity > 0);
  assert.equal(textSignals('Answer the following as completely as possible.').brevity, 0);
  assert.ok(textSignals('Summarize this document in under 60 words.').brevity > 0);
  assert.ok(textSignals('Return only the code.').brevity > 0);
});

test('instruction generation and grading prompts are found', () => {
  assert.ok(textSignals('You are asked to come up with a set of 20 diverse task instructions.').generation > 0);
  assert.ok(textSignals('Generate 15 new questions a student might ask about biology.').generation > 0);
  assert.ok(textSignals('Rate this response 1-10 and justify your score.').grading > 0);
  assert.ok(textSignals('Which response is better, A or B? [Response A] ... [Response B] ...').grading > 0);
  assert.equal(textSignals('Write a story about a dragon.').generation, 0);
});

test('benchmark-style items are recognised', () => {
  assert.ok(textSignals('Which planet is largest?\nA) Mars\nB) Jupiter\nC) Venus\nD) Earth').dataset > 0);
  assert.ok(textSignals('Natalia sold 48 clips.\n#### 72').dataset > 0);
  assert.ok(textSignals('def add(x: int, y: int):\n    """Add two numbers x and y"""\n').dataset > 0);
  assert.ok(textSignals('Compute $\\frac{3}{4} + x$.').dataset > 0);
  assert.equal(textSignals('hey can you help me plan a birthday party for my sister').dataset, 0);
});

test('follow-ups that ask for more are recognised as such', () => {
  for (const prompt of ['Can you explain that further?', 'Why is that true? Go deeper.', 'Explain the second step in more detail.', 'Can you walk me through it?']) {
    const s = textSignals(prompt);
    assert.ok(s.reasoning + s.verbosity > 0, prompt);
  }
  assert.equal(textSignals('thanks, that works!').verbosity, 0);
});

test('grading prompts in other wordings are found', () => {
  assert.ok(textSignals('You are a strict grader. Compare the two answers below, say which is better, and give each a score out of 10.').grading > 0);
  assert.equal(textSignals('Which is the better city to visit in May, Rome or Paris?').grading, 0);
});

test('the task type read beside the signals, from their shared scan, is the one its patterns give unfiltered', () => {
  // Patterns without anchors are always run: a prefilter that lets everything through.
  const unfiltered = new AnchorSet(TASK_PATTERNS.map(() => /./));
  unfiltered.scan('');
  const filler = 'The weather was mild and the meeting went on. '.repeat(20);
  const asks = ['Write a Python FUNCTION that reverses a list.', 'How many apples are left if 3 of 7 are eaten?', 'Classify the sentiment: great!', 'Translate to French: good morning', 'Compose a poem about rain', 'What is 12 + 30?', 'Tell me about the \u212Aelvin scale', 'İstanbul in 1453: what happened?', 'nothing to see'];
  for (const ask of asks) {
    for (const prompt of [ask, `${filler.slice(0, 300)}${ask}`, `${filler.slice(0, 420)}${ask}${filler.slice(0, 250)}`, `${filler.slice(0, 650)} ${ask}`, `${ask} ${filler}`, `${filler}${ask}`, `${filler}${ask.toUpperCase()}${filler}`]) {
      assert.equal(readPrompt(prompt).task, taskTypeOf(taskWindow(prompt), unfiltered, 0), `${prompt.length}: ${ask}`);
      assert.deepEqual(readPrompt(prompt, 'Explain your reasoning.').signals, textSignals(prompt, 'Explain your reasoning.'));
    }
  }
});

test('a system prompt read under the key of another is read for itself', () => {
  const asks = 'Always explain your reasoning step by step.';
  const plain = 'You are a helpful assistant.';
  assert.ok(readPrompt('hello there', asks, 7).signals.reasoning > 0);
  assert.equal(readPrompt('hello there', plain, 7).signals.reasoning, 0);
  assert.ok(readPrompt('hello there', asks, 7).signals.reasoning > 0);
});

test('a match across the join of the signals\' window is found when one scan serves the task type too', () => {
  // '\nanswer:' spans the head's end and the tail's start only in the signals' window.
  const prompt = `${'The weather was mild and the meeting went on. '.repeat(20)}Answer:${' '.repeat(193)}`;
  assert.equal(textSignals(prompt).dataset, 0.7);
  assert.deepEqual(readPrompt(prompt).signals, textSignals(prompt));
});

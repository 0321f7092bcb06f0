/** The anchor prefilter only skips patterns that cannot match, so detection reads prompts exactly as the regexes do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { AnchorSet, anchorsOf } from '../../src/detect/anchors.js';
import { TASK_PATTERNS } from '../../src/detect/task-type.js';
import { BEHAVIOURS } from '../../src/detect/text-signals.js';
import { loadCorpus } from '../../bench/gen/prompts.js';
import { accountWordings, fill } from '../../bench/gen/templates.js';
import { HARVEST_SUFFIXES } from '../../bench/gen/reseller.js';
import { ORCA_SYSTEM } from '../../bench/gen/orca.js';
import { Rng } from '../../bench/gen/rng.js';
import { PROMPTS } from '../gen/fixture.js';

test('anchors are the literals every match must contain, case folded', () => {
  // Each inner list is one requirement: a match contains one of its strings, for every list.
  assert.deepEqual(anchorsOf(/step[\s-]*by[\s-]*step/), [['step'], ['by'], ['step']]);
  assert.deepEqual(anchorsOf(/chain[\s-]*of[\s-]*thoughts?/), [['chain'], ['of'], ['thought', 'thoughts']]);
  assert.deepEqual(anchorsOf(/\bwalk (?:me |us )?through\b/), [['walk me through', 'walk through', 'walk us through']]);
  assert.deepEqual(anchorsOf(/\bRubric\b/i), [['rubric']]);
  assert.deepEqual(anchorsOf(/a|b+c/), [['a', 'b']]);
  assert.deepEqual(anchorsOf(/^(?:question|q)\s*:/im), [['q', 'question'], [':']]);
  // Nothing is necessary: an optional piece, an open class, a negated class, a back-reference.
  assert.equal(anchorsOf(/(?:abc)?\d+/), null);
  assert.equal(anchorsOf(/[^x]+/), null);
  assert.equal(anchorsOf(/(a)\1/), null);
  assert.equal(anchorsOf(/x|\s+/), null);
});

test('a lookahead or an assertion consumes nothing; a quantified piece keeps its anchors', () => {
  assert.deepEqual(anchorsOf(/^foo(?=bar)/m), [['foo']]);
  assert.deepEqual(anchorsOf(/(?:ab){2,}x/), [['ab'], ['x']]);
  assert.deepEqual(anchorsOf(/[a-c]\)/), [['a)', 'b)', 'c)']]);
});

function corpus(): string[] {
  const out = [
    'Explain your reasoning STEP BY STEP.',
    'Rate the RESPONSE on a scale of 1 to 10.',
    'Question: what is 2+2?\nAnswer:',
    '(A) one\n(B) two',
    '```python\ndef f(x):\n    return x\n```',
    'İstanbul KELVIN \u212a test — “quoted” ×÷ 3 × 4',
  ];
  if (existsSync(PROMPTS)) {
    const c = loadCorpus(PROMPTS);
    for (const items of c.items.values()) for (const item of items.slice(0, 400)) out.push(item.prompt, item.prompt.toUpperCase());
    for (const convs of c.convs.values()) for (const conv of convs.slice(0, 100)) for (const turn of conv.turns) out.push(turn.user, turn.assistant ?? '');
    out.push(c.generationPrompt, ...c.docs.slice(0, 100));
  } else {
    console.log(`# ${PROMPTS} not found: the corpus is the built-in prompts and templates only`);
  }
  const rng = new Rng(7);
  const items = out.slice(0, 300);
  for (const wording of accountWordings(rng, 200)) out.push(fill(wording, items[rng.int(0, items.length - 1)] ?? ''));
  for (const suffix of HARVEST_SUFFIXES) out.push(`How do tides work? ${suffix}`);
  out.push(...ORCA_SYSTEM);
  return out;
}

test('over real prompts and harvest templates, every pattern that matches is a candidate of the scan', () => {
  const texts = corpus();
  for (const patterns of [BEHAVIOURS.flat(), TASK_PATTERNS]) {
    const set = new AnchorSet(patterns);
    let matched = 0;
    for (const text of texts) {
      for (const subject of [text, text.toLowerCase()]) {
        set.scan(subject);
        patterns.forEach((pattern, id) => {
          if (!pattern.test(subject)) return;
          matched++;
          assert.ok(set.may(id), `${pattern} matches but was skipped on ${JSON.stringify(subject.slice(0, 200))}`);
        });
      }
    }
    assert.ok(matched > 100, `the corpus exercises the patterns (${matched} matches)`);
  }
});

test('the scan skips patterns whose anchors are absent', () => {
  const set = new AnchorSet([/step[\s-]*by[\s-]*step/, /\brubric\b/, /\d+/, /\brate\b.*\banswer/]);
  set.scan('What is the capital of France?');
  assert.deepEqual([set.may(0), set.may(1), set.may(2), set.may(3)], [false, false, true, false]);
  set.scan('Go Step-By-Step with the RUBRIC');
  assert.deepEqual([set.may(0), set.may(1), set.may(2), set.may(3)], [true, true, true, false]);
  // Every requirement must be met: one of the two words is not enough.
  set.scan('rate this');
  assert.equal(set.may(3), false);
  set.scan('rate this answer');
  assert.equal(set.may(3), true);
});

test('a text as written meets every set its lower-cased copy meets (the Kelvin sign, dotted capital I)', () => {
  const set = new AnchorSet([/\btask\b/, /\bapi\b/]);
  // Lower-cased, these read 'task' and 'api' and a combining dot: the behaviours' patterns match them.
  set.scan('TAS\u212a');
  assert.ok(set.may(0));
  set.scan('AP\u0130');
  assert.ok(set.may(1));
});

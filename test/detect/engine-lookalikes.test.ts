import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestBody, TrafficRequest } from '../../src/traffic/types.js';
import { DAY, HOUR, MIN, T0, account, chat, chatPrompt, flaggedShare, item, request, run } from './fixtures.js';

/** Harvesting shapes are flagged; the legitimate heavy users they resemble are not. */

test('a reasoning-trace harvester over dataset items is flagged within its first hour', () => {
  const wordings = ['Explain your reasoning step by step, then give the final answer.', 'Work through this carefully and show all your work.', 'Think it through one step at a time before answering.'];
  const requests = Array.from({ length: 300 }, (_, i) =>
    request('harvester', T0 + i * 2 * MIN, chat(`${wordings[i % 3]}\n\n${item(i)}`, { max_tokens: 4096, temperature: 0.8, ...(i % 4 === 0 ? { n: 4 } : {}) })),
  );
  const a = run([account('harvester')], requests).assessment('harvester')!;
  assert.equal(a.flagged, true);
  assert.ok(Date.parse(a.firstFlaggedAt!) < T0 + HOUR, a.firstFlaggedAt!);
  assert.ok(a.reasons.some((r) => r.signal === 'harvest-requests' && r.scope === 'account'));
});

test('a naive bulk harvester with one template and default decoding is flagged as soon as the pattern shows', () => {
  const requests = Array.from({ length: 600 }, (_, i) => request('bulk', T0 + i * 30_000, chat(`Solve the following problem. Explain your reasoning.\n\n${item(i)}`, { max_tokens: 4096 })));
  const a = run([account('bulk')], requests).assessment('bulk')!;
  assert.equal(a.flagged, true);
  assert.ok(Date.parse(a.firstFlaggedAt!) < T0 + HOUR, a.firstFlaggedAt!);
});

test('benign look-alike: a one-off benchmark run with a CoT suffix and greedy decoding is not flagged', () => {
  const requests = Array.from({ length: 700 }, (_, i) =>
    request('bench', T0 + i * 4000, chat(`Question: ${item(i)}\nLet's think step by step.\nAnswer:`, { max_tokens: 512, temperature: 0, seed: 42 }), { usage: { prompt_tokens: 900, completion_tokens: 120 } }),
  );
  assert.equal(run([account('bench')], requests).assessment('bench')!.flagged, false);
});

test('benign look-alike: a pass@k code benchmark sampling five answers per item is not flagged', () => {
  const requests = Array.from({ length: 400 }, (_, i) =>
    request('passk', T0 + i * 3000, chat(`Complete the following Python function. Return only the code.\n\n\`\`\`python\ndef task_${i}(values):\n    """${item(i)}"""\n\`\`\``, { max_tokens: 1024, temperature: 0.8, n: 5 })),
  );
  assert.equal(run([account('passk')], requests).assessment('passk')!.flagged, false);
});

test('benign look-alike: a SaaS tutor whose system prompt asks every answer for its steps, with end users, is not flagged', () => {
  const system = 'You are StudyBuddy. Explain every answer step by step so the student can follow, and check their understanding at the end.';
  const requests = Array.from({ length: 2000 }, (_, i) => {
    const history = i % 3 === 0 ? [] : [{ role: 'user', content: chatPrompt(i) }, { role: 'assistant', content: 'Sure! Here is how to think about it.' }];
    const body: RequestBody = { model: 'gpt-4o-mini', max_tokens: 1024, temperature: 0.7, user: `u_${i % 400}`, messages: [{ role: 'system', content: system }, ...history, { role: 'user', content: i % 3 === 0 ? chatPrompt(i + 7) : 'ok, and why is that?' }] };
    return request('saas', T0 + i * 40_000, body, { ip: `52.6.114.${i % 5}` });
  });
  assert.equal(run([account('saas', { tier: 'tier-4' })], requests).assessment('saas')!.flagged, false);
});

test("benign look-alike: a developer's runaway loop of one detailed prompt is not flagged", () => {
  const body = chat('Give me a detailed explanation, step by step, of why my JSON parser fails on nested arrays', { max_tokens: 2048, temperature: 0.7 });
  const requests = Array.from({ length: 280 }, (_, i) => request('tinker', T0 + i * 1500, body));
  assert.equal(run([account('tinker')], requests).assessment('tinker')!.flagged, false);
});

test('benign look-alike: a batch job grading answers with one-digit scores is not flagged', () => {
  const requests = Array.from({ length: 900 }, (_, i) =>
    request('batch', T0 + i * 1700, chat(`Rate the writing quality of the following answer from 1 (poor) to 5 (excellent). Reply with the number only.\n\n${item(i)} ${item(i + 1)}`, { max_tokens: 3, temperature: 0 }), {
      usage: { prompt_tokens: 180, completion_tokens: 1 },
    }),
  );
  assert.equal(run([account('batch')], requests).assessment('batch')!.flagged, false);
});

test('a verdict and a level come out for accounts that never sent a request', () => {
  const engine = run([account('quiet')], []);
  assert.deepEqual(engine.verdicts(), [{ account: 'quiet', flagged: false, score: 0, first_flagged_at: null, campaign: null, reasons: [] }]);
  assert.equal(engine.assessment('quiet')!.level, 'none');
});

test('a hydra of new accounts on a few shared cards running one template round-robin is one campaign, flagged early', () => {
  const accounts = Array.from({ length: 24 }, (_, k) =>
    account(`hydra${k}`, { email_domain: `skynet${k + 10}.co`, payment_fingerprint: `pf_h${k % 4}`, signup_ip: `45.56.1.${k}`, created_at: new Date(T0 - (k % 3) * DAY).toISOString(), verified: false, tier: 'tier-1' }),
  );
  const requests = Array.from({ length: 24 * 60 }, (_, i) =>
    request(`hydra${i % 24}`, T0 + i * 40_000, chat(`Task: ${item(i)}\n\nOutput (be thorough):`, { max_tokens: 2048, temperature: 1 }), { ip: `45.56.121.${i % 50}` }),
  );
  const engine = run(accounts, requests);
  assert.equal(flaggedShare(engine, accounts), 1);
  const ids = new Set(accounts.map((a) => engine.assessment(a.account)!.campaign));
  assert.equal(ids.size, 1);
  const campaign = engine.campaigns().find((c) => c.id === [...ids][0])!;
  assert.equal(campaign.flagged, true);
  // The evidence is grouped by what is shared: each card with the accounts on it.
  const cards = campaign.evidence.filter((e) => e.kind === 'card');
  assert.equal(cards.length, 4);
  assert.ok(cards.every((e) => e.accounts.length === 6 && e.label.startsWith('payment card pf_h')));
  assert.ok(accounts.every((a) => Date.parse(engine.assessment(a.account)!.firstFlaggedAt!) < T0 + 3 * HOUR));
});

test('a program playing both sides of a role-play, turn after turn within seconds, is flagged', () => {
  const system = 'Never forget you are a Writer and I am a Counselor. Never flip roles! You will always instruct me.';
  const requests: TrafficRequest[] = [];
  let ms = T0;
  for (let c = 0; c < 60; c++) {
    const first = `Instruction: ${item(c)}\nInput: None`;
    const history = [{ role: 'system', content: system }, { role: 'user', content: first }];
    for (let turn = 0; turn < 8; turn++) {
      requests.push(request('camel', ms, { model: 'gpt-4.1-nano', max_tokens: 768, temperature: 0.2, messages: [...history] }, { latency_ms: 600 }));
      history.push({ role: 'assistant', content: `Solution: ${item(c * 10 + turn)}` }, { role: 'user', content: `Instruction: ${item(c * 10 + turn + 5000)}\nInput: None` });
      ms += 2600;
    }
  }
  const a = run([account('camel')], requests).assessment('camel')!;
  assert.equal(a.flagged, true);
  assert.ok(a.reasons.some((r) => r.signal === 'scripted-follow-ups'), JSON.stringify(a.reasons));
});

test('refused traffic counts: an account cycling bad keys and hammering a suspension is probing', () => {
  const requests = Array.from({ length: 200 }, (_, i) =>
    request('prober', T0 + i * 5000, chat(`Explain step by step: ${item(i)}`, { max_tokens: 2048 }), i % 2 === 0 ? { status: i % 4 === 0 ? 401 : 403, usage: { prompt_tokens: 0, completion_tokens: 0 } } : {}),
  );
  const a = run([account('prober')], requests).assessment('prober')!;
  assert.ok(a.reasons.some((r) => r.signal === 'refusals' && r.text.includes('100 of them')), JSON.stringify(a.reasons));
  assert.equal(a.requests, 200);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../src/detect/index.js';
import type { AccountRecord, TrafficRequest } from '../../src/traffic/types.js';
import { HOUR, MIN, T0, account, chat, inOrder, item, mixedItem, request } from './fixtures.js';

function run(accounts: AccountRecord[], requests: TrafficRequest[]) {
  const engine = createEngine();
  for (const a of accounts) engine.addAccount(a);
  for (const r of inOrder(requests)) engine.observe(r);
  return engine;
}

test('a reasoning-trace harvester over mixed dataset items is flagged within its first hour', () => {
  const reqs = Array.from({ length: 300 }, (_, i) =>
    request('harvester', T0 + i * 2 * MIN, chat(`Explain your reasoning step by step, then give the final answer.\n\n${mixedItem(i)}`, { max_tokens: 4096, temperature: 0.8 })),
  );
  const engine = run([account('harvester')], reqs);
  const a = engine.assessment('harvester')!;
  assert.equal(a.flagged, true);
  assert.ok(Date.parse(a.firstFlaggedAt!) < T0 + 1 * HOUR, a.firstFlaggedAt!);
  assert.ok(a.reasons.some((r) => r.signal === 'reasoning-elicitation'));
});

test('a one-template, one-domain harvester is still flagged, only later', () => {
  // It has a benchmark run's shape, so it needs more evidence: the price of sparing CoT benchmark runs.
  const reqs = Array.from({ length: 40 * 30 }, (_, i) =>
    request('steady', T0 + i * 3 * MIN, chat(`Explain your reasoning step by step, then give the final answer.\n\n${item(i)}`, { max_tokens: 4096, temperature: 0.8 })),
  );
  const a = run([account('steady')], reqs).assessment('steady')!;
  assert.equal(a.flagged, true);
  assert.ok(Date.parse(a.firstFlaggedAt!) > T0 + 2 * HOUR, a.firstFlaggedAt!);
});

test('benign look-alike: a one-off benchmark run with a CoT suffix is not flagged', () => {
  const reqs = Array.from({ length: 700 }, (_, i) =>
    request('bench', T0 + i * 4000, chat(`Question: ${item(i)}\nLet's think step by step.\nAnswer:`, { max_tokens: 512, temperature: 0, seed: 42 }), {
      usage: { prompt_tokens: 900, completion_tokens: 120 },
    }),
  );
  assert.equal(run([account('bench')], reqs).assessment('bench')!.flagged, false);
});

test('benign look-alike: a SaaS back end with one system prompt and many end users is not flagged', () => {
  const system = 'You are HelpBot for Acme Tools. Answer customer questions about orders, returns and shipping politely and concisely.';
  const reqs = Array.from({ length: 2000 }, (_, i) => {
    const history = i % 3 === 0 ? [] : [{ role: 'user', content: 'hi, my order is late' }, { role: 'assistant', content: 'Sorry to hear that! Can you share the order number?' }];
    const body = { model: 'gpt-4o-mini', max_tokens: 1024, temperature: 0.7, user: `u_${i % 400}`, messages: [{ role: 'system', content: system }, ...history, { role: 'user', content: `Please explain in detail step by step: ${item(i)}` }] };
    return request('saas', T0 + i * 40_000, body, { ip: `52.6.114.${i % 5}` });
  });
  assert.equal(run([account('saas', { tier: 'tier-4' })], reqs).assessment('saas')!.flagged, false);
});

test('benign look-alike: a classroom cohort sharing a domain, a card and a NAT is linked but not flagged', () => {
  const students = Array.from({ length: 20 }, (_, s) => account(`student${s}`, { email_domain: 'uni.edu', payment_fingerprint: 'pf_campus', signup_ip: '66.24.16.5', created_at: new Date(T0 - s * HOUR).toISOString() }));
  const reqs = students.flatMap((st, s) =>
    Array.from({ length: 40 }, (_, i) =>
      request(st.account, T0 + 24 * HOUR + s * 7 * MIN + i * 3 * MIN, chat(`Explain the solution to this problem to a fellow student in under 150 words.\n\n${item(i)}`, { max_tokens: 512, temperature: 0 }), { ip: '66.24.16.23' }),
    ),
  );
  const engine = run(students, reqs);
  assert.ok(students.every((st) => !engine.assessment(st.account)!.flagged));
  assert.ok(engine.campaigns().some((c) => c.members.length === 20));
});

test('a hydra of new accounts with shared cards and one template is one campaign, flagged early', () => {
  const accounts = Array.from({ length: 24 }, (_, k) =>
    account(`hydra${k}`, { email_domain: `skynet${k + 10}.co`, payment_fingerprint: `pf_h${k % 4}`, signup_ip: `45.56.1.${k}`, created_at: new Date(T0 - (k % 3) * 24 * HOUR).toISOString(), verified: false, tier: 'tier-1' }),
  );
  const reqs = Array.from({ length: 24 * 60 }, (_, i) =>
    request(`hydra${i % 24}`, T0 + i * 40_000, chat(`Task: ${item(i)}\n\nRespond with a complete, well-structured and detailed answer.`, { max_tokens: 1024, temperature: 1 }), { ip: `45.56.121.${i % 50}` }),
  );
  const engine = run(accounts, reqs);
  const flagged = accounts.map((a) => engine.assessment(a.account)!);
  assert.ok(flagged.every((a) => a.flagged));
  assert.equal(new Set(flagged.map((a) => a.campaign)).size, 1);
  assert.ok(flagged.every((a) => Date.parse(a.firstFlaggedAt!) < T0 + 2 * HOUR));
});

test("benign look-alike: a tinker's runaway loop of identical requests is not flagged", () => {
  const body = chat('Give me a detailed explanation, step by step, of why my JSON parser fails', { max_tokens: 2048, temperature: 0.7 });
  const reqs = Array.from({ length: 280 }, (_, i) => request('tinker', T0 + i * 1500, body));
  assert.equal(run([account('tinker')], reqs).assessment('tinker')!.flagged, false);
});

test('a verdict and a level come out for accounts that never sent a request', () => {
  const engine = run([account('quiet')], []);
  assert.deepEqual(engine.verdicts(), [{ account: 'quiet', flagged: false, score: 0, first_flagged_at: null, campaign: null, reasons: [] }]);
  assert.equal(engine.assessment('quiet')!.level, 'none');
});

test('a hydra with no telling phrase is still caught by its coordination alone', () => {
  const accounts = Array.from({ length: 12 }, (_, k) =>
    account(`quiet${k}`, { email_domain: `mailbox${k + 3}.net`, payment_fingerprint: `pf_q${k % 3}`, signup_ip: `45.56.1.${k}`, created_at: new Date(T0 - (k % 4) * 24 * HOUR).toISOString() }),
  );
  const reqs = Array.from({ length: 12 * 40 }, (_, i) => request(`quiet${i % 12}`, T0 + i * 60_000, chat(`Task: ${item(i)}`, { max_tokens: 1024, temperature: 1 }), { ip: `45.56.9.${i % 20}` }));
  const engine = run(accounts, reqs);
  assert.ok(accounts.every((a) => engine.assessment(a.account)!.flagged));
  assert.ok(engine.assessment('quiet0')!.reasons.some((r) => r.signal === 'coordinated-sweep'));
});

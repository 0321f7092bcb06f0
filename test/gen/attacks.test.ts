/** Each attack playbook has the property it claims. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { n4AlpacaGen } from '../../bench/gen/alpaca-gen.js';
import { n3Camel } from '../../bench/gen/camel.js';
import { n1Evol } from '../../bench/gen/evol.js';
import { h1Hydra } from '../../bench/gen/hydra.js';
import { HOSTING } from '../../bench/gen/net.js';
import { ORCA_SYSTEM, h3Orca } from '../../bench/gen/orca.js';
import { itemsOf } from '../../bench/gen/prompts.js';
import { n5Rationale } from '../../bench/gen/rationale.js';
import { HARVEST_SUFFIXES, h2Reseller } from '../../bench/gen/reseller.js';
import { Rng } from '../../bench/gen/rng.js';
import { n2SelfChat } from '../../bench/gen/self-chat.js';
import { OPEN } from '../../bench/gen/stealth.js';
import { DAY } from '../../bench/gen/world.js';
import { byAccount, drafts, lastUser, messagesOf, testCtx } from './fixture.js';

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

test('H1: one wording per account, items disjoint across accounts, cover at the requested share', () => {
  for (const cover of [0, 0.3, 0.6]) {
    const ctx = testCtx(11, { days: 14 });
    const h = h1Hydra(ctx, new Rng(4), { size: 60, rate: 20, cover });
    const ds = drafts(h);
    const pool = new Set(itemsOf(ctx.corpus, ctx.sources.harvest).map((i) => i.prompt));
    const owner = new Map<string, string>();
    let harvest = 0;
    for (const d of ds) {
      const acct = d.acct.record.account;
      const [pre = '', post = ''] = (h.wordings.get(acct) ?? '').split('{x}');
      const u = lastUser(d);
      const item = u.slice(pre.length, u.length - post.length);
      if (messagesOf(d).filter((m) => m.role === 'user').length !== 1 || !u.startsWith(pre) || !u.endsWith(post) || !pool.has(item)) continue;
      harvest++;
      assert.ok(!owner.has(item), `item sent twice (by ${owner.get(item)} and ${acct})`);
      owner.set(item, acct);
    }
    const share = 1 - harvest / ds.length;
    assert.ok(Math.abs(share - cover) < 0.06, `cover ${share.toFixed(3)} for requested ${cover}`);
    assert.equal(new Set(h.wordings.values()).size, 60, 'wordings repeat across accounts');
  }
});

test('H1: staggered creation and residential exits reused by a few accounts each', () => {
  const ctx = testCtx(12, { days: 14 });
  const h = h1Hydra(ctx, new Rng(9), { size: 100, rate: 15, cover: 0.3 });
  const ds = drafts(h);
  const created = h.accounts.map((a) => Date.parse(a.record.created_at)).sort((a, b) => a - b);
  assert.ok((created[created.length - 1] ?? 0) - (created[0] ?? 0) > 28 * DAY, 'accounts not created over weeks');
  const accountsPerIp = [...byIp(ds).values()].map((s) => s.size);
  assert.ok(accountsPerIp.length <= 250, `${accountsPerIp.length} exits for 100 accounts`);
  const shared = accountsPerIp.filter((n) => n >= 2).length / accountsPerIp.length;
  assert.ok(shared > 0.5, `only ${(shared * 100).toFixed(0)}% of exits used by more than one account`);
  assert.ok(Math.max(...accountsPerIp) <= 20, 'an exit used by most of the campaign');
});

function byIp(ds: readonly { ip: string; acct: { record: { account: string } } }[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const d of ds) m.set(d.ip, (m.get(d.ip) ?? new Set()).add(d.acct.record.account));
  return m;
}

test('H2: a 15-30% harvest stream inside many apps\' multi-turn end-user traffic', () => {
  const ctx = testCtx(13);
  const ds = drafts(h2Reseller(ctx, new Rng(2), { accounts: 2, perDay: [200, 250], harvestShare: [0.15, 0.3] }));
  for (const [acct, mine] of byAccount(ds)) {
    const harvest = mine.filter((d) => HARVEST_SUFFIXES.some((s) => lastUser(d).endsWith(s))).length / mine.length;
    assert.ok(harvest >= 0.12 && harvest <= 0.33, `${acct}: harvest share ${harvest.toFixed(2)}`);
  }
  const systems = new Set(ds.map((d) => messagesOf(d).find((m) => m.role === 'system')?.content).filter((s) => s !== undefined));
  assert.ok(systems.size >= 6, `${systems.size} app system prompts`);
  assert.ok(ds.some((d) => messagesOf(d).some((m) => m.role === 'assistant')), 'no multi-turn end-user conversations');
});

test('H3: Orca system prompts on every request, one hosting provider, a few shared cards', () => {
  const ctx = testCtx(14, { sources: { ...testCtx(14).sources, harvest: ['B19', 'B12', 'B13', 'B04'] } });
  const o = h3Orca(ctx, new Rng(3), { size: 24, perDay: [30, 50], systems: 5 });
  const ds = drafts(o);
  const b19 = new Set(itemsOf(ctx.corpus, ['B19']).map((i) => i.system));
  for (const d of ds) {
    const sys = String(messagesOf(d)[0]?.content ?? '');
    assert.ok(ORCA_SYSTEM.includes(sys) || b19.has(sys), `not an Orca system prompt: ${sys.slice(0, 60)}`);
  }
  const providers = Object.entries(HOSTING).filter(([, firsts]) => ds.every((d) => firsts.some((f) => d.ip.startsWith(`${f}.`))));
  assert.equal(providers.length, 1, 'IPs not all in one provider\'s ranges');
  assert.ok(new Set(ds.map((d) => d.ip.split('.').slice(0, 3).join('.'))).size >= 20, 'accounts packed into a few /24s');
  const cards = countBy(o.accounts, (a) => a.record.payment_fingerprint ?? '');
  const sharing = [...cards.values()].filter((n) => n >= 2).reduce((s, n) => s + n, 0);
  assert.ok(sharing >= 3 && sharing <= 16, `${sharing} of 24 accounts on shared cards`);
});

test('N1: evolved instructions are then answered; rewriting prompts carry the method', () => {
  const ctx = testCtx(15);
  const ds = drafts(n1Evol(ctx, new Rng(5), { size: 2, perDay: [80, 120], rounds: 4 }, OPEN));
  const evolve = ds.filter((d) => /#The Given Prompt#|#Given Prompt#|Rewrite the instruction below|programming test question/.test(lastUser(d)));
  const judge = ds.filter((d) => lastUser(d).startsWith('Here are two Instructions'));
  const answers = ds.filter((d) => !evolve.includes(d) && !judge.includes(d));
  assert.ok(evolve.length > 50 && answers.length >= evolve.length * 0.9);
  const evolved = new Set(evolve.map((d) => d.text));
  for (const d of answers) assert.ok(evolved.has(lastUser(d)), 'an answer call for an instruction that was never evolved');
  for (const d of judge) assert.equal(d.body.temperature, 0);
});

test('N2: one request per seed asks for a whole dialogue and gets a multi-turn transcript', () => {
  for (const form of ['baize', 'plain', 'json'] as const) {
    const ds = drafts(n2SelfChat(testCtx(16), new Rng(6), { size: 2, perDay: [60, 80], form }, OPEN));
    assert.ok(ds.length > 50);
    for (const d of ds) {
      assert.equal(messagesOf(d).length, 1);
      const turns = (d.text.match(form === 'baize' ? /\[\|AI\|\]/g : form === 'plain' ? /^Assistant: /gm : /"role":"assistant"/g) ?? []).length;
      assert.ok(turns >= 2, `${form}: a transcript with ${turns} assistant turns`);
    }
  }
});

test('N3: CAMEL conversations are multi-turn, resend each agent\'s history and run on a clock', () => {
  const ds = drafts(n3Camel(testCtx(17), new Rng(7), { size: 2, perDay: [150, 200], turns: [4, 8] }, OPEN));
  const convs = new Map<string, typeof ds>();
  for (const d of ds) {
    const sys = String(messagesOf(d)[0]?.content ?? '');
    if (!sys.startsWith('Never forget')) continue;
    const k = `${d.acct.record.account}|${sys}`;
    convs.set(k, [...(convs.get(k) ?? []), d]);
  }
  let assistants = 0;
  for (const [k, calls] of convs) {
    const user = k.includes('You will always instruct me');
    if (!user) assistants++;
    assert.ok(calls.length >= 3, 'a conversation of fewer than three calls');
    for (let i = 1; i < calls.length; i++) {
      const prev = messagesOf(calls[i - 1] as (typeof ds)[number]);
      const cur = messagesOf(calls[i] as (typeof ds)[number]);
      assert.deepEqual(cur.slice(0, prev.length), prev, 'history not resent');
      assert.equal(cur.length, prev.length + 2);
      assert.ok((calls[i]?.t ?? 0) - (calls[i - 1]?.t ?? 0) >= 2_000, 'calls of one agent closer than the loop allows');
    }
    const theirs = messagesOf(calls[calls.length - 1] as (typeof ds)[number]).filter((m) => m.role === (user ? 'assistant' : 'user'));
    for (const m of theirs) assert.match(String(m.content), /^Instruction: /, 'roles not flipped for the user agent');
  }
  assert.ok(assistants >= 10, `${assistants} conversations`);
});

test('N4: each account keeps one generation wording; the pipeline\'s checks run at T=0', () => {
  const ds = drafts(n4AlpacaGen(testCtx(18), new Rng(8), { size: 8, perDay: [60, 90] }, OPEN));
  const wording = (u: string): string | null =>
    /### Instruction:|\d\. Instruction:/.test(u) && u.includes('###') && !u.startsWith('Below is') ? 'alpaca' : u.startsWith('Come up with a series') ? 'tasks' : /^Example 1\n/.test(u) ? 'unnatural' : u.startsWith('You are asked to come up') ? 'inhouse' : /^Generate \d+ new instructions/.test(u) ? 'short' : null;
  const per = new Map<string, Set<string>>();
  for (const d of ds) {
    const w = wording(lastUser(d));
    if (w) per.set(d.acct.record.account, (per.get(d.acct.record.account) ?? new Set()).add(w));
    if (lastUser(d).endsWith('Is it classification?')) assert.deepEqual([d.body.temperature, d.body.max_tokens], [0, 3]);
  }
  assert.equal(per.size, 8, 'an account never asked for new instructions');
  for (const [a, ws] of per) assert.equal(ws.size, 1, `${a} switched wordings`);
  assert.ok(new Set([...per.values()].map((s) => [...s][0])).size >= 2, 'every account words it the same');
});

test('N5: greedy decoding with short, varying max_tokens; two-stage prompts on completions', () => {
  const chat = drafts(n5Rationale(testCtx(19), new Rng(9), { size: 3, perDay: [100, 150], completionsShare: 0 }, OPEN));
  for (const [acct, mine] of byAccount(chat)) {
    assert.ok(mine.every((d) => d.body.temperature === 0 && (d.body.max_tokens ?? 9999) <= 512), `${acct}: not greedy and short`);
    assert.ok(new Set(mine.map((d) => d.body.max_tokens)).size >= 2, `${acct}: one max_tokens only`);
  }
  const comp = drafts(n5Rationale(testCtx(20), new Rng(10), { size: 1, perDay: [60, 80], completionsShare: 1 }, OPEN));
  assert.ok(comp.every((d) => d.endpoint === '/v1/completions'));
  for (let i = 0; i + 1 < comp.length; i += 2) {
    const [a, b] = [String(comp[i]?.body.prompt), String(comp[i + 1]?.body.prompt)];
    assert.ok(b.startsWith(a) && b.endsWith('Therefore, the answer is'), 'second stage does not extend the first');
    assert.equal(comp[i + 1]?.body.max_tokens, 32);
  }
});

test('stealth: aged accounts wait weeks, residential fleets use no hosting ranges, cover is mixed in', () => {
  const ctx = testCtx(21, { days: 14 });
  const ds = drafts(n5Rationale(ctx, new Rng(11), { size: 4, perDay: [60, 80], completionsShare: 0 }, { residential: true, aged: true, jitter: true, cover: 0.3 }));
  const first = new Map<string, number>();
  for (const d of ds) if (!first.has(d.acct.record.account)) first.set(d.acct.record.account, d.t);
  assert.equal(first.size, 4);
  for (const d of ds) if (first.get(d.acct.record.account) === d.t) assert.ok(d.t - Date.parse(d.acct.record.created_at) >= 20 * DAY, 'an aged account used within 20 days of sign-up');
  const hosting = Object.values(HOSTING).flat();
  assert.ok(ds.every((d) => !hosting.some((f) => d.ip.startsWith(`${f}.`))), 'a residential fleet on a hosting address');
  const cover = ds.filter((d) => d.body.temperature !== 0).length / ds.length;
  assert.ok(cover > 0.2 && cover < 0.4, `cover ${cover.toFixed(2)}`);
});

/** Each benign organisation and trap looks like what it is: shared infrastructure, organic traffic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classroom } from '../../bench/gen/class.js';
import { tzOf } from '../../bench/gen/net.js';
import { enterprise, family } from '../../bench/gen/orgs.js';
import { Rng } from '../../bench/gen/rng.js';
import { resellerHub, viralPrompt, vpnExit } from '../../bench/gen/traps.js';
import { DAY, HOUR } from '../../bench/gen/world.js';
import { byAccount, drafts, messagesOf, testCtx } from './fixture.js';

function one<T>(xs: readonly T[]): boolean {
  return new Set(xs).size === 1;
}

test('enterprise: one card, domain and NAT address; varied clients; office hours', () => {
  const ctx = testCtx(31, { days: 14 });
  const e = enterprise(ctx, new Rng(1), 40);
  const ds = drafts(e);
  assert.equal(e.accounts.length, 40);
  assert.ok(one(e.accounts.map((a) => a.record.payment_fingerprint)) && one(e.accounts.map((a) => a.record.email_domain)) && one(e.accounts.map((a) => a.record.signup_ip)));
  const fromNat = ds.filter((d) => d.ip === e.org.ip).length / ds.length;
  assert.ok(fromNat > 0.7 && fromNat < 1, `${(fromNat * 100).toFixed(0)}% from the NAT`);
  assert.ok(new Set(ds.map((d) => d.ua)).size >= 8, 'every employee on one client');
  assert.ok(byAccount(ds).size >= 35, 'most employees silent');
  const tz = tzOf(e.accounts[0]?.record.country ?? null);
  const office = ds.filter((d) => {
    const local = new Date(d.t + tz * HOUR);
    return local.getUTCHours() >= 7 && local.getUTCHours() < 20;
  }).length / ds.length;
  assert.ok(office > 0.75, `${(office * 100).toFixed(0)}% in office hours`);
});

test('family: a few accounts on one card and one home address', () => {
  const f = family(testCtx(32, { days: 14 }), new Rng(2), 4);
  const ds = drafts(f);
  assert.equal(f.accounts.length, 4);
  assert.ok(one(f.accounts.map((a) => a.record.payment_fingerprint)));
  assert.ok(ds.filter((d) => d.ip === f.org.ip).length / ds.length > 0.6);
  assert.ok(new Set(ds.map((d) => d.ua)).size >= 2, 'the whole family on one client');
});

test('class: the same assignment items asked by many students on one university card and campus NAT', () => {
  const ctx = testCtx(33, { days: 14 });
  const c = classroom(ctx, new Rng(3), 30);
  const ds = drafts(c);
  assert.ok(one(c.accounts.map((a) => a.record.payment_fingerprint)) && one(c.accounts.map((a) => a.record.email_domain)));
  const askers = new Map<string, Set<string>>();
  for (const d of ds) {
    const first = String(messagesOf(d).find((m) => m.role === 'user')?.content ?? '');
    const item = c.assignment.find((x) => first.includes(x));
    assert.ok(item !== undefined, 'a request outside the assignment');
    askers.set(item, (askers.get(item) ?? new Set()).add(d.acct.record.account));
    assert.ok(d.body.temperature === undefined || d.body.temperature === 0, 'not temperature 0 or default');
  }
  const shared = [...askers.values()].filter((s) => s.size >= 5).length / c.assignment.length;
  assert.ok(shared > 0.8, `only ${(shared * 100).toFixed(0)}% of items asked by five or more students`);
  const onCampus = new Set(ds.filter((d) => d.ip === c.org.ip).map((d) => d.acct.record.account)).size;
  assert.ok(onCampus >= 15, `${onCampus} students ever on the campus NAT`);
});

test('VPN exit: strangers (own cards, domains, clients) behind one address', () => {
  for (const kind of ['vpn', 'mobile'] as const) {
    const v = vpnExit(testCtx(34, { days: 14 }), new Rng(4), 30, kind);
    const ds = drafts(v);
    const via = new Set(ds.filter((d) => d.ip === v.exit).map((d) => d.acct.record.account));
    assert.ok(via.size >= 0.6 * byAccount(ds).size, `${kind}: ${via.size} accounts through the exit`);
    assert.equal(new Set(v.accounts.map((a) => a.record.payment_fingerprint)).size, 30);
    assert.ok(new Set(ds.map((d) => d.ua)).size >= 10);
  }
});

test('viral prompt: hundreds of unrelated users ask it, lightly varied, within days', () => {
  const v = viralPrompt(testCtx(35, { days: 14 }), new Rng(5), 200, 2);
  const ds = drafts(v);
  const asks = ds.filter((d) => /bat and a ball cost \$1\.10/i.test(String(messagesOf(d).find((m) => m.role === 'user')?.content ?? '')));
  const askers = new Set(asks.map((d) => d.acct.record.account));
  assert.ok(askers.size >= 170, `${askers.size} of 200 asked`);
  const times = asks.map((d) => d.t).sort((a, b) => a - b);
  const span = (times[Math.floor(times.length * 0.9)] ?? 0) - (times[Math.floor(times.length * 0.1)] ?? 0);
  assert.ok(span < 5 * DAY, `asked over ${(span / DAY).toFixed(1)} days`);
  assert.ok(new Set(asks.map((d) => String(messagesOf(d).find((m) => m.role === 'user')?.content))).size >= 3, 'no variation');
  assert.ok(new Set(v.accounts.map((a) => a.record.payment_fingerprint)).size === 200);
});

test('reseller hub: one account\'s card and office set up many small accounts used from elsewhere', () => {
  const h = resellerHub(testCtx(36, { days: 14 }), new Rng(6), 30);
  const ds = drafts(h);
  const clients = h.accounts.filter((a) => a.record.account !== h.hub);
  assert.ok(clients.filter((a) => a.record.payment_fingerprint === h.card).length >= 10);
  assert.ok(clients.filter((a) => a.record.signup_ip === h.office).length >= 10);
  const clientReqs = ds.filter((d) => d.acct.record.account !== h.hub);
  assert.ok(clientReqs.length > 0 && clientReqs.filter((d) => d.ip === h.office).length / clientReqs.length < 0.25, 'clients working from the hub\'s office');
  assert.ok(ds.filter((d) => d.acct.record.account === h.hub).every((d) => d.ip === h.office));
});

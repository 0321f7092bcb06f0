import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountRecord, TrafficRequest } from '../../src/traffic/types.js';
import { DAY, HOUR, MIN, T0, account, chat, chatPrompt, flaggedShare, followUp, item, request, run } from './fixtures.js';

/**
 * The traps a linkage detector falls into, each as a small world with the shape the issue names,
 * and the one campaign that must still be caught: the quiet hydra.
 */

/** A person's chat: a few conversations a day of two or three turns, minutes apart. */
function person(acct: string, days: number, perDay: number, ip: (day: number) => string, offset: number): TrafficRequest[] {
  const out: TrafficRequest[] = [];
  for (let d = 0; d < days; d++) {
    for (let c = 0; c < perDay; c++) {
      const i = offset * 997 + d * 31 + c;
      const start = T0 + d * DAY + 9 * HOUR + c * 47 * MIN + (offset % 60) * MIN;
      const first = chatPrompt(i);
      out.push(request(acct, start, chat(first), { ip: ip(d) }));
      out.push(request(acct, start + 3 * MIN, followUp(first, 'Here is an idea.', 'ok, and what about the second part?'), { ip: ip(d) }));
    }
  }
  return out;
}

test('a class on one card, domain and campus NAT doing the same homework with "show your work" is linked but not flagged', () => {
  const students = Array.from({ length: 40 }, (_, s) => account(`student${s}`, { email_domain: 'uni.edu', payment_fingerprint: 'pf_campus', signup_ip: '66.24.16.5', created_at: new Date(T0 - 20 * DAY + s * HOUR).toISOString() }));
  const wordings = ['', 'Show your work.\n\n', 'Please explain your reasoning step by step: ', 'Can you show the steps? '];
  const requests = students.flatMap((st, s) =>
    Array.from({ length: 25 }, (_, i) =>
      // The same 25 assignment items in the same order, bunched before the deadline, default temperature.
      request(st.account, T0 + 2 * DAY + s * 11 * MIN + i * 2 * MIN, chat(`${wordings[s % wordings.length]}${item(i)}`, { max_tokens: 1024 }), { ip: '66.24.16.23' }),
    ),
  );
  const engine = run(students, requests);
  assert.equal(flaggedShare(engine, students), 0);
  const group = engine.campaigns().find((c) => c.members.includes('student0'));
  assert.ok(group && group.members.length >= 30, 'the class is one linked group');
  assert.equal(group.flagged, false);
  assert.ok(group.evidence.some((e) => e.kind === 'card' && e.accounts.length >= 30), 'its evidence names the shared card');
});

test('an enterprise of 60 employees behind one office NAT is not flagged', () => {
  const staff = Array.from({ length: 60 }, (_, k) => account(`emp${k}`, { email_domain: 'hooli.io', payment_fingerprint: 'pf_hooli', signup_ip: '98.136.148.10' }));
  const requests = staff.flatMap((a, k) => person(a.account, 5, 4, () => '98.136.148.183', k));
  // A few of them ask for step-by-step explanations now and then, as people do.
  for (let k = 0; k < 10; k++) requests.push(request(`emp${k}`, T0 + 3 * DAY + k * HOUR, chat(`Explain step by step, in detail: ${item(k)}`), { ip: '98.136.148.183' }));
  assert.equal(flaggedShare(run(staff, requests), staff), 0);
});

test('a reseller hub sharing its card and office with many unrelated small accounts does not pull them in', () => {
  const hub = account('hub', { payment_fingerprint: 'pf_hub', signup_ip: '81.2.69.1' });
  const clients = Array.from({ length: 30 }, (_, k) => account(`client${k}`, { payment_fingerprint: 'pf_hub', signup_ip: `81.2.69.${k + 2}` }));
  const requests: TrafficRequest[] = [];
  // The hub itself harvests reasoning traces at volume.
  for (let i = 0; i < 600; i++) requests.push(request('hub', T0 + i * 2 * MIN, chat(`Work through this step by step and show all your reasoning.\n\n${item(i)}`, { max_tokens: 4096, temperature: 0.9 }), { ip: '81.2.69.200' }));
  clients.forEach((c, k) => requests.push(...person(c.account, 3, 2, () => (k % 2 === 0 ? '81.2.69.200' : `24.1.${k}.9`), k)));
  const engine = run([hub, ...clients], requests);
  assert.equal(engine.assessment('hub')!.flagged, true);
  assert.equal(flaggedShare(engine, clients), 0);
});

test('a viral prompt asked by 300 strangers is not a campaign', () => {
  const users = Array.from({ length: 300 }, (_, k) => account(`fan${k}`));
  const riddle = 'A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost? Explain your reasoning step by step.';
  const variants = [(s: string) => s, (s: string) => s.toLowerCase(), (s: string) => `${s} pls`, (s: string) => `ok so ${s}`];
  const requests = users.flatMap((u, k) => [
    request(u.account, T0 + k * 7 * MIN, chat(variants[k % variants.length]!(riddle)), { ip: `73.${k % 250}.${(k * 7) % 250}.4` }),
    ...person(u.account, 1, 1, () => `73.${k % 250}.${(k * 7) % 250}.4`, k),
  ]);
  assert.equal(flaggedShare(run(users, requests), users), 0);
});

test('a VPN exit shared by 50 strangers links none of them into a campaign', () => {
  const strangers = Array.from({ length: 50 }, (_, k) => account(`vpn${k}`));
  const requests = strangers.flatMap((a, k) => person(a.account, 4, 3, (d) => ((d + k) % 2 === 0 ? '185.220.101.4' : `90.${k}.3.${d}`), k));
  const engine = run(strangers, requests);
  assert.equal(flaggedShare(engine, strangers), 0);
  assert.ok(engine.campaigns().every((c) => !c.flagged));
});

/**
 * 60 accounts, each alone too quiet to flag: 4-7 requests on three of five days from residential
 * proxies that the fleet's accounts keep reusing, one paraphrased template each around fresh items
 * of one deck, a third of the traffic ordinary chat.
 */
function quietHydra(): { accounts: AccountRecord[]; requests: TrafficRequest[] } {
  const greet = ['Hi there, practice question:', 'quick one:', 'Hello! need help with', 'hey, stuck on this:', 'Good morning, a question:'];
  const ask = ['Give me the answer and explain it.', 'Please show your work.', 'Explain your reasoning step by step.', 'Walk me through the solution.'];
  const accounts = Array.from({ length: 60 }, (_, k) => account(`hydra${k}`, { email_domain: ['gmail.com', 'outlook.com', 'yahoo.com'][k % 3]!, created_at: new Date(T0 - (30 - (k % 25)) * DAY).toISOString(), signup_ip: `${70 + (k % 60)}.${k}.8.1` }));
  const requests: TrafficRequest[] = [];
  let deck = 0;
  accounts.forEach((a, k) => {
    for (let d = 0; d < 5; d++) {
      if ((d + k) % 5 >= 3) continue;
      const perDay = 4 + ((k * 3 + d) % 4);
      // A pool of 150 residential exits, each account on one or two a day: every exit serves several accounts.
      const ips = [`100.${(k * 7 + d * 13) % 150}.0.9`, `100.${(k * 11 + d * 5 + 3) % 150}.0.9`];
      for (let i = 0; i < perDay; i++) {
        const ms = T0 + d * DAY + (8 + (k % 10)) * HOUR + i * 9 * MIN;
        const ip = ips[i % 2]!;
        if (i % 3 === 2) requests.push(request(a.account, ms, chat(chatPrompt(k * 100 + d * 10 + i)), { ip }));
        else requests.push(request(a.account, ms, chat(`${greet[k % greet.length]} ${item(deck++)}\n\n${ask[(k >> 2) % ask.length]}`, { max_tokens: 1024 }), { ip }));
      }
    }
  });
  return { accounts, requests };
}

test('a quiet hydra of 60 accounts, each below threshold on its own, adds up to one campaign', () => {
  const { accounts, requests } = quietHydra();
  const engine = run(accounts, requests);
  assert.ok(flaggedShare(engine, accounts) >= 0.9, `flagged ${flaggedShare(engine, accounts)}`);
  const campaigns = new Set(accounts.map((a) => engine.assessment(a.account)!.campaign).filter((c) => c !== null));
  const main = engine.campaigns().find((c) => c.flagged && c.members.length >= 50);
  assert.ok(main, `one campaign holds the fleet (groups: ${[...campaigns].join(', ')})`);
  assert.ok(main.evidence.some((e) => e.kind === 'ip'), 'its links rest on shared IPs');
  // Each member is flagged on the campaign's numbers and its own, each labelled as whose they are.
  const member = engine.assessment(main.members[0]!)!;
  assert.ok(member.reasons.some((r) => r.scope === 'campaign'));
  assert.ok(member.reasons.some((r) => r.scope === 'account' && r.text.startsWith('its own part')));
});

test('the same fleet, each account alone (no shared exits), is not flagged: the campaign is what flags it', () => {
  const { accounts, requests } = quietHydra();
  const alone = requests.map((r) => ({ ...r, ip: `77.${r.account.slice(5)}.1.1` }));
  assert.equal(flaggedShare(run(accounts, alone), accounts), 0);
});

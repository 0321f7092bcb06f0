import type { AccountRecord, RequestBody, TrafficRequest } from '../../src/traffic/types.js';

export const T0 = Date.parse('2026-03-02T00:00:00Z');
export const MIN = 60_000;
export const HOUR = 3_600_000;

let nextId = 0;

export function account(id: string, over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    account: id,
    created_at: new Date(T0 - 90 * 24 * HOUR).toISOString(),
    tier: 'tier-2',
    country: 'US',
    email_domain: `${id}-corp.com`,
    payment_fingerprint: `pf_${id}`,
    signup_ip: `198.51.${(nextId++ % 200) + 1}.7`,
    verified: true,
    ...over,
  };
}

export function chat(user: string, over: Partial<RequestBody> = {}, system?: string): RequestBody {
  const messages = system ? [{ role: 'system', content: system }, { role: 'user', content: user }] : [{ role: 'user', content: user }];
  return { model: 'gpt-4o', messages, ...over };
}

export function request(acct: string, ms: number, body: RequestBody, over: Partial<TrafficRequest> = {}): TrafficRequest {
  nextId++;
  return {
    id: `r_${String(nextId).padStart(7, '0')}`,
    ts: new Date(ms).toISOString(),
    account: acct,
    key: `key_${acct}`,
    ip: '203.0.113.7',
    user_agent: 'OpenAI/Python 1.54.3',
    endpoint: '/v1/chat/completions',
    request: body,
    response: { text: 'x'.repeat(400), finish_reason: 'stop' },
    usage: { prompt_tokens: 40, completion_tokens: 100 },
    status: 200,
    latency_ms: 900,
    ...over,
  };
}

/** Distinct arithmetic word problems, standing in for dataset items. */
export function item(i: number): string {
  const names = ['Ana', 'Bo', 'Chen', 'Dara', 'Eli', 'Fay', 'Gus', 'Hana'];
  const things = ['apples', 'marbles', 'stamps', 'books', 'coins', 'shells'];
  return `${names[i % names.length]} has ${(i * 7) % 97 + 3} ${things[i % things.length]} and buys ${(i * 3) % 11 + 2} boxes of ${(i % 5) + 4} more each week for ${(i % 9) + 2} weeks. How many ${things[(i + 1) % things.length]} does ${names[(i + 3) % names.length]} need to match?`;
}

/** Items from several kinds of task (math, code, writing, classification), like a mixed dataset. */
export function mixedItem(i: number): string {
  switch (i % 4) {
    case 0:
      return item(i);
    case 1:
      return `Write a Python function that returns the ${i}th prime number and explain its complexity.`;
    case 2:
      return `Write a short story about a lighthouse keeper named Keeper${i} who finds a message in a bottle.`;
    default:
      return `Classify the sentiment of this review as positive or negative: "Order #${i} arrived late but the staff were lovely."`;
  }
}

/** Sorts by time, as the engine requires. */
export function inOrder(requests: TrafficRequest[]): TrafficRequest[] {
  return requests.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts) || a.id.localeCompare(b.id));
}

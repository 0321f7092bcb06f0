import { createEngine, type DetectionEngine } from '../../src/detect/index.js';
import type { AccountRecord, RequestBody, TrafficRequest } from '../../src/traffic/types.js';

export const T0 = Date.parse('2026-03-02T00:00:00Z');
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

let nextId = 0;

export function account(id: string, over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    account: id,
    created_at: new Date(T0 - 90 * DAY).toISOString(),
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

/** A follow-up turn: the history resent with one more user message. */
export function followUp(first: string, answer: string, next: string, over: Partial<RequestBody> = {}): RequestBody {
  return { model: 'gpt-4o', messages: [{ role: 'user', content: first }, { role: 'assistant', content: answer }, { role: 'user', content: next }], ...over };
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

const NOUNS = 'river lantern quartz harbor meadow falcon copper glacier orchard tunnel violin canyon marble beacon prairie cobalt thicket lagoon summit ember willow basalt cavern trellis zephyr mosaic anvil citadel dune fjord grove hamlet isthmus jetty kiln loom mesa nook oasis plinth quarry reef spire tundra umbra vale wharf yarrow'.split(' ');
const VERBS = 'measure divide compare arrange estimate balance convert predict classify explain derive sort trace rotate combine'.split(' ');

/** Deterministic pseudo-random pick (a murmur3 finaliser over the index and the salt). */
function pick<T>(list: readonly T[], i: number, salt: number): T {
  let h = (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return list[((h ^ (h >>> 16)) >>> 0) % list.length]!;
}

const WORDS = [...NOUNS, ...VERBS, ...'amber brisk cedar dapper eager frosty gentle hollow ivory jolly keen lucid mellow nimble opal placid quaint rustic sable tidal upbeat vivid wistful young zesty ancient bright calm dense early faint grand humble icy jagged kind lofty muted narrow odd proud quick rough sharp thin vast warm'.split(' ')];

/**
 * A dataset-like item whose words differ from item to item, as a public dataset's do (numbers
 * alone do not tell items apart: detection reads them as '#').
 */
export function item(i: number): string {
  const words = Array.from({ length: 14 + (i % 5) }, (_, w) => pick(WORDS, i, w + 11));
  return `${words.join(' ')} ${(i % 90) + 7} ${pick(NOUNS, i, 3)} ${pick(VERBS, i, 4)} ${pick(WORDS, i, 5)}?`;
}

/** Ordinary chat, the way people type it. */
export function chatPrompt(i: number): string {
  const topics = ['my sourdough starter', 'a birthday message for my aunt', 'the difference between TCP and UDP', 'a cover letter opening', 'why my tomato plants wilt', 'a weekend trip to Lisbon', 'how vaccines train the immune system', 'a polite reply to my landlord'];
  return `hey, can you help with ${pick(topics, i, 7)}? ${pick(['thanks!', 'no rush', 'keep it simple', 'what would you suggest'], i, 8)} (${pick(NOUNS, i, 9)})`;
}

/** Sorts by time, as the engine requires. */
export function inOrder(requests: TrafficRequest[]): TrafficRequest[] {
  return requests.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts) || a.id.localeCompare(b.id));
}

/** Runs an engine over accounts (entering at their sign-up) and requests in time order. */
export function run(accounts: readonly AccountRecord[], requests: TrafficRequest[]): DetectionEngine {
  const engine = createEngine();
  const pending = [...accounts].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  let next = 0;
  for (const r of inOrder(requests)) {
    while (next < pending.length && Date.parse(pending[next]!.created_at) <= Date.parse(r.ts)) engine.addAccount(pending[next++]!);
    engine.observe(r);
  }
  while (next < pending.length) engine.addAccount(pending[next++]!);
  return engine;
}

export function flaggedShare(engine: DetectionEngine, accounts: readonly { account: string }[]): number {
  return accounts.filter((a) => engine.assessment(a.account)?.flagged === true).length / accounts.length;
}

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startFixture, type Fixture } from '../helpers/gateway-fixture.js';
import { dropPrefix, redisProbe, requireService, uniquePrefix, REDIS_URL } from '../helpers/services.js';

const redisSkip = await requireService('redis', redisProbe());
const prefix = uniquePrefix('headers');
after(() => (redisSkip ? undefined : dropPrefix(prefix)));

/** Go-style durations as OpenAI sends them (`1m0.652s`, `20ms`) back to milliseconds. */
function parseDuration(text: string): number {
  let ms = 0;
  for (const [, value, unit] of text.matchAll(/([\d.]+)(h|ms|m|s)/g)) ms += Number(value) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[unit as 'h' | 'm' | 's' | 'ms'];
  return ms;
}

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'How are you today?' }], max_tokens: 20 };
const BACKENDS = [
  { name: 'memory', skip: false, limits: { backend: 'memory' } },
  { name: 'redis', skip: redisSkip, limits: { backend: 'redis', redis: { url: REDIS_URL, keyPrefix: prefix, commandTimeoutMs: 10_000 } } },
];

// Acceptance 4: the headers, read from the openai client's raw responses, agree with each other and with the limit.
for (const backend of BACKENDS) {
  describe(`x-ratelimit headers (${backend.name})`, { skip: backend.skip }, () => {
    let fixture: Fixture;
    after(() => fixture?.close());

    test('remaining falls by one request and by the real tokens; reset is the window; the refusal says when to retry', async () => {
      fixture = await startFixture({ config: { limits: { ...backend.limits, tiers: { default: { account: { requestsPerMinute: 6, tokensPerMinute: 10_000 } } } } } });
      const client = fixture.client();
      const seen: { requests: number; tokens: number; used: number }[] = [];
      for (let i = 0; i < 6; i++) {
        const sentAt = Date.now();
        let headers: Headers;
        let used: number;
        if (i < 5) {
          const { data, response } = await client.chat.completions.create(chat).withResponse();
          headers = response.headers;
          used = data.usage!.total_tokens;
        } else {
          // A streamed answer carries the same headers: they are on the reply before it is hijacked.
          const { data, response } = await client.chat.completions.create({ ...chat, stream: true, stream_options: { include_usage: true } }).withResponse();
          headers = response.headers;
          used = 0;
          for await (const chunk of data) used += chunk.usage?.total_tokens ?? 0;
        }
        assert.equal(headers.get('x-ratelimit-limit-requests'), '6');
        assert.equal(headers.get('x-ratelimit-limit-tokens'), '10000');
        for (const unit of ['requests', 'tokens']) {
          const reset = parseDuration(headers.get(`x-ratelimit-reset-${unit}`)!);
          // Usage leaves the window at the end of its one-second bucket: between 60 and 61 s from now.
          assert.ok(reset >= 60_000 - (Date.now() - sentAt) && reset <= 61_000, `reset-${unit} ${headers.get(`x-ratelimit-reset-${unit}`)}`);
        }
        seen.push({ requests: Number(headers.get('x-ratelimit-remaining-requests')), tokens: Number(headers.get('x-ratelimit-remaining-tokens')), used });
      }
      assert.deepEqual(seen.map((s) => s.requests), [5, 4, 3, 2, 1, 0]);
      // Each request holds its reservation; the one before it has been settled to its real usage.
      const reservation = 10_000 - seen[0]!.tokens;
      for (let i = 1; i < seen.length; i++) assert.equal(seen[i]!.tokens, seen[i - 1]!.tokens - seen[i - 1]!.used, `request ${i}`);
      // The prompt counted plus max_tokens (the stand-in cuts by words, so real usage may run past it).
      assert.ok(reservation > chat.max_tokens);

      const refused = await client.chat.completions.create(chat).catch((error: unknown) => error);
      assert.ok(refused instanceof OpenAI.RateLimitError);
      assert.equal(refused.headers?.get('x-ratelimit-remaining-requests'), '0');
      const retryAfter = Number(refused.headers?.get('retry-after'));
      assert.ok(retryAfter >= 55 && retryAfter <= 61, `retry-after ${retryAfter}`);
      assert.ok(Math.abs(Number(refused.headers?.get('retry-after-ms')) / 1000 - retryAfter) < 1);
    });
  });
}

describe('without a limits section', () => {
  let fixture: Fixture;
  after(() => fixture?.close());

  test('nothing is limited and no rate-limit headers are sent', async () => {
    fixture = await startFixture();
    const responses = await Promise.all(Array.from({ length: 30 }, () => fixture.client().chat.completions.create(chat).withResponse()));
    assert.ok(responses.every(({ response }) => response.status === 200 && !response.headers.has('x-ratelimit-limit-requests')));
  });
});

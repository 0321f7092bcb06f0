import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { admin, startFixture, type Fixture } from '../helpers/gateway-fixture.js';
import { waitForRecord } from '../helpers/ledger.js';

type Fetch = typeof fetch;

/** A fetch that changes the request on its way out, for inputs the client itself would never send. */
const tampered = (change: (init: RequestInit) => RequestInit): Fetch => (url, init) => fetch(url, change(init ?? {}));

async function rejection(work: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof OpenAI.APIError, `an APIError, not ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

function assertOpenAiShape(error: InstanceType<typeof OpenAI.APIError>, code: string): void {
  const body = error.error as { message?: unknown; type?: unknown; code?: unknown };
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
  assert.equal(typeof body.type, 'string');
  assert.doesNotMatch(String(body.message), /\bat .*\.(ts|js):\d+/, 'no stack trace in the body');
}

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hello' }] };

// Acceptance 4: each bad input gets its OpenAI error, seen through the client's own error classes.
describe('errors', () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await startFixture({ config: { server: { port: 0, bodyLimitBytes: 64 * 1024 } } });
  });
  after(() => fixture.close());

  test('malformed JSON: 400 BadRequestError', async () => {
    const client = fixture.client({ fetch: tampered((init) => ({ ...init, body: '{"model": "gpt-4o-mini", "messages": [' })) });
    const error = await rejection(client.chat.completions.create(chat));
    assert.ok(error instanceof OpenAI.BadRequestError);
    assertOpenAiShape(error, 'invalid_json');
  });

  test('a body that is JSON but not an object: 400', async () => {
    const client = fixture.client({ fetch: tampered((init) => ({ ...init, body: '[1,2,3]' })) });
    const error = await rejection(client.chat.completions.create(chat));
    assert.ok(error instanceof OpenAI.BadRequestError);
    assertOpenAiShape(error, 'invalid_request');
  });

  test('missing key: 401 AuthenticationError', async () => {
    const strip = tampered((init) => {
      const headers = new Headers(init.headers);
      headers.delete('authorization');
      return { ...init, headers };
    });
    const error = await rejection(fixture.client({ fetch: strip }).chat.completions.create(chat));
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assertOpenAiShape(error, 'invalid_api_key');
  });

  test('unknown key: 401, and the key is not echoed', async () => {
    const wrongKey = 'moat-sk-this-is-not-a-real-key-000000';
    const error = await rejection(fixture.client({ apiKey: wrongKey }).chat.completions.create(chat));
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assertOpenAiShape(error, 'invalid_api_key');
    assert.ok(!JSON.stringify(error.error).includes(wrongKey.slice(8)));
  });

  test("revoked key: 401, recorded against the key's owner with zero usage (key cycling is a detection signal)", async () => {
    const created = await admin(fixture.gateway.url, 'POST', `/admin/accounts/${fixture.account}/keys`, { name: 'to-revoke' });
    const client = fixture.client({ apiKey: created.body.secret });
    await client.chat.completions.create(chat);
    await admin(fixture.gateway.url, 'POST', `/admin/keys/${created.body.key.id}/revoke`);
    const error = await rejection(client.chat.completions.create({ ...chat, user: 'after-revoke' }));
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assertOpenAiShape(error, 'invalid_api_key');
    const row = await waitForRecord(fixture.gateway, (r) => r.request.user === 'after-revoke');
    assert.equal(row.status, 401);
    assert.equal(row.account, fixture.account);
    assert.equal(row.key, created.body.key.id);
    assert.deepEqual(row.usage, { prompt_tokens: 0, completion_tokens: 0 });
    assert.equal(row.error_code, 'invalid_api_key');
    // A revoked key lists no models: only inference calls are let through to be recorded.
    const models = await fetch(`${fixture.gateway.url}/v1/models`, { headers: { authorization: `Bearer ${created.body.secret}` } });
    assert.equal(models.status, 401);
  });

  test('a model the tier may not use, and an unknown model: 404 NotFoundError', async () => {
    for (const model of ['premium-model', 'no-such-model']) {
      const error = await rejection(fixture.client().chat.completions.create({ ...chat, model }));
      assert.ok(error instanceof OpenAI.NotFoundError);
      assertOpenAiShape(error, 'model_not_found');
      assert.equal((error.error as { param?: unknown }).param, 'model');
    }
  });

  test('body too large: 413', async () => {
    const error = await rejection(fixture.client().chat.completions.create({ ...chat, messages: [{ role: 'user', content: 'x'.repeat(100_000) }] }));
    assert.equal(error.status, 413);
    assertOpenAiShape(error, 'request_too_large');
  });

  test("the upstream's own 4xx passes through unchanged", async () => {
    const error = await rejection(fixture.client().chat.completions.create({ ...chat, max_tokens: 0 }));
    assert.ok(error instanceof OpenAI.BadRequestError);
    assertOpenAiShape(error, 'integer_below_min_value');
    assert.equal((error.error as { param?: unknown }).param, 'max_tokens');
  });

  test('unknown route: 404 in the same shape', async () => {
    const response = await fetch(`${fixture.gateway.url}/v1/nothing-here`, { method: 'POST', headers: { authorization: `Bearer ${fixture.secret}` } });
    assert.equal(response.status, 404);
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'not_found');
  });
});

describe('upstream failures', () => {
  let fixture: Fixture;
  let silent: Server;
  const sockets: Socket[] = [];
  before(async () => {
    // Accepts connections and never answers: an upstream that hangs.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    fixture = await startFixture({
      config: {
        upstreams: [
          { name: 'down', baseUrl: 'http://127.0.0.1:9/v1', models: ['gpt-4o-mini'] },
          { name: 'hangs', baseUrl: `http://127.0.0.1:${silentPort}/v1`, models: ['gpt-4o'], timeoutMs: 300 },
        ],
      },
    });
  });
  after(async () => {
    await fixture.close();
    for (const socket of sockets) socket.destroy();
    silent.close();
  });

  test('an unreachable upstream: 502 with a clear message', async () => {
    const error = await rejection(fixture.client().chat.completions.create(chat));
    assert.equal(error.status, 502);
    assert.ok(error instanceof OpenAI.InternalServerError);
    assertOpenAiShape(error, 'upstream_error');
    assert.match(String((error.error as { message: string }).message), /could not be reached/);
  });

  test('an upstream that does not answer in time: 504', async () => {
    const error = await rejection(fixture.client().chat.completions.create({ ...chat, model: 'gpt-4o' }));
    assert.equal(error.status, 504);
    assertOpenAiShape(error, 'upstream_timeout');
  });
});

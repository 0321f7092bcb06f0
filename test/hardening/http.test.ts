import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../src/console/passwords.js';
import { parseConfig } from '../../src/config/load.js';
import { FaultUpstream } from '../helpers/fault-upstream.js';
import { ADMIN_TOKEN, MODELS, startFixture, type Fixture } from '../helpers/gateway-fixture.js';
import { waitForRecord } from '../helpers/ledger.js';
import { parseResponse, rawExchange } from '../helpers/raw-http.js';

const PASSWORD = 'a-console-password-1';

/** Every error Moat answers has exactly OpenAI's four fields. */
function assertOpenAiError(status: number, body: string, expectedStatus: number, code?: string): void {
  assert.equal(status, expectedStatus, body);
  const parsed = JSON.parse(body) as { error?: Record<string, unknown> };
  assert.deepEqual(Object.keys(parsed.error ?? {}).sort(), ['code', 'message', 'param', 'type'], body);
  assert.equal(typeof parsed.error!.message, 'string');
  if (code) assert.equal(parsed.error!.code, code);
  assert.doesNotMatch(body, /\bat .*\.(ts|js):\d+|node_modules|\/work\//, 'no stack or path');
}

async function call(url: string, init: RequestInit & { ip?: string } = {}): Promise<{ status: number; body: string; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (init.ip) headers.set('x-forwarded-for', init.ip);
  const response = await fetch(url, { ...init, headers });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe('hardening: the HTTP layer', () => {
  let fixture: Fixture;
  let faults: FaultUpstream;
  before(async () => {
    faults = new FaultUpstream(400);
    const faultUrl = await faults.listen();
    fixture = await startFixture({
      config: {
        server: { port: 0, trustProxy: true, requestTimeoutMs: 1_500, authFailures: { limit: 5, windowSeconds: 600 } },
        console: { users: [{ name: 'alice', role: 'analyst', passwordHash: await hashPassword(PASSWORD) }] },
        upstreams: [
          { name: 'local', baseUrl: 'http://127.0.0.1:9/v1', models: MODELS },
          { name: 'faulty', baseUrl: faultUrl, models: ['fault-*'], connections: 1, streamConnections: 1 },
        ],
        tiers: { default: { models: ['*'] } },
      },
    });
  });
  after(async () => {
    await fixture.close();
    await faults.close();
  });

  test('F4 a session cookie that is not valid percent-encoding is no session: 401 OpenAI-shaped, never 500', async () => {
    const cookie = 'moat_console=%E0%A4%A';
    const overview = await call(`${fixture.gateway.url}/console/api/overview`, { headers: { cookie } });
    assertOpenAiError(overview.status, overview.body, 401, 'console_unauthenticated');
    const me = await call(`${fixture.gateway.url}/console/api/me`, { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.equal(me.body, 'null');
  });

  test('F5 a path that climbs out of the console is refused in OpenAI shape and serves nothing', async () => {
    for (const path of ['/console/%2e%2e/%2e%2e/package.json', '/console/..%2f..%2fpackage.json', '/console/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const response = await call(`${fixture.gateway.url}${path}`);
      assert.ok(response.status >= 400 && response.status < 500, `${path}: ${response.status}`);
      assertOpenAiError(response.status, response.body, response.status);
      assert.doesNotMatch(response.body, /"dependencies"/);
    }
  });

  test('F10 failed-auth floods are refused per source address on every surface, before the secret is checked', async () => {
    const url = fixture.gateway.url;
    const surfaces: [string, (good: boolean, ip: string) => Promise<{ status: number; body: string; headers: Headers }>][] = [
      ['admin', (good, ip) => call(`${url}/admin/accounts`, { ip, headers: { authorization: `Bearer ${good ? ADMIN_TOKEN : 'wrong-admin-token-000000'}` } })],
      ['console', (good, ip) => call(`${url}/console/api/session`, { ip, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: good ? PASSWORD : 'wrong' }) })],
      ['api_key', (good, ip) => call(`${url}/v1/models`, { ip, headers: { authorization: `Bearer ${good ? fixture.secret : 'moat-sk-not-a-key-0000000000'}` } })],
    ];
    for (const [index, [surface, attempt]] of surfaces.entries()) {
      const attacker = `203.0.113.${index + 1}`;
      for (let i = 0; i < 5; i++) assert.equal((await attempt(false, attacker)).status, 401, surface);
      const refused = await attempt(false, attacker);
      assertOpenAiError(refused.status, refused.body, 429, 'too_many_auth_failures');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      // Even the right secret waits: the limit is on guessing, not on being wrong.
      assert.equal((await attempt(true, attacker)).status, 429, surface);
      assert.equal((await attempt(true, `198.51.100.${index + 1}`)).status, 200, `${surface}: another address is not affected`);
    }
    assert.ok(fixture.logs.some((line) => line.includes('authentication failure burst') && line.includes('203.0.113.3') && line.includes('api_key')));
    assert.ok(!fixture.logs.some((line) => line.includes('wrong-admin-token') || line.includes(PASSWORD)), 'secrets never logged');
  });

  test('F10 the console session cookie is Secure, HttpOnly and SameSite=Strict', async () => {
    const response = await call(`${fixture.gateway.url}/console/api/session`, { ip: '192.0.2.50', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: PASSWORD }) });
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie')!;
    for (const flag of [/; Secure/, /; HttpOnly/, /; SameSite=Strict/]) assert.match(cookie, flag);
  });

  test('F11 errors raised by the HTTP layer itself are OpenAI-shaped: duplicate Content-Length, 414, 431, bad URLs, console 401s', async () => {
    const url = fixture.gateway.url;
    const duplicate = parseResponse(await rawExchange(url, [`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`]))!;
    assertOpenAiError(duplicate.status, duplicate.body, 400, 'invalid_request');
    const hugeHeader = parseResponse(await rawExchange(url, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]))!;
    assertOpenAiError(hugeHeader.status, hugeHeader.body, 431, 'headers_too_large');
    const garbage = parseResponse(await rawExchange(url, ['NOT HTTP AT ALL\r\n\r\n']))!;
    assertOpenAiError(garbage.status, garbage.body, 400, 'invalid_request');
    const long = await call(`${url}/admin/accounts/${'x'.repeat(500)}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assertOpenAiError(long.status, long.body, 414, 'url_too_long');
    for (const path of ['/%ff%fe', '/admin/accounts/%ff', '/v1/%zz']) {
      const bad = await call(`${url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.ok(bad.status === 400 || bad.status === 404 || bad.status === 401, `${path}: ${bad.status}`);
      assertOpenAiError(bad.status, bad.body, bad.status);
    }
    const signedOut = await call(`${url}/console/api/accounts`);
    assertOpenAiError(signedOut.status, signedOut.body, 401, 'console_unauthenticated');
  });

  test('F12 a body trickled in a byte at a time gets 408 once the request timeout passes', async () => {
    const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fixture.secret}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n`;
    const trickle = [head, ...'{"model":"gpt-4o-mini"'.split('')];
    const response = parseResponse(await rawExchange(fixture.gateway.url, trickle, { gapMs: 300, waitMs: 15_000 }))!;
    assertOpenAiError(response.status, response.body, 408, 'request_timeout');
  });

  test('F12 upstream defaults: a bounded timeout, and streams on their own connections so short calls never queue behind them', async () => {
    const defaults = parseConfig({ upstreams: [{ name: 'u', baseUrl: 'http://127.0.0.1:1/v1', models: ['*'] }] }, {});
    assert.ok(defaults.upstreams[0]!.timeoutMs <= 120_000);
    assert.ok(defaults.server.requestTimeoutMs > 0 && defaults.server.headersTimeoutMs > 0);

    // The faulty upstream has one connection for streams and one for the rest; a slow stream holds the first.
    const stream = await fixture.client().chat.completions.create({ model: 'fault-slow', messages: [{ role: 'user', content: 'go' }], stream: true });
    let streamEnded = false;
    const reading = (async () => {
      for await (const _chunk of stream) void _chunk;
      streamEnded = true;
    })();
    const short = await fixture.client().chat.completions.create({ model: 'fault-fast', messages: [{ role: 'user', content: 'quick' }] }).withResponse();
    assert.equal(short.data.choices[0]!.message.content, 'a healthy answer from the fault upstream.');
    assert.equal(streamEnded, false, 'the short call did not wait for the stream');
    await reading;
    await waitForRecord(fixture.gateway, (r) => r.id === short.response.headers.get('x-request-id'));
  });
});

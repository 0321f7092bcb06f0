import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../src/config/load.js';

test('config validation lists every problem at once', () => {
  const raw = {
    server: { port: 70_000 },
    upstreams: [
      { name: 'a', baseUrl: 'not a url', models: [] },
      { name: 'a', baseUrl: 'http://127.0.0.1:1/v1', models: ['x'] },
    ],
    ledger: { text: 'sometimes' },
  };
  assert.throws(
    () => parseConfig(raw, {}),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      for (const path of ['server.port', 'upstreams.0.baseUrl', 'upstreams.0.models', 'ledger.text']) assert.ok(text.includes(path), `${path} in\n${text}`);
      return true;
    },
  );
});

test('config is frozen, with secrets from the environment', () => {
  const config = parseConfig(
    { upstreams: [{ name: 'open-ai', baseUrl: 'https://api.openai.com/v1', models: ['gpt-4o'] }] },
    { MOAT_ADMIN_TOKEN: 'a-long-enough-admin-token', MOAT_UPSTREAM_OPEN_AI_API_KEY: 'sk-upstream', MOAT_ALERT_SECRET: 'an-alert-signing-secret' },
  );
  assert.equal(config.enforcement.alerts.secret, 'an-alert-signing-secret');
  assert.equal(config.admin.token, 'a-long-enough-admin-token');
  assert.equal(config.upstreams[0]!.apiKey, 'sk-upstream');
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.upstreams[0]));
  assert.throws(() => {
    (config.server as { port: number }).port = 1;
  });
});

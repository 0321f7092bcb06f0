import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { startFixture } from '../helpers/gateway-fixture.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5 };

function moat(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
}

test('moat suspend / reinstate from the CLI reach the running gateway (through the audit log) within a second', { timeout: 120_000 }, async () => {
  const fixture = await startFixture({ config: { enforcement: { policy: { mode: 'enforce' } } } });
  const outcome = async () => {
    try {
      await fixture.client().chat.completions.create(ask);
      return 'ok';
    } catch (error) {
      return error instanceof OpenAI.APIError ? String(error.code) : String(error);
    }
  };
  const within = async (expected: string, ms: number) => {
    const started = performance.now();
    while ((await outcome()) !== expected) {
      assert.ok(performance.now() - started < ms, `not ${expected} after ${ms} ms`);
      await sleep(20);
    }
  };
  try {
    assert.equal(moat('suspend', 'acct_nobody', '--reason', 'r', '--actor', 'a', '--db', fixture.dbPath).status, 1, 'an unknown account is an error');
    const suspended = moat('suspend', fixture.account, '--reason', 'harvesting', '--actor', 'alice', '--db', fixture.dbPath);
    assert.equal(suspended.status, 0, suspended.stderr);
    assert.deepEqual(JSON.parse(suspended.stdout).actions, ['suspend_account']);
    await within('account_suspended', 1_000);
    assert.equal(moat('reinstate', fixture.account, '--reason', 'appeal', '--actor', 'bob', '--db', fixture.dbPath).status, 0);
    await within('ok', 1_000);
    const listed = moat('audit', 'list', '--account', fixture.account, '--db', fixture.dbPath);
    assert.deepEqual(JSON.parse(listed.stdout).map((e: { action: string; actor: string }) => [e.action, e.actor]), [['reinstate', 'bob'], ['suspend', 'alice']]);
    assert.equal(moat('audit', 'verify', '--db', fixture.dbPath).status, 0);
  } finally {
    await fixture.close();
  }
});

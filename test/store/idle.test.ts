import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { startFixture } from '../helpers/gateway-fixture.js';

/** Counts every call into the store's repositories, and every read of its change versions. */
function counted(store: Store): { store: Store; calls: string[] } {
  const calls: string[] = [];
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(property)}`);
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  store.changes.subscribe(() => calls.push('changes.read'), () => undefined);
  const wrapped: Store = {
    usage: wrap('usage', store.usage),
    accounts: wrap('accounts', store.accounts),
    keys: wrap('keys', store.keys),
    ledger: wrap('ledger', store.ledger),
    limitOverrides: wrap('limitOverrides', store.limitOverrides),
    audit: wrap('audit', store.audit),
    changes: store.changes,
    close: () => store.close(),
  };
  return { store: wrapped, calls };
}

test('an idle gateway reads nothing from its store; a change made by another process wakes it', async () => {
  let calls: string[] = [];
  const fixture = await startFixture({
    config: { limits: { backend: 'memory' } },
    wrapStore: (store) => {
      const wrapped = counted(store);
      calls = wrapped.calls;
      return wrapped.store;
    },
  });
  try {
    // Key refresh, limit overrides and the audit tail all follow the feed: with no traffic and no writes, nothing runs.
    await fixture.gateway.store.changes.settled();
    calls.length = 0;
    await sleep(2_500);
    assert.equal(calls.length, 0, `no store call while idle: ${calls.join(', ')}`);

    // The CLI (another process, another connection) sets an override: the gateway hears it from the file and re-reads only that.
    const cli = new SqliteStore(fixture.dbPath);
    await cli.limitOverrides.put({ scope: 'account', subject: fixture.account, model: '', limits: { requestsPerMinute: 3 }, updatedAt: Date.now() });
    await cli.close();
    for (let i = 0; i < 250 && !calls.includes('limitOverrides.changedSince'); i++) await sleep(20);
    assert.ok(calls.includes('changes.read'), 'the feed read the versions');
    assert.ok(calls.includes('limitOverrides.changedSince'), 'the override cache re-read what changed');
    assert.ok(!calls.includes('keys.changedSince') && !calls.includes('audit.list'), 'and nothing else');
  } finally {
    await fixture.close();
  }
});

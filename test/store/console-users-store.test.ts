import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

test('console users: put replaces by name, list is by name, remove says whether there was one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-users-'));
  const path = join(dir, 'moat.db');
  let store = new SqliteStore(path);
  try {
    const at = '2026-12-01T00:00:00.000Z';
    await store.consoleUsers.put({ name: 'bob', role: 'viewer', passwordHash: 'scrypt$1$1$1$00$00', createdAt: at, updatedAt: at });
    await store.consoleUsers.put({ name: 'alice', role: 'analyst', passwordHash: 'scrypt$1$1$1$00$00', createdAt: at, updatedAt: at });
    await store.consoleUsers.put({ name: 'bob', role: 'admin', passwordHash: 'scrypt$1$1$1$11$11', createdAt: '2027-01-01T00:00:00.000Z', updatedAt: '2027-01-01T00:00:00.000Z' });
    await store.close();
    store = new SqliteStore(path);
    assert.deepEqual((await store.consoleUsers.list()).map((u) => [u.name, u.role]), [['alice', 'analyst'], ['bob', 'admin']]);
    assert.deepEqual(await store.consoleUsers.get('bob'), { name: 'bob', role: 'admin', passwordHash: 'scrypt$1$1$1$11$11', createdAt: at, updatedAt: '2027-01-01T00:00:00.000Z' }, 'created_at is kept on replace');
    assert.equal(await store.consoleUsers.remove('bob'), true);
    assert.equal(await store.consoleUsers.remove('bob'), false);
    assert.equal(await store.consoleUsers.get('bob'), undefined);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

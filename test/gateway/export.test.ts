import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { exportTrafficSet } from '../../src/ledger/export.js';
import { toTrafficRequest } from '../../src/ledger/record.js';
import { openTrafficSet, readAccounts, readRequests } from '../../src/traffic/traffic-set.js';
import { admin, startFixture } from '../helpers/gateway-fixture.js';
import { ledgerRecords } from '../helpers/ledger.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// Acceptance 3: export then re-read gives back every record; a key's secret is nowhere on disk or in logs.
test('export round-trips the ledger, and secrets never reach disk or logs', async () => {
  const fixture = await startFixture();
  const secrets = [fixture.secret];
  try {
    const created = await admin(fixture.gateway.url, 'POST', `/admin/accounts/${fixture.account}/keys`, { name: 'second' });
    secrets.push(created.body.secret);
    const rotated = await admin(fixture.gateway.url, 'POST', `/admin/keys/${created.body.key.id}/rotate`, { grace_seconds: 60 });
    secrets.push(rotated.body.next.secret);
    for (const [i, secret] of secrets.entries()) {
      const client = fixture.client({ apiKey: secret });
      await client.chat.completions.create({ model: 'gpt-4o-mini', user: `k${i}`, messages: [{ role: 'user', content: `hello ${i}` }] });
      const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: `stream ${i}` }] });
      for await (const _chunk of stream);
      await client.embeddings.create({ model: 'text-embedding-3-small', input: `embed ${i}` });
    }
    await fixture.client({ apiKey: 'moat-sk-wrong' }).models.list().catch(() => undefined);

    const records = await ledgerRecords(fixture.gateway);
    assert.equal(records.length, secrets.length * 3);
    const out = join(fixture.dir, 'export');
    const counts = await exportTrafficSet(fixture.gateway.store, {}, out);
    assert.equal(counts.requests, records.length);

    const set = openTrafficSet(out);
    const reread = [];
    for await (const request of readRequests(set)) reread.push(request);
    assert.deepEqual(reread, records.map(toTrafficRequest));
    assert.deepEqual(reread.map((r) => r.ts), reread.map((r) => r.ts).sort());
    const accounts = await readAccounts(set);
    assert.deepEqual(accounts.map((a) => a.account), [fixture.account]);

    // The CLI's export over the same database gives the same requests.
    const cliOut = join(fixture.dir, 'export-cli');
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'export', '--db', fixture.dbPath, '--out', cliOut, '--since', '2000-01-01T00:00:00Z'], { stdio: 'pipe' });
    const cliSet = openTrafficSet(cliOut);
    const cliRequests = [];
    for await (const request of readRequests(cliSet)) cliRequests.push(request);
    assert.deepEqual(cliRequests, reread);

    await fixture.gateway.ledger.flush();
    const haystacks = [...filesUnder(fixture.dir).map((file) => {
      const bytes = readFileSync(file);
      return file.endsWith('.gz') ? gunzipSync(bytes).toString('latin1') : bytes.toString('latin1');
    }), fixture.logs.join('')];
    for (const secret of secrets) {
      const body = secret.slice('moat-sk-'.length);
      for (const haystack of haystacks) assert.ok(!haystack.includes(body), 'a secret was found on disk or in the logs');
    }
  } finally {
    await fixture.close();
  }
});

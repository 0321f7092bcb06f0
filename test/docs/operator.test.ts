import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { startFixture } from '../helpers/gateway-fixture.js';

// What the operator guide and the README tell an operator to write or run must work as written.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const operator = readFileSync(join(ROOT, 'docs/operator.md'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const yamlBlocks = (text: string) => [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);

test('every Moat config in the operator guide, and the README real-upstream example, is valid', () => {
  const configs = [...yamlBlocks(operator).filter((block) => !block.includes('scrape_configs')), ...yamlBlocks(readme).filter((block) => block.startsWith('# moat.yaml'))];
  assert.ok(configs.length >= 3, `${configs.length} config blocks`);
  for (const block of configs) {
    const config = parseConfig(parseYaml(block), { MOAT_UPSTREAM_OPENAI_API_KEY: 'sk-test' });
    assert.ok(config);
  }
  const real = parseConfig(parseYaml(yamlBlocks(readme).find((block) => block.startsWith('# moat.yaml'))!), { MOAT_UPSTREAM_OPENAI_API_KEY: 'sk-test' });
  assert.equal(real.upstreams.find((upstream) => upstream.name === 'openai')?.apiKey, 'sk-test', 'the upstream key comes from the environment variable the README names');
});

test("the guide's online SQLite backup, run against a live gateway's database, gives a copy with its accounts", async () => {
  const line = operator.split('\n').find((candidate) => candidate.startsWith(`node -e "require('better-sqlite3')`));
  assert.ok(line, 'the backup command is in the guide');
  const fixture = await startFixture();
  const backups = mkdtempSync(join(tmpdir(), 'moat-backup-'));
  try {
    await fixture.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
    await fixture.gateway.ledger.flush();
    const command = line.replaceAll('/var/lib/moat/moat.db', fixture.dbPath).replaceAll('/backup/', `${backups}/`);
    const { stdout } = await promisify(execFile)('sh', ['-c', command], { cwd: ROOT });
    assert.equal(stdout.trim(), 'done');
    const [file] = readdirSync(backups);
    const db = new Database(join(backups, file!), { readonly: true });
    try {
      assert.deepEqual(db.prepare('select account from accounts').pluck().all(), [fixture.account]);
      assert.equal(db.prepare('select count(*) from requests').pluck().get(), 1, 'the ledger row committed before the backup is in it');
    } finally {
      db.close();
    }
  } finally {
    await fixture.close();
    rmSync(backups, { recursive: true, force: true });
  }
});

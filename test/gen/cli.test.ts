import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/gen-traffic.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('gen-traffic CLI: sweep flags reach the set, out-of-range flags are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-gen-cli-'));
  try {
    const bad = run(['--preset', 'hydra-sweep', '--cover', '0.9', '--out', join(dir, 'bad')]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--cover must be in 0\.\.0\.6/);
    const ok = run(['--preset', 'org-sweep', '--org-size', '12', '--org-kind', 'class', '--attacker', 'none', '--scale', '0.03', '--days', '3', '--out', join(dir, 'ok')]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { perPlaybook: Record<string, { accounts: number }> }).perPlaybook['benign:class']?.accounts, 12);
    assert.match(readFileSync(join(dir, 'ok', 'README.md'), 'utf8'), /--preset org-sweep --seed 1 --scale 0\.03 --days 3 --org-size 12 --org-kind class --attacker none/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the demo slice in demo/set is what demo/README.md says made it, byte for byte', () => {
  const command = /npx tsx bench\/gen-traffic\.ts (.+) --out demo\/set/.exec(readFileSync(join(root, 'demo/README.md'), 'utf8'));
  assert.ok(command, 'demo/README.md gives the command');
  const dir = mkdtempSync(join(tmpdir(), 'moat-gen-demo-'));
  try {
    const bad = run([...command[1]!.split(' ').map((arg) => (arg === '0.25' ? '1.5' : arg)), '--out', join(dir, 'bad')]);
    assert.match(bad.stderr, /--rate-scale must be in \(0, 1\]/);
    const made = run([...command[1]!.split(' '), '--out', join(dir, 'set')]);
    assert.equal(made.status, 0, made.stderr);
    for (const file of ['requests.jsonl.gz', 'accounts.jsonl', 'labels.jsonl']) {
      assert.ok(readFileSync(join(dir, 'set', file)).equals(readFileSync(join(root, 'demo/set', file))), `${file} is as committed`);
    }
    // The set's own README names the rate flag, so it can be made again from there too.
    assert.match(readFileSync(join(dir, 'set', 'README.md'), 'utf8'), /--scale 0\.05 --rate-scale 0\.25 --days 2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

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

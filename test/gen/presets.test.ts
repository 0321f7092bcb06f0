import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, type GenerateOptions } from '../../bench/gen/generate.js';
import { PROMPTS } from './fixture.js';
import { assertSameBytes, assertWellFormed, readSet } from './format.js';

async function inTmp(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'moat-gen-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tiny = (preset: GenerateOptions['preset'], out: string, extra: Partial<GenerateOptions> = {}): GenerateOptions => ({ preset, out, seed: 3, scale: 0.05, promptsDir: PROMPTS, days: 4, ...extra });

for (const preset of ['blind-a', 'blind-b'] as const) {
  test(`${preset}: well-formed, deterministic, every new playbook present and described`, async () => {
    await inTmp(async (dir) => {
      const r = await generate(tiny(preset, join(dir, 'a'), { days: 6 }));
      await generate(tiny(preset, join(dir, 'b'), { days: 6 }));
      assertSameBytes(join(dir, 'a'), join(dir, 'b'));
      assertWellFormed(readSet(join(dir, 'a')));
      const want = preset === 'blind-a' ? ['H1', 'H2', 'N1', 'N3', 'N5', 'benign:enterprise', 'benign:class', 'benign:vpn', 'benign:viral'] : ['H1', 'H3', 'N2', 'N4', 'N5', 'benign:enterprise', 'benign:class', 'benign:vpn', 'benign:viral', 'benign:hub'];
      const readme = readFileSync(join(dir, 'a', 'README.md'), 'utf8');
      for (const pb of want) {
        assert.ok((r.perPlaybook[pb]?.requests ?? 0) > 0, `${pb} sent nothing`);
        assert.match(readme, new RegExp(`\\*\\*${pb}\\*\\*: \\S+[^\\n]*\\n  - \\S`), `${pb} not described in the README`);
      }
    });
  });
}

test('hydra-sweep: the benign background is the same at every sweep point', async () => {
  await inTmp(async (dir) => {
    await generate(tiny('hydra-sweep', join(dir, 'small'), { sweep: { size: 50, cover: 0, rate: 5 } }));
    await generate(tiny('hydra-sweep', join(dir, 'big'), { sweep: { size: 120, cover: 0.5, rate: 40 } }));
    const [small, big] = [readSet(join(dir, 'small')), readSet(join(dir, 'big'))];
    assertWellFormed(small);
    const benign = (s: ReturnType<typeof readSet>): string[] => {
      const ok = new Set(s.labels.filter((l) => l.label === 'benign').map((l) => l.account));
      return s.requests.filter((q) => ok.has(q.account)).map(({ id: _id, ...rest }) => JSON.stringify(rest));
    };
    assert.deepEqual(benign(big), benign(small));
    assert.equal(small.labels.filter((l) => l.playbook === 'H1').length, 50);
    assert.equal(big.labels.filter((l) => l.playbook === 'H1').length, 120);
    assert.match(readFileSync(join(dir, 'big', 'README.md'), 'utf8'), /--size 120 --cover 0\.5 --rate 40/);
  });
});

test('org-sweep: one organisation of the requested kind and size, with or without the small attacker', async () => {
  await inTmp(async (dir) => {
    await generate(tiny('org-sweep', join(dir, 'c'), { sweep: { orgSize: 40, orgKind: 'class', attacker: 'none' } }));
    await generate(tiny('org-sweep', join(dir, 'e'), { sweep: { orgSize: 25, orgKind: 'enterprise', attacker: 'small' } }));
    const c = readSet(join(dir, 'c'));
    const e = readSet(join(dir, 'e'));
    assert.equal(c.labels.filter((l) => l.playbook === 'benign:class').length, 40);
    assert.equal(c.labels.filter((l) => l.label === 'extraction').length, 0);
    assertWellFormed(e);
    const staff = new Set(e.labels.filter((l) => l.playbook === 'benign:enterprise').map((l) => l.account));
    assert.equal(staff.size, 25);
    const orgAccounts = e.accounts.filter((a) => staff.has(a.account));
    assert.equal(new Set(orgAccounts.map((a) => a.payment_fingerprint)).size, 1);
    assert.equal(new Set(orgAccounts.map((a) => a.email_domain)).size, 1);
  });
});

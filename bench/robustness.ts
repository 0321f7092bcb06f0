/**
 * Robustness curves from our own generator (bench/gen), for BENCHMARKS.md: a low-and-slow hydra's
 * recall against its cover-traffic share and its requests per account-day, at three fleet sizes;
 * an organisation's false-positive rate against its size (all on one card, domain and NAT), with
 * organic traffic (an enterprise) and with a shared assignment (a class).
 *   npx tsx bench/robustness.ts [--quick]      (--quick: fewer points, for a smoke run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './gen/generate.js';
import type { SweepParams } from './gen/presets-sweep.js';
import { createEngine, replay } from '../src/detect/index.js';
import { evaluate } from '../src/eval/evaluate.js';
import type { Verdict } from '../src/traffic/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const promptsDir = path.resolve(root, '..', 'shared', 'data', 'prompts');
const quick = process.argv.includes('--quick');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

async function point(preset: 'hydra-sweep' | 'org-sweep', sweep: Partial<SweepParams>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-sweep-'));
  try {
    await generate({ preset, out: dir, seed: 1, scale: 1, promptsDir, sweep });
    const engine = createEngine();
    const { accounts } = await replay(dir, engine);
    const byAccount = new Map(engine.verdicts().map((v) => [v.account, v]));
    const verdicts: Verdict[] = accounts.map((a) => byAccount.get(a.account) ?? { account: a.account, flagged: false, score: 0, first_flagged_at: null, campaign: null, reasons: [] });
    return await evaluate(dir, verdicts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sizes = quick ? [150] : [50, 150, 300];
const covers = quick ? [0, 0.6] : [0, 0.2, 0.4, 0.6];
const rates = quick ? [5, 100] : [5, 10, 20, 50, 100];
const orgSizes = quick ? [10, 200] : [10, 25, 50, 100, 200];

const hydraRow = async (size: number, cover: number, rate: number): Promise<string> => {
  const e = await point('hydra-sweep', { size, cover, rate });
  const hydra = e.playbooks.find((p) => p.label === 'extraction')!;
  const c = e.campaigns[0]!;
  return `| ${size} | ${pct(cover)} | ${rate} | ${hydra.flagged} / ${hydra.accounts} | ${pct(hydra.flagged / hydra.accounts)} | ${c.detected ? 'yes' : 'no'} | ${c.hoursToDetect === null ? '-' : c.hoursToDetect.toFixed(1)} | ${pct(c.exposure)} | ${pct(e.accounts.fpr)} |`;
};

const head = '| accounts | cover share | requests per account-day | flagged | recall | campaign detected | hours to detect | exposure | background FPR |';
const rule = '|---:|---:|---:|---:|---:|---|---:|---:|---:|';
const coverRows: string[] = [];
const rateRows: string[] = [];
for (const size of sizes) {
  for (const cover of covers) coverRows.push(await hydraRow(size, cover, 20));
  for (const rate of rates) rateRows.push(await hydraRow(size, 0.3, rate));
}

const orgRows: string[] = [];
for (const kind of ['enterprise', 'class'] as const) {
  for (const orgSize of orgSizes) {
    const e = await point('org-sweep', { orgSize, orgKind: kind });
    const org = e.playbooks.find((p) => p.playbook === `benign:${kind}`);
    orgRows.push(`| ${kind} | ${orgSize} | ${org?.flagged ?? 0} / ${org?.accounts ?? 0} | ${pct(e.accounts.fpr)} |`);
  }
}

process.stdout.write(
  [
    'Generated with `bench/gen-traffic.ts` presets hydra-sweep (one H1-style hydra: staggered accounts, residential proxies reused across the fleet, one paraphrased template per account, cover chat, inside a background of about 330 benign accounts) and org-sweep (one organisation on one card, domain and office or campus NAT in the same background). Seed 1, 14 days.',
    '',
    '**Hydra recall against cover traffic** (20 requests per active account-day):',
    '',
    head,
    rule,
    ...coverRows,
    '',
    '**Hydra recall against requests per account-day** (30% cover):',
    '',
    head,
    rule,
    ...rateRows,
    '',
    '**False positives against organisation size** (enterprise: varied work chat; class: one assignment, the same items for everyone):',
    '',
    '| organisation | accounts | flagged | whole-set FPR |',
    '|---|---:|---:|---:|',
    ...orgRows,
    '',
  ].join('\n'),
);

/**
 * Detection quality, written for BENCHMARKS.md: per labelled set the engine's table and the
 * trailing-24 h volume baseline's, the calibration (what each target false-positive rate gives),
 * and the leave-one-out table (each benign persona left out of the only fitted part, the
 * calibration, then scored alone; each playbook scored alone, nothing being fitted on attacks).
 *   npx tsx bench/detection-eval.ts [set dir ...]     (default: ../shared/data/traffic/dev-v1 and dev-v2)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Calibration, DEFAULT_CALIBRATION, fitCalibration } from '../src/detect/calibration.js';
import { createEngine, createVolumeDetector, replay, type DetectionEngine } from '../src/detect/index.js';
import { benignSamples } from '../src/eval/calibrate.js';
import { evaluate, type Evaluation } from '../src/eval/evaluate.js';
import { markdownReport } from '../src/eval/markdown-report.js';
import type { Verdict } from '../src/traffic/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const given = process.argv.slice(2);
const dirs = given.length > 0 ? given : ['dev-v1', 'dev-v2'].map((name) => path.resolve(root, '..', 'shared', 'data', 'traffic', name));
const name = (dir: string): string => path.basename(dir);
const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;
const num = (x: number, digits = 2): string => (Number.isNaN(x) ? '-' : x.toFixed(digits));

async function verdictsOf(dir: string, engine: DetectionEngine): Promise<Verdict[]> {
  const { accounts } = await replay(dir, engine);
  const byAccount = new Map(engine.verdicts().map((v) => [v.account, v]));
  return accounts.map((a) => byAccount.get(a.account) ?? { account: a.account, flagged: false, score: 0, first_flagged_at: null, campaign: null, reasons: [] });
}

async function evaluated(dir: string, engine: DetectionEngine): Promise<Evaluation> {
  return evaluate(dir, await verdictsOf(dir, engine));
}

function summaryRow(label: string, e: Evaluation): string {
  const a = e.accounts;
  return `| ${label} | ${num(a.recall, 3)} | ${num(a.precision, 3)} | ${num(a.f1, 3)} | ${pct(a.fpr, 2)} | ${e.heavyBenignFalsePositives} | ${e.campaignsDetected} / ${e.campaigns.length} | ${num(e.medianHoursToDetect)} h | ${pct(e.meanExposure)} / ${pct(e.maxExposure)} |`;
}

const SUMMARY_HEAD = ['| set, detector | recall | precision | F1 | FPR | heavy-benign FP | campaigns | median time to detect | exposure mean / max |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];

const out: string[] = [];
const engines = new Map<string, Evaluation>();
const summary = [...SUMMARY_HEAD];
for (const dir of dirs) {
  const engine = await evaluated(dir, createEngine());
  const volume = await evaluated(dir, createVolumeDetector());
  engines.set(dir, engine);
  summary.push(summaryRow(`${name(dir)}, engine`, engine), summaryRow(`${name(dir)}, volume baseline`, volume));
  out.push(markdownReport(`${name(dir)}: engine`, engine).replace(/^## /, '#### '), markdownReport(`${name(dir)}: trailing-24 h volume baseline`, volume).replace(/^## /, '#### '));
}

// Calibration: what each target rate gives on each set (the engine re-run with that target).
const calibration = ['| target FPR | flag at raw evidence | ' + dirs.map((d) => `${name(d)} FPR | ${name(d)} recall`).join(' | ') + ' |', '|---:|---:|' + dirs.map(() => '---:|---:').join('|') + '|'];
for (const target of [0.001, 0.002, 0.005, 0.01, 0.02]) {
  const c = DEFAULT_CALIBRATION.withTarget(target);
  const cells: string[] = [];
  for (const dir of dirs) {
    const e = target === 0.005 ? engines.get(dir)! : await evaluated(dir, createEngine({ calibration: c }));
    cells.push(pct(e.accounts.fpr, 2), num(e.accounts.recall, 3));
  }
  calibration.push(`| ${pct(target, 1)} | ${c.rawThreshold().toFixed(3)} | ${cells.join(' | ')} |`);
}

// Leave-one-out. Benign personas: the calibration refitted without them, then they are scored alone.
const samples = await benignSamples(dirs);
const personas = [...new Set(samples.map((s) => s.kind))].sort();
const loo = ['| left out | kind | accounts | flagged | share | refitted threshold (raw) |', '|---|---|---:|---:|---:|---:|'];
let worstBenign = { label: '', share: -1 };
for (const persona of personas) {
  const refit = new Calibration(fitCalibration(samples.filter((s) => s.kind !== persona)), DEFAULT_CALIBRATION.targetFpr);
  let accounts = 0;
  let flagged = 0;
  for (const dir of dirs) {
    const e = await evaluated(dir, createEngine({ calibration: refit }));
    const row = e.playbooks.find((p) => p.playbook === persona);
    accounts += row?.accounts ?? 0;
    flagged += row?.flagged ?? 0;
  }
  const share = accounts === 0 ? 0 : flagged / accounts;
  if (share > worstBenign.share) worstBenign = { label: persona, share };
  loo.push(`| ${persona} | benign | ${accounts} | ${flagged} | ${pct(share, 2)} | ${refit.rawThreshold().toFixed(3)} |`);
}
// Playbooks: nothing is fitted on extraction traffic, so left out or not they score the same.
let worstPlaybook = { label: '', share: 2 };
const playbooks = new Map<string, { accounts: number; flagged: number }>();
for (const e of engines.values()) {
  for (const p of e.playbooks) {
    if (p.label !== 'extraction') continue;
    const row = playbooks.get(p.playbook) ?? { accounts: 0, flagged: 0 };
    row.accounts += p.accounts;
    row.flagged += p.flagged;
    playbooks.set(p.playbook, row);
  }
}
for (const [playbook, row] of [...playbooks].sort()) {
  const share = row.flagged / row.accounts;
  if (share < worstPlaybook.share) worstPlaybook = { label: playbook, share };
  loo.push(`| ${playbook} | extraction | ${row.accounts} | ${row.flagged} | ${pct(share, 1)} | ${DEFAULT_CALIBRATION.rawThreshold().toFixed(3)} |`);
}

process.stdout.write(
  [
    `Sets: ${dirs.map(name).join(', ')}. One set of parameters for all (the signal table in src/detect/signals.ts and the calibration in src/detect/calibration-table.ts, fitted on their benign accounts by \`npx tsx bench/calibrate.ts\`); target false-positive rate 0.5%.`,
    '',
    ...summary,
    '',
    '**Calibration.** The score is calibrated on benign traffic alone, kind by kind (the most exposed kind of legitimate customer sets the rate), so 0.5 is the target false-positive rate and every quarter above it is ten times rarer among legitimate accounts. What other targets give:',
    '',
    ...calibration,
    '',
    `**Leave-one-out.** Each benign persona left out of the calibration fit (the only part of detection fitted to data) and scored alone; each playbook scored alone (no weight or threshold is fitted on extraction traffic, so leaving one out changes nothing). Worst rows: benign ${worstBenign.label} ${pct(worstBenign.share, 2)} flagged; extraction ${worstPlaybook.label} ${pct(worstPlaybook.share, 1)} recall.`,
    '',
    ...loo,
    '',
    ...out,
  ].join('\n') + '\n',
);

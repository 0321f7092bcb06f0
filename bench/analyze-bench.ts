/**
 * `moat analyze` throughput and memory: end-to-end requests/s against a parse-only baseline
 * (reading and JSON-parsing the same log as replay does), the engine's own requests/s (time
 * inside observe), peak RSS, and bytes of engine state per account. Rates are given per second of
 * wall time and per second of the process's CPU time (every thread: main, gunzip, GC), which is
 * what one core sustains and holds steadier than wall time on a shared machine; and the same for
 * the built `moat analyze` run as a process (start-up and writing verdicts included).
 * Usage: tsx bench/analyze-bench.ts [set dir ...]; defaults to dev-v1 plus any /tmp/moat-sets/*.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { createEngine, createVolumeDetector, replay, type DetectionEngine } from '../src/detect/index.js';
import { openTrafficSet, readRequestBatches } from '../src/traffic/traffic-set.js';
import type { AccountRecord } from '../src/traffic/types.js';
import { rerunWithReplayFlags, runsWithReplayFlags } from '../src/cli/replay-process.js';

// Measured as `moat analyze` runs a replay: with V8 started as its replays are.
if (!runsWithReplayFlags()) process.exit(await rerunWithReplayFlags());
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaults = [path.resolve(repoRoot, '..', 'shared', 'data', 'traffic', 'dev-v1')];
const generated = '/tmp/moat-sets';
if (existsSync(generated)) {
  for (const name of readdirSync(generated).sort()) {
    const dir = path.join(generated, name);
    if (existsSync(path.join(dir, 'accounts.jsonl'))) defaults.push(dir);
  }
}
const sets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : defaults;

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

async function parseOnly(dir: string): Promise<{ rate: number; cpuRate: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let n = 0;
  for await (const batch of readRequestBatches(openTrafficSet(dir))) for (const request of batch) if (request.id) n++;
  return { rate: n / ((performance.now() - started) / 1000), cpuRate: n / cpuSeconds(cpu) };
}

/**
 * The JavaScript heap and typed arrays' memory outside it (the engine keeps much of its state in
 * the latter), after full collections: typed arrays' memory is given back as their sweep finishes,
 * and a second collection waits for the first's.
 */
function retained(): number {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * The retained memory once it holds still: the log's reader hands over its last buffers and lets
 * them go a while after the replay ends, longer on a loaded machine.
 */
async function settled(): Promise<number> {
  let last = retained();
  for (let tries = 0; tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = retained();
    if (Math.abs(now - last) < 65536) return now;
    last = now;
  }
  return last;
}

/** Times only the detector's own work, so the read and JSON parse of the log are left out. */
function timed(engine: DetectionEngine): { engine: DetectionEngine; seconds: () => number } {
  let spent = 0;
  const wrapped: DetectionEngine = {
    addAccount: (a) => engine.addAccount(a),
    observe: (r) => {
      const t = performance.now();
      engine.observe(r);
      spent += performance.now() - t;
    },
    assessment: (a) => engine.assessment(a),
    verdicts: () => engine.verdicts(),
    campaigns: () => engine.campaigns(),
    grouped: () => engine.grouped(),
  };
  return { engine: wrapped, seconds: () => spent / 1000 };
}

/** One replay into a fresh engine, and the heap with the engine still held; the engine goes with this frame. */
async function run(
  dir: string,
  make: () => DetectionEngine,
): Promise<{ rate: number; cpuRate: number; ownRate: number; requests: number; records: readonly AccountRecord[]; accountCount: number; heap: number; gone: WeakRef<DetectionEngine> }> {
  const { engine, seconds: own } = timed(make());
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { requests, accounts } = await replay(dir, engine);
  const cpuUsed = cpuSeconds(cpu);
  const seconds = (performance.now() - started) / 1000;
  const heap = await settled();
  const accountCount = engine.verdicts().length;
  return { rate: requests / seconds, cpuRate: requests / cpuUsed, ownRate: requests / own(), requests, records: accounts, accountCount, heap, gone: new WeakRef(engine) };
}

async function measure(
  dir: string,
  make: () => DetectionEngine,
): Promise<{ rate: number; cpuRate: number; ownRate: number; requests: number; accounts: number; bytesPerAccount: number; heap: number }> {
  const { accountCount, records, gone, ...rest } = await run(dir, make);
  // The log reader's last callbacks can hold the replay's frame, and with it the engine, for a while.
  for (let tries = 0; gone.deref() !== undefined && tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
  }
  if (gone.deref() !== undefined) throw new Error('the engine is still held after its run: its bytes cannot be told apart');
  // What dropping the engine frees is its state alone: the code compiled on the first set's run,
  // the log reader's leftovers and the account records (held here) are on both sides of the difference.
  const bytesPerAccount = (rest.heap - (await settled())) / accountCount;
  return { ...rest, accounts: Math.max(records.length, accountCount), bytesPerAccount };
}

/**
 * `moat analyze` as a user runs it, from the build: the process's CPU seconds (bash's `times` for
 * its child), start-up and the verdicts file included. Undefined when there is no build.
 */
function cliCpuRate(dir: string, requests: number): number | undefined {
  const cli = path.join(repoRoot, 'dist', 'cli', 'main.js');
  if (!existsSync(cli)) return undefined;
  const out = mkdtempSync(path.join(tmpdir(), 'moat-analyze-bench-'));
  try {
    const run = spawnSync('bash', ['-c', 'node "$1" analyze "$2" --out "$3/verdicts.jsonl" >/dev/null 2>&1 || exit 1; times', '_', cli, dir, out], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`moat analyze ${dir} failed`);
    // The second line of `times` is the children's user and system time: 0m10.340s 0m0.160s.
    const children = run.stdout.trim().split('\n')[1] ?? '';
    const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + 60 * Number(m[1]) + Number(m[2]), 0);
    return requests / seconds;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const rows: string[] = [];
for (const dir of sets) {
  const baseline = await parseOnly(dir);
  const engine = await measure(dir, () => createEngine());
  const volume = await measure(dir, () => createVolumeDetector());
  const cli = cliCpuRate(dir, engine.requests);
  rows.push(
    `| ${path.basename(dir)} | ${engine.requests} | ${engine.accounts} | ${Math.round(baseline.rate)} / ${Math.round(baseline.cpuRate)} | ${Math.round(engine.rate)} | **${Math.round(engine.cpuRate)}** | ${cli === undefined ? 'no build' : Math.round(cli)} | ${Math.round(engine.ownRate)} | ${Math.round(volume.rate)} / ${Math.round(volume.cpuRate)} | ${Math.round(volume.ownRate)} | ${Math.round(engine.bytesPerAccount)} | ${mb(process.resourceUsage().maxRSS * 1024)} | ${mb(engine.heap)} |`,
  );
}
process.stdout.write(
  [
    '| set | requests | accounts | parse-only req/s (wall / CPU) | analyze req/s (wall) | analyze req/s per CPU-second | \`moat analyze\` process, req/s per CPU-second | engine-only req/s | volume analyze req/s (wall / CPU) | volume-only req/s | engine bytes/account | peak RSS (so far) | heap + typed arrays after run |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);

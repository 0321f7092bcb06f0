import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveReplay } from '../src/replay/live-replay.js';
import { openTrafficSet, readLabels, readRequests } from '../src/traffic/traffic-set.js';

/**
 * Issue 5, acceptance 2: the whole of a traffic set through the live gateway with the default
 * enforcement policy, once enforcing and once in shadow mode (the baseline: decided, not
 * applied), side by side in two processes. Prints the BENCHMARKS.md section on stdout.
 *   npx tsx bench/enforcement-replay.ts [DIR]                  both modes, markdown
 *   npx tsx bench/enforcement-replay.ts DIR --mode enforce     one mode, JSON
 */
interface Run {
  mode: string;
  seconds: number;
  sent: number;
  extraction: { accounts: number; completionTokens: number; served: number; refused: number; suspended: number; throttled: number };
  benign: { accounts: number; completionTokens: number; served: number; refused: number; actedOn: number };
}

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--') && a !== 'enforce' && a !== 'shadow') ?? '../shared/data/traffic/dev-v1';
const modeAt = args.indexOf('--mode');

if (modeAt >= 0) console.log(JSON.stringify(await runMode(dir, args[modeAt + 1] as 'enforce' | 'shadow')));
else console.log(table(await Promise.all(['enforce', 'shadow'].map((mode) => child(mode)))));

async function runMode(set: string, mode: 'enforce' | 'shadow'): Promise<Run> {
  const labels = new Map((await readLabels(openTrafficSet(set))).map((l) => [l.account, l.label]));
  // The recorded upstream refused some requests itself (429); a replay sees those again and they are not Moat's.
  const recordedRefusals = new Map<string, number>();
  for await (const r of readRequests(openTrafficSet(set))) if (r.status === 429 || r.status === 403) recordedRefusals.set(r.account, (recordedRefusals.get(r.account) ?? 0) + 1);
  const dbDir = mkdtempSync(join(tmpdir(), `moat-enforce-bench-${mode}-`));
  const started = Date.now();
  const live = await liveReplay(set, { dbPath: join(dbDir, 'moat.db'), concurrency: 16, config: { enforcement: { policy: { mode } } }, onProgress: (n) => process.stderr.write(`${mode}: ${n}\n`) });
  const seconds = (Date.now() - started) / 1000;
  await live.gateway.enforcement!.enforcer.idle();
  const run: Run = {
    mode,
    seconds,
    sent: live.outcome.sent,
    extraction: { accounts: 0, completionTokens: 0, served: 0, refused: 0, suspended: 0, throttled: 0 },
    benign: { accounts: 0, completionTokens: 0, served: 0, refused: 0, actedOn: 0 },
  };
  for await (const record of live.gateway.store.ledger.scan({})) {
    if (record.status >= 400) continue;
    const side = labels.get(record.account) === 'extraction' ? run.extraction : run.benign;
    side.completionTokens += record.completion_tokens;
    side.served++;
  }
  for (const [account, label] of labels) {
    const refused = Math.max(0, (live.outcome.refusedByAccount.get(account) ?? 0) - (recordedRefusals.get(account) ?? 0));
    const decision = live.gateway.enforcement!.enforcer.decision(account);
    if (label === 'extraction') {
      run.extraction.accounts++;
      run.extraction.refused += refused;
      if (decision?.actions.includes('suspend_account')) run.extraction.suspended++;
      else if (decision?.actions.includes('throttle')) run.extraction.throttled++;
    } else {
      run.benign.accounts++;
      run.benign.refused += refused;
      if (decision && decision.actions.some((a) => a !== 'log')) run.benign.actedOn++;
    }
  }
  await live.close();
  rmSync(dbDir, { recursive: true, force: true });
  return run;
}

function child(mode: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/enforcement-replay.ts', dir, '--mode', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // The gateway logs to stdout too: the result is the run's last line.
    const result = () => JSON.parse(out.trim().split('\n').at(-1)!) as Run;
    proc.on('exit', (code) => (code === 0 ? resolve(result()) : reject(new Error(`${mode} run exited with ${code}`))));
  });
}

function table(runs: Run[]): string {
  const [enforce, shadow] = runs as [Run, Run];
  const pct = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
  return [
    `\`npx tsx bench/enforcement-replay.ts ${dir}\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.`,
    'Both runs replay every request of the set through a live gateway with the openai client (one key per account, replay clock) and the default policy; shadow decides and records but applies nothing, so it is the baseline. Refusals exclude the 429s the recorded upstream itself gave. Throttle limits are wall-clock while the replay runs 14 days in minutes, so a throttle bites far harder here than in real time.',
    '',
    '| | enforcing | shadow (baseline) | enforcing / shadow |',
    '|---|---:|---:|---:|',
    `| completion tokens served to extraction accounts | ${enforce.extraction.completionTokens} | ${shadow.extraction.completionTokens} | ${pct(enforce.extraction.completionTokens, shadow.extraction.completionTokens)} |`,
    `| extraction requests served | ${enforce.extraction.served} | ${shadow.extraction.served} | ${pct(enforce.extraction.served, shadow.extraction.served)} |`,
    `| extraction requests refused by Moat (429 throttle, 403 suspended) | ${enforce.extraction.refused} | ${shadow.extraction.refused} | |`,
    `| extraction accounts suspended / only throttled (of ${enforce.extraction.accounts}) | ${enforce.extraction.suspended} / ${enforce.extraction.throttled} | ${shadow.extraction.suspended} / ${shadow.extraction.throttled} (decided, not applied) | |`,
    `| completion tokens served to benign accounts | ${enforce.benign.completionTokens} | ${shadow.benign.completionTokens} | ${pct(enforce.benign.completionTokens, shadow.benign.completionTokens)} |`,
    `| **benign requests refused by Moat** | **${enforce.benign.refused}** | ${shadow.benign.refused} | |`,
    `| benign accounts with any action beyond log (of ${enforce.benign.accounts}) | ${enforce.benign.actedOn} | ${shadow.benign.actedOn} | |`,
    `| requests sent / replay seconds | ${enforce.sent} / ${enforce.seconds.toFixed(0)} | ${shadow.sent} / ${shadow.seconds.toFixed(0)} | |`,
  ].join('\n');
}

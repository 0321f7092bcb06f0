import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEMO_SET } from '../../src/cli/demo.js';
import { REPLAY_V8_FLAGS } from '../../src/cli/replay-process.js';
import { DEV_SET, devSetPresent } from '../helpers/dev-set.js';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'moat-replay-process-'));
/** Loaded into every node process the CLI starts: each writes its pid and whether V8 was started with the replays' flags. */
const probe = join(dir, 'probe.mjs');
writeFileSync(
  probe,
  `import { appendFileSync } from 'node:fs';\nconst flags = ${JSON.stringify(REPLAY_V8_FLAGS)};\nappendFileSync(process.env.MOAT_PROBE_LOG, \`\${process.pid} \${flags.every((f) => process.execArgv.includes(f))}\\n\`);\n`,
);

/** A process that ran the CLI: its pid and whether V8 had the replay flags. */
interface Started {
  pid: number;
  withFlags: boolean;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Every process that ran the CLI, in start order. */
  processes: Started[];
}

function processesIn(log: string): Started[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ({ pid: Number(line.split(' ')[0]), withFlags: line.endsWith('true') }));
}

/** Runs the CLI; `whenChildStarts`, if given, is called once a second process has started. */
function moat(args: string[], whenChildStarts?: (first: ReturnType<typeof spawn>) => void): Promise<Run> {
  const log = join(dir, `probe-${args[0]}-${process.hrtime.bigint()}.log`);
  writeFileSync(log, '');
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', probe, MAIN, ...args], { env: { ...process.env, MOAT_PROBE_LOG: log }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let watching: NodeJS.Timeout | undefined;
  if (whenChildStarts) {
    const look = (): void => {
      if (processesIn(log).length >= 2) whenChildStarts(child);
      else watching = setTimeout(look, 20);
    };
    look();
  }
  return once(child, 'close').then(([code, signal]) => {
    clearTimeout(watching);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, stderr, processes: processesIn(log) };
  });
}

describe('replay commands run in a V8 started for replays (its GC on the main thread)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('moat analyze runs again in a child started with the replay flags, which writes the verdicts', async () => {
    const out = join(dir, 'verdicts.jsonl');
    const run = await moat(['analyze', DEMO_SET, '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      run.processes.map((p) => p.withFlags),
      [false, true],
    );
    assert.ok(readFileSync(out, 'utf8').trim().split('\n').length > 10, 'a verdict per account');
    // The child's report reaches the terminal once: the first process adds nothing of its own.
    assert.equal(run.stderr.match(/accounts flagged ->/g)?.length, 1, run.stderr);
  });

  test("the child's failure is the command's: its exit code and its one message", async () => {
    const run = await moat(['analyze', join(dir, 'no-such-set'), '--out', join(dir, 'never.jsonl')]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.match(/moat: .*no requests\.jsonl/g)?.length, 1, run.stderr);
    assert.equal(run.processes.length, 2);
  });

  test('other commands run in the first process, with V8 as it was started', async () => {
    const run = await moat(['accounts', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.processes, [{ pid: run.processes[0]!.pid, withFlags: false }]);
  });

  test('a signal sent to the first process alone ends the replay too, and the command ends by that signal', { skip: !devSetPresent && 'dev-v1 is not beside the repository' }, async () => {
    let sent = false;
    const run = await moat(['analyze', DEV_SET, '--out', join(dir, 'interrupted.jsonl')], (first) => {
      sent = first.kill('SIGTERM');
    });
    assert.ok(sent, run.stderr);
    assert.equal(run.signal, 'SIGTERM');
    const replaying = run.processes.find((p) => p.withFlags);
    assert.ok(replaying, 'the child had started');
    assert.throws(() => process.kill(replaying.pid, 0), { code: 'ESRCH' }, 'the child is gone');
  });
});

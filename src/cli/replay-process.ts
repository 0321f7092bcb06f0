import { spawn } from 'node:child_process';

/** Commands that replay a whole traffic set: one long computation on the one JavaScript thread. */
export const REPLAY_COMMANDS: ReadonlySet<string> = new Set(['analyze', 'eval', 'calibrate', 'explain']);

/**
 * How V8 runs a replay. A replay keeps one thread busy from start to end, and V8's GC helper
 * threads (parallel scavenges and marking) there mostly add the cost of sharing out the work:
 * with the collections on the main thread, dev-v2 took a median 0.95 of the CPU in the same wall
 * time (8 alternated rounds on two cores). The compiles stay concurrent: all of V8 on one thread
 * (`--single-threaded`) saved about as much CPU (0.94) but took 1.14 of the wall time.
 *
 * The compiles are a fifth of a dev-v2 replay's CPU, paid again by every process, and half V8's
 * inlining budget (920 bytes of bytecode by default) cuts them for code about as fast: callgrind
 * counted 5% fewer instructions on dev-v1, 3.8% on dev-v2 and 1.6% on the first 250,000 requests
 * of the 10x set (bench/analyze-instructions.sh); timed, CPU 0.957 on dev-v2 (8 rounds) and 0.92
 * on the 10x set (4 rounds). A budget of 200 compiled less still (dev-v2 -5%), but its code was
 * slower: the 10x set's first 250,000 requests ran 1.7% more, and exported logs are long.
 * Measured with Node 20's V8: measure again on another.
 *
 * The gateway keeps V8's defaults: its requests wait on its collections, and it runs for good.
 */
export const REPLAY_V8_FLAGS: readonly string[] = ['--single-threaded-gc', '--max-inlined-bytecode-size-cumulative=460'];

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function runsWithReplayFlags(): boolean {
  return REPLAY_V8_FLAGS.every((flag) => process.execArgv.includes(flag));
}

/**
 * Runs this process's script again, with its arguments, in a child started with
 * REPLAY_V8_FLAGS: V8 reads them only as the process starts (setting them later aborts it).
 * Resolves to the child's exit code; a child ended by a signal ends this process by it too.
 */
export async function rerunWithReplayFlags(): Promise<number> {
  const child = spawn(process.execPath, [...REPLAY_V8_FLAGS, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  // An interrupt from the terminal reaches both; one sent to this process alone is passed on.
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`moat: the replay could not start: ${error.message}\n`);
      resolve([1, null]);
    });
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  for (const name of FORWARDED) process.off(name, forward);
  // So a shell sees the child's end as this command's.
  if (signal !== null) process.kill(process.pid, signal);
  return code ?? 1;
}

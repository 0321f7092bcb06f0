import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';

const ROOT = resolve(import.meta.dirname, '../..');
/** MOAT_QUICKSTART_FRESH=1: run the block in a fresh copy of the working tree, `npm ci` included (several minutes). */
const FRESH = process.env.MOAT_QUICKSTART_FRESH === '1';

/** The shell blocks of the README's Quickstart section, in order. */
function quickstartBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Quickstart\n');
  assert.ok(start >= 0, 'README.md has a Quickstart section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** What `npm ci` leaves: node_modules/.package-lock.json holds the lockfile's packages (all but other platforms' optional ones). */
function installedFromLockfile(dir: string): void {
  type Packages = Record<string, { version?: string; optional?: boolean }>;
  const lock = (JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Packages }).packages;
  const installed = (JSON.parse(readFileSync(join(dir, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Packages }).packages;
  for (const [path, entry] of Object.entries(installed)) assert.equal(entry.version, lock[path]?.version, `${path} is the lockfile's version`);
  const missing = Object.entries(lock).filter(([path, entry]) => path !== '' && !installed[path] && !entry.optional);
  assert.deepEqual(missing.map(([path]) => path), [], 'every required package of the lockfile is installed');
}

/** A copy of the working tree as a clone would have it: tracked files (as they are now), nothing else. */
function freshCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moat-clone-'));
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  return dir;
}

function untilLine(child: ChildProcess, output: () => string, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(output())) {
        child.stdout!.off('data', check);
        child.off('exit', exited);
        resolve();
      }
    };
    const exited = (code: number | null) => reject(new Error(`the block exited (${code}) before printing ${pattern}:\n${output()}`));
    child.stdout!.on('data', check);
    child.once('exit', exited);
  });
}

/** The gateway finishes its shutdown (ledger flushed) after the shell and npm have gone. */
async function groupGone(pgid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('README Quickstart: every command runs as written', { timeout: FRESH ? 20 * 60_000 : 8 * 60_000 }, async (t) => {
  const blocks = quickstartBlocks();
  assert.ok(blocks.length >= 2, 'a start block and a try-it block');
  const [startBlock, ...tryBlocks] = blocks;
  // The one long-running block: the test runs it until it serves, then stops it.
  const prefix = 'npm ci && ';
  assert.ok(startBlock!.startsWith(`${prefix}npm start`), `the Quickstart starts with "${prefix}npm start"`);

  const cwd = FRESH ? freshCopy() : ROOT;
  const dataDir = mkdtempSync(join(tmpdir(), 'moat-quickstart-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, MOAT_PORT: String(port), MOAT_DATA_DIR: dataDir };
  delete env.MOAT_STORE_PATH;
  // The try-it block writes me.json into the checkout; keep a developer's own.
  const mine = join(cwd, 'me.json');
  const kept = existsSync(mine) ? `${mine}.${process.pid}.kept` : undefined;
  if (kept) renameSync(mine, kept);

  let script = startBlock!;
  if (!FRESH) {
    // `npm ci` here would delete the node_modules this test runs from; CI ran it on this clone just before.
    installedFromLockfile(cwd);
    t.diagnostic('npm ci: checked that node_modules is this lockfile\'s install (MOAT_QUICKSTART_FRESH=1 runs it in a fresh copy)');
    script = startBlock!.slice(prefix.length);
  }
  let out = '';
  const server = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<string>((resolve) => server.once('exit', (code, signal) => resolve(signal ?? String(code))));
  try {
    await untilLine(server, () => out, /Ctrl-C stops\./);
    assert.match(out, /STAND-IN/);
    assert.match(out, /Summary \(read back/);
    assert.ok(out.includes(`Console:      http://127.0.0.1:${port}/console/`), 'the console URL on the chosen port');
    const credentials = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as { consolePassword: string };
    assert.ok(out.includes(credentials.consolePassword), 'the password printed is the one kept');
    assert.equal((await fetch(`http://127.0.0.1:${port}/console/`)).status, 200);

    const tried: string[] = [];
    for (const block of tryBlocks) {
      const run = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', block], { cwd, env, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, `block failed:\n${block}\n${run.stdout}\n${run.stderr}`);
      tried.push(run.stdout);
    }
    // The try-it block's call went through Moat to the stand-in.
    const answer = JSON.parse(tried.join('').trim().split('\n').at(-1)!) as { object: string; choices: { message: { content: string } }[] };
    assert.equal(answer.object, 'chat.completion');
    assert.match(answer.choices[0]!.message.content, /stand-in/);
  } finally {
    // Ctrl-C reaches the whole foreground group: bash, npm and the gateway.
    process.kill(-server.pid!, 'SIGINT');
    const ended = await exited;
    await groupGone(server.pid!);
    rmSync(mine, { force: true });
    if (kept) renameSync(kept, mine);
    assert.ok(['0', '130', 'SIGINT'].includes(ended), `npm start ended on Ctrl-C (${ended})`);
  }

  // What it printed is what its ledger holds: the replayed requests, then our own call as "me".
  const db = new Database(join(dataDir, 'moat.db'), { readonly: true });
  const rows = db.prepare('SELECT account, COUNT(*) AS n FROM requests GROUP BY account = ?').all('me') as { account: string; n: number }[];
  db.close();
  const replayed = Number(/requests replayed\s+([\d,]+)/.exec(out)![1]!.replaceAll(',', ''));
  assert.deepEqual(rows.map((r) => [r.account === 'me', r.n]).sort(), [[false, replayed], [true, 1]].sort());
  rmSync(dataDir, { recursive: true, force: true });
  if (FRESH) rmSync(cwd, { recursive: true, force: true });
});

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { recordRow } from './record-row.js';

/** The F1-F12 regression tests and the short fuzz, as `npm test` runs them: `npm run reliability:short`. */
const files = readdirSync('test/hardening').filter((f) => f.endsWith('.test.ts')).map((f) => `test/hardening/${f}`);
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)`, 'm').exec(run.stdout)?.[1] ?? 0);
const titles = [...run.stdout.matchAll(/^ {4}(?:not )?ok \d+ - (F\d+)\b/gm)].map((m) => m[1]!);
const covered = [...new Set(titles)].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
const fuzz = /# seed (\d+): (\d+) requests in ([\d.]+) s, statuses (\{[^}]*\}), RSS (\d+) -> max (\d+) MB/.exec(run.stdout);
process.stdout.write(run.stdout.split('\n').filter((l) => /^(not ok|# (pass|fail))/.test(l.trim())).join('\n') + '\n');
recordRow({
  test: 'Regression tests F1-F12 and the short fuzz',
  command: 'npm run reliability:short',
  load: `${files.length} files, ${count('tests')} tests${fuzz ? `; fuzz: ${fuzz[2]} requests (seed ${fuzz[1]}) in ${fuzz[3]} s` : ''}`,
  faults: 'each F1-F12 reproduction from issue 11; kill -9 and SIGTERM under mixed load',
  result: `${count('pass')} passed, ${count('fail')} failed; issues covered: ${covered.join(', ')}${fuzz ? `; fuzz statuses ${fuzz[4]}, RSS ${fuzz[5]} → max ${fuzz[6]} MB` : ''}`,
  pass: run.status === 0 && count('fail') === 0 && covered.length === 12,
});
process.exit(run.status ?? 1);

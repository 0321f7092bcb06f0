import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

// `npm test` names the test folders one by one (those without services run two files at a time,
// the rest one at a time): a new folder left out of it would never run, in CI or anywhere.
test('npm test runs every folder of tests once', () => {
  const root = new URL('../', import.meta.url).pathname;
  const command = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.test!;
  const named = [...command.matchAll(/test\/(?:(\w[\w-]*)\/)?\*\.test\.ts/g)].map((m) => m[1] ?? '.');
  const folders = readdirSync(`${root}test`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(`${root}test/${entry.name}`).some((name) => name.endsWith('.test.ts')))
    .map((entry) => entry.name);
  assert.deepEqual([...named].sort(), ['.', ...folders].sort());
});

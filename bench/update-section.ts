import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces one `## heading` section of BENCHMARKS.md with the text on stdin (or adds it),
 * leaving the sections other benchmarks wrote as they are.
 *   npx tsx bench/update-section.ts "Gateway overhead (gwbench)" < table.md
 */
const [heading] = process.argv.slice(2);
if (!heading) throw new Error('usage: update-section.ts HEADING < body.md');
const file = 'BENCHMARKS.md';
const body = readFileSync(0, 'utf8').trim();
const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench`; each section names its command, date and machine.\n';
const title = `## ${heading}`;
const start = current.indexOf(`\n${title}\n`);
const section = `${title}\n\n${body}\n`;
let next: string;
if (start < 0) {
  next = `${current.trimEnd()}\n\n${section}`;
} else {
  const after = current.indexOf('\n## ', start + title.length + 1);
  next = current.slice(0, start + 1) + section + (after < 0 ? '' : `\n${current.slice(after + 1)}`);
}
writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);

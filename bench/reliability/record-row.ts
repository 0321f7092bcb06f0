import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface Row {
  test: string;
  command: string;
  load: string;
  faults: string;
  result: string;
  pass: boolean;
}

const FILE = 'RELIABILITY.md';
const HEADER = '| test | command | load | faults | result | pass | run |\n|---|---|---|---|---|---|---|';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Writes one test's row into the table of RELIABILITY.md (replacing its earlier row, keeping
 * everyone else's), so each row is exactly what its script last measured.
 */
export function recordRow(row: Row): void {
  const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const line = `| ${cell(row.test)} | \`${cell(row.command)}\` | ${cell(row.load)} | ${cell(row.faults)} | ${cell(row.result)} | ${row.pass ? 'yes' : '**no**'} | ${new Date().toISOString().slice(0, 16)}Z, ${machine} |`;
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : `# Reliability\n\n${HEADER}\n`;
  const lines = current.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`| ${cell(row.test)} |`));
  if (at >= 0) lines[at] = line;
  else {
    // After the last row of the table.
    let end = lines.findIndex((l) => l.startsWith('|---'));
    while (end + 1 < lines.length && lines[end + 1]!.startsWith('|')) end++;
    lines.splice(end + 1, 0, line);
  }
  writeFileSync(FILE, lines.join('\n'));
  process.stdout.write(`${line}\n`);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Measures, in a traffic set's answers, what src/provenance/pair-table.ts and
 * context-couples.ts hold: each pair's first-member share, and each pair's frequent contexts
 * (the word before it) coupled two by two in order of frequency.
 *   npx tsx bench/provenance/weights.ts ../shared/data/traffic/dev-v1
 * Shares are smoothed (one use of each member added) and kept within [0.02, 0.98], so a pair
 * never seen in the set still gets a usable share.
 */
import { writeFileSync } from 'node:fs';
import { observe } from '../../src/provenance/detector.js';
import { PAIRS } from '../../src/provenance/lexicon.js';
import { responseTexts } from '../../src/provenance/response-texts.js';

const dir = process.argv[2] ?? '../shared/data/traffic/dev-v1';
const MIN_CONTEXT = 5;
const MAX_CONTEXTS = 80;

/**
 * Frequent contexts, heaviest first, into units of two teams of about equal weight: the
 * heaviest context left on one team, the next ones on the other until they weigh as much.
 */
function balancedUnits(frequent: [string, number][]): string[][][] {
  const units: string[][][] = [];
  let at = 0;
  while (at + 1 < frequent.length) {
    const [head, weight] = frequent[at++]!;
    const team: string[] = [];
    let teamWeight = 0;
    while (at < frequent.length && teamWeight < 0.9 * weight) {
      const [word, n] = frequent[at++]!;
      team.push(word);
      teamWeight += n;
    }
    units.push([[head], team]);
  }
  return units;
}
const counts = PAIRS.map(() => [0, 0]);
const contexts = PAIRS.map(() => new Map<string, number>());
for (const text of await responseTexts(dir)) {
  for (const site of observe(text)) {
    counts[site.pair.id]![site.member]!++;
    const seen = contexts[site.pair.id]!;
    seen.set(site.previous, (seen.get(site.previous) ?? 0) + 1);
  }
}
const table: string[] = [];
const couples: string[] = [];
for (const pair of PAIRS) {
  const [first, second] = counts[pair.id] as [number, number];
  const share = Math.min(0.98, Math.max(0.02, (first + 1) / (first + second + 2)));
  table.push(`${pair.members.map((member) => member.replace(/ /g, '_')).join(' ')} ${share.toFixed(2)}${pair.verbOnly ? ' verb' : pair.beContraction ? ' be' : ''}`);
  const frequent = [...contexts[pair.id]!].filter(([, n]) => n >= MIN_CONTEXT).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const units = balancedUnits(frequent.slice(0, MAX_CONTEXTS));
  if (units.length > 0) couples.push(`${pair.members[0].replace(/ /g, '_')} ${units.map((unit) => unit.map((team) => team.map((word) => word || '^').join(' ')).join(' / ')).join(' ; ')}`);
}
const replaceTable = async (file: string, name: string, rows: string[]) => {
  const path = new URL(`../../src/provenance/${file}`, import.meta.url);
  const source = (await import('node:fs')).readFileSync(path, 'utf8');
  writeFileSync(path, source.replace(new RegExp(`(export const ${name} = \`\\n)[\\s\\S]*?(\\n\`;)`), `$1${rows.join('\n')}$2`));
};
await replaceTable('pair-table.ts', 'PAIR_TABLE', table);
await replaceTable('context-couples.ts', 'COUPLE_TABLE', couples);
process.stdout.write(`${PAIRS.length} pairs, ${counts.reduce((sum, [a, b]) => sum + a! + b!, 0)} sites, ${couples.length} pairs with coupled contexts\n`);

/**
 * Measures each pair's first-member share in a traffic set's answers, for src/provenance/pair-table.ts.
 *   npx tsx bench/provenance/weights.ts ../shared/data/traffic/dev-v1 > /tmp/table.txt
 * Shares are smoothed (one use of each member added) and kept within [0.02, 0.98], so a pair
 * never seen in the set still gets a usable share.
 */
import { observe } from '../../src/provenance/detector.js';
import { PAIRS } from '../../src/provenance/lexicon.js';
import { responseTexts } from '../../src/provenance/response-texts.js';

const dir = process.argv[2] ?? '../shared/data/traffic/dev-v1';
const counts = PAIRS.map(() => [0, 0]);
for (const text of await responseTexts(dir)) for (const site of observe(text)) counts[site.pair.id]![site.member]!++;
for (const pair of PAIRS) {
  const [first, second] = counts[pair.id]!;
  const share = Math.min(0.98, Math.max(0.02, (first! + 1) / (first! + second! + 2)));
  process.stdout.write(`${pair.members[0]} ${pair.members[1]} ${share.toFixed(2)}${pair.verbOnly ? ' verb' : ''}\t# ${first} ${second}\n`);
}

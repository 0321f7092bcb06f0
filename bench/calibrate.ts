/**
 * Fits detection's calibration on the labelled sets' benign accounts and writes it into
 * src/detect/calibration-table.ts (the built-in calibration), then prints what it rests on.
 *   npx tsx bench/calibrate.ts [set dir ...]     (default: ../shared/data/traffic/dev-v1 and dev-v2)
 * Benign traffic alone: extraction accounts are never read. Run it after changing a signal.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Calibration } from '../src/detect/calibration.js';
import { calibrate } from '../src/eval/calibrate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const given = process.argv.slice(2);
const dirs = given.length > 0 ? given : ['dev-v1', 'dev-v2'].map((name) => path.resolve(root, '..', 'shared', 'data', 'traffic', name));

const fit = await calibrate(dirs);
const rounded = { raws: fit.points.raws.map((r) => Number(r.toFixed(4))), tails: fit.points.tails.map((t) => Number(t.toPrecision(3))) };
const source = `import type { CalibrationPoints } from './calibration.js';

/**
 * Written by \`npx tsx bench/calibrate.ts\` from the benign accounts of ${dirs.map((d) => path.basename(d)).join(', ')}
 * (${Object.entries(fit.kinds).map(([kind, n]) => `${n} ${kind}`).join(', ')}): raw evidence levels and the
 * estimated share of legitimate accounts of the most exposed kind reaching each.
 */
export const CALIBRATION_POINTS: CalibrationPoints = ${JSON.stringify(rounded)};
`;
writeFileSync(path.join(root, 'src/detect/calibration-table.ts'), source);
const calibration = new Calibration(rounded, 0.005);
process.stdout.write(`calibration from ${Object.values(fit.kinds).reduce((a, b) => a + b, 0)} benign accounts; flag at raw evidence ${calibration.rawThreshold().toFixed(3)} for a 0.5% target\n`);

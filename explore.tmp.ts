import { createEngine } from './src/detect/index.js';
import { replay } from './src/detect/replay.js';
import { openTrafficSet, readLabels } from './src/traffic/traffic-set.js';
for (const dir of process.argv.slice(2)) {
  const engine = createEngine({});
  const { requests } = await replay(dir, engine);
  const labels = new Map((await readLabels(openTrafficSet(dir))).map((l) => [l.account, l.label]));
  const flagged = engine.verdicts().filter((v) => v.flagged);
  const tp = flagged.filter((v) => labels.get(v.account) === 'extraction').length;
  const camps = engine.campaigns();
  const ext = [...labels.values()].filter((l) => l === 'extraction').length;
  console.log(dir, { requests, accounts: labels.size, ext, flagged: flagged.length, tp, groups: camps.length, campaigns: camps.filter((c) => c.flagged).length, sizes: camps.filter((c) => c.flagged).map((c) => c.members.length) });
}

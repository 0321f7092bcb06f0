// Two builds of the engine compared on one machine at one time: both loaded into one process and
// replayed alternately, so load from other jobs falls on both alike (CPU time of separate runs on
// this shared two-core machine wanders by 10% and more).
// Usage: node bench/analyze-pair.mjs SET_DIR ROUNDS OLD_ROOT NEW_ROOT   (each root holding a built dist/)
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, rounds, ...roots] = process.argv.slice(2);
if (!dir || !rounds || roots.length !== 2) throw new Error('usage: node bench/analyze-pair.mjs SET_DIR ROUNDS OLD_ROOT NEW_ROOT');
const builds = await Promise.all(roots.map((root) => import(pathToFileURL(path.resolve(root, 'dist/detect/index.js')).href)));
const ratios = [];
for (let round = 1; round <= Number(rounds); round++) {
  const seconds = [];
  for (const build of builds) {
    const start = process.cpuUsage();
    await build.replay(dir, build.createEngine());
    const used = process.cpuUsage(start);
    seconds.push((used.user + used.system) / 1e6);
  }
  ratios.push(seconds[1] / seconds[0]);
  console.log(`round ${round}: old ${seconds[0].toFixed(2)} s, new ${seconds[1].toFixed(2)} s of CPU, new/old ${(seconds[1] / seconds[0]).toFixed(3)}`);
}
ratios.sort((a, b) => a - b);
console.log(`median new/old ${ratios[ratios.length >> 1].toFixed(3)}`);

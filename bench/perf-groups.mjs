// CPU per request by where it goes, from `perf script` of a run of bench/cpu-per-request.sh
// (PERF=1). perf samples only what is on a CPU, so unlike `node --cpu-prof` (wall-clock samples
// of one thread) a loaded machine's waits do not show up as the cost of a system call. Each
// sample goes to its thread (the bookkeeping worker, V8's background threads), else to the module of
// the innermost JavaScript frame on its stack.
//
//   perf script -i RUN/perf.data | node bench/perf-groups.mjs REQUESTS [HZ]
import { readFileSync } from 'node:fs';

const requests = Number(process.argv[2]);
const hz = Number(process.argv[3] ?? 1999);
if (!(requests > 0)) throw new Error('usage: perf script -i perf.data | node bench/perf-groups.mjs REQUESTS [HZ]');

function group(thread, module, kernel, gc) {
  if (thread === 'worker') return 'bookkeeping worker thread (SQLite inserts, journal fsync, detection engine)';
  if (thread === 'v8') return 'V8 background threads (GC, JIT compiler)';
  if (gc) return 'main: garbage collector';
  if (!module) return kernel ? 'main: kernel (sockets, files) outside any JS frame' : 'main: V8/Node native outside any JS frame';
  if (/dist\/detect\/|detection-tap|verdict-mirror/.test(module)) return 'main: moat detection (verdict mirror; tap + engine on PostgreSQL)';
  if (/dist\/(events|ledger)\//.test(module) || module === 'node:fs') return 'main: moat ledger sink (record line, journal write)';
  if (/dist\/limits\//.test(module)) return 'main: moat limits';
  if (/dist\//.test(module)) return 'main: moat request path (pipeline, proxy, auth, metering, enforcement)';
  if (/undici/.test(module)) return 'main: undici (upstream client)';
  if (/fastify|find-my-way|avvio|pino/.test(module)) return 'main: fastify (+ router, per-request logger)';
  if (/diagnostics_channel|prom-client/.test(module)) return 'main: step timings (diagnostics_channel, prom-client)';
  if (/node:(_http|net|internal\/streams|internal\/stream_base|internal\/http)/.test(module)) return 'main: node:http server and sockets';
  return 'main: other Node internals (timers, promises, events, AbortController, buffers, crypto)';
}

const counts = new Map();
let total = 0;
for (const block of readFileSync(0, 'utf8').split('\n\n')) {
  const lines = block.split('\n').filter(Boolean);
  if (lines.length < 2) continue;
  total++;
  const frames = lines.slice(1).map((line) => line.trim().replace(/^[0-9a-f]+ /, ''));
  const stack = frames.join('\n');
  const thread = stack.includes('node::worker::Worker::Run') ? 'worker' : stack.includes('PlatformWorkerThread') ? 'v8' : 'main';
  const js = frames.find((frame) => frame.includes('JS:'));
  const gc = thread === 'main' && /Scaveng|MarkCompact|Heap::CollectGarbage|IncrementalMarking/.test(stack) && !frames.slice(0, 3).some((f) => f.includes('JS:'));
  const where = js?.replace(/.*JS:\S* ?/, '');
  const match = where?.match(/(dist\/[a-z-]+\/[a-z-]+)\.js|node_modules\/((@[^/]+\/)?[^/]+)|(node:[a-z_/]+)/);
  const key = group(thread, match ? (match[1] ?? match[2] ?? match[4]) : where, frames[0].includes('kernel'), gc);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const us = (samples) => ((samples / hz) * 1e6) / requests;
console.log(`${total} samples at ${hz} Hz over ${requests} requests: ${us(total).toFixed(0)} µs CPU per request\n`);
console.log('| where | µs per request | share |\n|---|--:|--:|');
for (const [key, samples] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`| ${key} | ${us(samples).toFixed(1)} | ${((100 * samples) / total).toFixed(1)} % |`);

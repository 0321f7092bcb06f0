import { parseArgs } from 'node:util';
import { StandInUpstream } from '../../src/upstream/stand-in.js';
import { rssMb } from '../../test/helpers/fuzz/run.js';
import { MODELS } from '../../test/helpers/gateway-fixture.js';
import { mixedLoad } from '../../test/helpers/mixed-load.js';
import { startReliabilityGateway } from '../../test/helpers/reliability-gateway.js';
import { percentile, recordRow } from './record-row.js';

/** The soak (acceptance 4): `npm run reliability:soak [-- --minutes 10 --rate 150]`. */
const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '150' } } });
const minutes = Number(values.minutes);
const rate = Number(values.rate);

const upstream = new StandInUpstream({ models: MODELS, chunkDelayMs: 5 });
const gateway = await startReliabilityGateway({ upstreamUrl: await upstream.listen() });
const pid = gateway.child.pid!;
const samples: { atS: number; rss: number }[] = [];
const began = performance.now();
const sampler = setInterval(() => samples.push({ atS: (performance.now() - began) / 1000, rss: rssMb(pid) }), 5_000);
const endAt = began + minutes * 60_000;
const load = await mixedLoad({ url: gateway.url, secret: gateway.ctx.secret, concurrency: 64, maxRequests: Number.MAX_SAFE_INTEGER, ratePerSecond: rate, stop: () => performance.now() >= endAt });
clearInterval(sampler);
const seconds = (performance.now() - began) / 1000;
const code = await gateway.stop();
const ledger = await gateway.ledgerIds();
await upstream.close();
gateway.remove();

// Growth after the first minute's warm-up (allocator and JIT settling): least-squares slope of RSS over time.
const steady = samples.filter((s) => s.atS >= 60);
const meanT = steady.reduce((a, s) => a + s.atS, 0) / steady.length;
const meanR = steady.reduce((a, s) => a + s.rss, 0) / steady.length;
const slope = steady.reduce((a, s) => a + (s.atS - meanT) * (s.rss - meanR), 0) / steady.reduce((a, s) => a + (s.atS - meanT) ** 2, 0);
const atOneMinute = steady[0]?.rss ?? 0;
const last = samples[samples.length - 1]?.rss ?? 0;
const max = Math.max(...samples.map((s) => s.rss));
const missing = [...load.answered].filter((id) => !ledger.has(id)).length;
const fivexx = [...load.statuses].filter(([status]) => status >= 500).reduce((a, [, n]) => a + n, 0);
const p = (q: number) => percentile(load.latenciesMs, q).toFixed(0);
recordRow({
  test: `Soak, ${minutes} minutes`,
  command: `npm run reliability:soak -- --minutes ${minutes} --rate ${rate}`,
  load: `${rate} requests/s steady (chat, completions, embeddings, responses; a third streamed, 5 ms between events) for ${seconds.toFixed(0)} s: ${load.issued} requests`,
  faults: 'none (steady state)',
  result: `latency p50 ${p(50)} ms, p99 ${p(99)} ms, max ${p(100)} ms; RSS ${atOneMinute.toFixed(0)} MB at 1 min → ${last.toFixed(0)} MB at end (max ${max.toFixed(0)}), growth ${(slope * 60).toFixed(2)} MB/min after warm-up; ${fivexx} 5xx, ${load.networkErrors} network errors; answered ${load.answered.size}, ${missing} missing from the ledger; SIGTERM exit ${code}`,
  pass: fivexx === 0 && load.networkErrors === 0 && missing === 0 && code === 0 && last < 2 * atOneMinute,
});

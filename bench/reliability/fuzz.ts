import { parseArgs } from 'node:util';
import { StandInUpstream } from '../../src/upstream/stand-in.js';
import { runFuzz } from '../../test/helpers/fuzz/run.js';
import { MODELS } from '../../test/helpers/gateway-fixture.js';
import { startReliabilityGateway } from '../../test/helpers/reliability-gateway.js';
import { recordRow } from './record-row.js';

/** The full fuzz (acceptance 2): `npm run reliability:fuzz [-- --count N --seed S]`. */
const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, seed: { type: 'string', default: '20261201' }, concurrency: { type: 'string', default: '12' } } });
const count = Number(values.count);
const seed = Number(values.seed);

const upstream = new StandInUpstream({ models: MODELS });
const gateway = await startReliabilityGateway({ upstreamUrl: await upstream.listen() });
const report = await runFuzz({
  url: gateway.url,
  pid: gateway.child.pid!,
  ctx: gateway.ctx,
  count,
  seed,
  concurrency: Number(values.concurrency),
  onProgress: (done) => done % 10_000 === 0 && process.stderr.write(`fuzz: ${done} of ${count}\n`),
});
const alive = gateway.child.exitCode === null;
const health = alive ? (await fetch(`${gateway.url}/healthz`)).status : 0;
const exitCode = await gateway.stop();
const ledger = await gateway.ledgerIds();
const missing = report.meteredIds.filter((id) => !ledger.has(id));
await upstream.close();
gateway.remove();

const fivexx = Object.entries(report.statuses).filter(([status]) => Number(status) >= 500).reduce((sum, [, n]) => sum + n, 0);
const pass = report.failureCount === 0 && alive && health === 200 && exitCode === 0 && missing.length === 0;
for (const failure of report.failures) process.stderr.write(`FAIL ${failure}\n`);
recordRow({
  test: 'Fuzz, full',
  command: `npm run reliability:fuzz -- --count ${count} --seed ${seed}`,
  load: `${report.requests} generated requests, ${values.concurrency} concurrent, in ${report.seconds.toFixed(0)} s (inference, admin, console, raw framing, pipelining, slow clients)`,
  faults: 'invalid JSON/UTF-8, wrong types and nulls in every field, nesting to 21,000, 5 MB bodies, odd/duplicate headers, bad URLs',
  result: `${report.failureCount} failures; ${fivexx} 5xx; statuses ${JSON.stringify(report.statuses)}; ${report.meteredIds.length} metered requests, ${missing.length} missing from the ledger; RSS ${report.rssMb.first.toFixed(0)} → max ${report.rssMb.max.toFixed(0)} → end ${report.rssMb.last.toFixed(0)} MB; SIGTERM exit ${exitCode}`,
  pass,
});
process.exit(pass ? 0 : 1);

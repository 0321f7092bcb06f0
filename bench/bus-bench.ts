/**
 * The event bus, measured (issue 13, acceptance 6): usage events per second through NATS
 * JetStream to the ledger (PostgreSQL) and through one or two detector workers to the linkage
 * worker, and the time from a request on one gateway to its verdict on the other.
 *   npx tsx bench/bus-bench.ts [--events N] [--samples N] [--parity]
 * --parity also replays the whole of dev-v1 through two gateways (openai client, half the accounts
 * each, interleaved) with two detector workers, and compares detection with one process's.
 * Prints a markdown section (bench/run.sh writes it into BENCHMARKS.md).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'nats';
import OpenAI from 'openai';
import { pino } from 'pino';
import { parseConfig } from '../src/config/load.js';
import { NatsEventSink } from '../src/events/nats-sink.js';
import { toLedgerRecord, type LedgerRecord } from '../src/ledger/record.js';
import { startRoles } from '../src/workers/roles.js';
import { BusCluster, loadSlice } from '../test/helpers/bus-cluster.js';
import { DEV_SET } from '../test/helpers/dev-set.js';
import { engineState, publishedState } from '../test/helpers/detection-state.js';
import { createEngine, replay } from '../src/detect/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const EVENTS = flag('--events', 20_000);
const SAMPLES = flag('--samples', 20);
const logger = pino({ level: 'warn' });
const progress = (text: string) => process.stderr.write(`[bus-bench] ${text}\n`);

const slice = await loadSlice(DEV_SET);
const records: LedgerRecord[] = slice.requests.slice(0, EVENTS).map(toLedgerRecord);

/** CPU time (user + system, ms) a process has used so far: on a shared machine the work, apart from the waiting. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  // Fields after the command name (which is in parentheses and may hold spaces); utime and stime are the 14th and 15th, in clock ticks (100/s).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Publishes the records as one gateway would (journal, watermarks) and times until ledger and detection hold them all. */
async function throughput(detectors: number): Promise<{ publishMs: number; ledgerMs: number; detectionMs: number; cpu: Record<'ledger' | 'detector' | 'linkage', number>; redeliveries: number }> {
  const cluster = new BusCluster({ requests: [], accounts: slice.accounts }, { gateways: 0, detectors, publishTimeoutMs: 10_000 });
  const nc = await connect({ servers: cluster.natsUrl });
  try {
    await cluster.start();
    progress(`cluster up with ${detectors} detector worker(s); publishing ${records.length} events`);
    const sink = new NatsEventSink({ nc, names: cluster.names, gatewayId: `bench-${randomBytes(3).toString('hex')}`, localDir: cluster.dir, publishTimeoutMs: 5_000, watermarkIntervalMs: 200, oldestInFlight: () => Number.POSITIVE_INFINITY, replayClock: true, logger });
    const cpuOf = (role: 'ledger' | 'detector' | 'linkage') => cluster.of(role).reduce((sum, p) => sum + cpuMs(p.child.pid), 0);
    const cpuBefore = { ledger: cpuOf('ledger'), detector: cpuOf('detector'), linkage: cpuOf('linkage') };
    const start = Date.now();
    for (const record of records) sink.publish(record);
    await sink.flush();
    const publishMs = Date.now() - start;
    progress(`published in ${publishMs} ms`);
    let ledgerMs = 0;
    let detectionMs = 0;
    const linkage = cluster.of('linkage')[0]!;
    await sink.close(); // its last watermark: detection releases everything
    while (ledgerMs === 0 || detectionMs === 0) {
      if (ledgerMs === 0 && (await cluster.ledgerRows()) >= records.length) ledgerMs = Date.now() - start;
      if (detectionMs === 0 && (await cluster.metric(linkage, 'moat_linkage_observed')) >= records.length && (await cluster.metric(linkage, 'moat_linkage_buffered')) === 0) detectionMs = Date.now() - start;
      await sleep(100);
      if ((Date.now() - start) % 10_000 < 100) progress(`ledger ${await cluster.ledgerRows()}, detection ${await cluster.metric(linkage, 'moat_linkage_observed')} (${await cluster.metric(linkage, 'moat_linkage_buffered')} held)`);
    }
    const cpu = { ledger: cpuOf('ledger') - cpuBefore.ledger, detector: cpuOf('detector') - cpuBefore.detector, linkage: cpuOf('linkage') - cpuBefore.linkage };
    // Records a consumer was handed again: none expected, every batch acknowledged within its ack wait.
    let redeliveries = 0;
    for (const role of ['ledger', 'detector'] as const) for (const p of cluster.of(role)) redeliveries += await cluster.metric(p, `moat_events_${role}_redeliveries`);
    return { publishMs, ledgerMs, detectionMs, cpu, redeliveries };
  } finally {
    await nc.close();
    await cluster.close();
  }
}

/** Two gateways (in this process), a request on the first, the time until the second holds its verdict. */
async function verdictLatency(): Promise<number[]> {
  const cluster = new BusCluster({ requests: [], accounts: slice.accounts }, { gateways: 0, detectors: 2, publishTimeoutMs: 10_000 });
  await cluster.start().catch(async (error: unknown) => {
    await cluster.close();
    throw error;
  });
  const base = JSON.parse(readFileSync(cluster.configPath, 'utf8')) as Record<string, unknown>;
  const start = (i: number) => startRoles(parseConfig({ ...base, server: { port: 0 }, replayClock: false, ops: {}, events: { ...(base.events as object), localDir: `${cluster.dir}/g${i}` } }, {}), 'gateway', { logger });
  // The stand-in answers anything: the bench needs no recorded answers.
  const { StandInUpstream } = await import('../src/upstream/stand-in.js');
  const upstream = new StandInUpstream({ models: ['gpt-4o-mini'] });
  const upstreamUrl = await upstream.listen();
  (base as { upstreams: unknown }).upstreams = [{ name: 'stand-in', baseUrl: upstreamUrl, models: ['gpt-4o-mini'] }];
  const a = await start(0);
  const b = await start(1);
  const samples: number[] = [];
  try {
    const account = slice.accounts[0]!.account;
    const client = new OpenAI({ baseURL: `${a.gateway!.url}/v1`, apiKey: cluster.secretOf(account), maxRetries: 0 });
    for (let i = 1; i <= SAMPLES; i++) {
      const sent = performance.now();
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `sample ${i}: what is the capital of France?` }] });
      while ((b.verdicts!.assessment(account)?.requests ?? 0) < i) await sleep(5);
      samples.push(performance.now() - sent);
      progress(`verdict sample ${i}: ${Math.round(samples.at(-1)!)} ms`);
      await sleep(300);
    }
  } finally {
    await a.close();
    await b.close();
    await upstream.close();
    await cluster.close();
  }
  return samples.sort((x, y) => x - y);
}

/** The whole set through the topology; the detection state against one process's (`moat analyze`, equal to the live gateway's). */
async function parity(): Promise<string> {
  const offline = createEngine();
  await replay(DEV_SET, offline);
  const active = (state: ReturnType<typeof engineState>) => ({ ...state, accounts: state.accounts.filter((a) => a.requests > 0) });
  const expected = active(engineState(offline));
  const cluster = new BusCluster(slice, { gateways: 2, detectors: 2, publishTimeoutMs: 10_000 });
  const started = Date.now();
  try {
    await cluster.start();
    const outcome = await cluster.replay({ concurrency: 16, onAnswer: undefined });
    await cluster.stopGateways();
    await cluster.settled(outcome.sent, outcome.sent, 3_600_000);
    const got = active(publishedState(await cluster.verdicts()));
    const differing = expected.accounts.filter((a, i) => JSON.stringify(a) !== JSON.stringify(got.accounts[i])).length;
    const groupsEqual = JSON.stringify(got.groups) === JSON.stringify(expected.groups);
    const flagged = expected.accounts.filter((a) => a.flagged).length;
    return `Whole dev-v1 (${outcome.sent.toLocaleString('en')} requests, ledger ${(await cluster.ledgerRows()).toLocaleString('en')} rows) through two gateways and two detector workers in ${Math.round((Date.now() - started) / 1000)} s: ${differing === 0 && groupsEqual && got.accounts.length === expected.accounts.length ? 'detection state equal to one process' : `DIFFERS from one process (${differing} accounts, groups ${groupsEqual ? 'equal' : 'differ'})`} (${flagged} flagged accounts, ${expected.groups.filter((g) => g.flagged).length} campaigns, ${expected.groups.length} linked groups).`;
  } finally {
    await cluster.close();
  }
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const rows: string[] = [];
for (const detectors of [1, 2]) {
  const before = load();
  const { publishMs, ledgerMs, detectionMs, cpu, redeliveries } = await throughput(detectors);
  const rate = (ms: number) => Math.round((records.length / ms) * 1000).toLocaleString('en');
  // Events per CPU-second of the stage's processes: what the stage would sustain on a core of its own.
  const perCpu = (ms: number) => (ms === 0 ? 'n/a' : Math.round((records.length / ms) * 1000).toLocaleString('en'));
  progress(`${detectors} detector(s): published ${rate(publishMs)}/s, ledger ${rate(ledgerMs)}/s, detection ${rate(detectionMs)}/s; CPU ms ledger ${cpu.ledger}, detectors ${cpu.detector}, linkage ${cpu.linkage}; redeliveries ${redeliveries}`);
  rows.push(`| ${detectors} | ${records.length.toLocaleString('en')} | ${rate(publishMs)} | ${rate(ledgerMs)} | ${rate(detectionMs)} | ${perCpu(cpu.ledger)} | ${perCpu(cpu.detector)} | ${perCpu(cpu.linkage)} | ${redeliveries} | ${before} |`);
}
const parityLine = args.includes('--parity') ? `\n\n${await parity()} Load average at the end: ${load()}.` : '';
const latencyLoad = load();
const latency = await verdictLatency();
const pct = (p: number) => Math.round(latency[Math.min(latency.length - 1, Math.floor(p * latency.length))]!);
console.log(`Events: the first ${records.length.toLocaleString('en')} requests of dev-v1 as ledger records, published by one in-process gateway sink (journal on, watermarks every 200 ms) to JetStream (the machine's nats-server 2.9), with one ledger writer (PostgreSQL), N detector workers and the linkage worker as separate \`moat serve --role\` processes (8 partitions). Each rate is events over the time from the first publish until that stage held them all; the CPU columns are events over the CPU time (user + system, from /proc) the stage's processes used meanwhile, which a loaded machine does not inflate.

| detector workers | events | published/s | in ledger/s | through detection/s | ledger writer, events/CPU-s | detector workers, events/CPU-s | linkage worker, events/CPU-s | redeliveries | load average at start |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Verdict propagation: a request on gateway A (openai client, wall clock), until gateway B's verdict feed holds the account's assessment counting it (two gateways in one process, two detector workers, the linkage worker pushing verdicts over core NATS; watermark and drain interval 200 ms): ${latency.length} samples, p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${Math.round(latency.at(-1)!)} ms. Load average at start: ${latencyLoad}.${parityLine}`);

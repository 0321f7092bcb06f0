import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { connect, type NatsConnection } from 'nats';
import { KeyService } from '../../src/auth/key-service.js';
import { BusNames } from '../../src/events/bus.js';
import type { VerdictUpdate } from '../../src/events/verdict-feed.js';
import { RecordedAnswers } from '../../src/replay/recorded-answers.js';
import { replayThroughGateway, type ReplayOutcome } from '../../src/replay/replay-client.js';
import { parseConfig } from '../../src/config/load.js';
import { openStore } from '../../src/store/open-store.js';
import { openTrafficSet, readAccounts, readRequests } from '../../src/traffic/traffic-set.js';
import type { AccountRecord, TrafficRequest } from '../../src/traffic/types.js';
import { StandInUpstream } from '../../src/upstream/stand-in.js';
import { temporaryDatabase } from './services.js';

const ROOT = new URL('../../', import.meta.url).pathname;
export const MACHINE_NATS = process.env.MOAT_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const ADMIN_TOKEN = 'admin-token-for-bus-tests-0123456789';

export type RoleName = 'gateway' | 'ledger' | 'detector' | 'linkage';

export interface RoleProcess {
  role: RoleName;
  args: string[];
  child: ChildProcess;
  ops: string;
  /** The API URL (gateways only; a fixed port, so a restarted gateway keeps it). */
  url: string | undefined;
}

export interface ClusterOptions {
  natsUrl?: string;
  gateways?: number;
  detectors?: number;
  partitions?: number;
  /** How long a publisher waits for JetStream's acknowledgement (short in tests, so an outage spools at once). */
  publishTimeoutMs?: number;
}

/** Requests of a traffic set before `untilMs` (all of them without), and its accounts. */
export async function loadSlice(dir: string, untilMs = Number.POSITIVE_INFINITY): Promise<{ requests: TrafficRequest[]; accounts: AccountRecord[] }> {
  const set = openTrafficSet(dir);
  const requests: TrafficRequest[] = [];
  for await (const request of readRequests(set)) {
    if (Date.parse(request.ts) >= untilMs) break;
    requests.push(request);
  }
  return { requests, accounts: await readAccounts(set) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The scale-out topology as separate `moat serve --role` processes on one machine: gateways,
 * detector workers, one ledger writer and the linkage worker, sharing one PostgreSQL database
 * (of their own, dropped afterwards) and one NATS, under stream and subject names of their own,
 * in front of an upstream answering with the recorded responses.
 */
export class BusCluster {
  readonly names: BusNames;
  readonly dir = mkdtempSync(join(tmpdir(), 'moat-bus-'));
  private database: { url: string; drop(): Promise<void> } | undefined;
  readonly processes: RoleProcess[] = [];
  private upstream: StandInUpstream | undefined;
  private nc: NatsConnection | undefined;
  private secrets = new Map<string, string>();
  private gatewayUrls: string[] = [];

  constructor(
    readonly slice: { requests: TrafficRequest[]; accounts: AccountRecord[] },
    readonly options: ClusterOptions = {},
  ) {
    this.names = new BusNames(`moat_t_${randomBytes(5).toString('hex')}`, options.partitions ?? 8);
  }

  secretOf(account: string): string {
    return this.secrets.get(account)!;
  }

  get configPath(): string {
    return join(this.dir, 'moat.json');
  }

  get natsUrl(): string {
    return this.options.natsUrl ?? MACHINE_NATS;
  }

  async start(): Promise<void> {
    const answers = new RecordedAnswers();
    const models = new Set<string>();
    for (const request of this.slice.requests) {
      answers.add(request);
      if (typeof request.request.model === 'string') models.add(request.request.model);
    }
    if (models.size === 0) models.add('*');
    this.upstream = new StandInUpstream({ models: [...models], answers: answers.source });
    const upstreamUrl = await this.upstream.listen();
    this.database = await temporaryDatabase('bus');
    const storeConfig = { driver: 'postgres', url: this.database.url };
    // Accounts and keys before any process opens the store (as `moat accounts create` would).
    const store = await openStore(parseConfig({ store: storeConfig }, {}).store);
    const keys = new KeyService(store);
    for (const account of this.slice.accounts) {
      await keys.upsertAccount(account);
      this.secrets.set(account.account, (await keys.createKey(account.account, 'replay')).secret);
    }
    await store.close();
    const tiers = Object.fromEntries([...new Set(this.slice.accounts.map((a) => a.tier))].map((tier) => [tier, { models: ['*'] }]));
    const config = {
        server: { trustProxy: true },
        admin: { token: ADMIN_TOKEN },
        store: storeConfig,
        upstreams: [{ name: 'recorded', baseUrl: upstreamUrl, models: [...models] }],
        tiers,
        replayClock: true,
        // Detection's equality with one process is on detection alone: actions would refuse requests at moments that differ by run.
        enforcement: { enabled: false },
        // Every local file (quarantine, journals) in the run's folder, not the working directory.
        ledger: { localDir: this.dir },
        events: { nats: { servers: [this.natsUrl], name: this.names.name, partitions: this.names.partitions, publishTimeoutMs: this.options.publishTimeoutMs ?? 1_000 }, gatewayTimeoutMs: 5_000, localDir: this.dir },
        ops: { port: 0 },
    };
    writeFileSync(join(this.dir, 'moat.json'), JSON.stringify(config));
    this.nc = await connect({ servers: this.natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    await this.spawn('linkage', []);
    await this.spawn('ledger', []);
    const detectors = this.options.detectors ?? 2;
    for (let i = 0; i < detectors; i++) await this.spawn('detector', ['--worker', String(i), '--workers', String(detectors)]);
    await this.startGateways(this.options.gateways ?? 2);
  }

  private async startGateways(count: number): Promise<void> {
    const config = JSON.parse(readFileSync(this.configPath, 'utf8')) as { events: object };
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      // Each gateway has its own journal and spool, kept across its restarts.
      const localDir = join(this.dir, `gateway-${i}`);
      mkdirSync(localDir);
      writeFileSync(join(localDir, 'moat.json'), JSON.stringify({ ...config, events: { ...config.events, localDir } }));
      const gateway = await this.spawn('gateway', ['-c', join(localDir, 'moat.json'), '--port', String(port)]);
      this.gatewayUrls.push(gateway.url!);
    }
  }

  /** One role process; resolves once it has started (its ops URL logged). */
  async spawn(role: RoleName, extra: string[]): Promise<RoleProcess> {
    const config = extra.includes('-c') ? [] : ['-c', join(this.dir, 'moat.json')];
    const args = ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...config, '--role', role, ...extra];
    const port = extra.includes('--port') ? extra[extra.indexOf('--port') + 1] : undefined;
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, MOAT_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const ops = await announced(child);
    const started: RoleProcess = { role, args: extra, child, ops, url: port && `http://127.0.0.1:${port}` };
    this.processes.push(started);
    return started;
  }

  /** SIGKILL, then the same role started again with the same arguments (and local folder). */
  async kill(process: RoleProcess): Promise<void> {
    process.child.kill('SIGKILL');
    await onceExited(process.child);
    this.processes.splice(this.processes.indexOf(process), 1);
  }

  async restart(process: RoleProcess): Promise<RoleProcess> {
    return this.spawn(process.role, process.args);
  }

  of(role: RoleName): RoleProcess[] {
    return this.processes.filter((p) => p.role === role);
  }

  /**
   * The slice through the `openai` client, in recorded order, the accounts split between the
   * gateways (every other account to the next), so their traffic interleaves on the bus.
   */
  async replay(options: { concurrency?: number; onAnswer?: (recorded: TrafficRequest, status: number) => void; requests?: AsyncIterable<TrafficRequest> } = {}): Promise<ReplayOutcome> {
    const index = new Map(this.slice.accounts.map((account, i) => [account.account, i]));
    const urls = this.gatewayUrls;
    const source =
      options.requests ??
      (async function* (requests: TrafficRequest[]) {
        yield* requests;
      })(this.slice.requests);
    return replayThroughGateway(
      { url: urls[0]!, adminToken: ADMIN_TOKEN, concurrency: options.concurrency ?? 8, urlFor: (account) => urls[(index.get(account) ?? 0) % urls.length]!, onAnswer: options.onAnswer },
      this.secrets,
      source,
    );
  }

  private async query<R extends pg.QueryResultRow>(sql: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.database!.url });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  async ledgerRows(): Promise<number> {
    return Number((await this.query<{ n: string }>('SELECT count(*) AS n FROM requests'))[0]!.n);
  }

  async ledgerKeys(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const row of await this.query<{ account: string; ts: string }>('SELECT account, ts FROM requests')) {
      const key = `${row.account} ${row.ts}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /** A metric from one process's /metrics (0 when absent). */
  async metric(process: RoleProcess, name: string): Promise<number> {
    const text = await (await fetch(`${process.ops}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : 0;
  }

  /** Waits until the linkage worker has taken `expected` requests and released them all, and the ledger holds `rows`. */
  async settled(expected: number, rows = expected, timeoutMs = Number(process.env.MOAT_TEST_SETTLE_MS ?? 180_000)): Promise<void> {
    const linkage = this.of('linkage')[0]!;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const observed = await this.metric(linkage, 'moat_linkage_observed');
      const buffered = await this.metric(linkage, 'moat_linkage_buffered');
      const ledger = await this.ledgerRows();
      if (observed >= expected && buffered === 0 && ledger >= rows) return;
      if (Date.now() > deadline) {
        const metrics = await (await fetch(`${linkage.ops}/metrics`)).text();
        throw new Error(`not settled: linkage observed ${observed}/${expected} (${buffered} held), ledger ${ledger}/${rows}\n${metrics}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** What detection now holds, as the linkage worker answers a starting gateway. */
  async verdicts(): Promise<VerdictUpdate> {
    const reply = await this.nc!.request(this.names.verdictSnapshot, new TextEncoder().encode('all'), { timeout: 10_000 });
    return JSON.parse(new TextDecoder().decode(reply.data)) as VerdictUpdate;
  }

  /** SIGTERM to the gateways: each publishes what it holds and its last watermark, so detection releases everything. */
  async stopGateways(): Promise<void> {
    await Promise.all(
      this.of('gateway').map(async (p) => {
        p.child.kill('SIGTERM');
        await onceExited(p.child);
        this.processes.splice(this.processes.indexOf(p), 1);
      }),
    );
  }

  async close(): Promise<void> {
    // Gateways first (their last records and watermarks reach the stream), then the workers.
    for (const role of ['gateway', 'detector', 'ledger', 'linkage'] as const) {
      await Promise.all(
        this.of(role).map(async (p) => {
          if (p.child.exitCode !== null || p.child.signalCode !== null) return;
          p.child.kill('SIGTERM');
          await onceExited(p.child);
        }),
      );
    }
    if (this.nc && !this.nc.isClosed()) {
      const jsm = await this.nc.jetstreamManager();
      for (const stream of [this.names.eventStream, this.names.observationStream]) await jsm.streams.delete(stream).catch(() => undefined);
      await this.nc.close();
    }
    await this.upstream?.close();
    await this.database?.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function onceExited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

/** A role process logs `moat roles started` with its ops URL (JSON on stdout) once it runs. */
async function announced(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    for await (const line of lines) {
      if (!line.includes('moat roles started')) continue;
      // From here on, warnings and errors are shown (a failing role must be visible), the rest dropped.
      lines.on('line', (next) => /"level":(4|5|6)0/.test(next) && process.stderr.write(`${next}\n`));
      return (JSON.parse(line) as { ops: string }).ops;
    }
    throw new Error(`role process exited with ${child.exitCode} before starting`);
  } finally {
    clearTimeout(timeout);
  }
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parseConfig } from '../config/load.js';
import { hashPassword } from '../console/passwords.js';
import { startGateway, type Gateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/logger.js';
import { RecordedAnswers } from '../replay/recorded-answers.js';
import { provisionAccounts, replayThroughGateway } from '../replay/replay-client.js';
import { openTrafficSet, readAccounts, readLabels, readRequests } from '../traffic/traffic-set.js';
import type { AccountRecord, TrafficRequest } from '../traffic/types.js';
import { StandInUpstream } from '../upstream/stand-in.js';
import { syntheticAnswer, type AnswerSource } from '../upstream/stand-in-answers.js';
import { credentialsPath, loadOrCreateCredentials, type Credentials } from './credentials.js';
import { demoSummary, formatSummary, type DemoLabels, type DemoSummary } from './demo-summary.js';
import { progressBar } from './progress.js';
import { STAND_IN_MODELS } from './serve.js';

/** The traffic slice shipped in the repository (demo/README.md says how it was made). */
export const DEMO_SET = resolve(import.meta.dirname, '../../demo/set');

export interface DemoOptions {
  /** Holds moat.db, the ledger's local files, credentials.json and demo.json. */
  dataDir: string;
  /** 0 takes any free port. */
  port?: number;
  host?: string;
  /** false: the gateway, console and admin API only, with no replay (`--no-demo`). */
  replay?: boolean;
  /** Where the story is told; a bar is drawn when it is a terminal. */
  out?: Writable & { isTTY?: boolean };
  /** Gateway log level (logs go to stderr); MOAT_LOG_LEVEL, else error: the story itself says what the gateway's start-up warnings would (stand-in, replay clock). */
  logLevel?: string;
  /** Another traffic set with labels to replay instead of the built-in one. */
  set?: string;
}

export interface Demo {
  /** The gateway's base URL (`${url}/v1` for OpenAI clients). */
  url: string;
  consoleUrl: string;
  credentials: Credentials;
  credentialsFile: string;
  /** Undefined with `replay: false`, or when the data dir holds other traffic than the demo's. */
  summary: DemoSummary | undefined;
  gateway: Gateway;
  /** Finishes requests in flight and flushes the ledger; false if some record could not be kept. */
  stop(): Promise<boolean>;
}

/** Written beside the database once the replay is done, so a restart shows the summary without replaying twice. */
interface DemoMarker {
  state: 'replaying' | 'done';
  set: string;
  /** The set's timestamps were moved by this much, so the slice ends when the demo ran. */
  shiftMs: number;
  fromMs: number;
  toMs: number;
  replayedAt: string;
  seconds?: number;
}

const HOST = '127.0.0.1';

interface LoadedSet extends DemoLabels {
  accounts: AccountRecord[];
  requests: TrafficRequest[];
  models: string[];
  tiers: string[];
}

async function loadSet(dir: string): Promise<LoadedSet> {
  const set = openTrafficSet(dir);
  const accounts = await readAccounts(set);
  const labels = new Map((await readLabels(set)).map((label) => [label.account, label.label === 'extraction' ? ('extraction' as const) : ('benign' as const)]));
  const requests: TrafficRequest[] = [];
  const recordedCompletionTokens = new Map<string, number>();
  const models = new Set(STAND_IN_MODELS);
  for await (const request of readRequests(set)) {
    requests.push(request);
    recordedCompletionTokens.set(request.account, (recordedCompletionTokens.get(request.account) ?? 0) + request.usage.completion_tokens);
    if (typeof request.request.model === 'string') models.add(request.request.model);
  }
  return { accounts, labels, recordedCompletionTokens, requests, models: [...models], tiers: [...new Set(accounts.map((a) => a.tier))] };
}

const shiftIso = (iso: string, shiftMs: number): string => new Date(Date.parse(iso) + shiftMs).toISOString();

/**
 * Recorded answers while the demo replays, the stand-in's own afterwards: the replayed traffic is
 * metered on the set's real texts and usage, and a request of the user's gets an answer too.
 */
function demoAnswers(set: LoadedSet | undefined): AnswerSource {
  if (!set) return syntheticAnswer;
  const recorded = new RecordedAnswers();
  for (const request of set.requests) recorded.add(request);
  return (endpoint, body) => recorded.take(endpoint, body) ?? syntheticAnswer(endpoint, body);
}

function readMarker(dataDir: string): DemoMarker | undefined {
  const path = join(dataDir, 'demo.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DemoMarker) : undefined;
}

const writeMarker = (dataDir: string, marker: DemoMarker): void => writeFileSync(join(dataDir, 'demo.json'), `${JSON.stringify(marker, null, 2)}\n`);

async function ledgerIsEmpty(gateway: Gateway): Promise<boolean> {
  for await (const _record of gateway.store.ledger.scan({}, 1)) return false;
  return true;
}

/**
 * `npm start`: the gateway on SQLite in front of Moat's stand-in upstream, the console and admin
 * API on with credentials of their own, then (the first time) a labelled traffic slice replayed
 * through it with the openai client at accelerated time, and a summary read back from the
 * ledger, detection and enforcement. The gateway keeps serving until `stop()`.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const out = options.out ?? process.stdout;
  const say = (line = '') => out.write(`${line}\n`);
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const { credentials, created } = loadOrCreateCredentials(dataDir);
  const replay = options.replay !== false;
  const setDir = resolve(options.set ?? DEMO_SET);
  const set = replay ? await loadSet(setDir) : undefined;
  const marker = replay ? readMarker(dataDir) : undefined;

  const standIn = new StandInUpstream({ models: set?.models ?? STAND_IN_MODELS, answers: demoAnswers(marker ? undefined : set) });
  const standInUrl = await standIn.listen();
  const host = options.host ?? HOST;
  const tiers = Object.fromEntries(['default', ...(set?.tiers ?? [])].map((tier) => [tier, { models: ['*'] }]));
  const config = parseConfig(
    {
      server: {
        host,
        port: options.port ?? 8080,
        // The replay sends each request's recorded client address; only this machine's are believed.
        ...(replay && { trustProxy: ['127.0.0.1', '::1'] }),
      },
      admin: { token: credentials.adminToken },
      store: { path: join(dataDir, 'moat.db') },
      upstreams: [{ name: 'stand-in', baseUrl: standInUrl, models: set?.models ?? STAND_IN_MODELS }],
      tiers,
      console: { users: [{ name: credentials.consoleUser, role: 'admin', passwordHash: await hashPassword(credentials.consolePassword) }] },
      ...(replay && { enforcement: { policy: { mode: 'enforce' } }, replayClock: true }),
    },
    {},
  );
  const logger = createLogger(options.logLevel ?? process.env.MOAT_LOG_LEVEL ?? 'error', process.stderr);
  const gateway = await startGateway(config, { standIns: new Set(['stand-in']), logger }).catch(async (error: unknown) => {
    await standIn.close();
    throw error;
  });
  const stop = async () => {
    const durable = await gateway.close();
    await standIn.close();
    return durable;
  };
  const port = new URL(gateway.url).port;
  // A wildcard address is not one a browser can open.
  const url = `http://${host === '0.0.0.0' || host === '::' ? HOST : host.includes(':') ? `[${host}]` : host}:${port}`;
  const consoleUrl = `${url}/console/`;

  try {
    say(`Moat gateway on ${url}/v1, on SQLite in ${dataDir}`);
    say(`  upstream: Moat's built-in STAND-IN (no model behind it${replay && !marker ? '; it answers the replay with the answers the set recorded' : ''})`);
    say(`  console and admin API on; ${created ? 'new credentials written to' : 'credentials reused from'} ${credentialsPath(dataDir)} (readable by you only)`);
    let summary: DemoSummary | undefined;
    if (set) summary = await runReplay(gateway, credentials.adminToken, set, setDir, dataDir, marker, say, out);
    if (summary) {
      say();
      say(formatSummary(summary));
    }
    say();
    say(`Console:      ${consoleUrl}  (user ${credentials.consoleUser}, password ${credentials.consolePassword})`);
    say(`Admin API:    ${url}/admin/  (Authorization: Bearer ${credentials.adminToken})`);
    say(`OpenAI API:   ${url}/v1  (a key: npm run -s moat -- keys create --account me --data-dir ${options.dataDir})`);
    say(replay ? 'Serving (enforcing, replay clock on for the demo; `npm start -- --no-demo` for the plain gateway). Ctrl-C stops.' : 'Serving. Ctrl-C stops.');
    return { url, consoleUrl, credentials, credentialsFile: credentialsPath(dataDir), summary, gateway, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function runReplay(
  gateway: Gateway,
  adminToken: string,
  set: LoadedSet,
  setDir: string,
  dataDir: string,
  marker: DemoMarker | undefined,
  say: (line?: string) => void,
  out: Writable & { isTTY?: boolean },
): Promise<DemoSummary | undefined> {
  if (marker?.state === 'done') {
    say(`  the demo traffic was replayed into this data dir at ${marker.replayedAt}; its summary, read back now:`);
    return demoSummary(gateway, set, marker);
  }
  if (marker) {
    say(`  an earlier demo replay into ${dataDir} was cut short: remove that folder to replay it again`);
    return undefined;
  }
  if (!(await ledgerIsEmpty(gateway))) {
    say(`  ${dataDir} already holds traffic that is not the demo's: not replaying the demo into it`);
    return undefined;
  }
  const firstMs = Date.parse(set.requests[0]?.ts ?? new Date().toISOString());
  const lastMs = Date.parse(set.requests.at(-1)?.ts ?? new Date().toISOString());
  // The slice ends now: the console reads it as recent traffic, and a restart's warm-up finds it.
  const shiftMs = Date.now() - 1000 - lastMs;
  const window = { fromMs: firstMs + shiftMs, toMs: lastMs + shiftMs };
  const days = (lastMs - firstMs) / 86_400_000;
  writeMarker(dataDir, { state: 'replaying', set: setDir, shiftMs, ...window, replayedAt: new Date().toISOString() });
  say(`  replaying ${set.requests.length.toLocaleString('en-US')} requests of ${set.accounts.length} accounts (${days.toFixed(1)} days of traffic) through the gateway with the openai client, one key per account:`);
  const started = Date.now();
  const target = { url: gateway.url, adminToken, concurrency: 16 };
  const secrets = await provisionAccounts(target, set.accounts.map((account) => ({ ...account, created_at: shiftIso(account.created_at, shiftMs) })));
  const bar = progressBar(out, set.requests.length, 'requests');
  const every = Math.max(1, Math.floor(set.requests.length / 200));
  async function* shifted(): AsyncGenerator<TrafficRequest> {
    for (const request of set.requests) yield { ...request, ts: shiftIso(request.ts, shiftMs) };
  }
  const outcome = await replayThroughGateway({ ...target, progressEvery: every, onProgress: (sent) => bar.update(sent) }, secrets, shifted());
  bar.finish(outcome.sent);
  const seconds = (Date.now() - started) / 1000;
  say(`  ${days.toFixed(1)} days of traffic in ${seconds.toFixed(0)} s (about ${Math.round((lastMs - firstMs) / 1000 / seconds).toLocaleString('en-US')}x real time)`);
  const summary = await demoSummary(gateway, set, window);
  writeMarker(dataDir, { state: 'done', set: setDir, shiftMs, ...window, replayedAt: new Date(started).toISOString(), seconds });
  return summary;
}

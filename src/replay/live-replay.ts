import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { parseConfig } from '../config/load.js';
import type { MoatConfig } from '../config/schema.js';
import { startGateway, type Gateway } from '../gateway/gateway.js';
import { openTrafficSet, readAccounts, readRequests } from '../traffic/traffic-set.js';
import type { TrafficRequest } from '../traffic/types.js';
import { StandInUpstream } from '../upstream/stand-in.js';
import { RecordedAnswers } from './recorded-answers.js';
import { provisionAccounts, replayThroughGateway, type ReplayOutcome } from './replay-client.js';

export interface LiveReplayOptions {
  /** SQLite file for the gateway's store. */
  dbPath: string;
  /** Settings laid over the replay's own (e.g. an enforcement policy). */
  config?: Record<string, unknown>;
  /** Only requests before this time (a prefix of the log). */
  untilMs?: number;
  concurrency?: number;
  onProgress?: (sent: number) => void;
}

export interface LiveReplay {
  gateway: Gateway;
  outcome: ReplayOutcome;
  close(): Promise<void>;
}

async function* prefix(dir: string, untilMs: number): AsyncGenerator<TrafficRequest> {
  for await (const request of readRequests(openTrafficSet(dir))) {
    if (Date.parse(request.ts) >= untilMs) return;
    yield request;
  }
}

/**
 * Replays a traffic set through a live gateway: its upstream answers with the recorded
 * responses and usage, each account gets its own key, and the gateway runs its replay clock
 * and trusts X-Forwarded-For, so ledger and detection see the recorded traffic.
 */
export async function liveReplay(dir: string, options: LiveReplayOptions): Promise<LiveReplay> {
  const set = openTrafficSet(dir);
  const untilMs = options.untilMs ?? Number.POSITIVE_INFINITY;
  const accounts = await readAccounts(set);
  const answers = new RecordedAnswers();
  const models = new Set<string>();
  for await (const request of prefix(dir, untilMs)) {
    answers.add(request);
    if (typeof request.request.model === 'string') models.add(request.request.model);
  }
  const upstream = new StandInUpstream({ models: [...models], answers: answers.source });
  const upstreamUrl = await upstream.listen();
  const adminToken = randomBytes(24).toString('hex');
  const tiers = Object.fromEntries([...new Set(accounts.map((a) => a.tier))].map((tier) => [tier, { models: ['*'] }]));
  const config: MoatConfig = parseConfig(
    {
      server: { port: 0, trustProxy: true },
      admin: { token: adminToken },
      store: { path: options.dbPath },
      upstreams: [{ name: 'recorded', baseUrl: upstreamUrl, models: [...models] }],
      tiers,
      replayClock: true,
      ...options.config,
    },
    {},
  );
  const gateway = await startGateway(config, { logger: pino({ level: 'warn' }) });
  const target = { url: gateway.url, adminToken, concurrency: options.concurrency, onProgress: options.onProgress };
  const secrets = await provisionAccounts(target, accounts);
  const outcome = await replayThroughGateway(target, secrets, prefix(dir, untilMs));
  await gateway.ledger.flush();
  await gateway.detection?.drain();
  return {
    gateway,
    outcome,
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}

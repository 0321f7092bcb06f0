import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfigFile, parseConfig } from '../config/load.js';
import type { MoatConfig } from '../config/schema.js';
import { startGateway } from '../gateway/gateway.js';
import { StandInUpstream } from '../upstream/stand-in.js';
import { storeConfigOf } from './store-options.js';

export interface ServeOptions {
  config?: string;
  host?: string;
  port?: number;
  db?: string;
  dataDir?: string;
  standIn?: boolean;
  upstream?: string;
  replayClock?: boolean;
}

export const STAND_IN_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-nano', 'text-embedding-3-small'];

/** The config file with the command line's overrides, validated again as a whole. */
function effectiveConfig(base: MoatConfig, options: ServeOptions, standInUrl: string | undefined): MoatConfig {
  const upstreams = standInUrl
    ? [{ name: 'stand-in', baseUrl: standInUrl, models: STAND_IN_MODELS }]
    : options.upstream
      ? [{ name: 'cli', baseUrl: options.upstream, models: ['*'] }]
      : base.upstreams;
  return parseConfig({
    ...base,
    server: { ...base.server, ...(options.host && { host: options.host }), ...(options.port !== undefined && { port: options.port }) },
    store: storeConfigOf(options, base),
    upstreams,
    replayClock: base.replayClock || options.replayClock === true,
  });
}

export async function serve(options: ServeOptions): Promise<void> {
  const base = loadConfigFile(options.config);
  const standIn = options.standIn ? new StandInUpstream({ models: STAND_IN_MODELS }) : undefined;
  const standInUrl = standIn ? await standIn.listen() : undefined;
  const config = effectiveConfig(base, options, standInUrl);
  mkdirSync(dirname(config.store.path), { recursive: true });
  if (config.upstreams.length === 0) {
    throw new Error('no upstream configured: name one in the config file, pass --upstream URL, or try Moat with --stand-in');
  }
  const gateway = await startGateway(config, { standIns: new Set(standIn ? ['stand-in'] : []) });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.logger.info({ signal }, 'shutting down: finishing requests and flushing the ledger');
    const durable = await gateway.close();
    await standIn?.close();
    // Non-zero only when some record could be neither committed nor spooled (each was logged whole).
    process.exit(durable ? 0 : 1);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

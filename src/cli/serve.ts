import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfigFile, parseConfig } from '../config/load.js';
import type { MoatConfig } from '../config/schema.js';
import { consoleMount } from '../console/start-console.js';
import { StandInUpstream } from '../upstream/stand-in.js';
import { ROLES, startRoles, type Role } from '../workers/roles.js';
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
  role?: string;
  worker?: number;
  workers?: number;
  opsPort?: number;
}

export const STAND_IN_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-nano', 'text-embedding-3-small'];

/** The config file with the command line's overrides, validated again as a whole. */
function effectiveConfig(base: MoatConfig, options: ServeOptions, standInUrl: string | undefined): MoatConfig {
  const upstreams = standInUrl
    ? [{ name: 'stand-in', baseUrl: standInUrl, models: STAND_IN_MODELS }]
    : options.upstream
      ? [{ name: 'cli', baseUrl: options.upstream, models: ['*'] }]
      : base.upstreams;
  const detector = { ...base.events.detector, ...(options.worker !== undefined && { worker: options.worker }), ...(options.workers !== undefined && { workers: options.workers }) };
  return parseConfig({
    ...base,
    server: { ...base.server, ...(options.host && { host: options.host }), ...(options.port !== undefined && { port: options.port }) },
    store: storeConfigOf(options, base),
    events: { ...base.events, detector },
    ops: { ...base.ops, ...(options.opsPort !== undefined && { port: options.opsPort }) },
    upstreams,
    replayClock: base.replayClock || options.replayClock === true,
  });
}

function roleOf(value: string | undefined): Role {
  const role = value ?? 'all';
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  return role as Role;
}

export async function serve(options: ServeOptions): Promise<void> {
  const role = roleOf(options.role);
  const base = loadConfigFile(options.config);
  const serving = role === 'all' || role === 'gateway';
  const standIn = serving && options.standIn ? new StandInUpstream({ models: STAND_IN_MODELS }) : undefined;
  const standInUrl = standIn ? await standIn.listen() : undefined;
  const config = effectiveConfig(base, options, standInUrl);
  if (config.store.driver === 'sqlite') mkdirSync(dirname(config.store.path), { recursive: true });
  if (serving && config.upstreams.length === 0) {
    throw new Error('no upstream configured: name one in the config file, pass --upstream URL, or try Moat with --stand-in');
  }
  // The CLI composes the roles, and the console above the gateway.
  const running = await startRoles(config, role, { standIns: new Set(standIn ? ['stand-in'] : []), mount: consoleMount(config) });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal, role }, 'shutting down: finishing requests and flushing the ledger');
    const durable = await running.close();
    await standIn?.close();
    // Non-zero only when some record could be neither committed nor spooled (each was logged whole).
    process.exit(durable ? 0 : 1);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

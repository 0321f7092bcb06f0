import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import type { MoatConfig } from '../config/schema.js';
import { openStore, storeAt } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** The flags of every command that opens the store. */
export interface StoreOptions {
  config?: string;
  db?: string;
  dataDir?: string;
}

/** Where `moat start` keeps its database and credentials, and where every command looks without a config file. */
export const DEFAULT_DATA_DIR = 'moat-data';

export const dataDirOption = (what: string): Option => new Option('--data-dir <dir>', what).env('MOAT_DATA_DIR');

export const storeFlags = (command: Command): Command =>
  command
    .option('-c, --config <file>', 'config file (YAML or JSON)')
    .option('--db <path>', 'SQLite database or postgres:// URL (overrides config store)')
    .addOption(dataDirOption(`its moat.db (overrides config store.path; default without a config file: ${DEFAULT_DATA_DIR})`));

/**
 * --db; else the data dir's moat.db (--data-dir, MOAT_DATA_DIR, or ./moat-data when neither a
 * config file nor MOAT_STORE_PATH names a store), so the commands find what `npm start` made.
 */
export function storeConfigOf(options: StoreOptions, config: MoatConfig, env: Record<string, string | undefined> = process.env): MoatConfig['store'] {
  const dataDir = options.dataDir ?? (options.config || env.MOAT_STORE_PATH ? undefined : DEFAULT_DATA_DIR);
  if (options.db !== undefined) return storeAt(config.store, options.db);
  return dataDir ? { ...config.store, driver: 'sqlite', path: join(dataDir, 'moat.db') } : config.store;
}

export async function openCliStore(options: StoreOptions): Promise<{ config: MoatConfig; store: Store }> {
  const config = loadConfigFile(options.config);
  const store = storeConfigOf(options, config);
  if (store.driver === 'sqlite') mkdirSync(dirname(store.path), { recursive: true });
  return { config, store: await openStore(store) };
}

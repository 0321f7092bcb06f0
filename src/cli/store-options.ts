import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import type { MoatConfig } from '../config/schema.js';
import { openStore } from '../store/open-store.js';
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
    .option('--db <path>', 'SQLite database (overrides config store.path)')
    .addOption(dataDirOption(`its moat.db (overrides config store.path; default without a config file: ${DEFAULT_DATA_DIR})`));

/**
 * --db; else the data dir's moat.db (--data-dir, MOAT_DATA_DIR, or ./moat-data when neither a
 * config file nor MOAT_STORE_PATH names a store), so the commands find what `npm start` made.
 */
export function storeConfigOf(options: StoreOptions, config: MoatConfig, env: Record<string, string | undefined> = process.env): MoatConfig['store'] {
  const dataDir = options.dataDir ?? (options.config || env.MOAT_STORE_PATH ? undefined : DEFAULT_DATA_DIR);
  const path = options.db ?? (dataDir ? join(dataDir, 'moat.db') : undefined);
  return path ? { ...config.store, path } : config.store;
}

export function openCliStore(options: StoreOptions): { config: MoatConfig; store: Store } {
  const config = loadConfigFile(options.config);
  const store = storeConfigOf(options, config);
  mkdirSync(dirname(store.path), { recursive: true });
  return { config, store: openStore(store) };
}

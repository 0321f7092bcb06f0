import { join } from 'node:path';
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

export const dataDirOption = (what: string): Option => new Option('--data-dir <dir>', what).env('MOAT_DATA_DIR');

export const storeFlags = (command: Command): Command =>
  command
    .option('-c, --config <file>', 'config file (YAML or JSON)')
    .option('--db <path>', 'SQLite database (overrides config store.path)')
    .addOption(dataDirOption('folder of `moat start`: its moat.db (overrides config store.path; --db wins)'));

/** --db, else the data dir's moat.db, else the config's store. */
export function storeConfigOf(options: StoreOptions, config: MoatConfig): MoatConfig['store'] {
  const path = options.db ?? (options.dataDir ? join(options.dataDir, 'moat.db') : undefined);
  return path ? { ...config.store, path } : config.store;
}

export function openCliStore(options: StoreOptions): { config: MoatConfig; store: Store } {
  const config = loadConfigFile(options.config);
  return { config, store: openStore(storeConfigOf(options, config)) };
}

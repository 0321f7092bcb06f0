import type { MoatConfig } from '../config/schema.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export function openStore(config: MoatConfig['store']): Store {
  return new SqliteStore(config.path);
}

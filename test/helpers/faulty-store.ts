import type { LedgerRepository, LedgerRow, LedgerText, Store } from '../../src/store/store.js';

/** SQLite's own error for a full disk, as better-sqlite3 raises it. */
export const diskFull = (): Error => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/** A ledger whose inserts fail as a full disk does while `full` is set; everything else is the real store's. */
export class FaultyLedger implements LedgerRepository {
  full = false;
  attempts = 0;

  constructor(private readonly inner: LedgerRepository) {}

  async insertBatch(rows: readonly LedgerRow[]): Promise<void> {
    this.attempts++;
    if (this.full) throw diskFull();
    return this.inner.insertBatch(rows);
  }

  rejectsContent(error: unknown): boolean {
    return this.inner.rejectsContent(error);
  }

  scan(...args: Parameters<LedgerRepository['scan']>): ReturnType<LedgerRepository['scan']> {
    return this.inner.scan(...args);
  }

  textBefore(beforeMs: number, limit: number): Promise<LedgerText[]> {
    return this.inner.textBefore(beforeMs, limit);
  }

  replaceText(rows: readonly LedgerText[]): Promise<void> {
    return this.inner.replaceText(rows);
  }
}

export function withFaultyLedger(store: Store): { store: Store; ledger: FaultyLedger } {
  const ledger = new FaultyLedger(store.ledger);
  const wrapped: Store = {
    usage: store.usage,
    accounts: store.accounts,
    keys: store.keys,
    ledger,
    limitOverrides: store.limitOverrides,
    audit: store.audit,
    changes: store.changes,
    close: () => store.close(),
  };
  return { store: wrapped, ledger };
}

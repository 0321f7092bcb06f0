import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppendFile } from './append-file.js';

/** The ledger's three local files, beside the store unless `localDir` says otherwise. */
export interface LedgerFiles {
  /** Every finished record as it finishes (durability `journal`); emptied once the store or spool has them. */
  journal: AppendFile | undefined;
  /** Records the store could not take (full, down), replayed in order when it is back. */
  spool: AppendFile;
  /** Records the store rejected for what they hold: for an operator to read. */
  quarantine: AppendFile;
}

export function openLedgerFiles(storePath: string, localDir: string | undefined, journal: boolean): LedgerFiles {
  const dir = localDir ?? dirname(storePath);
  mkdirSync(dir, { recursive: true });
  const name = (suffix: string) => join(dir, `${basename(storePath)}.${suffix}`);
  return {
    journal: journal ? new AppendFile(name('ledger-journal.jsonl')) : undefined,
    spool: new AppendFile(name('ledger-spool.jsonl')),
    quarantine: new AppendFile(name('ledger-quarantine.jsonl')),
  };
}

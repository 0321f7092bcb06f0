import type { LedgerWriterOptions } from '../ledger/ledger-writer.js';

/** What the ledger worker is started with. */
export interface LedgerWorkerData {
  storePath: string;
  localDir: string | undefined;
  /** The journal the main thread appends to: the worker fsyncs it once per batch, off the event loop. */
  journalPath: string | undefined;
  options: LedgerWriterOptions;
  logLevel: string;
}

/** Main thread to worker. `lines`: finished records as JSON lines, in order; `flush`/`close` are answered by id. */
export type ToLedgerWorker = { type: 'lines'; lines: string[] } | { type: 'flush'; id: number } | { type: 'close'; id: number };

/** Worker to main thread. `settled`: how many lines so far are committed, spooled or quarantined. */
export type FromLedgerWorker =
  | { type: 'settled'; settled: number; pending: number; spooledBytes: number; failedFlushes: number }
  | { type: 'done'; id: number; durable: boolean };

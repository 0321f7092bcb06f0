import type { CalibrationChoice } from '../detect/calibration-file.js';
import type { LedgerWriterOptions } from '../ledger/ledger-writer.js';
import type { VerdictUpdate } from './verdict-mirror.js';

/** What the ledger worker is started with. */
export interface LedgerWorkerData {
  storePath: string;
  localDir: string | undefined;
  /** The journal the main thread appends to: the worker fsyncs it once per batch, off the event loop. */
  journalPath: string | undefined;
  options: LedgerWriterOptions;
  logLevel: string;
  /** With detection on, the engine runs in this worker too, fed the same records. */
  detection?: CalibrationChoice | undefined;
}

/**
 * What detection needs with each batch of lines: the in-flight watermark when they were posted
 * (records that arrived after it wait for a later one), and, when the ledger's text retention
 * strips the lines, full copies for the engine (one per line, in order).
 */
export interface DetectionPart {
  watermark: number;
  fullLines: string[] | undefined;
}

/**
 * Main thread to worker. `lines`: finished records as JSON lines, in order, `detect` absent for
 * lines recovered from the journal (detection warms up from the ledger they go to);
 * `flush`/`close`/`warm-up`/`detect` are answered by id, `detect` once the engine has taken
 * every record released by its watermark and the verdicts are sent.
 */
export type ToLedgerWorker =
  | { type: 'lines'; lines: string[]; detect: DetectionPart | undefined }
  | { type: 'flush'; id: number }
  | { type: 'close'; id: number }
  | { type: 'warm-up'; id: number; sinceMs: number }
  | { type: 'detect'; id: number; watermark: number };

/**
 * Worker to main thread. `settled`: how many lines so far are committed, spooled or quarantined;
 * `verdicts`: what changed in detection; `done` answers a request (`count`: requests warmed up
 * from; `error`: why it could not be done).
 */
export type FromLedgerWorker =
  | { type: 'settled'; settled: number; pending: number; spooledBytes: number; failedFlushes: number }
  | { type: 'verdicts'; update: VerdictUpdate }
  | { type: 'done'; id: number; durable: boolean; count: number; error?: string };

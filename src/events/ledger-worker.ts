import { closeSync, fsyncSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { openLedgerFiles } from '../ledger/ledger-files.js';
import { LedgerWriter } from '../ledger/ledger-writer.js';
import type { LedgerRecord } from '../ledger/record.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { EngineInWorker } from './engine-in-worker.js';
import type { DetectionPart, FromLedgerWorker, LedgerWorkerData, ToLedgerWorker } from './ledger-messages.js';

/**
 * The gateway's bookkeeping on its own thread, with its own SQLite connection (WAL: the main
 * thread's connection reads beside it). Lines arrive already retained and journaled; this
 * thread commits them in one transaction per batch, spools and quarantines exactly as the
 * in-thread writer does, and says how many are settled so the main thread can empty its journal.
 * With detection on, the engine runs here too, on the same records, and its verdicts go back.
 */
const data = workerData as LedgerWorkerData;
const port = parentPort!;
// Logs go to stderr like the main thread's, at the same level.
const logger = pino({ level: data.logLevel, base: { thread: 'ledger' } }, pino.destination(2));
const store = new SqliteStore(data.storePath);
// The journal is the main thread's to write and replace; a fsync through any descriptor of the
// file makes its data durable, and it is opened each time because the main thread renames a
// fresh one over it.
const journalPath = data.journalPath;
const writer = new LedgerWriter(store.ledger, openLedgerFiles(data.storePath, data.localDir, false), data.options, logger);
const engine = data.detection && new EngineInWorker(data.detection, store, logger, (update) => send({ type: 'verdicts', update }));
let received = 0;
let draining = false;
let again = false;

const send = (message: FromLedgerWorker) => port.postMessage(message);
const answer = (id: number, count = 0) => send({ type: 'done', id, durable: writer.pending === 0, count });
/** A request the worker could not carry out is refused on the main thread with its message, as it would have failed there. */
const refuse = (id: number, what: string) => (error: unknown) => {
  logger.error({ err: error }, what);
  send({ type: 'done', id, durable: writer.pending === 0, count: 0, error: error instanceof Error ? error.message : String(error) });
};

function report(): void {
  send({ type: 'settled', settled: received - writer.pending, pending: writer.pending, spooledBytes: writer.spooledBytes, failedFlushes: writer.failedFlushes });
}

/** Writes until nothing new has arrived during the last write; then reports. */
async function drain(): Promise<void> {
  if (draining) {
    again = true;
    return;
  }
  draining = true;
  try {
    do {
      again = false;
      if (journalPath !== undefined) {
        try {
          const fd = openSync(journalPath, 'r');
          try {
            fsyncSync(fd);
          } finally {
            closeSync(fd);
          }
        } catch (error) {
          logger.error({ err: error }, 'ledger journal fsync failed');
        }
      }
      await writer.flush();
    } while (again);
  } finally {
    draining = false;
  }
  report();
}

/** Each line's record goes to the engine as the writer parsed it, or as its full copy when the ledger's lines have their text stripped. */
function detect(lines: readonly string[], records: readonly (LedgerRecord | undefined)[], part: DetectionPart): void {
  if (!engine) return;
  for (let i = 0; i < lines.length; i++) {
    const full = part.fullLines?.[i];
    const record = full === undefined ? records[i] : parseRecord(full);
    if (record) engine.take(record, part.watermark);
  }
}

function parseRecord(line: string): LedgerRecord | undefined {
  try {
    return JSON.parse(line) as LedgerRecord;
  } catch (error) {
    logger.error({ err: error }, 'a record for detection did not parse; skipped');
    return undefined;
  }
}

port.on('message', (message: ToLedgerWorker) => {
  switch (message.type) {
    case 'lines': {
      const records = message.lines.map((line) => writer.takeLine(line));
      received += message.lines.length;
      if (message.detect) detect(message.lines, records, message.detect);
      void drain();
      return;
    }
    case 'flush':
      void drain().then(() => answer(message.id));
      return;
    case 'warm-up':
      void (engine ? engine.warmUp(message.sinceMs) : Promise.resolve(0)).then((count) => answer(message.id, count), refuse(message.id, 'detection warm-up failed'));
      return;
    case 'detect':
      void (engine?.drain(message.watermark) ?? Promise.resolve()).then(() => answer(message.id), refuse(message.id, 'detection drain failed'));
      return;
    case 'close':
      void (engine?.close() ?? Promise.resolve())
        .catch((error: unknown) => logger.error({ err: error }, 'detection drain failed'))
        .then(() => drain())
        .then(() => writer.close())
        .then(async (durable) => {
          await store.close();
          send({ type: 'done', id: message.id, durable, count: 0 });
        });
      return;
  }
});

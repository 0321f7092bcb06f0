import { closeSync, fsyncSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { openLedgerFiles } from '../ledger/ledger-files.js';
import { LedgerWriter } from '../ledger/ledger-writer.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { FromLedgerWorker, LedgerWorkerData, ToLedgerWorker } from './ledger-messages.js';

/**
 * The ledger's writer on its own thread, with its own SQLite connection (WAL: the main
 * thread's connection reads beside it). Lines arrive already retained and journaled; this
 * thread commits them in one transaction per batch, spools and quarantines exactly as the
 * in-thread writer does, and says how many are settled so the main thread can empty its journal.
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
let received = 0;
let draining = false;
let again = false;

const send = (message: FromLedgerWorker) => port.postMessage(message);

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

port.on('message', (message: ToLedgerWorker) => {
  switch (message.type) {
    case 'lines':
      for (const line of message.lines) writer.takeLine(line);
      received += message.lines.length;
      void drain();
      return;
    case 'flush':
      void drain().then(() => send({ type: 'done', id: message.id, durable: writer.pending === 0 }));
      return;
    case 'close':
      void drain()
        .then(() => writer.close())
        .then(async (durable) => {
          await store.close();
          send({ type: 'done', id: message.id, durable });
        });
      return;
  }
});

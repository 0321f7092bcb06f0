import type { ConsumerMessages, JetStreamClient, JsMsg, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LedgerRecord } from '../ledger/record.js';
import { toRow } from '../ledger/ledger-rows.js';
import { retainText, type TextRetention } from '../ledger/text-retention.js';
import type { AppendFile } from '../ledger/append-file.js';
import type { LedgerRepository } from '../store/store.js';
import { inBatches } from './batches.js';
import { ACK_WAIT_MS, ensureDurable, type BusNames } from './bus.js';
import { ConsumerStats } from './consumer-stats.js';
import { isWatermark } from './watermark.js';

const BATCH = 500;
const decoder = new TextDecoder();

/**
 * Writes the event stream into the ledger: one durable consumer shared by every ledger writer
 * (JetStream hands each batch to one of them), a batch acknowledged only once its transaction has
 * committed. Inserts are idempotent by request id, so a redelivered batch is harmless. A record
 * the store rejects for what it holds is set aside in the quarantine file (and acknowledged); a
 * store that is down gets the batch again once it is back.
 */
export class LedgerConsumer {
  readonly stats = new ConsumerStats();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private messages: ConsumerMessages | undefined;
  private readonly js: JetStreamClient;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly repository: LedgerRepository,
    private readonly quarantine: AppendFile,
    private readonly text: TextRetention,
    private readonly logger: Logger,
  ) {
    this.js = nc.jetstream();
  }

  async start(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await ensureDurable(jsm, this.names.eventStream, this.names.ledgerConsumer, `${this.names.name}.ev.>`, false);
    this.loop = this.run();
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.messages?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const consumer = await this.js.consumers.get(this.names.eventStream, this.names.ledgerConsumer);
        await inBatches(
          consumer,
          { size: BATCH, ackWaitMs: ACK_WAIT_MS },
          async (batch) => {
            await this.write(batch);
            this.stats.pending(0, batch.at(-1)?.info.pending);
          },
          (messages) => (this.messages = messages),
        );
      } catch (error) {
        if (this.stopped) break;
        // Unacknowledged records are redelivered after their ack wait: nothing is lost by waiting.
        this.logger.error({ err: error }, 'ledger consumer failed; retrying');
        await sleep(1_000);
      }
    }
  }

  private async write(messages: readonly JsMsg[]): Promise<void> {
    const records: LedgerRecord[] = [];
    for (const msg of messages) {
      this.stats.delivered(msg.info.redeliveryCount);
      if (!isWatermark(msg)) records.push(retainText(this.text, JSON.parse(decoder.decode(msg.data)) as LedgerRecord));
    }
    await this.commit(records);
    for (const msg of messages) msg.ack();
    this.stats.processed(records.length);
  }

  private async commit(records: LedgerRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.repository.insertBatch(records.map(toRow));
      return;
    } catch (error) {
      if (!this.repository.rejectsContent(error)) throw error;
    }
    for (const record of records) {
      try {
        await this.repository.insertBatch([toRow(record)]);
      } catch (error) {
        if (!this.repository.rejectsContent(error)) throw error;
        this.quarantine.append([JSON.stringify({ quarantined_at: new Date().toISOString(), from: 'events', reason: String(error), record })]);
        this.quarantine.syncNow();
        this.logger.error({ requestId: record.id, file: this.quarantine.path }, 'ledger record quarantined');
      }
    }
  }
}

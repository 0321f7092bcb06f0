import type { Logger } from 'pino';
import { calibrationFrom, type CalibrationChoice } from '../detect/calibration-file.js';
import { createEngine } from '../detect/index.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { Store } from '../store/store.js';
import { DetectionTap } from './detection-tap.js';
import { VerdictChanges, type VerdictUpdate } from './verdict-mirror.js';

/**
 * The detection engine on the bookkeeping worker's thread: it takes the records the ledger
 * writer takes, released by the main thread's in-flight watermark exactly as the tap on the main
 * thread releases them, and sends what changed in its verdicts to the main thread's mirror.
 */
export class EngineInWorker {
  private watermark = Number.NEGATIVE_INFINITY;
  private readonly tap: DetectionTap;
  private readonly changes: VerdictChanges;

  constructor(
    choice: CalibrationChoice,
    store: Store,
    logger: Logger,
    private readonly send: (update: VerdictUpdate) => void,
  ) {
    // No batch delay of its own: the lines already come a batch window (ledger.flushIntervalMs) at a
    // time, and waiting again would hold enforcement's view of them back by both.
    this.tap = new DetectionTap(createEngine({ calibration: calibrationFrom(choice) }), store, { oldest: () => this.watermark }, logger, 0);
    this.changes = new VerdictChanges(this.tap);
    this.tap.onDrained((accounts, admitted) => this.send(this.changes.since(accounts, admitted)));
  }

  async warmUp(sinceMs: number): Promise<number> {
    const count = await this.tap.warmUp(sinceMs);
    this.send(this.changes.all());
    return count;
  }

  take(record: LedgerRecord, watermark: number): void {
    this.watermark = watermark;
    this.tap.take(record);
  }

  drain(watermark: number): Promise<void> {
    this.watermark = watermark;
    return this.tap.drain();
  }

  close(): Promise<void> {
    return this.tap.close();
  }
}

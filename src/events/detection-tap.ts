import type { Logger } from 'pino';
import type { AccountAssessment, CampaignSummary, DetectionEngine } from '../detect/index.js';
import type { LedgerRecord } from '../ledger/record.js';
import { scanRecords } from '../ledger/ledger-rows.js';
import { toTrafficRequest } from '../ledger/record.js';
import type { Store } from '../store/store.js';
import type { AccountRecord } from '../traffic/types.js';
import { assessmentsOf, type LiveDetection } from './live-detection.js';

/** "Every record still to come arrived at or after this": the oldest request in flight, or a gateway's published watermark. */
export interface ArrivalWatermark {
  oldest(): number;
}

/**
 * Feeds the gateway's finished requests to the detection engine off the request path, in
 * arrival order, with accounts entering at their creation time, exactly as `moat analyze`
 * replays a traffic set: the same engine, so the same flags.
 */
export type DrainListener = (accounts: ReadonlySet<string>, admitted: readonly string[]) => void;

export class DetectionTap implements LiveDetection {
  private buffered: LedgerRecord[] = [];
  private pendingAccounts: AccountRecord[] = [];
  private readonly pendingIds = new Set<string>();
  private readonly known = new Set<string>();
  private scheduled = false;
  private draining: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly drainListeners: DrainListener[] = [];
  /** Records the engine threw on; counted, and each logged once with its request id. */
  private failures = 0;
  /** Accounts the engine took during the current drain: they have verdicts before they send a request. */
  private admitted: string[] = [];

  constructor(
    readonly engine: DetectionEngine,
    private readonly store: Store,
    private readonly inFlight: ArrivalWatermark,
    private readonly logger: Logger,
    private readonly batchMs = 200,
  ) {}

  /** Rebuilds the engine's state from the ledger, so a restart does not forget what it had seen. */
  async warmUp(sinceMs: number): Promise<number> {
    await this.loadAccounts();
    let count = 0;
    for await (const record of scanRecords(this.store.ledger, { sinceMs })) {
      this.feed(record);
      count++;
    }
    this.admitted = [];
    return count;
  }

  /**
   * Called after each drain with the accounts whose requests the engine just took (enforcement
   * re-decides them) and those it first took in that drain.
   */
  onDrained(listener: DrainListener): void {
    this.drainListeners.push(listener);
  }

  /**
   * Drains `batchMs` after the first record of a batch: the timer runs only when there is
   * something to drain, so an idle gateway runs nothing, and a busy one drains (and
   * enforcement re-decides) once per batch, not per request. Records held back for an older
   * request still in flight go with the drain that request's own record brings.
   */
  take(record: LedgerRecord): void {
    this.buffered.push(record);
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.drain().catch((error: unknown) => this.logger.error({ err: error }, 'detection tap failed'));
    }, this.batchMs).unref();
  }

  /**
   * Everything that arrived before the oldest unfinished request goes to the engine now. One
   * drain at a time (the tap's timer and a caller's may meet): one waiting on the store for new
   * accounts must not let a later one feed newer records first.
   */
  drain(): Promise<void> {
    const run = this.draining.then(() => this.drainReady());
    this.draining = run.catch(() => undefined);
    return run;
  }

  private async drainReady(): Promise<void> {
    if (this.buffered.length === 0) return;
    const watermark = this.inFlight.oldest();
    const ready: LedgerRecord[] = [];
    const held: LedgerRecord[] = [];
    for (const record of this.buffered) (Date.parse(record.ts) < watermark ? ready : held).push(record);
    if (ready.length === 0) return;
    this.buffered = held;
    try {
      if (ready.some((record) => !this.known.has(record.account))) await this.loadAccounts();
    } catch (error) {
      // The store is unreachable for now: the batch waits for the next drain instead of vanishing.
      this.buffered = [...ready, ...this.buffered];
      throw error;
    }
    // ISO timestamps of one format order as strings; plain comparison is far cheaper than localeCompare.
    ready.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.admitted = [];
    for (const record of ready) this.feed(record);
    if (this.drainListeners.length === 0) return;
    const accounts = new Set(ready.map((record) => record.account));
    for (const listener of this.drainListeners) {
      try {
        listener(accounts, this.admitted);
      } catch (error) {
        this.logger.error({ err: error }, 'detection drain listener failed');
      }
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return this.drain();
  }

  get failedRecords(): number {
    return this.failures;
  }

  assessment(account: string): AccountAssessment | undefined {
    return this.engine.assessment(account);
  }

  assessments(): AccountAssessment[] {
    return assessmentsOf(this.engine);
  }

  campaigns(): CampaignSummary[] {
    return this.engine.campaigns();
  }

  grouped(): string[] {
    return this.engine.grouped();
  }

  /**
   * One record the engine cannot take must cost only that record: not the rest of its drain
   * batch (any client could blind detection for everyone) and not start-up (warm-up replays it).
   */
  private feed(record: LedgerRecord): void {
    try {
      this.feedOne(record);
    } catch (error) {
      this.failures++;
      this.logger.error({ err: error, requestId: record.id, account: record.account }, 'detection engine failed on a record; skipped');
    }
  }

  private feedOne(record: LedgerRecord): void {
    const ms = Date.parse(record.ts);
    let admitted = 0;
    while (admitted < this.pendingAccounts.length && Date.parse(this.pendingAccounts[admitted]!.created_at) <= ms) {
      this.admit(this.pendingAccounts[admitted++]!);
    }
    if (admitted > 0) this.pendingAccounts = this.pendingAccounts.slice(admitted);
    // An account dated after its own request (clock skew, back-dated import) enters now.
    if (this.pendingIds.has(record.account)) {
      const index = this.pendingAccounts.findIndex((a) => a.account === record.account);
      this.admit(this.pendingAccounts.splice(index, 1)[0]!);
    }
    this.engine.observe(toTrafficRequest(record));
  }

  private admit(account: AccountRecord): void {
    this.pendingIds.delete(account.account);
    this.engine.addAccount(account);
    this.admitted.push(account.account);
  }

  private async loadAccounts(): Promise<void> {
    const fresh = (await this.store.accounts.list()).filter((account) => !this.known.has(account.account));
    for (const account of fresh) {
      this.known.add(account.account);
      this.pendingIds.add(account.account);
    }
    this.pendingAccounts = [...this.pendingAccounts, ...fresh].sort(
      (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.account.localeCompare(b.account),
    );
  }
}

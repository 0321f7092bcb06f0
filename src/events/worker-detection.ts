import type { Logger } from 'pino';
import type { AccountAssessment, CampaignSummary } from '../detect/types.js';
import type { LiveDetection } from './live-detection.js';
import { VerdictMirror, type VerdictUpdate } from './verdict-mirror.js';

/** What the main thread asks of the engine in the worker; the sink adds the request id and the watermark. */
export type DetectionRequest = { type: 'warm-up'; sinceMs: number } | { type: 'detect' };

/**
 * Detection whose engine runs in the bookkeeping worker: reads are answered from the verdicts
 * it has sent (a mirror kept in step with every drain), so enforcement and the admin routes
 * read synchronously, as they would from an engine beside them, while the engine's work stays
 * off the event loop.
 */
export class WorkerDetection implements LiveDetection {
  private readonly mirror: VerdictMirror;

  constructor(
    private readonly ask: (request: DetectionRequest) => Promise<number>,
    logger: Logger,
  ) {
    this.mirror = new VerdictMirror(logger);
  }

  /** Rebuilds the engine's state from the ledger in the worker; resolves with how many requests it took. */
  warmUp(sinceMs: number): Promise<number> {
    return this.ask({ type: 'warm-up', sinceMs });
  }

  /** Called by the sink with each update, in the order the worker sent them. */
  apply(update: VerdictUpdate): void {
    this.mirror.apply(update);
  }

  async drain(): Promise<void> {
    await this.ask({ type: 'detect' });
  }

  async close(): Promise<void> {
    await this.drain();
  }

  onDrained(listener: (accounts: ReadonlySet<string>) => void): void {
    this.mirror.onChanged(listener);
  }

  assessment(account: string): AccountAssessment | undefined {
    return this.mirror.assessment(account);
  }

  assessments(): AccountAssessment[] {
    return this.mirror.assessments();
  }

  campaigns(): CampaignSummary[] {
    return this.mirror.campaigns();
  }
}

import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import type { AccountAssessment, CampaignSummary, DetectionView } from '../detect/types.js';
import type { BusNames } from './bus.js';
import { VerdictMirror, type VerdictUpdate } from './verdict-mirror.js';

export type { VerdictUpdate } from './verdict-mirror.js';

/** Detection as a gateway without its own engine sees it: what the linkage worker publishes. */
export interface RemoteDetection extends DetectionView {
  /** Called with the accounts whose verdicts just arrived (enforcement re-decides them). */
  onChanged(listener: (accounts: ReadonlySet<string>) => void): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeVerdicts = (update: VerdictUpdate): Uint8Array => encoder.encode(JSON.stringify(update));

/**
 * Verdicts pushed over core NATS (pub/sub, no polling): every gateway has each one as soon as the
 * linkage worker has decided it. A gateway that starts asks for the current ones first.
 */
export class VerdictFeed implements RemoteDetection {
  private readonly mirror: VerdictMirror;
  private subscription: Subscription | undefined;
  /** Wall-clock time of the last update taken (metrics: how stale the gateway's view may be). */
  lastUpdateMs = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly logger: Logger,
  ) {
    this.mirror = new VerdictMirror(logger);
  }

  async start(): Promise<void> {
    this.subscription = this.nc.subscribe(this.names.verdicts, { callback: (error, msg) => !error && this.take(msg.data) });
    try {
      this.take((await this.nc.request(this.names.verdictSnapshot, undefined, { timeout: 2_000 })).data);
    } catch (error) {
      // No linkage worker yet: verdicts arrive as it publishes them.
      this.logger.warn({ err: error }, 'no verdict snapshot from a linkage worker; starting with none');
    }
  }

  close(): void {
    this.subscription?.unsubscribe();
  }

  assessment(account: string): AccountAssessment | undefined {
    return this.mirror.assessment(account);
  }

  campaigns(): CampaignSummary[] {
    return this.mirror.campaigns();
  }

  onChanged(listener: (accounts: ReadonlySet<string>) => void): void {
    this.mirror.onChanged(listener);
  }

  private take(data: Uint8Array): void {
    let update: VerdictUpdate;
    try {
      update = JSON.parse(decoder.decode(data)) as VerdictUpdate;
    } catch (error) {
      this.logger.error({ err: error }, 'unreadable verdict update; skipped');
      return;
    }
    this.lastUpdateMs = Date.now();
    this.mirror.apply(update);
  }
}

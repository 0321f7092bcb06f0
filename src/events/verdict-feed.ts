import type { NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import type { AccountAssessment, CampaignSummary, DetectionView } from '../detect/types.js';
import type { BusNames } from './bus.js';

/** Detection as a gateway without its own engine sees it: what the linkage worker publishes. */
export interface RemoteDetection extends DetectionView {
  /** Called with the accounts whose verdicts just arrived (enforcement re-decides them). */
  onChanged(listener: (accounts: ReadonlySet<string>) => void): void;
}

/** One message on the verdict subject: the accounts detection just re-read, and the groups as they now stand. */
export interface VerdictUpdate {
  assessments: AccountAssessment[];
  campaigns: CampaignSummary[] | undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeVerdicts = (update: VerdictUpdate): Uint8Array => encoder.encode(JSON.stringify(update));

/**
 * Verdicts pushed over core NATS (pub/sub, no polling): every gateway has each one as soon as the
 * linkage worker has decided it. A gateway that starts asks for the current ones first.
 */
export class VerdictFeed implements RemoteDetection {
  private readonly byAccount = new Map<string, AccountAssessment>();
  private summaries: CampaignSummary[] = [];
  private readonly listeners: ((accounts: ReadonlySet<string>) => void)[] = [];
  private subscription: Subscription | undefined;
  /** Wall-clock time of the last update taken (metrics: how stale the gateway's view may be). */
  lastUpdateMs = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly logger: Logger,
  ) {}

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
    return this.byAccount.get(account);
  }

  campaigns(): CampaignSummary[] {
    return this.summaries;
  }

  onChanged(listener: (accounts: ReadonlySet<string>) => void): void {
    this.listeners.push(listener);
  }

  private take(data: Uint8Array): void {
    let update: VerdictUpdate;
    try {
      update = JSON.parse(decoder.decode(data)) as VerdictUpdate;
    } catch (error) {
      this.logger.error({ err: error }, 'unreadable verdict update; skipped');
      return;
    }
    for (const assessment of update.assessments) this.byAccount.set(assessment.account, assessment);
    if (update.campaigns) this.summaries = update.campaigns;
    this.lastUpdateMs = Date.now();
    const accounts = new Set(update.assessments.map((a) => a.account));
    for (const listener of this.listeners) {
      try {
        listener(accounts);
      } catch (error) {
        this.logger.error({ err: error }, 'verdict listener failed');
      }
    }
  }
}

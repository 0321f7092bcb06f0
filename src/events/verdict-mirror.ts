import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { AccountAssessment, CampaignSummary, DetectionEngine, DetectionView } from '../detect/types.js';
import type { LiveDetection } from './live-detection.js';

/** One batch of verdicts from an engine elsewhere: the assessments that changed, and the groups when they did. */
export interface VerdictUpdate {
  assessments: AccountAssessment[];
  campaigns: CampaignSummary[] | undefined;
  /** The accounts to re-decide; the updated assessments' own when absent. */
  accounts?: string[];
}

/**
 * What an engine running elsewhere (a worker thread, the linkage worker over NATS) has said,
 * kept where enforcement and the admin routes read it synchronously.
 */
export class VerdictMirror implements DetectionView {
  private readonly byAccount = new Map<string, AccountAssessment>();
  private groups: CampaignSummary[] = [];
  private readonly listeners: ((accounts: ReadonlySet<string>) => void)[] = [];

  constructor(private readonly logger: Logger) {}

  assessment(account: string): AccountAssessment | undefined {
    return this.byAccount.get(account);
  }

  assessments(): AccountAssessment[] {
    return [...this.byAccount.values()];
  }

  campaigns(): CampaignSummary[] {
    return this.groups;
  }

  onChanged(listener: (accounts: ReadonlySet<string>) => void): void {
    this.listeners.push(listener);
  }

  apply(update: VerdictUpdate): void {
    for (const assessment of update.assessments) this.byAccount.set(assessment.account, assessment);
    if (update.campaigns) this.groups = update.campaigns;
    const accounts = new Set(update.accounts ?? update.assessments.map((a) => a.account));
    for (const listener of this.listeners) {
      try {
        listener(accounts);
      } catch (error) {
        this.logger.error({ err: error }, 'verdict listener failed');
      }
    }
  }
}

const digest = (value: unknown): string => createHash('sha1').update(JSON.stringify(value)).digest('base64');

/**
 * The engine's side of a mirror: which assessments changed since the last update. An account's
 * assessment moves with its own requests, when it is first taken, and with its group (a
 * group-mate's request moves the group's case; a regroup moves members in and out), so those are
 * the candidates; each is sent only if it differs from what was sent (kept as a digest, not a copy).
 */
export class VerdictChanges {
  private readonly sent = new Map<string, string>();
  private groupsDigest = '';
  private lastMembers: readonly string[] = [];

  constructor(private readonly engine: Pick<LiveDetection, 'assessment' | 'assessments' | 'campaigns'> & Pick<DetectionEngine, 'grouped'>) {}

  /** Everything, for a mirror that starts empty (after warm-up). */
  all(): VerdictUpdate {
    return this.since(new Set(), this.engine.assessments().map((a) => a.account));
  }

  since(drained: ReadonlySet<string>, admitted: readonly string[]): VerdictUpdate {
    const groups = this.engine.campaigns();
    const members = this.engine.grouped();
    const candidates = new Set([...drained, ...admitted, ...members, ...this.lastMembers]);
    this.lastMembers = members;
    const assessments: AccountAssessment[] = [];
    for (const account of candidates) {
      const assessment = this.engine.assessment(account);
      if (!assessment) continue;
      const now = digest(assessment);
      if (this.sent.get(account) === now) continue;
      this.sent.set(account, now);
      assessments.push(assessment);
    }
    const groupsNow = digest(groups);
    const campaigns = groupsNow === this.groupsDigest ? undefined : groups;
    this.groupsDigest = groupsNow;
    return { assessments, campaigns, accounts: [...drained] };
  }
}

import type { AccountAssessment, CampaignSummary, DetectionEngine, Level } from '../../src/detect/types.js';
import type { Verdict } from '../../src/traffic/types.js';

const SCORES: Record<Level, number> = { none: 0.1, watch: 0.3, suspect: 0.6, high: 0.9 };

/** A detection engine whose view of each account the test sets, to drive enforcement directly. */
export class EngineDouble implements DetectionEngine {
  private readonly views = new Map<string, AccountAssessment>();
  campaignList: CampaignSummary[] = [];

  set(account: string, level: Level, campaign: string | null = null): void {
    this.views.set(account, { account, score: SCORES[level], evidence: SCORES[level], level, flagged: level === 'suspect' || level === 'high', firstFlaggedAt: null, campaign, reasons: [{ signal: 'test', value: 1, text: `set to ${level} by the test`, scope: 'account' }], requests: 10 });
  }

  addAccount(): void {}
  observe(): void {}
  assessment(account: string): AccountAssessment | undefined {
    return this.views.get(account);
  }
  verdicts(): Verdict[] {
    return [];
  }
  campaigns(): CampaignSummary[] {
    return this.campaignList;
  }
  grouped(): string[] {
    return this.campaignList.flatMap((campaign) => campaign.members);
  }
}

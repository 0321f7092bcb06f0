import type { AccountAssessment, CampaignSummary, DetectionEngine } from '../../src/detect/types.js';
import type { VerdictUpdate } from '../../src/events/verdict-feed.js';

/** Detection's state compared across runs: every account's verdict and every linked group, order aside. */
export interface DetectionState {
  accounts: Pick<AccountAssessment, 'account' | 'score' | 'level' | 'flagged' | 'firstFlaggedAt' | 'campaign' | 'requests'>[];
  groups: { id: string; members: string[]; flagged: boolean; score: number }[];
}

function state(assessments: AccountAssessment[], campaigns: CampaignSummary[]): DetectionState {
  return {
    accounts: assessments
      .map(({ account, score, level, flagged, firstFlaggedAt, campaign, requests }) => ({ account, score, level, flagged, firstFlaggedAt, campaign, requests }))
      .sort((a, b) => (a.account < b.account ? -1 : 1)),
    groups: campaigns.map(({ id, members, flagged, score }) => ({ id, members: [...members].sort(), flagged, score })).sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

export function engineState(engine: DetectionEngine): DetectionState {
  return state(
    engine.verdicts().map((v) => engine.assessment(v.account)!),
    engine.campaigns(),
  );
}

export function publishedState(update: VerdictUpdate): DetectionState {
  return state(update.assessments, update.campaigns ?? []);
}

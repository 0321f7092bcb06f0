import type { Verdict } from '../traffic/types.js';
import type { AccountAssessment, Level } from './types.js';

export function levelOf(score: number): Level {
  if (score >= 0.75) return 'high';
  if (score >= 0.5) return 'suspect';
  if (score >= 0.25) return 'watch';
  return 'none';
}

export function toVerdict(a: AccountAssessment): Verdict {
  return {
    account: a.account,
    flagged: a.flagged,
    score: a.score,
    first_flagged_at: a.firstFlaggedAt,
    campaign: a.campaign,
    reasons: a.reasons.slice(0, 6).map((reason) => reason.text),
  };
}

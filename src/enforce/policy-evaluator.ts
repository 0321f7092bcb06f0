import type { AccountAssessment } from '../detect/types.js';
import { ACTIONS, type ActionName, type EnforcementPolicy, type Level, type TierPolicy } from './policy-schema.js';
import { atLeast } from './decision.js';

export interface Proposal {
  actions: ActionName[];
  /** Why, for the audit log: the level and the rules that matched. */
  reason: string;
}

/** The policy's answer for one account: the actions of its level, its campaign's level and every matching rule. */
export function propose(policy: EnforcementPolicy, tier: string, assessment: AccountAssessment, campaignLevel: Level | null): Proposal {
  const tierPolicy: TierPolicy | undefined = policy.tiers[tier] ?? policy.tiers['*'];
  if (!tierPolicy) return { actions: [], reason: `no policy for tier ${tier}` };
  const chosen = new Set<ActionName>(tierPolicy.levels[assessment.level] ?? []);
  const why = [`level ${assessment.level} (score ${assessment.score})`];
  const campaignActions = campaignLevel && assessment.campaign ? (tierPolicy.campaigns[campaignLevel] ?? []) : [];
  if (campaignActions.length > 0) why.push(`campaign ${assessment.campaign} at ${campaignLevel}`);
  for (const action of campaignActions) chosen.add(action);
  for (const rule of tierPolicy.rules) {
    const when = rule.when;
    if (when.minLevel && !atLeast(assessment.level, when.minLevel)) continue;
    if (when.flagged !== undefined && when.flagged !== assessment.flagged) continue;
    if (when.inCampaign !== undefined && when.inCampaign !== (assessment.flagged && assessment.campaign !== null)) continue;
    if (when.signal && !assessment.reasons.some((reason) => reason.signal === when.signal)) continue;
    if (when.minRequests !== undefined && assessment.requests < when.minRequests) continue;
    for (const action of rule.actions) chosen.add(action);
    why.push(`rule ${rule.name}`);
  }
  // Suspension makes the milder actions moot; keeping them would only clutter the record.
  const actions = chosen.has('suspend_account') ? (['suspend_account', ...(chosen.has('alert') ? ['alert' as const] : [])] as ActionName[]) : [...chosen];
  return { actions: ordered(actions), reason: why.join('; ') };
}

export const ordered = (actions: Iterable<ActionName>): ActionName[] => {
  const set = new Set(actions);
  return ACTIONS.filter((action) => set.has(action));
};

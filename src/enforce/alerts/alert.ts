import type { AccountAssessment } from '../../detect/types.js';
import type { CampaignCrossing } from '../campaign-watch.js';
import type { Decision } from '../decision.js';
import type { ActionName, Level } from '../policy-schema.js';

/** One crossing of a level by an account or a campaign. */
export interface Alert {
  /** The idempotency key: the same crossing always has the same id, on every replica. */
  id: string;
  subject: { kind: 'account' | 'campaign'; id: string };
  level: Level;
  previousLevel: Level;
  score: number;
  campaign: string | null;
  members: string[];
  actions: ActionName[];
  reasons: string[];
  /** true in shadow mode: the actions were decided but not applied. */
  shadow: boolean;
  at: string;
}

export const alertId = (kind: 'account' | 'campaign', id: string, level: Level): string => `${kind}:${id}:${level}`;

export function accountAlert(assessment: AccountAssessment, previousLevel: Level, decision: Decision): Alert {
  return {
    id: alertId('account', assessment.account, assessment.level),
    subject: { kind: 'account', id: assessment.account },
    level: assessment.level,
    previousLevel,
    score: assessment.score,
    campaign: assessment.campaign,
    members: [],
    actions: decision.actions,
    reasons: assessment.reasons.map((reason) => reason.text),
    shadow: !decision.enforced,
    at: decision.at,
  };
}

export function campaignAlert(crossing: CampaignCrossing, actions: ActionName[], shadow: boolean): Alert {
  return {
    id: alertId('campaign', crossing.id, crossing.level),
    subject: { kind: 'campaign', id: crossing.id },
    level: crossing.level,
    previousLevel: crossing.previous,
    score: crossing.score,
    campaign: crossing.id,
    members: crossing.members,
    actions,
    reasons: [],
    shadow,
    at: new Date().toISOString(),
  };
}

/** The body a Slack (or compatible: Mattermost, Rocket.Chat) incoming webhook takes. */
export function slackPayload(alert: Alert): { text: string; blocks: unknown[] } {
  const who = alert.subject.kind === 'account' ? `Account \`${alert.subject.id}\`` : `Campaign \`${alert.subject.id}\` (${alert.members.length} accounts)`;
  const text = `${alert.shadow ? '[shadow] ' : ''}${who} crossed ${alert.previousLevel} → *${alert.level}* (score ${alert.score})`;
  const actions = alert.actions.length > 0 ? alert.actions.join(', ') : 'none';
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Actions:* ${actions}${alert.shadow ? ' (shadow mode: not applied)' : ''}` } },
      ...(alert.reasons.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: alert.reasons.slice(0, 5).map((r) => `• ${r}`).join('\n') } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `moat · ${alert.at} · ${alert.id}` }] },
    ],
  };
}

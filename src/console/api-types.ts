/** The console API's answers: shared by the server and the web app, so both agree on shapes. */
import type { Level, Reason, SharedEvidence } from '../detect/types.js';
import type { UsageBucket, UsageShare, UsageTotals } from '../store/store.js';
import type { AccountRecord } from '../traffic/types.js';
import type { AreaShare } from './task-areas.js';

export type { Level, Reason, SharedEvidence, UsageBucket, UsageShare, UsageTotals, AccountRecord, AreaShare };
export type Role = 'viewer' | 'analyst' | 'admin';

export interface Me {
  user: string;
  role: Role;
}

export interface Series {
  bucketMs: number;
  points: UsageBucket[];
}

export interface AccountRow {
  account: string;
  tier: string;
  createdAt: string;
  ageDays: number;
  score: number;
  level: Level;
  flagged: boolean;
  firstFlaggedAt: string | null;
  campaign: string | null;
  /** Whether that group is a campaign (its pooled behaviour is extraction) or only a linked group. */
  campaignFlagged: boolean;
  requests: number;
  completionTokens: number;
  firstTs: string | null;
  lastTs: string | null;
}

export interface CampaignRow {
  id: string;
  /** A campaign, or only a linked group (an organisation, a class, a shared network). */
  campaign: boolean;
  accounts: number;
  flagged: number;
  score: number;
  links: string[];
  requests: number;
  completionTokens: number;
  firstTs: string | null;
  lastTs: string | null;
}

export interface Overview {
  totals: UsageTotals;
  series: Series;
  levels: Record<Level, number>;
  /** Accounts flagged most recently, newest first. */
  alerts: AccountRow[];
  topAccounts: AccountRow[];
  topCampaigns: CampaignRow[];
}

/** One entry of the enforcement audit log, as its API gives it. */
export type AuditEntry = Record<string, unknown>;

export interface SamplePrompt {
  id: string;
  ts: string;
  text: string;
  /** The masked wrapper this prompt shares with other sampled prompts, if any. */
  sharedSkeleton: string | null;
}

export interface AccountDetail {
  row: AccountRow;
  record: AccountRecord;
  terms: string | null;
  reasons: Reason[];
  series: Series;
  samples: SamplePrompt[];
  keys: UsageShare[];
  ips: UsageShare[];
  linked: string[];
  /** Where enforcement stands now, for the badge: refreshed after every action. */
  status: AccountStatus;
  enforcement: unknown;
  actions: AuditEntry[];
}

export interface LinkEdge {
  source: string;
  target: string;
  reasons: string[];
  /** The kinds of link (card, ip, ...) the reasons are, for colouring. */
  kinds: string[];
}

export interface CampaignNode {
  account: string;
  level: Level;
  score: number;
  requests: number;
  /** Enforcement's word on the member (from the audit log); absent where nobody asked. */
  status?: AccountStatus['label'];
}

export interface CampaignDetail {
  row: CampaignRow;
  extent: UsageTotals;
  areas: AreaShare[];
  series: Series;
  nodes: CampaignNode[];
  edges: LinkEdge[];
  /** A campaign (its pooled behaviour is extraction) or only a linked group (an organisation, a class). */
  flagged: boolean;
  /** What the links rest on, by shared value, from the engine. */
  evidence: SharedEvidence[];
  /** The group's pooled behaviour, with the group's numbers. */
  behaviour: Reason[];
  tiers: { tier: string; accounts: number; models: string[]; terms: string | null }[];
  actions: AuditEntry[];
}

export interface AccountStatus {
  label: 'active' | 'suspended' | 'allowlisted' | 'restricted';
  /** The actions in force, and whether the policy's are only recorded (shadow mode). */
  actions: string[];
  enforced: boolean;
  by: string | null;
  at: string | null;
}

export interface ActionResult {
  status: number;
  body: unknown;
}

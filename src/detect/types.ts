import type { AccountRecord, TrafficRequest, Verdict } from '../traffic/types.js';
import type { Calibration } from './calibration.js';
import type { RequestFeatures } from './features.js';
import type { LinkKind } from './links.js';

export type Level = 'none' | 'watch' | 'suspect' | 'high';

/** One piece of evidence, with the number behind it. */
export interface Reason {
  signal: string;
  value: number;
  text: string;
  /** Whose numbers these are: the account's own traffic, or its campaign's pooled. */
  scope: 'account' | 'campaign';
}

export interface AccountAssessment {
  account: string;
  /** Calibrated: 0.5 at the target false-positive rate (see calibration.ts). */
  score: number;
  /** The raw evidence of the account's own traffic at its peak, before calibration. */
  evidence: number;
  level: Level;
  flagged: boolean;
  firstFlaggedAt: string | null;
  /** The linked group the account belongs to (a campaign when `CampaignSummary.flagged`). */
  campaign: string | null;
  reasons: Reason[];
  requests: number;
}

/** One shared value and which of a group's members share it. */
export interface SharedEvidence {
  kind: LinkKind;
  /** How it reads: "payment card pf_1c00", "requests from IP 74.217.148.144". */
  label: string;
  accounts: string[];
  /** Accounts anywhere that showed the value (the rarer, the stronger the link). */
  holders: number;
  weight: number;
  /** When two members last showed it together (null for sign-up attributes). */
  lastSeen: string | null;
}

export interface CampaignSummary {
  id: string;
  members: string[];
  /** The kinds of link holding the group together. */
  links: LinkKind[];
  score: number;
  /** A campaign (its pooled behaviour is extraction), or only a linked group (an organisation, a class, a NAT). */
  flagged: boolean;
  /** What the links rest on, by shared value, most shared first. */
  evidence: SharedEvidence[];
  /** The group's pooled behaviour, with the group's numbers. */
  reasons: Reason[];
}

export interface EngineOptions {
  /** Share of benign accounts the operator accepts flagging (default 0.005). */
  targetFpr?: number;
  /** A calibration fitted on the operator's own benign traffic, instead of the built-in one. */
  calibration?: Calibration;
}

/** What the gateway (off its request path) and `moat analyze` drive, in timestamp order. */
export interface DetectionEngine {
  /** Upserts what sign-up and billing know about an account. */
  addAccount(account: AccountRecord): void;
  /**
   * Feeds one request; requests must arrive in `ts` order. Never throws, whatever the body holds.
   * `features` are the request's, read elsewhere (a detector worker): the body is then not read.
   */
  observe(request: TrafficRequest, features?: RequestFeatures): void;
  assessment(account: string): AccountAssessment | undefined;
  /** A verdict for every account added, in the shape of TRAFFIC.md. */
  verdicts(): Verdict[];
  /** Linked groups, campaigns among them. */
  campaigns(): CampaignSummary[];
  /**
   * Every account in a linked group, including groups no member has sent a request in since it
   * formed (those have no case, so `campaigns` leaves them out, yet their members' assessments
   * name the group).
   */
  grouped(): string[];
}

/** What enforcement reads of detection: a local engine, or the verdicts a remote one publishes. */
export type DetectionView = Pick<DetectionEngine, 'assessment' | 'campaigns'>;

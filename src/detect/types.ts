import type { AccountRecord, TrafficRequest, Verdict } from '../traffic/types.js';

export type Level = 'none' | 'watch' | 'suspect' | 'high';

/** One piece of evidence, with the number behind it. */
export interface Reason {
  signal: string;
  value: number;
  text: string;
}

export interface AccountAssessment {
  account: string;
  score: number;
  level: Level;
  flagged: boolean;
  firstFlaggedAt: string | null;
  campaign: string | null;
  reasons: Reason[];
  requests: number;
}

export interface CampaignSummary {
  id: string;
  members: string[];
  links: string[];
  score: number;
}

export interface EngineOptions {
  /** Score at or above which an account is flagged. */
  threshold?: number;
}

/** What the gateway (off its request path) and `moat analyze` drive, in timestamp order. */
export interface DetectionEngine {
  /** Upserts what sign-up and billing know about an account. */
  addAccount(account: AccountRecord): void;
  /** Feeds one request; requests must arrive in `ts` order. */
  observe(request: TrafficRequest): void;
  assessment(account: string): AccountAssessment | undefined;
  /** A verdict for every account added, in the shape of TRAFFIC.md. */
  verdicts(): Verdict[];
  campaigns(): CampaignSummary[];
}

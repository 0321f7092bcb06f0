import type { AccountRecord, TrafficRequest, Verdict } from '../traffic/types.js';
import type { AccountAssessment, CampaignSummary, DetectionEngine, Reason } from './types.js';
import { levelOf, toVerdict } from './verdict.js';

const HOUR = 3_600_000;

export interface VolumeOptions {
  /** Requests in the trailing 24 h at which an account is flagged. */
  maxRequests?: number;
  /** Completion tokens in the trailing 24 h at which an account is flagged. */
  maxTokens?: number;
}

/** Trailing 24 h in hourly buckets: exact to the hour, fixed size. */
class Window {
  readonly requests = new Float64Array(24);
  readonly tokens = new Float64Array(24);
  hour = -1;
  total = 0;
  flaggedAt: string | null = null;
  peak = 0;

  advance(hour: number): void {
    if (this.hour >= 0) for (let h = this.hour + 1; h <= Math.min(hour, this.hour + 24); h++) {
      this.requests[h % 24] = 0;
      this.tokens[h % 24] = 0;
    }
    this.hour = hour;
  }

  sum(values: Float64Array): number {
    let s = 0;
    for (const v of values) s += v;
    return s;
  }
}

/** The baseline gateways have today: per-account trailing-24 h request and token thresholds. */
class VolumeDetector implements DetectionEngine {
  private readonly windows = new Map<string, Window>();
  private readonly maxRequests: number;
  private readonly maxTokens: number;

  constructor(options: VolumeOptions) {
    this.maxRequests = options.maxRequests ?? 40;
    this.maxTokens = options.maxTokens ?? 40_000;
  }

  addAccount(account: AccountRecord): void {
    this.window(account.account);
  }

  observe(request: TrafficRequest): void {
    const w = this.window(request.account);
    const hour = Math.floor(Date.parse(request.ts) / HOUR);
    w.advance(hour);
    w.requests[hour % 24]!++;
    w.total++;
    const score = Math.max(w.sum(w.requests) / this.maxRequests, w.sum(w.tokens) / this.maxTokens) / 2;
    w.peak = Math.max(w.peak, Math.min(1, score));
    if (score >= 0.5 && w.flaggedAt === null) w.flaggedAt = request.ts;
    // Tokens are known once the response is back, after the decision.
    w.tokens[hour % 24]! += request.usage.completion_tokens;
  }

  assessment(account: string): AccountAssessment | undefined {
    const w = this.windows.get(account);
    if (!w) return undefined;
    const reasons: Reason[] = [];
    const requests = w.sum(w.requests);
    const tokens = w.sum(w.tokens);
    if (w.flaggedAt) reasons.push({ signal: 'volume', value: w.peak, text: `trailing-24h volume reached ${Math.round(w.peak * 200)}% of the limit`, scope: 'account' });
    reasons.push({ signal: 'last-24h', value: requests, text: `${requests} requests and ${tokens} completion tokens in the last 24 h seen`, scope: 'account' });
    return {
      account,
      score: Math.round(w.peak * 1000) / 1000,
      evidence: Math.round(w.peak * 1000) / 1000,
      level: levelOf(w.peak),
      flagged: w.flaggedAt !== null,
      firstFlaggedAt: w.flaggedAt,
      campaign: null,
      reasons,
      requests: w.total,
    };
  }

  verdicts(): Verdict[] {
    return [...this.windows.keys()].map((account) => toVerdict(this.assessment(account)!));
  }

  campaigns(): CampaignSummary[] {
    return [];
  }

  /** It links no accounts. */
  grouped(): string[] {
    return [];
  }

  private window(account: string): Window {
    let w = this.windows.get(account);
    if (!w) {
      w = new Window();
      this.windows.set(account, w);
    }
    return w;
  }
}

export function createVolumeDetector(options: VolumeOptions = {}): DetectionEngine {
  return new VolumeDetector(options);
}

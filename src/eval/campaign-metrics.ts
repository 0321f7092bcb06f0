import type { LabelRecord, TrafficRequest, Verdict } from '../traffic/types.js';

export interface CampaignResult {
  campaign: string;
  playbook: string;
  accounts: number;
  flagged: number;
  detected: boolean;
  /** Hours from the campaign's first request to its first flag; null when never flagged. */
  hoursToDetect: number | null;
  /** Campaign requests served before its first flag. */
  requestsToDetect: number | null;
  /** Share of the campaign's completion tokens served before each account's own first flag. */
  exposure: number;
}

interface Running {
  playbook: string;
  accounts: Set<string>;
  firstMs: number;
  firstFlagMs: number;
  requestsBeforeFlag: number;
  tokens: number;
  exposedTokens: number;
}

/** Streams the requests once, after the verdicts are known, to time each campaign's detection. */
export async function campaignResults(verdicts: Map<string, Verdict>, labels: LabelRecord[], requests: AsyncIterable<TrafficRequest>): Promise<CampaignResult[]> {
  const byAccount = new Map<string, Running>();
  const campaigns = new Map<string, Running>();
  const flagMs = new Map<string, number>();
  for (const label of labels) {
    if (label.label !== 'extraction' || label.campaign === null) continue;
    let running = campaigns.get(label.campaign);
    if (!running) {
      running = { playbook: label.playbook, accounts: new Set(), firstMs: Infinity, firstFlagMs: Infinity, requestsBeforeFlag: 0, tokens: 0, exposedTokens: 0 };
      campaigns.set(label.campaign, running);
    }
    running.accounts.add(label.account);
    byAccount.set(label.account, running);
    const at = verdicts.get(label.account)?.first_flagged_at;
    const ms = at ? Date.parse(at) : Infinity;
    flagMs.set(label.account, ms);
    running.firstFlagMs = Math.min(running.firstFlagMs, ms);
  }
  for await (const request of requests) {
    const running = byAccount.get(request.account);
    if (!running) continue;
    const ms = Date.parse(request.ts);
    running.firstMs = Math.min(running.firstMs, ms);
    if (ms < running.firstFlagMs) running.requestsBeforeFlag++;
    running.tokens += request.usage.completion_tokens;
    if (ms < flagMs.get(request.account)!) running.exposedTokens += request.usage.completion_tokens;
  }
  return [...campaigns.entries()]
    .map(([campaign, r]) => {
      const flagged = [...r.accounts].filter((a) => verdicts.get(a)?.flagged).length;
      const found = Number.isFinite(r.firstFlagMs);
      return {
        campaign,
        playbook: r.playbook,
        accounts: r.accounts.size,
        flagged,
        detected: flagged * 2 >= r.accounts.size,
        hoursToDetect: found ? Math.max(0, r.firstFlagMs - r.firstMs) / 3_600_000 : null,
        requestsToDetect: found ? r.requestsBeforeFlag : null,
        exposure: r.tokens === 0 ? 0 : r.exposedTokens / r.tokens,
      };
    })
    .sort((a, b) => a.playbook.localeCompare(b.playbook) || a.campaign.localeCompare(b.campaign));
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

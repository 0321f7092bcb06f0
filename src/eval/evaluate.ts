import { openTrafficSet, readLabels, readRequests } from '../traffic/traffic-set.js';
import type { Verdict } from '../traffic/types.js';
import { accountMetrics, breakdown, type AccountMetrics } from './account-metrics.js';
import { campaignResults, median, type CampaignResult } from './campaign-metrics.js';

export interface Evaluation {
  accounts: AccountMetrics;
  /** False positives among the heavy benign personas (product back ends, batch, benchmarks, cohorts). */
  heavyBenignFalsePositives: number;
  campaigns: CampaignResult[];
  campaignsDetected: number;
  medianHoursToDetect: number;
  medianRequestsToDetect: number;
  meanExposure: number;
  maxExposure: number;
  playbooks: { playbook: string; label: string; accounts: number; flagged: number }[];
}

const HEAVY_BENIGN = /^benign:(?:saas|batch|bench|cohort)$/;

/** Scores verdicts against a set's labels as TRAFFIC.md describes. */
export async function evaluate(dir: string, verdictList: Verdict[]): Promise<Evaluation> {
  const set = openTrafficSet(dir);
  const labels = await readLabels(set);
  const verdicts = new Map(verdictList.map((v) => [v.account, v]));
  const campaigns = await campaignResults(verdicts, labels, readRequests(set));
  const hours = campaigns.flatMap((c) => (c.hoursToDetect === null ? [] : [c.hoursToDetect]));
  const requests = campaigns.flatMap((c) => (c.requestsToDetect === null ? [] : [c.requestsToDetect]));
  const exposures = campaigns.map((c) => c.exposure);
  return {
    accounts: accountMetrics(verdicts, labels),
    heavyBenignFalsePositives: labels.filter((l) => HEAVY_BENIGN.test(l.playbook) && verdicts.get(l.account)?.flagged).length,
    campaigns,
    campaignsDetected: campaigns.filter((c) => c.detected).length,
    medianHoursToDetect: median(hours),
    medianRequestsToDetect: median(requests),
    meanExposure: exposures.length === 0 ? 0 : exposures.reduce((a, b) => a + b, 0) / exposures.length,
    maxExposure: Math.max(0, ...exposures),
    playbooks: breakdown(verdicts, labels),
  };
}

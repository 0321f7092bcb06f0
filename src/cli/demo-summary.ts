import { scanRecords } from '../ledger/ledger-rows.js';
import type { Gateway } from '../gateway/gateway.js';
import type { LedgerRecord } from '../ledger/record.js';

/** What the demo shows, every number read back from the gateway's own state after the replay. */
export interface DemoSummary {
  window: { from: string; to: string };
  /** Ledger rows of the demo's accounts in its window. */
  requests: number;
  accounts: { extraction: number; benign: number };
  /** Accounts detection flags, split by the set's labels. */
  flagged: { extraction: number; benign: number };
  /** Linked groups detection holds to be campaigns, and their members. */
  campaigns: { found: number; accounts: number };
  extraction: {
    requests: number;
    refused: number;
    /** Accounts whose enforced decision suspends them, or only throttles them. */
    suspended: number;
    throttled: number;
    /** What the recorded upstream served these accounts: what they would have had without Moat. */
    completionTokensAsked: number;
    /** What the ledger says Moat let through. */
    completionTokensServed: number;
    completionTokensWithheld: number;
  };
  benign: { requests: number; refused: number; completionTokensAsked: number; completionTokensServed: number };
}

export interface DemoLabels {
  /** Account to its label in the set: which side of the summary it counts on, nothing more. */
  labels: ReadonlyMap<string, 'extraction' | 'benign'>;
  /** Completion tokens per account as the set recorded them (its upstream, without Moat). */
  recordedCompletionTokens: ReadonlyMap<string, number>;
}

/**
 * A request Moat did not serve: everything that ended in an error but the upstream's own failure
 * (the set recorded some 429s and 5xx, replayed as they were) or a client hanging up.
 */
export const refusedByMoat = (record: LedgerRecord): boolean =>
  record.status >= 400 && !record.error_code?.startsWith('upstream_') && record.error_code !== 'client_closed';

export async function demoSummary(gateway: Gateway, set: DemoLabels, window: { fromMs: number; toMs: number }): Promise<DemoSummary> {
  await gateway.ledger.flush();
  await gateway.detection?.drain();
  await gateway.enforcement?.enforcer.idle();
  const summary: DemoSummary = {
    window: { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() },
    requests: 0,
    accounts: { extraction: 0, benign: 0 },
    flagged: { extraction: 0, benign: 0 },
    campaigns: { found: 0, accounts: 0 },
    extraction: { requests: 0, refused: 0, suspended: 0, throttled: 0, completionTokensAsked: 0, completionTokensServed: 0, completionTokensWithheld: 0 },
    benign: { requests: 0, refused: 0, completionTokensAsked: 0, completionTokensServed: 0 },
  };
  for await (const record of scanRecords(gateway.store.ledger, { sinceMs: window.fromMs, untilMs: window.toMs + 1 })) {
    const label = set.labels.get(record.account);
    if (!label) continue;
    summary.requests++;
    const side = summary[label];
    side.requests++;
    if (refusedByMoat(record)) side.refused++;
    if (record.status < 400) side.completionTokensServed += record.usage.completion_tokens;
  }
  const engine = gateway.detection;
  for (const [account, label] of set.labels) {
    summary.accounts[label]++;
    if (engine?.assessment(account)?.flagged) summary.flagged[label]++;
    summary[label].completionTokensAsked += set.recordedCompletionTokens.get(account) ?? 0;
    if (label !== 'extraction') continue;
    const decision = gateway.enforcement?.enforcer.decision(account);
    if (!decision?.enforced) continue;
    if (decision.actions.includes('suspend_account')) summary.extraction.suspended++;
    else if (decision.actions.includes('throttle')) summary.extraction.throttled++;
  }
  const campaigns = (engine?.campaigns() ?? []).filter((campaign) => campaign.flagged);
  summary.campaigns = { found: campaigns.length, accounts: new Set(campaigns.flatMap((campaign) => campaign.members)).size };
  summary.extraction.completionTokensWithheld = Math.max(0, summary.extraction.completionTokensAsked - summary.extraction.completionTokensServed);
  return summary;
}

const n = (value: number): string => value.toLocaleString('en-US');
const share = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

export function formatSummary(summary: DemoSummary): string {
  const { extraction: x, benign: b } = summary;
  return [
    'Summary (read back from the ledger, detection and enforcement; the set\'s labels only say which accounts were extraction):',
    `  requests replayed                    ${n(summary.requests)} (${n(x.requests)} from ${n(summary.accounts.extraction)} extraction accounts, ${n(b.requests)} from ${n(summary.accounts.benign)} benign)`,
    `  accounts flagged                     ${n(summary.flagged.extraction + summary.flagged.benign)}: ${n(summary.flagged.extraction)} of ${n(summary.accounts.extraction)} extraction, ${n(summary.flagged.benign)} of ${n(summary.accounts.benign)} benign`,
    `  campaigns found                      ${n(summary.campaigns.found)} (${n(summary.campaigns.accounts)} accounts)`,
    `  extraction requests refused          ${n(x.refused)} of ${n(x.requests)} (${n(x.suspended)} accounts suspended, ${n(x.throttled)} throttled)`,
    `  completion tokens withheld from extraction  ${n(x.completionTokensWithheld)} of the ${n(x.completionTokensAsked)} the set's upstream gave them (${share(x.completionTokensWithheld, x.completionTokensAsked)})`,
    `  benign requests refused              ${n(b.refused)} of ${n(b.requests)} (completion tokens served: ${share(b.completionTokensServed, b.completionTokensAsked)} of what they asked for)`,
  ].join('\n');
}

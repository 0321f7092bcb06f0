import type { TierConfig } from '../config/schema.js';
import type { AccountAssessment, CampaignSummary, Level } from '../detect/types.js';
import type { DetectionReading } from './analysis-cache.js';
import type { AccountUsage, Store, UsageFilter, UsageTotals } from '../store/store.js';
import type { AccountRecord } from '../traffic/types.js';
import type { AccountRow, CampaignRow, Overview, Series } from './api-types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const pick = (t: UsageTotals) => ({ requests: t.requests, completionTokens: t.completionTokens, firstTs: t.firstTs, lastTs: t.lastTs });
const LEVELS: readonly Level[] = ['none', 'watch', 'suspect', 'high'];

/** What detection knows, read after the tap has drained; absent when detection is off. */
export interface DetectionView {
  engine(): Promise<DetectionReading | undefined>;
}

/** Hour buckets for a short span, day buckets past a fortnight: charts stay near 100-400 points. */
export function bucketFor(firstTs: string | null, lastTs: string | null): number {
  if (!firstTs || !lastTs) return HOUR_MS;
  const span = Date.parse(lastTs) - Date.parse(firstTs);
  return span > 16 * DAY_MS ? DAY_MS : span > 2 * DAY_MS ? HOUR_MS : 10 * 60_000;
}

/**
 * The rows every console page is built from: detection's view of each account and campaign
 * joined with the ledger's counts. Counts come from SQL over the ledger only, so the console,
 * the reports and an auditor's own query agree to the token.
 */
export class Investigation {
  constructor(
    readonly store: Store,
    private readonly detection: DetectionView,
    readonly tiers: Readonly<Record<string, TierConfig>>,
    private readonly now: () => number = Date.now,
  ) {}

  async engine(): Promise<DetectionReading | undefined> {
    return this.detection.engine();
  }

  async series(filter: UsageFilter): Promise<Series> {
    const totals = await this.store.usage.totals(filter);
    const bucketMs = bucketFor(totals.firstTs, totals.lastTs);
    return { bucketMs, points: await this.store.usage.series(filter, bucketMs) };
  }

  async accountRows(): Promise<AccountRow[]> {
    const [records, usage, engine] = await Promise.all([this.store.accounts.list(), this.store.usage.byAccount(), this.engine()]);
    const byAccount = new Map(usage.map((u) => [u.account, u]));
    const asOf = this.asOf(usage.reduce<string | null>((latest, u) => (latest === null || u.lastTs > latest ? u.lastTs : latest), null));
    const campaigns = new Set((engine?.campaigns() ?? []).filter((c) => c.flagged).map((c) => c.id));
    return records.map((record) => this.row(record, byAccount.get(record.account), engine?.assessment(record.account), { asOf, campaigns }));
  }

  /**
   * The data's own "now": its latest request. A recorded set is months old, and an account's
   * age against the wall clock would say every account is old; on a live gateway the two agree.
   */
  asOf(latestTs: string | null): number {
    return latestTs ? Date.parse(latestTs) : this.now();
  }

  /** `campaigns`: the ids of the groups that are campaigns, not only linked groups. */
  row(record: AccountRecord, usage: AccountUsage | undefined, assessment: AccountAssessment | undefined, at: { asOf: number; campaigns: ReadonlySet<string> }): AccountRow {
    return {
      account: record.account,
      tier: record.tier,
      createdAt: record.created_at,
      ageDays: Math.max(0, Math.floor((at.asOf - Date.parse(record.created_at)) / DAY_MS)),
      score: assessment?.score ?? 0,
      level: assessment?.level ?? 'none',
      flagged: assessment?.flagged ?? false,
      firstFlaggedAt: assessment?.firstFlaggedAt ?? null,
      campaign: assessment?.campaign ?? null,
      campaignFlagged: assessment?.campaign ? at.campaigns.has(assessment.campaign) : false,
      requests: usage?.requests ?? 0,
      completionTokens: usage?.completionTokens ?? 0,
      firstTs: usage?.firstTs ?? null,
      lastTs: usage?.lastTs ?? null,
    };
  }

  async campaign(id: string): Promise<CampaignSummary | undefined> {
    return (await this.engine())?.campaigns().find((c) => c.id === id);
  }

  async campaignRow(summary: CampaignSummary): Promise<CampaignRow> {
    const totals = await this.store.usage.totals({ accounts: summary.members });
    const engine = await this.engine();
    const flagged = summary.members.filter((m) => engine?.assessment(m)?.flagged === true).length;
    return { id: summary.id, campaign: summary.flagged, accounts: summary.members.length, flagged, score: summary.score, links: summary.links, ...pick(totals) };
  }

  /** Campaigns with flagged members first, by score; unflagged look-alike groups after. */
  async campaignRows(accounts?: readonly AccountRow[]): Promise<CampaignRow[]> {
    const engine = await this.engine();
    if (!engine) return [];
    const rows = new Map((accounts ?? (await this.accountRows())).map((r) => [r.account, r]));
    // Summed from the per-account ledger aggregates: one GROUP BY instead of a query per campaign.
    const out = engine.campaigns().map((c): CampaignRow => {
      const members = c.members.map((m) => rows.get(m)).filter((r): r is AccountRow => r !== undefined);
      const active = members.filter((r) => r.firstTs !== null);
      return {
        id: c.id,
        campaign: c.flagged,
        accounts: c.members.length,
        flagged: members.filter((r) => r.flagged).length,
        score: c.score,
        links: c.links,
        requests: members.reduce((sum, r) => sum + r.requests, 0),
        completionTokens: members.reduce((sum, r) => sum + r.completionTokens, 0),
        firstTs: active.map((r) => r.firstTs!).sort()[0] ?? null,
        lastTs: active.map((r) => r.lastTs!).sort().at(-1) ?? null,
      };
    });
    return out.sort((a, b) => Number(b.flagged > 0) - Number(a.flagged > 0) || b.score - a.score || b.accounts - a.accounts || a.id.localeCompare(b.id));
  }

  async overview(): Promise<Overview> {
    const accounts = await this.accountRows();
    const levels = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
    for (const row of accounts) levels[row.level]++;
    const alerts = accounts
      .filter((r) => r.firstFlaggedAt !== null)
      .sort((a, b) => b.firstFlaggedAt!.localeCompare(a.firstFlaggedAt!))
      .slice(0, 10);
    const topAccounts = [...accounts].sort((a, b) => b.score - a.score || b.requests - a.requests).slice(0, 10);
    const [totals, series, campaigns] = await Promise.all([this.store.usage.totals({}), this.series({}), this.campaignRows(accounts)]);
    return { totals, series, levels, alerts, topAccounts, topCampaigns: campaigns.slice(0, 10) };
  }
}

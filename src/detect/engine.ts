import type { AccountRecord, TrafficRequest, Verdict } from '../traffic/types.js';
import { AccountLinks } from './account-links.js';
import { automationBoost, benchmarkShape, coordinationEvidence, coverageEvidence, sweepEvidence, tallyEvidence } from './account-score.js';
import { AccountState } from './account-state.js';
import { CampaignGraph } from './campaign-graph.js';
import { harvestScore } from './harvest-score.js';
import { ItemIndex } from './item-index.js';
import { requestFeatures } from './request-features.js';
import { Tally } from './tally.js';
import type { AccountAssessment, CampaignSummary, DetectionEngine, EngineOptions, Reason } from './types.js';
import { levelOf, toVerdict } from './verdict.js';

interface Pool {
  tally: Tally;
  members: number[];
  flagged: boolean;
  /** Range of the members' sign-up times. */
  createdMin: number;
  createdMax: number;
}

interface Entry {
  id: number;
  account: string;
  createdMs: number | undefined;
  state: AccountState;
  peak: number;
  reasons: Reason[];
  flaggedAt: string | null;
}

/** A campaign's pooled evidence counts a little less than an account's own. */
const CAMPAIGN_DISCOUNT = 0.9;

class Engine implements DetectionEngine {
  private readonly threshold: number;
  private readonly entries: Entry[] = [];
  private readonly byAccount = new Map<string, Entry>();
  private readonly graph = new CampaignGraph();
  private readonly links = new AccountLinks();
  /** Pooled tallies and member lists of components with two or more accounts, by root. */
  private readonly pools = new Map<number, Pool>();
  private readonly items = new ItemIndex();

  constructor(options: EngineOptions) {
    this.threshold = options.threshold ?? 0.5;
  }

  addAccount(record: AccountRecord): void {
    const entry = this.entry(record.account);
    entry.createdMs = Date.parse(record.created_at);
    const ms = Number.isFinite(entry.createdMs) ? entry.createdMs : 0;
    const pool = this.pool(entry.id);
    if (pool) {
      pool.createdMin = Math.min(pool.createdMin, ms);
      pool.createdMax = Math.max(pool.createdMax, ms);
    }
    for (const link of this.links.fromAccount(entry.id, record, ms)) this.link(entry.id, link.other, link.kind, undefined);
  }

  observe(request: TrafficRequest): void {
    const entry = this.entry(request.account);
    const f = requestFeatures(request);
    const harvest = harvestScore(f);
    // Widely shared items (a third asker or later) are an assignment or a public test set; an
    // item passed between two accounts is a link between them instead.
    const item = this.items.ask(f.skeleton.content, entry.id);
    const shared = item.first !== entry.id && item.byOthers >= 1;
    if (item.first !== entry.id && f.singleTurn) this.link(entry.id, item.first, 'shared-item', request.ts);
    entry.state.observeRequest(f, harvest, shared);
    this.pool(entry.id)?.tally.addRequest(f, harvest, false, shared);
    for (const link of this.links.fromRequest(entry.id, f, request.ip)) this.link(entry.id, link.other, link.kind, request.ts);
    this.decide(entry, f.ms, request.ts);
    // The response is only known after the decision on this request was taken.
    entry.state.tally.addUsage(request.usage.prompt_tokens, request.usage.completion_tokens);
    this.pool(entry.id)?.tally.addUsage(request.usage.prompt_tokens, request.usage.completion_tokens);
  }

  assessment(account: string): AccountAssessment | undefined {
    const entry = this.byAccount.get(account);
    if (!entry) return undefined;
    let score = entry.peak;
    let reasons = entry.reasons;
    // Members flagged through their campaign may have sent nothing since: show the campaign's case.
    const pool = this.pool(entry.id);
    if (pool && entry.flaggedAt !== null) {
      const campaign = this.campaignScore(pool);
      if (campaign.score > score) {
        score = campaign.score;
        reasons = [this.campaignReason(entry.id, pool), ...campaign.reasons];
      }
    }
    return {
      account,
      score: round(score),
      level: levelOf(score),
      flagged: entry.flaggedAt !== null,
      firstFlaggedAt: entry.flaggedAt,
      campaign: this.campaignId(entry.id),
      reasons,
      requests: entry.state.tally.requests,
    };
  }

  verdicts(): Verdict[] {
    return this.entries.map((entry) => toVerdict(this.assessment(entry.account)!));
  }

  campaigns(): CampaignSummary[] {
    const out: CampaignSummary[] = [];
    for (const [root, pool] of this.pools) {
      out.push({
        id: `k${root}`,
        members: pool.members.map((id) => this.entries[id]!.account),
        links: this.graph.linkKinds(root),
        score: round(this.campaignScore(pool).score),
      });
    }
    return out.sort((a, b) => b.members.length - a.members.length || a.id.localeCompare(b.id));
  }

  private entry(account: string): Entry {
    let entry = this.byAccount.get(account);
    if (!entry) {
      const id = this.graph.add();
      entry = { id, account, createdMs: undefined, state: new AccountState(), peak: 0, reasons: [], flaggedAt: null };
      this.entries.push(entry);
      this.byAccount.set(account, entry);
    }
    return entry;
  }

  private pool(id: number): Pool | undefined {
    return this.pools.get(this.graph.find(id));
  }

  private campaignId(id: number): string | null {
    return this.pools.has(this.graph.find(id)) ? `k${this.graph.find(id)}` : null;
  }

  private campaignScore(pool: Pool, withReasons = true): { score: number; reasons: Reason[] } {
    const evidence = tallyEvidence(pool.tally, withReasons);
    const spread = pool.createdMax >= pool.createdMin ? (pool.createdMax - pool.createdMin) / 86_400_000 : Infinity;
    const coordination = coordinationEvidence(pool.tally, pool.members.length, spread);
    const score = Math.min(1, evidence.score + coordination.score);
    return { score: score * CAMPAIGN_DISCOUNT, reasons: [...coordination.reasons, ...evidence.reasons] };
  }

  private link(a: number, b: number, kind: Parameters<CampaignGraph['link']>[2], ts: string | undefined): void {
    const merge = this.graph.link(a, b, kind);
    if (!merge.merged) return;
    const from = this.pools.get(merge.from) ?? this.solo(merge.from);
    const into = this.pools.get(merge.into) ?? this.solo(merge.into);
    into.tally.merge(from.tally);
    into.members.push(...from.members);
    into.createdMin = Math.min(into.createdMin, from.createdMin);
    into.createdMax = Math.max(into.createdMax, from.createdMax);
    this.pools.delete(merge.from);
    this.pools.set(merge.into, into);
    if (ts !== undefined && (into.flagged || from.flagged)) this.flagMembers(into, ts);
  }

  private solo(id: number): Pool {
    const entry = this.entries[id]!;
    const tally = new Tally();
    tally.merge(entry.state.tally);
    // Unknown sign-up times are left out of the range rather than widening it.
    return { tally, members: [id], flagged: entry.flaggedAt !== null, createdMin: entry.createdMs ?? Infinity, createdMax: entry.createdMs ?? -Infinity };
  }

  private decide(entry: Entry, ms: number, ts: string): void {
    const pool = this.pool(entry.id);
    const { score, campaign } = this.evaluate(entry, pool, ms, false);
    if (pool && campaign >= this.threshold && !pool.flagged) this.flagMembers(pool, ts);
    if (score >= entry.peak) {
      entry.peak = score;
      entry.reasons = this.evaluate(entry, pool, ms, true).reasons;
    }
    if (score >= this.threshold && entry.flaggedAt === null) entry.flaggedAt = ts;
  }

  /** The account's score: its own evidence, or its campaign's when that is stronger. */
  private evaluate(entry: Entry, pool: Pool | undefined, ms: number, withReasons: boolean): { score: number; campaign: number; reasons: Reason[] } {
    const own = tallyEvidence(entry.state.tally, withReasons);
    const sweep = sweepEvidence(entry.state);
    const coverage = coverageEvidence(entry.state);
    const boost = automationBoost(entry.state, entry.createdMs, ms, withReasons);
    const bench = benchmarkShape(entry.state);
    const evidence = own.score + sweep.score + coverage.score;
    const score = Math.min(1, evidence * boost.score * bench.score);
    const campaign = pool ? this.campaignScore(pool, withReasons) : { score: 0, reasons: [] };
    if (campaign.score > score) {
      const head = withReasons ? [this.campaignReason(entry.id, pool!)] : [];
      return { score: campaign.score, campaign: campaign.score, reasons: [...head, ...campaign.reasons] };
    }
    const reasons = withReasons ? [...sweep.reasons, ...coverage.reasons, ...own.reasons, ...(evidence > 0.1 ? [...boost.reasons, ...bench.reasons] : [])] : [];
    return { score, campaign: campaign.score, reasons };
  }

  private campaignReason(id: number, pool: Pool): Reason {
    const text = `campaign k${this.graph.find(id)}: ${pool.members.length} linked accounts (${this.graph.linkKinds(id).join(', ')})`;
    return { signal: 'campaign', value: pool.members.length, text };
  }

  private flagMembers(pool: Pool, ts: string): void {
    pool.flagged = true;
    for (const id of pool.members) {
      const member = this.entries[id]!;
      if (member.flaggedAt === null) member.flaggedAt = ts;
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function createEngine(options: EngineOptions = {}): DetectionEngine {
  return new Engine(options);
}

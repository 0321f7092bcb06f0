import type { AccountRecord, TrafficRequest, Verdict } from '../traffic/types.js';
import { AccountIndex } from './account-index.js';
import { AccountState, StatePool } from './account-state.js';
import { Calibration, DEFAULT_CALIBRATION } from './calibration.js';
import { requestFeatures, type RequestFeatures } from './features.js';
import { GroupBook, type GroupCase } from './group-book.js';
import { Groups } from './groups.js';
import { harvestIntent } from './harvest-score.js';
import { ItemIndex } from './item-index.js';
import { LinkStore, subnetOf } from './links.js';
import { assess, type BehaviourView, type Reading } from './signals.js';
import { accountView, PeakViews, type Entry } from './entry.js';
import type { AccountAssessment, CampaignSummary, DetectionEngine, EngineOptions, Reason } from './types.js';
import { levelOf, toVerdict } from './verdict.js';

const HOUR = 3_600_000;
/**
 * Regrouping the accounts whose links changed runs every quarter of an hour of traffic time, or
 * on a busy gateway after this many requests (but not more than once a minute): links change
 * slowly, and a regrouping walks whole groups.
 */
const REGROUP_EVERY = 20_000;
const REGROUP_MIN_MS = 60_000;
/** Other accounts that must have asked an item before it counts as widely asked: a class or a viral prompt, not the few evaluators and harvesters any public benchmark item sees. */
const WIDELY_ASKED = 8;
const REGROUP_AFTER_MS = 15 * 60_000;
/** Every group is re-checked this often, so groups held by fading links split again. */
const FADE_CHECK_MS = 6 * HOUR;

class Engine implements DetectionEngine {
  private readonly calibration: Calibration;
  private readonly entries: Entry[] = [];
  private readonly byAccount = new AccountIndex(this.entries);
  /** Accounts' reasons worded from their peak views when asked for, until their next peak: only those asked about hold any. */
  private readonly reasons = new Map<number, Reason[]>();
  private readonly pool = new StatePool();
  private readonly peaks = new PeakViews();
  private readonly items = new ItemIndex();
  private readonly links = new LinkStore();
  private readonly groups = new Groups(this.links);
  private readonly book: GroupBook;
  private sinceRegroup = 0;
  private lastFadeCheck = -Infinity;
  private lastRegroupMs = -Infinity;

  constructor(options: EngineOptions) {
    this.calibration = options.calibration ?? DEFAULT_CALIBRATION.withTarget(options.targetFpr);
    this.book = new GroupBook(this.entries, this.links, this.calibration, this.groups.live);
  }

  addAccount(record: AccountRecord): void {
    const entry = this.entry(record.account);
    // Its age is in its live peak's view: that view is kept as it stands before the age moves.
    if (entry.livePeak) this.snapshotPeak(entry);
    const created = Date.parse(record.created_at);
    entry.state.createdMs = Number.isFinite(created) ? created : undefined;
    this.links.addAccount(entry.id, record, entry.state.createdMs ?? 0);
  }

  observe(request: TrafficRequest, features?: RequestFeatures): void {
    const entry = this.entry(typeof request.account === 'string' ? request.account : '');
    const f = features ?? requestFeatures(request);
    const harvest = harvestIntent(f);
    const ip = typeof request.ip === 'string' ? request.ip : '';
    // Items many accounts ask are an assignment, a viral prompt or a public test set; a few
    // harvesters drawing on one public dataset overlap less than that.
    const item = entry.state.itemOf(f);
    const shared = item !== undefined && this.items.askAny(item, entry.id) >= WIDELY_ASKED;
    entry.state.observe(f, harvest, shared, item);
    this.linkTraffic(entry, f, ip, typeof request.user_agent === 'string' ? request.user_agent : '');
    this.regroupIfDue(f.ms);
    this.decide(entry, f.ms, typeof request.ts === 'string' ? request.ts : new Date(f.ms).toISOString());
    // The response is only known after the decision on this request was taken.
    const usage = request.usage;
    const promptTokens = count(usage?.prompt_tokens);
    const completionTokens = count(usage?.completion_tokens);
    if (!entry.livePeak || !entry.addLiveUsage(promptTokens, completionTokens)) {
      if (entry.livePeak) this.snapshotPeak(entry);
      entry.state.tally.addUsage(promptTokens, completionTokens);
    }
    entry.state.answered(count(request.latency_ms));
  }

  assessment(account: string): AccountAssessment | undefined {
    const entry = this.byAccount.get(account);
    if (!entry) return undefined;
    const group = this.groups.of(entry.id);
    const kase = group && this.book.caseOf(group);
    let score = entry.state.peak;
    let reasons = this.reasons.get(entry.id);
    if (reasons === undefined) {
      const peak = entry.livePeak ? livePeakView(entry) : entry.peakSlot >= 0 ? this.peaks.read(entry.peakSlot) : undefined;
      reasons = peak ? toReasons(assess(peak, true).readings) : [];
      this.reasons.set(entry.id, reasons);
    }
    if (kase?.campaign && entry.viaGroup) {
      score = Math.max(score, kase.score);
      reasons = [...this.book.memberReasons(entry, kase), ...reasons];
    }
    return {
      account,
      score: round(score),
      evidence: round(entry.state.peakRaw),
      level: levelOf(score),
      flagged: entry.flaggedAt !== null,
      firstFlaggedAt: entry.flaggedAt,
      campaign: group?.id ?? null,
      reasons,
      requests: entry.state.tally.requests,
    };
  }

  verdicts(): Verdict[] {
    return this.entries.map((entry) => toVerdict(this.assessment(entry.account)!));
  }

  campaigns(): CampaignSummary[] {
    return this.book.summaries(this.lastMs());
  }

  grouped(): string[] {
    const accounts: string[] = [];
    for (const group of this.groups.live.values()) for (const id of group.members) accounts.push(this.entries[id]!.account);
    return accounts;
  }

  private lastMs(): number {
    let last = 0;
    for (const entry of this.entries) last = Math.max(last, entry.state.lastMs);
    return last;
  }

  private entry(account: string): Entry {
    let entry = this.byAccount.get(account);
    if (!entry) {
      entry = new AccountState(this.pool, this.entries.length, account);
      this.entries.push(entry);
      this.byAccount.add(entry.id);
    }
    return entry;
  }

  private linkTraffic(entry: Entry, f: RequestFeatures, ip: string, userAgent: string): void {
    const id = entry.id;
    this.links.touch(id, 'ip', ip, f.ms);
    this.links.touch(id, 'subnet', subnetOf(ip), f.ms);
    this.links.touch(id, 'user-agent', userAgent, f.ms);
    if (f.refused || f.embedding) return;
    const template = entry.state.template();
    if (template !== 0) this.links.touch(id, 'wrapper', template.toString(16), f.ms);
    if (f.system !== 0) this.links.touch(id, 'system-prompt', f.system.toString(16), f.ms);
  }

  private regroupIfDue(ms: number): void {
    this.sinceRegroup++;
    const since = ms - this.lastRegroupMs;
    const fading = ms - this.lastFadeCheck >= FADE_CHECK_MS;
    const due = since >= REGROUP_AFTER_MS || (this.sinceRegroup >= REGROUP_EVERY && since >= REGROUP_MIN_MS);
    if (!fading && !(due && this.links.hasDirty())) return;
    this.sinceRegroup = 0;
    this.lastRegroupMs = ms;
    const seeds = this.links.takeDirty();
    if (fading) {
      this.lastFadeCheck = ms;
      this.links.sweep(ms);
      for (const group of this.groups.live.values()) for (const id of group.members) seeds.add(id);
    }
    if (seeds.size === 0) return;
    this.groups.regroup(seeds, ms);
    this.book.regrouped();
  }

  private decide(entry: Entry, ms: number, ts: string): void {
    const group = this.groups.of(entry.id);
    const view = accountView(entry, ms);
    const within = group ? (this.book.caseOf(group)?.within ?? 0) : 0;
    const raised = within > view.itemOverlap;
    // The view is this call's own: raised in place, it keeps the one shape every view has (a
    // spread copy had another, and the signal table's code was thrown away and optimised again).
    if (raised) view.itemOverlap = within;
    const own = assess(view, false);
    const score = this.calibration.score(own.raw);
    const state = entry.state;
    if (score >= state.peak) {
      state.peak = score;
      state.peakRaw = Math.max(state.peakRaw, own.raw);
      // A peak of 0 is every request's until one scores more, so the state itself holds it.
      const live = score === 0 && !raised && entry.peakSlot < 0;
      entry.livePeak = live;
      if (!live) {
        if (entry.peakSlot < 0) entry.peakSlot = this.peaks.take();
        this.peaks.keep(entry.peakSlot, view);
      }
      if (this.reasons.size > 0) this.reasons.delete(entry.id);
    }
    if (score >= this.calibration.threshold && entry.flaggedAt === null) entry.flaggedAt = ts;
    if (!group) return;
    const { kase, rebuilt } = this.book.update(group, ms);
    if (!kase.campaign) return;
    if (kase.flaggedAt === null) kase.flaggedAt = ts;
    // When the case was rebuilt, every member whose own traffic now carries its share is flagged
    // with the group; in between, only the member that just spoke can have changed.
    for (const id of rebuilt ? group.members : [entry.id]) this.flagWithGroup(this.entries[id]!, kase, ms, ts);
  }

  /** Keeps a live peak's view (see AccountState.livePeak) before the state moves on from it. */
  private snapshotPeak(entry: Entry): void {
    entry.peakSlot = this.peaks.take();
    this.peaks.keep(entry.peakSlot, livePeakView(entry));
    entry.livePeak = false;
  }

  private flagWithGroup(member: Entry, kase: GroupCase, ms: number, ts: string): void {
    if (member.flaggedAt !== null || !this.book.carriesShare(member, kase, ms)) return;
    member.flaggedAt = ts;
    member.viaGroup = true;
  }
}

/**
 * A live peak's view: the account's own behaviour as its last request left it, before that
 * request's usage was added (decisions are taken before the response is known).
 */
function livePeakView(entry: Entry): BehaviourView {
  const view = accountView(entry, entry.lastMs);
  view.tally = entry.tallyBeforeUsage();
  return view;
}

function toReasons(readings: readonly Reading[]): Reason[] {
  return readings.map((r) => ({ signal: r.signal.name, value: round(r.strength), text: r.text, scope: 'account' as const }));
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function createEngine(options: EngineOptions = {}): DetectionEngine {
  return new Engine(options);
}

import type { Calibration } from './calibration.js';
import { accountView, type Entry } from './entry.js';
import type { Group } from './groups.js';
import type { LinkKind, LinkStore } from './links.js';
import { assess, memberDiscountOf, type BehaviourView, type Reading, type Signal } from './signals.js';
import { DistinctCounter } from './sketches.js';
import { Tally } from './tally.js';
import type { CampaignSummary, Reason, SharedEvidence } from './types.js';

/**
 * Member requests between rebuilds of a group's pooled behaviour: about one per active member,
 * so a small group's picture (a class starting its homework) is fresh and a big one's costs O(1)
 * a request.
 */
const REBUILD_MIN = 3;
const REBUILD_MAX = 50;
/** A member's own harvest share must reach this fraction of the group's to be flagged with it. */
const SHARE_OF_GROUP = 0.6;
/** ... and rest on at least this many of its own requests. */
const MIN_OWN = 3;
/** Members whose own discounts leave less than this of their evidence are left out of the pool. */
const EXPLAINED = 0.5;
/** How many of the group's strongest counted signals a member may show its share of. */
const DRIVERS = 2;

/** Members with fewer distinct items than this say nothing about overlap (each item holds two keys). */
const MIN_ITEMS = 10;
/** An item is the group's common assignment when this many members ask it, and at least this share of them. */
const ASSIGNMENT_QUORUM = 3;
const ASSIGNMENT_SHARE = 0.2;
/** Share of members' items that are common from which a group reads as sharing an assignment, and the span to full strength. */
const ASSIGNMENT_FROM = 0.2;
const ASSIGNMENT_SPAN = 0.3;
/** How much of a group's assignment reading fades per rebuild when it is no longer seen. */
const ASSIGNMENT_FADE = 0.02;
/** Members sharing one template that make it a fleet's rather than a customer's. */
const FLEET = 3;

function fleetTemplates(members: readonly Entry[]): Set<number> {
  const counts = new Map<number, number>();
  for (const member of members) {
    const template = member.state.template();
    if (template !== 0) counts.set(template, (counts.get(template) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= FLEET).map(([template]) => template));
}

/** The member shows its share of one piece of the group's counted evidence. */
function carries(own: Tally, pooled: Tally, driver: Signal): boolean {
  const mine = driver.count!.of(own);
  return mine >= MIN_OWN && own.share(mine) >= SHARE_OF_GROUP * pooled.share(driver.count!.of(pooled));
}

/** What the engine holds on one linked group: its pooled behaviour and whether that is a campaign. */
export interface GroupCase {
  group: Group;
  builtVersion: number;
  sinceBuild: number;
  pooled: Tally;
  /** Members with traffic. */
  active: number;
  score: number;
  campaign: boolean;
  flaggedAt: string | null;
  readings: Reading[];
  /** The counted evidence signals that weigh most in the pooled score. */
  drivers: Signal[];
  /** Templates run by several members: a fleet's rotation, not one customer's harness. */
  fleetTemplates: Set<number>;
  /** How far members ask each other's items (an assignment), in [0, 1]; members' own evidence is read in its light. */
  within: number;
  /** Enough members have asked enough items to tell an assignment from a deck. */
  judged: boolean;
}

/**
 * Who is grouped is not what the group does: a class, a company or a family on one card is a group
 * and most groups are innocent. A group becomes a campaign from its pooled behaviour, scored with
 * the same signal table as one account, so many members each below threshold add up; and a member
 * is flagged with its campaign only when its own traffic carries its share of that behaviour.
 */
export class GroupBook {
  private readonly cases = new Map<string, GroupCase>();

  constructor(
    private readonly entries: readonly Entry[],
    private readonly links: LinkStore,
    private readonly calibration: Calibration,
    private readonly live: ReadonlyMap<string, Group>,
  ) {}

  caseOf(group: Group): GroupCase | undefined {
    return this.cases.get(group.id);
  }

  /** After a regrouping: cases follow their groups' new membership, and dissolved groups' cases go. */
  regrouped(): void {
    for (const [id, kase] of this.cases) {
      const group = this.live.get(id);
      if (group) kase.group = group;
      else this.cases.delete(id);
    }
  }

  /** The group's case as of `ms`, rebuilt when its membership changed or enough members spoke. */
  update(group: Group, ms: number): { kase: GroupCase; rebuilt: boolean } {
    let kase = this.cases.get(group.id);
    if (!kase) {
      kase = { group, builtVersion: -1, sinceBuild: 0, pooled: new Tally(), active: 0, score: 0, campaign: false, flaggedAt: null, readings: [], drivers: [], fleetTemplates: new Set(), within: 0, judged: false };
      this.cases.set(group.id, kase);
    }
    kase.group = group;
    const every = Math.min(REBUILD_MAX, Math.max(REBUILD_MIN, kase.active));
    if (kase.builtVersion === group.version && ++kase.sinceBuild < every) return { kase, rebuilt: false };
    kase.builtVersion = group.version;
    kase.sinceBuild = 0;
    const view = this.pooledView(kase, ms);
    const { raw, readings } = assess(view, true, true);
    kase.score = this.calibration.score(raw);
    kase.readings = readings;
    kase.drivers = readings.filter((r) => r.signal.kind === 'evidence' && r.signal.count !== undefined).slice(0, DRIVERS).map((r) => r.signal);
    // One heavy member is its own case; a campaign needs its behaviour spread over members.
    kase.campaign = kase.judged && kase.score >= this.calibration.threshold && this.carriers(kase, ms, 2) >= 2;
    return { kase, rebuilt: true };
  }

  /** Members carrying their share of the group's behaviour, counted up to `enough`: a member's check reads its whole view. */
  private carriers(kase: GroupCase, ms: number, enough: number): number {
    let n = 0;
    for (const id of kase.group.members) if (this.carriesShare(this.entries[id]!, kase, ms) && ++n >= enough) break;
    return n;
  }

  private pooledView(kase: GroupCase, ms: number): BehaviourView {
    const pooled = new Tally();
    const views: BehaviourView[] = [];
    const members: Entry[] = [];
    kase.fleetTemplates = fleetTemplates(kase.group.members.map((id) => this.entries[id]!));
    for (const id of kase.group.core) {
      const entry = this.entries[id]!;
      if (entry.state.tally.requests === 0) continue;
      const view = accountView(entry, ms);
      // A member whose own traffic a legitimate shape explains (a benchmark run, conversations, a
      // product's end users) adds nothing to what the group is suspected of.
      if (memberDiscountOf(view, this.inFleet(entry, kase)) < EXPLAINED) continue;
      pooled.merge(entry.state.tally);
      views.push(view);
      members.push(entry);
    }
    kase.pooled = pooled;
    kase.active = views.length;
    // One loop for every aggregate: each closure, spread and array method here made the function
    // that much bigger to optimise, and it is optimised on every replay's start (tens of ms a time).
    let activeSlots = 0;
    let activeHours = 0;
    let spanDays = 0;
    let taskSpread = 0;
    let perDay = 0;
    let requests = 0;
    let wrapperSum = 0;
    let taskSum = 0;
    const ages: number[] = [];
    for (const v of views) {
      activeSlots += v.activeSlots;
      activeHours = Math.max(activeHours, v.activeHours);
      spanDays = Math.max(spanDays, v.spanDays);
      taskSpread = Math.max(taskSpread, v.taskSpread);
      perDay += v.perDay;
      // Averages weighted by each member's requests.
      wrapperSum += v.wrapperConcentration * v.tally.requests;
      taskSum += v.dominantTask * v.tally.requests;
      requests += v.tally.requests;
      if (v.ageDays !== undefined) ages.push(v.ageDays);
    }
    // How far members ask one set of items between them: a class shares one assignment (each item
    // asked by many students, even early, in any order), a hydra deals one deck (each item asked
    // once, or by a couple of accounts once the deck runs out and comes round again).
    const sketches: DistinctCounter[] = [];
    for (const member of members) if (member.state.contents.estimate() >= MIN_ITEMS) sketches.push(member.state.contents);
    const quorum = Math.max(ASSIGNMENT_QUORUM, Math.ceil(ASSIGNMENT_SHARE * sketches.length));
    const common = sketches.length < ASSIGNMENT_QUORUM ? 0 : DistinctCounter.commonShare(sketches, quorum);
    const within = Math.min(1, Math.max(0, (common - ASSIGNMENT_FROM) / ASSIGNMENT_SPAN));
    // Students working one assignment in order have the leaders' latest items to themselves for a
    // while: what the group showed once it keeps, fading slowly.
    kase.within = Math.max(within, kase.within - ASSIGNMENT_FADE);
    // Until a few members have asked enough, an assignment cannot be told from a deck.
    kase.judged = sketches.length >= ASSIGNMENT_QUORUM;
    ages.sort((a, b) => a - b);
    return {
      tally: pooled,
      members: Math.max(1, views.length),
      activeSlots,
      activeHours,
      spanDays,
      wrapperConcentration: requests === 0 ? 0 : wrapperSum / requests,
      dominantTask: requests === 0 ? 0 : taskSum / requests,
      taskSpread,
      perDay,
      itemOverlap: Math.max(kase.within, pooled.share(pooled.sharedItems)),
      ageDays: ages.length === 0 ? undefined : ages[ages.length >> 1],
    };
  }

  /** The member's own traffic shows its share of the group's behaviour, and no legitimate shape explains it. */
  carriesShare(entry: Entry, kase: GroupCase, ms: number): boolean {
    const own = entry.state.tally;
    if (!kase.drivers.some((driver) => carries(own, kase.pooled, driver))) return false;
    return memberDiscountOf(accountView(entry, ms), this.inFleet(entry, kase)) >= EXPLAINED;
  }

  private inFleet(entry: Entry, kase: GroupCase): boolean {
    const template = entry.state.template();
    return template !== 0 && kase.fleetTemplates.has(template);
  }

  /** Why a member is flagged through its campaign: the campaign's numbers, then its own part, each labelled. */
  memberReasons(entry: Entry, kase: GroupCase): Reason[] {
    const own = entry.state.tally;
    const pooled = kase.pooled;
    const head = kase.readings.find((r) => r.signal.kind === 'evidence');
    const campaign: Reason = {
      signal: 'campaign',
      value: kase.group.members.length,
      scope: 'campaign',
      text: `campaign ${kase.group.id}: ${kase.group.members.length} linked accounts${head ? `; together ${head.text}` : ''}`,
    };
    const parts = kase.drivers.filter((driver) => carries(own, pooled, driver));
    const shares: Reason[] = parts.map((driver) => {
      const mine = driver.count!.of(own);
      return {
        signal: `share:${driver.name}`,
        value: Math.round(own.share(mine) * 1000) / 1000,
        scope: 'account',
        text: `its own part: ${mine.toLocaleString('en-US')} of its ${own.chats.toLocaleString('en-US')} requests are ${driver.count!.noun} (campaign: ${Math.round(pooled.share(driver.count!.of(pooled)) * 100)}%)`,
      };
    });
    return [campaign, ...shares];
  }

  summaries(ms: number): CampaignSummary[] {
    const out: CampaignSummary[] = [];
    for (const group of this.live.values()) {
      const kase = this.cases.get(group.id);
      if (!kase) continue;
      const members = group.members;
      const evidence = this.sharedEvidence(members, ms);
      out.push({
        id: group.id,
        members: members.map((id) => this.entries[id]!.account),
        links: [...new Set(evidence.map((e) => e.kind))] as LinkKind[],
        score: Math.round(kase.score * 1000) / 1000,
        flagged: kase.campaign,
        evidence,
        reasons: kase.readings.map((r) => ({ signal: r.signal.name, value: Math.round(r.strength * 1000) / 1000, text: r.text, scope: 'campaign' as const })),
      });
    }
    return out.sort((a, b) => Number(b.flagged) - Number(a.flagged) || b.members.length - a.members.length || a.id.localeCompare(b.id));
  }

  /** The links inside a group, grouped by the value they rest on: "58 accounts share card pf_…". */
  private sharedEvidence(members: readonly number[], ms: number): SharedEvidence[] {
    const inside = new Set(members);
    const byValue = new Map<string, { kind: LinkKind; label: string; accounts: Set<number>; holders: number; weight: number; lastSeen: number | null }>();
    for (const a of members) {
      for (const pair of this.links.pairsOf(a)) {
        const b = this.links.other(pair, a);
        if (b <= a || !inside.has(b)) continue;
        for (const e of this.links.evidence(pair, ms)) {
          const key = `${e.kind}\u0000${e.value}`;
          let row = byValue.get(key);
          if (!row) {
            row = { kind: e.kind, label: e.label, accounts: new Set(), holders: e.holders, weight: 0, lastSeen: null };
            byValue.set(key, row);
          }
          row.accounts.add(a).add(b);
          row.weight = Math.max(row.weight, e.weight);
          if (e.lastSeenMs !== null) row.lastSeen = Math.max(row.lastSeen ?? 0, e.lastSeenMs);
        }
      }
    }
    return [...byValue.values()]
      .map((row) => ({
        kind: row.kind,
        label: row.label,
        accounts: [...row.accounts].sort((x, y) => x - y).map((id) => this.entries[id]!.account),
        holders: row.holders,
        weight: Math.round(row.weight * 1000) / 1000,
        lastSeen: row.lastSeen === null ? null : new Date(row.lastSeen).toISOString(),
      }))
      .sort((x, y) => y.accounts.length - x.accounts.length || y.weight - x.weight || x.label.localeCompare(y.label));
  }
}

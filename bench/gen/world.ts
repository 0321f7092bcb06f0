/** The records actors produce and the shared context they are built from. */
import type { AccountRecord, LabelRecord, RequestBody } from '../../src/traffic/types.js';
import type { Corpus } from './prompts.js';
import { Rng } from './rng.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MIN = 60_000;

export interface Acct {
  record: AccountRecord;
  label: LabelRecord;
  keys: string[];
}

/** One request before the emitter decides status, usage, latency and truncation. */
export interface Draft {
  t: number;
  acct: Acct;
  key: string;
  ip: string;
  ua: string;
  endpoint: string;
  body: RequestBody;
  /** The first choice's full text ('' for embeddings). */
  text: string;
  /** Choices generated (n); completion tokens are summed over them. */
  choices?: number;
}

export interface Actor {
  playbook: string;
  campaign: string | null;
  accounts: Acct[];
  /** One line for the README. */
  describe: string;
  /** Drafts in non-decreasing `t`; the merge checks it. */
  events: () => Iterable<Draft>;
}

export class Ids {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  fresh(prefix: string, len: number): string {
    for (;;) {
      const id = `${prefix}${this.rng.b36(len)}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

export interface Ctx {
  corpus: Corpus;
  ids: Ids;
  start: number;
  days: number;
  end: number;
  /** Scales per-day volumes of heavy actors down for tiny test sets. */
  rateMul: number;
  /** Swap-sources preset: which sources each side draws from. */
  sources: SourcePlan;
}

export interface SourcePlan {
  /** Casual chat conversations. */
  chat: string[];
  /** Extra items casual users sometimes ask (homework, snippets), if any. */
  casualExtra: string[];
  /** Benchmark suites for benign benchmark runs. */
  bench: string[];
  /** Assignment items for classroom cohorts. */
  cohort: string[];
  /** Extraction harvest sources. */
  harvest: string[];
  /** Self-instruct seed / generated instructions. */
  instructions: string[];
  /** SaaS end-user prompts for the chat products. */
  saas: string[];
  saasCode: string[];
}

export function iso(t: number): string {
  return new Date(Math.round(t)).toISOString();
}

export function isoSeconds(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export interface AcctSpec {
  created: number;
  tier: string;
  country: string | null;
  emailDomain: string | null;
  card: string | null;
  signupIp: string | null;
  verified: boolean;
  label: 'extraction' | 'benign';
  campaign: string | null;
  playbook: string;
  keys?: number;
}

export function makeAcct(ctx: Ctx, spec: AcctSpec): Acct {
  const account = ctx.ids.fresh('acct_', 8);
  const keys: string[] = [];
  for (let i = 0; i < (spec.keys ?? 1); i++) keys.push(ctx.ids.fresh('key_', 12));
  return {
    record: {
      account,
      created_at: isoSeconds(spec.created),
      tier: spec.tier,
      country: spec.country,
      email_domain: spec.emailDomain,
      payment_fingerprint: spec.card,
      signup_ip: spec.signupIp,
      verified: spec.verified,
    },
    label: { account, label: spec.label, campaign: spec.campaign, playbook: spec.playbook },
    keys,
  };
}

export function card(ctx: Ctx): string {
  return ctx.ids.fresh('pf_', 8);
}

/** Day index of t in the window. */
export function dayOf(ctx: Ctx, t: number): number {
  return Math.floor((t - ctx.start) / DAY);
}

/** First day an account can send on: the day after it exists, or day 0. */
export function firstDayOf(ctx: Ctx, a: Acct): number {
  return Math.max(0, Math.ceil((Date.parse(a.record.created_at) - ctx.start) / DAY));
}

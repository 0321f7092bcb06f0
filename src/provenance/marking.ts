import { canaryAppendix, canaryFor, isDefinitional } from './canary.js';
import type { KeyRing, KeyScope } from './key-ring.js';
import type { MarkOptions } from './marker.js';

/** The policy's `mark` settings. */
export interface MarkSettings {
  rate: number;
  balance: number;
  keyScope: KeyScope;
}

/** A first: an account's first answer marked under a key, or its first answer carrying a campaign's canary. */
export type MarkUse =
  | { kind: 'mark'; account: string; campaign: string | null; keyId: string; settings: MarkSettings; at: string }
  | { kind: 'canary'; account: string; campaign: string; keyId: string; token: string; at: string };

/** How one answer is marked: the mark, and what follows the answer (a canary's sentence, or nothing). */
export interface AnswerMark {
  options: MarkOptions;
  appendix: string;
}

/**
 * Which key marks an account's answers now, and whether this answer carries its campaign's
 * canary (campaigns named in config get one, after answers to what-is questions). Each first
 * (see MarkUse) is reported once per process to `onFirstUse`, which the gateway writes to the
 * audit log: the record of which key marked whose answers, and who received which canary.
 */
export class Marking {
  private readonly reported = new Set<string>();

  constructor(
    private readonly ring: KeyRing,
    private readonly settings: () => MarkSettings,
    private readonly canaryCampaigns: ReadonlySet<string>,
    private readonly onFirstUse: (use: MarkUse) => void,
  ) {}

  /** Undefined when no key is in force: the answer goes unmarked. `question`: the request's last user turn. */
  answerMark(account: string, campaign: string | null, atMs: number, question: string): AnswerMark | undefined {
    const settings = this.settings();
    const key = this.ring.marking(atMs, settings.keyScope, campaign);
    if (!key) return undefined;
    const at = new Date(atMs).toISOString();
    this.once(`mark\u0000${account}\u0000${key.id}`, () => ({ kind: 'mark', account, campaign, keyId: key.id, settings, at }));
    let appendix = '';
    if (campaign !== null && this.canaryCampaigns.has(campaign) && isDefinitional(question)) {
      // From the deployment key, so one canary per campaign whichever key scope marks it.
      const base = this.ring.marking(atMs, 'deployment', null)!;
      const canary = canaryFor(base.secret, campaign);
      appendix = canaryAppendix(canary);
      this.once(`canary\u0000${account}\u0000${canary.token}`, () => ({ kind: 'canary', account, campaign, keyId: base.id, token: canary.token, at }));
    }
    return { options: { secret: key.secret, rate: settings.rate, balance: settings.balance }, appendix };
  }

  private once(seen: string, use: () => MarkUse): void {
    if (this.reported.has(seen)) return;
    this.reported.add(seen);
    this.onFirstUse(use());
  }
}

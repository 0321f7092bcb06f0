import type { KeyRing, KeyScope } from './key-ring.js';
import type { MarkOptions } from './marker.js';

/** The policy's `mark` settings. */
export interface MarkSettings {
  rate: number;
  balance: number;
  keyScope: KeyScope;
}

export interface MarkUse {
  account: string;
  campaign: string | null;
  keyId: string;
  settings: MarkSettings;
  at: string;
}

/**
 * Which key marks an account's answers now. The first answer marked for an account under a
 * key is reported once (per process) to `onFirstUse`, which the gateway writes to the audit
 * log: the record of which key marked whose answers, and from when.
 */
export class Marking {
  private readonly reported = new Set<string>();

  constructor(
    private readonly ring: KeyRing,
    private readonly settings: () => MarkSettings,
    private readonly onFirstUse: (use: MarkUse) => void,
  ) {}

  /** Undefined when no key is in force: the answer goes unmarked. */
  optionsFor(account: string, campaign: string | null, atMs: number): MarkOptions | undefined {
    const settings = this.settings();
    const key = this.ring.marking(atMs, settings.keyScope, campaign);
    if (!key) return undefined;
    const seen = `${account}\u0000${key.id}`;
    if (!this.reported.has(seen)) {
      this.reported.add(seen);
      this.onFirstUse({ account, campaign, keyId: key.id, settings, at: new Date(atMs).toISOString() });
    }
    return { secret: key.secret, rate: settings.rate, balance: settings.balance };
  }
}

import { createHmac, randomBytes } from 'node:crypto';
import type { ProvenanceKeyConfig } from './provenance-schema.js';

/** What marks, or is tested for: the id the audit log names and the secret behind it. */
export interface MarkKey {
  id: string;
  secret: Buffer;
}

export type KeyScope = 'deployment' | 'campaign';

const CAMPAIGN = '/campaign:';

/**
 * The deployment's keys, newest last. A campaign's key is derived from the deployment key in
 * force (HMAC of the campaign id), so each campaign carries its own mark without a secret to
 * store per campaign, and its id (`<key>/campaign:<id>`) says how to derive it again.
 */
export class KeyRing {
  private readonly keys: { id: string; createdAt: number; secret: Buffer }[];

  constructor(configured: readonly ProvenanceKeyConfig[]) {
    this.keys = configured
      .filter((key) => key.secret !== undefined)
      .map((key) => ({ id: key.id, createdAt: Date.parse(key.createdAt), secret: Buffer.from(key.secret!, 'hex') }))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key that marks a response at `atMs` for this scope; undefined when no key is in force yet. */
  marking(atMs: number, scope: KeyScope, campaign: string | null): MarkKey | undefined {
    const current = this.keys.findLast((key) => key.createdAt <= atMs);
    if (!current) return undefined;
    if (scope === 'campaign' && campaign !== null) return { id: `${current.id}${CAMPAIGN}${campaign}`, secret: campaignSecret(current.secret, campaign) };
    return { id: current.id, secret: current.secret };
  }

  /** Any key by the id the audit log recorded, rotated out or not. */
  byId(id: string): MarkKey | undefined {
    const at = id.indexOf(CAMPAIGN);
    const base = this.keys.find((key) => key.id === (at < 0 ? id : id.slice(0, at)));
    if (!base) return undefined;
    return at < 0 ? { id, secret: base.secret } : { id, secret: campaignSecret(base.secret, id.slice(at + CAMPAIGN.length)) };
  }

  ids(): string[] {
    return this.keys.map((key) => key.id);
  }
}

const campaignSecret = (secret: Buffer, campaign: string): Buffer => createHmac('sha256', secret).update(`campaign\u0000${campaign}`).digest();

/** A fresh secret for a new key: 256 bits, hex. */
export const newSecret = (): string => randomBytes(32).toString('hex');

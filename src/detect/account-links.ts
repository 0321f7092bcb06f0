import type { AccountRecord } from '../traffic/types.js';
import type { LinkKind } from './campaign-graph.js';
import type { RequestFeatures } from './request-features.js';
import { LinkIndex } from './link-index.js';

const HOUR = 3_600_000;

/** The /24 of an IPv4 address (or the /48-ish prefix of an IPv6 one). */
export function subnetOf(ip: string | null | undefined): string | undefined {
  if (!ip) return undefined;
  if (ip.includes(':')) return ip.split(':').slice(0, 3).join(':');
  const cut = ip.lastIndexOf('.');
  return cut > 0 ? ip.slice(0, cut) : undefined;
}

/** A generated-looking domain's family: digits masked, kept only when there were digits. */
export function emailPattern(domain: string): string | undefined {
  const masked = domain.toLowerCase().replace(/\d+/g, '#');
  return masked === domain.toLowerCase() ? undefined : masked;
}

export interface Link {
  other: number;
  kind: LinkKind;
}

/**
 * The bounded cross-account indexes: which accounts share a card, a domain family, a subnet, a
 * prompt skeleton or a system prompt. Sign-up attributes never expire; traffic ones do, so
 * only accounts active around the same time are linked by them.
 */
export class AccountLinks {
  private readonly payment = new LinkIndex(64, Infinity);
  private readonly emailFamily = new LinkIndex(64, Infinity);
  private readonly emailDomain = new LinkIndex(32, Infinity);
  private readonly signupSubnet = new LinkIndex(16, Infinity);
  private readonly requestSubnet = new LinkIndex(32, 2 * HOUR);
  private readonly skeleton = new LinkIndex(64, 24 * HOUR);
  private readonly system = new LinkIndex(32, 24 * HOUR);

  fromAccount(id: number, account: AccountRecord, ms: number): Link[] {
    const links: Link[] = [];
    const push = (index: LinkIndex, key: string | null | undefined, kind: LinkKind): void => {
      if (!key) return;
      for (const other of index.touch(key, id, ms)) links.push({ other, kind });
    };
    push(this.payment, account.payment_fingerprint, 'payment');
    const domain = account.email_domain ?? undefined;
    if (domain) {
      const family = emailPattern(domain);
      if (family) push(this.emailFamily, family, 'email-pattern');
      else push(this.emailDomain, domain.toLowerCase(), 'email-domain');
    }
    push(this.signupSubnet, subnetOf(account.signup_ip), 'signup-subnet');
    return links;
  }

  fromRequest(id: number, f: RequestFeatures, ip: string): Link[] {
    const links: Link[] = [];
    const push = (index: LinkIndex, key: string | undefined, kind: LinkKind): void => {
      if (!key) return;
      for (const other of index.touch(key, id, f.ms)) links.push({ other, kind });
    };
    push(this.requestSubnet, subnetOf(ip), 'request-subnet');
    const s = f.skeleton;
    if (s.head !== 0) push(this.skeleton, `h${s.head}`, 'skeleton');
    if (s.tail !== 0) push(this.skeleton, `t${s.tail}`, 'skeleton');
    if (s.system !== 0) push(this.system, String(s.system), 'system-prompt');
    return links;
  }
}

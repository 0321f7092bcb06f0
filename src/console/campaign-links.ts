import { emailFamily as emailPattern, subnetOf } from '../detect/links.js';
import type { AccountRecord } from '../traffic/types.js';
import type { LinkEdge } from './api-types.js';

/** What one account shows of itself that another may share, each with a reader's description. */
export interface LinkTraits {
  account: AccountRecord;
  requestSubnets: readonly string[];
  skeletons: readonly string[];
}

function maskVariable(text: string): string {
  return text.toLowerCase().replace(/\d+(?:[.,]\d+)*/g, '#').replace(/\s+/g, ' ').trim();
}

/** The wrapper around a prompt's variable item: its first line with numbers and quotes masked. */
export function skeletonLine(prompt: string): string | null {
  const first = prompt.trim().split('\n', 1)[0] ?? '';
  const masked = maskVariable(first).slice(0, 80);
  return masked.length >= 12 ? masked : null;
}

function traitsOf(t: LinkTraits): string[] {
  const a = t.account;
  const out: string[] = [];
  if (a.payment_fingerprint) out.push(`same payment card ${a.payment_fingerprint}`);
  if (a.email_domain) {
    const family = emailPattern(a.email_domain);
    out.push(family ? `email domains of one pattern ${family}` : `same email domain ${a.email_domain.toLowerCase()}`);
  }
  const signup = subnetOf(a.signup_ip);
  if (signup) out.push(`signed up from ${signup}.0/24`);
  for (const subnet of t.requestSubnets) out.push(`requests from ${subnet}.0/24`);
  for (const skeleton of t.skeletons) out.push(`shared prompt skeleton “${skeleton}”`);
  return out;
}

/**
 * Why members of a campaign are linked, as edges a person can read. Accounts sharing a trait
 * are joined to the first of them (a star), not to each other: a card shared by 100 accounts
 * then draws 99 edges instead of 4,950, and the graph still shows who shares what.
 */
export function campaignLinks(members: readonly LinkTraits[]): LinkEdge[] {
  const holders = new Map<string, string[]>();
  for (const member of members) {
    for (const trait of new Set(traitsOf(member))) {
      const list = holders.get(trait) ?? [];
      list.push(member.account.account);
      holders.set(trait, list);
    }
  }
  const edges = new Map<string, LinkEdge>();
  for (const [trait, accounts] of holders) {
    const [hub, ...rest] = accounts;
    for (const other of rest) {
      const key = `${hub}\u0000${other}`;
      const edge = edges.get(key) ?? { source: hub!, target: other, reasons: [] };
      edge.reasons.push(trait);
      edges.set(key, edge);
    }
  }
  return [...edges.values()];
}

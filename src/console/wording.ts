/**
 * How the console and the case reports word counts, times and link evidence, in one place so
 * a page and the report an analyst files from it say the same thing the same way. No Node
 * imports: the browser build uses it too.
 */
import type { SharedEvidence } from '../detect/types.js';

const num = (n: number): string => n.toLocaleString('en-US');

/** "1 account", "58 accounts"; `many` for words that do not take an s. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/** "2026-03-05 14:07 UTC": minutes are what an analyst compares; the ledger keeps the milliseconds. */
export function humanTime(ts: string | null): string {
  if (!ts) return '-';
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? ts : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "3 days 4 hours", "2 hours 5 minutes", "under a minute": the two largest units are enough to read. */
export function durationText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  const parts: [number, string][] = [
    [Math.floor(minutes / 1440), 'day'],
    [Math.floor((minutes % 1440) / 60), 'hour'],
    [minutes % 60, 'minute'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => plural(n, unit))
    .join(' ');
}

/** "58 accounts share payment card pf_1c00", "60 accounts signed up from 66.175.132.0/24". */
export function evidenceSentence(e: Pick<SharedEvidence, 'kind' | 'label' | 'accounts'>): string {
  const who = plural(e.accounts.length, 'account');
  if (e.kind === 'signup-subnet') return `${who} ${e.label}`;
  if (e.kind === 'ip' || e.kind === 'subnet') return `${who} sent ${e.label}`;
  return `${who} ${e.accounts.length === 1 ? 'has' : 'share'} ${e.label}`;
}

/** An audit entry's time (`at`, or `ts` in older entries), readable. */
export function entryTime(entry: Record<string, unknown>): string {
  return humanTime(typeof entry.at === 'string' ? entry.at : typeof entry.ts === 'string' ? entry.ts : null);
}

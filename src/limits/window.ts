/**
 * Why buckets: a sliding-window log (one entry per request) is exact but costs memory in
 * proportion to the limit, and a token limit would need one entry per reservation. A window
 * of small buckets with a running total costs O(window / bucket) at most and stays exact on
 * the side that matters: usage leaves the window at the END of its bucket, so no trailing
 * window of the limit's length ever admits more than the limit. The price is that allowance
 * comes back up to one bucket late (1 s on a minute, 1 min on a day). GCRA/token buckets
 * were rejected because they let a full burst through right after a steady stream, i.e.
 * up to twice the limit in one window. The Redis script repeats this arithmetic.
 */
export const bucketMs = (windowMs: number): number => Math.max(1000, Math.floor(windowMs / 1440));

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A monthly budget is per calendar month in UTC, the period invoices use. */
export function monthOf(nowMs: number): { label: string; endMs: number } {
  const date = new Date(nowMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return { label: `${year}-${String(month + 1).padStart(2, '0')}`, endMs: Date.UTC(year, month + 1, 1) };
}

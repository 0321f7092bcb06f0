/**
 * `Date.parse` of a request's `ts`, remembered for the last one read: a replay admits the
 * accounts created by then and detection then reads the same string again, and each parse of
 * an ISO timestamp costs about as much as reading a short prompt's hash.
 */
let lastTs: string | undefined;
let lastMs = Number.NaN;

export function timestampMs(ts: unknown): number {
  if (typeof ts !== 'string') return Date.parse(ts as string);
  if (ts !== lastTs) {
    lastMs = Date.parse(ts);
    lastTs = ts;
  }
  return lastMs;
}

import type { RequestFeatures } from '../detect/features.js';
import type { LedgerRecord } from '../ledger/record.js';

/**
 * What a detector worker passes on for one request: the record without its text (the linkage
 * worker needs the usage, addresses and times, not the prompt and answer) and what the
 * detection engine reads from the text, computed once in the worker.
 */
export interface Observation {
  record: LedgerRecord;
  features: RequestFeatures | undefined;
}

export function observationOf(record: LedgerRecord, features: RequestFeatures | undefined): Observation {
  return { record: { ...record, request: {}, response: { text: '', finish_reason: record.response?.finish_reason ?? null } }, features };
}

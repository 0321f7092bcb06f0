import { findFile, readJsonLineBatches, readJsonLines } from './jsonl.js';
import type { AccountRecord, LabelRecord, TrafficRequest } from './types.js';

/** A traffic set folder as TRAFFIC.md describes it. */
export interface TrafficSet {
  dir: string;
  requestsPath: string;
  accountsPath: string;
  labelsPath: string | undefined;
}

export function openTrafficSet(dir: string): TrafficSet {
  const requestsPath = findFile(dir, ['requests.jsonl.gz', 'requests.jsonl']);
  const accountsPath = findFile(dir, ['accounts.jsonl', 'accounts.jsonl.gz']);
  if (!requestsPath) throw new Error(`${dir}: no requests.jsonl(.gz)`);
  if (!accountsPath) throw new Error(`${dir}: no accounts.jsonl`);
  return { dir, requestsPath, accountsPath, labelsPath: findFile(dir, ['labels.jsonl', 'labels.jsonl.gz']) };
}

export function readRequests(set: TrafficSet): AsyncGenerator<TrafficRequest> {
  return readJsonLines<TrafficRequest>(set.requestsPath);
}

/** The requests in file order, a chunk's worth at a time (for replays, where per-record iteration costs). */
export function readRequestBatches(set: TrafficSet): AsyncGenerator<TrafficRequest[]> {
  return readJsonLineBatches<TrafficRequest>(set.requestsPath);
}

export async function readAccounts(set: TrafficSet): Promise<AccountRecord[]> {
  const accounts: AccountRecord[] = [];
  for await (const account of readJsonLines<AccountRecord>(set.accountsPath)) accounts.push(account);
  return accounts;
}

/** Labels are for scoring only: the analyzer never calls this. */
export async function readLabels(set: TrafficSet): Promise<LabelRecord[]> {
  if (!set.labelsPath) throw new Error(`${set.dir}: no labels.jsonl`);
  const labels: LabelRecord[] = [];
  for await (const label of readJsonLines<LabelRecord>(set.labelsPath)) labels.push(label);
  return labels;
}

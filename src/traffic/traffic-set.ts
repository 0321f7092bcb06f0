import { findFile, readJsonLineBatches, readJsonLines, type LineDecoder } from './jsonl.js';
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

/**
 * The requests in file order, a chunk's worth at a time, for detection's replays: without the
 * response text, which detection never reads and which is most of a record's bytes
 * (`response` reads as absent).
 */
export function readRequestBatches(set: TrafficSet): AsyncGenerator<TrafficRequest[]> {
  return readJsonLineBatches<TrafficRequest>(set.requestsPath, withoutResponse);
}

const RESPONSE = Buffer.from(',"response":{"text":"');
const FINISH = Buffer.from('","finish_reason":');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The record's JSON with its `response` object cut out, when it has the exporter's layout
 * (`"response":{"text":"...","finish_reason":...}` after the request); else the whole line. The
 * request body before it cannot hold that byte sequence after its own end, since a quote inside a
 * JSON string is always escaped, so the last occurrence is the record's own field. The line's
 * bytes are rewritten in place (see LineDecoder).
 */
const withoutResponse: LineDecoder = (bytes, from, to) => {
  const at = bytes.lastIndexOf(RESPONSE, to - RESPONSE.length);
  if (at < from) return bytes.toString('utf8', from, to);
  // The end of the text: the first quote not escaped by an odd run of backslashes.
  let close = bytes.indexOf(QUOTE, at + RESPONSE.length);
  while (close !== -1 && close < to) {
    let slashes = 0;
    while (bytes[close - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) break;
    close = bytes.indexOf(QUOTE, close + 1);
  }
  if (close === -1 || close >= to || bytes.compare(FINISH, 0, FINISH.length, close, close + FINISH.length) !== 0) return bytes.toString('utf8', from, to);
  // The finish reason is null or a plain word ("stop", "length"); then the object closes.
  let end = close + FINISH.length;
  if (bytes[end] === QUOTE) {
    end = bytes.indexOf(QUOTE, end + 1) + 1;
    if (end === 0) return bytes.toString('utf8', from, to);
  } else if (bytes.toString('latin1', end, end + 4) === 'null') end += 4;
  else return bytes.toString('utf8', from, to);
  if (bytes[end] !== 0x7d || end >= to) return bytes.toString('utf8', from, to);
  // The rest of the record moved up over the response, one string is decoded: two pieces
  // joined would be copied again when JSON.parse flattens them.
  bytes.copy(bytes, at, end + 1, to);
  return bytes.toString('utf8', from, at + (to - end - 1));
};

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

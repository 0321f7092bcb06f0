import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Bytes read from the file at a time, and gunzipped at a time: big chunks keep the per-chunk cost out of the per-line. */
const READ_CHUNK = 1 << 20;
const GUNZIP_CHUNK = 1 << 18;

/**
 * The JSON text of the line at `bytes[from, to)`: all of it, or only the part a reader needs. It
 * may rewrite those bytes: a line is decoded once, and its bytes are not read again.
 */
export type LineDecoder = (bytes: Buffer, from: number, to: number) => string;

const wholeLine: LineDecoder = (bytes, from, to) => bytes.toString('utf8', from, to);

/**
 * Reads JSON lines from a file, gunzipping when the name ends in `.gz`, a chunk's lines at a time:
 * lines are cut from the raw bytes (a newline byte never occurs inside a UTF-8 character) and each
 * decoded once, and one batch per chunk keeps the async iteration out of the per-line cost.
 */
export async function* readJsonLineBatches<T>(path: string, decode: LineDecoder = wholeLine): AsyncGenerator<T[]> {
  const raw = createReadStream(path, { highWaterMark: READ_CHUNK });
  const input: AsyncIterable<Buffer> = path.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: GUNZIP_CHUNK })) : raw;
  let rest: Buffer | undefined;
  let lineNo = 0;
  const parse = (bytes: Buffer, from: number, to: number, batch: T[]): void => {
    lineNo++;
    const text = decode(bytes, from, to);
    try {
      batch.push(JSON.parse(text) as T);
    } catch {
      if (text.trim() !== '') throw new Error(`${path}:${lineNo}: not a JSON line`);
    }
  };
  for await (const chunk of input) {
    const batch: T[] = [];
    let start = 0;
    let nl = chunk.indexOf(10);
    if (rest !== undefined && nl !== -1) {
      // The line that began in the previous chunk.
      const line = Buffer.concat([rest, chunk.subarray(0, nl)]);
      parse(line, 0, line.length, batch);
      rest = undefined;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      parse(chunk, start, nl, batch);
      start = nl + 1;
    }
    if (start < chunk.length) rest = rest === undefined ? chunk.subarray(start) : Buffer.concat([rest, chunk.subarray(start)]);
    if (batch.length > 0) yield batch;
  }
  if (rest !== undefined) {
    const batch: T[] = [];
    parse(rest, 0, rest.length, batch);
    if (batch.length > 0) yield batch;
  }
}

/** Reads JSON lines from a file one record at a time (see `readJsonLineBatches`). */
export async function* readJsonLines<T>(path: string): AsyncGenerator<T> {
  for await (const batch of readJsonLineBatches<T>(path)) yield* batch;
}

/** The first of `names` that exists in `dir` (e.g. requests.jsonl.gz before requests.jsonl). */
export function findFile(dir: string, names: string[]): string | undefined {
  for (const name of names) {
    const path = `${dir}/${name}`;
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Writes JSON lines with back-pressure; gzips when the name ends in `.gz`. */
export class JsonLinesWriter {
  private readonly sink: Writable;
  private readonly done: Promise<unknown>;

  constructor(path: string) {
    const file = createWriteStream(path);
    this.done = once(file, 'close');
    if (path.endsWith('.gz')) {
      const gzip = createGzip();
      gzip.pipe(file);
      this.sink = gzip;
    } else {
      this.sink = file;
    }
  }

  async write(record: unknown): Promise<void> {
    if (!this.sink.write(JSON.stringify(record) + '\n')) await once(this.sink, 'drain');
  }

  async close(): Promise<void> {
    this.sink.end();
    await this.done;
  }
}

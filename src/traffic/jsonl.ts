import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Reads JSON lines from a file, gunzipping when the name ends in `.gz`. */
export async function* readJsonLines<T>(path: string): AsyncGenerator<T> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as T;
    } catch {
      throw new Error(`${path}:${lineNo}: not a JSON line`);
    }
  }
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

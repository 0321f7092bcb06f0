/**
 * JSON-lines writer that hands the gzip stream ~1 MB chunks: one write per record leaves the
 * generator waiting on zlib's thread-pool round trips most of the time.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';

const CHUNK = 1 << 20;

export class ChunkedJsonLinesWriter {
  private readonly sink: Writable;
  private readonly done: Promise<unknown>;
  private parts: string[] = [];
  private size = 0;

  constructor(path: string) {
    const file = createWriteStream(path);
    this.done = once(file, 'close');
    if (path.endsWith('.gz')) {
      const gzip = createGzip({ chunkSize: 256 * 1024 });
      gzip.pipe(file);
      this.sink = gzip;
    } else {
      this.sink = file;
    }
  }

  async write(record: unknown): Promise<void> {
    const line = JSON.stringify(record) + '\n';
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.sink.write(chunk)) await once(this.sink, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.sink.end();
    await this.done;
  }
}

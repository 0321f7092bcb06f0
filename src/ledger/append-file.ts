import { StringDecoder } from 'node:string_decoder';
import { closeSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * A local append-only file of JSON lines: the ledger's journal, spool and quarantine. Writes
 * are synchronous (one write(2) per call, so a line is in the OS's hands before the caller
 * goes on: it survives the process being killed); `sync` makes them survive power loss too.
 */
export class AppendFile {
  private readonly fd: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a+', 0o600);
  }

  get size(): number {
    return fstatSync(this.fd).size;
  }

  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    writeSync(this.fd, lines.join('\n') + '\n');
  }

  syncNow(): void {
    fsyncSync(this.fd);
  }

  /** fsync on libuv's thread pool: the batch window's fsync must not stall the event loop. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => fsync(this.fd, (error) => (error ? reject(error) : resolve())));
  }

  /** Not fsync'd: a truncation lost to power loss only means records replayed again, and replays are idempotent. */
  truncate(): void {
    ftruncateSync(this.fd, 0);
  }

  /** The file's lines in order, read in slices so a large spool never sits in memory at once. */
  *lines(sliceBytes = 1 << 20): Generator<string> {
    const buffer = Buffer.alloc(sliceBytes);
    let position = 0;
    let carry = '';
    // A slice may end inside a character: the decoder holds its first bytes for the next one.
    const decoder = new StringDecoder('utf8');
    for (;;) {
      const read = readSync(this.fd, buffer, 0, sliceBytes, position);
      if (read === 0) break;
      position += read;
      const text = carry + decoder.write(buffer.subarray(0, read));
      const parts = text.split('\n');
      carry = parts.pop()!;
      for (const line of parts) if (line !== '') yield line;
    }
    // A last line without its newline is a write cut off by a crash; the caller judges it.
    if (carry !== '') yield carry;
  }

  close(): void {
    closeSync(this.fd);
  }
}

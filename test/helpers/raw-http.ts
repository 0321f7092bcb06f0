import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/** Parses the first response on a raw connection's bytes (enough for fixed-length error bodies). */
export function parseResponse(text: string): RawResponse | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = text.slice(0, end);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, headers: head, body: text.slice(end + 4) };
}

/**
 * Sends bytes on a raw TCP connection (what no HTTP client would send: duplicate framing
 * headers, pipelined requests, a body trickled in) and returns all it got until the server closed
 * or `waitMs` passed.
 */
export async function rawExchange(url: string, parts: (string | Buffer)[], options: { gapMs?: number; waitMs?: number } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const received: Buffer[] = [];
  let closed = false;
  socket.on('data', (chunk) => received.push(chunk));
  socket.on('error', () => undefined);
  const done = new Promise<void>((resolve) => socket.on('close', () => {
    closed = true;
    resolve();
  }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  for (const part of parts) {
    if (closed) break;
    socket.write(part);
    if (options.gapMs) await sleep(options.gapMs);
  }
  await Promise.race([done, sleep(options.waitMs ?? 5_000)]);
  socket.destroy();
  return Buffer.concat(received).toString('utf8');
}

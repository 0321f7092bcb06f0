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
export async function rawExchange(url: string, parts: (string | Buffer)[], options: { gapMs?: number; waitMs?: number; responses?: number } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const received: Buffer[] = [];
  let closed = false;
  let answered: () => void = () => undefined;
  // Enough complete answers: no need to wait for the server to close a keep-alive connection.
  const enough = new Promise<void>((resolve) => (answered = resolve));
  socket.on('data', (chunk) => {
    received.push(chunk);
    if (options.responses !== undefined && parseResponses(Buffer.concat(received).toString('utf8')).length >= options.responses) answered();
  });
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
  await Promise.race([done, enough, sleep(options.waitMs ?? 5_000)]);
  socket.destroy();
  return Buffer.concat(received).toString('utf8');
}

/** Every response on a connection's bytes, in order, framed by Content-Length (chunked ones end the list). */
export function parseResponses(text: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = text;
  for (;;) {
    const response = parseResponse(rest);
    if (!response) return responses;
    const length = /\r\ncontent-length: *(\d+)/i.exec(response.headers);
    if (!length) {
      responses.push(response);
      return responses;
    }
    const bodyBytes = Buffer.from(response.body, 'utf8');
    const size = Number(length[1]);
    if (bodyBytes.length < size) return responses;
    responses.push({ ...response, body: bodyBytes.subarray(0, size).toString('utf8') });
    rest = bodyBytes.subarray(size).toString('utf8');
  }
}

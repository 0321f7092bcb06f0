import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandInUpstream } from '../../src/upstream/stand-in.js';

export interface Received {
  method: string;
  path: string;
  body: unknown;
}

/**
 * The test upstream for third-party clients: an OpenAI-compatible server that keeps every
 * request body it received, answering from a stand-in of its own behind it. A test sends
 * the same library call through Moat and straight to it, and compares what arrived.
 */
export class RecordingUpstream {
  received: Received[] = [];
  private readonly server: Server;
  private readonly answers: StandInUpstream;
  private answersUrl = '';

  constructor(models: string[]) {
    this.answers = new StandInUpstream({ models });
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `test upstream: ${String(error)}`, type: 'server_error', param: null, code: null } }));
      });
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    let body: unknown = raw.toString('utf8');
    try {
      body = raw.length === 0 ? undefined : JSON.parse(body as string);
    } catch {
      // Kept as text: a body that is not JSON is itself worth seeing in a failure.
    }
    this.received.push({ method: request.method ?? '', path: request.url ?? '', body });
    const answer = await fetch(`${this.answersUrl}${(request.url ?? '').replace(/^\/v1/, '')}`, {
      method: request.method,
      headers: { 'content-type': 'application/json' },
      body: raw.length === 0 ? undefined : raw,
    });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await answer.arrayBuffer()));
  }

  async listen(): Promise<string> {
    this.answersUrl = await this.answers.listen();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** What arrived while `work` ran. */
  async during(work: () => Promise<unknown>): Promise<Received[]> {
    this.received = [];
    await work();
    return this.received;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await this.answers.close();
  }
}

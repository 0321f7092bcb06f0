import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the upstream misbehaves, chosen per request by the model name (`fault-<mode>`), else answered well. */
export type FaultMode = 'reset' | 'stall' | 'error500' | 'garbage' | 'slow';

const chunk = (text: string) => `data: ${JSON.stringify({ id: 'f', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;

/**
 * An OpenAI-compatible upstream that fails on purpose: resets a stream after three events,
 * stalls forever, answers 500 or bytes that are not JSON, or streams slowly. Healthy answers
 * report no usage, so Moat's own metering is what is measured.
 */
export class FaultUpstream {
  private readonly server: Server;
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly slowChunkMs = 50) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  close(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const part of request) chunks.push(part as Buffer);
    let body: { model?: unknown; stream?: unknown } = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      // Moat only forwards bodies it parsed; anything else is answered as healthy.
    }
    const mode = typeof body.model === 'string' && body.model.startsWith('fault-') ? (body.model.slice(6) as FaultMode) : undefined;
    this.open.add(response);
    response.on('close', () => this.open.delete(response));
    switch (mode) {
      case 'stall':
        return; // never answers; Moat's timeout or the client gives up
      case 'error500':
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom","type":"server_error","param":null,"code":null}}');
        return;
      case 'garbage':
        response.writeHead(200, { 'content-type': 'application/json' }).end('\u0000not json at all{{{');
        return;
      case 'reset':
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(chunk('one ') + chunk('two ') + chunk('three '));
        setTimeout(() => response.socket?.destroy(), 20);
        return;
      default:
        return this.healthy(body.stream === true, response, mode === 'slow' ? this.slowChunkMs : 0);
    }
  }

  private async healthy(stream: boolean, response: ServerResponse, delayMs: number): Promise<void> {
    const words = ['a ', 'healthy ', 'answer ', 'from ', 'the ', 'fault ', 'upstream.'];
    if (!stream) {
      const body = JSON.stringify({ id: 'f', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }] });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const word of words) {
      if (response.destroyed) return;
      response.write(chunk(word));
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    if (!response.destroyed) response.end('data: [DONE]\n\n');
  }
}

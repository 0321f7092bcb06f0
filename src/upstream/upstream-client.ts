import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { Pool, errors as undiciErrors } from 'undici';
import type { UpstreamConfig } from '../config/schema.js';

export interface UpstreamResponse {
  status: number;
  contentType: string | undefined;
  body: Readable;
}

export type UpstreamFailure = 'timeout' | 'unreachable';

/**
 * Says that the caller no longer wants the answer (its client went away): the call, or the
 * stream it is reading, stops. An EventEmitter rather than an AbortController, which undici
 * takes as well: making an AbortSignal (an EventTarget) and listening to it cost about 15 µs
 * of CPU per request, as much as the rest of the upstream call's own JavaScript.
 */
export class CallAbort extends EventEmitter<{ abort: [] }> {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

export class UpstreamCallError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    readonly upstream: string,
    cause: unknown,
  ) {
    super(`upstream ${upstream} ${failure === 'timeout' ? 'timed out' : 'could not be reached'}`, { cause });
  }
}

/**
 * Two keep-alive connection pools per upstream: one for streams, one for everything else. A
 * stream holds its connection for minutes; with one pool, enough open streams leave a short
 * call queued behind them. undici's `Pool.request` costs an order of magnitude less CPU per
 * call than the global `fetch` (web streams), which matters on the hot path.
 */
export class UpstreamClient {
  readonly name: string;
  private readonly pool: Pool;
  private readonly streamPool: Pool;
  private readonly basePath: string;
  private readonly authorization: string | undefined;

  constructor(config: UpstreamConfig) {
    const url = new URL(config.baseUrl);
    this.name = config.name;
    this.basePath = url.pathname.replace(/\/$/, '');
    this.authorization = config.apiKey ? `Bearer ${config.apiKey}` : undefined;
    const pool = (connections: number) =>
      new Pool(url.origin, {
        connections,
        headersTimeout: config.timeoutMs,
        bodyTimeout: config.timeoutMs,
        connectTimeout: config.connectTimeoutMs,
        keepAliveTimeout: 30_000,
      });
    this.pool = pool(config.connections);
    this.streamPool = pool(config.streamConnections);
  }

  /** `path` is relative to the upstream's base URL, e.g. `/chat/completions`. */
  async post(path: string, body: Buffer | string, signal: CallAbort, stream = false): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    try {
      const response = await (stream ? this.streamPool : this.pool).request({ method: 'POST', path: this.basePath + path, headers, body, signal });
      const contentType = response.headers['content-type'];
      return {
        status: response.statusCode,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        body: response.body,
      };
    } catch (error) {
      if (signal.aborted) throw error;
      const timedOut = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError;
      throw new UpstreamCallError(timedOut ? 'timeout' : 'unreachable', this.name, error);
    }
  }

  /** The whole answer body; an upstream that breaks off or stalls mid-body fails like one that never answered. */
  async readAll(response: UpstreamResponse): Promise<Buffer> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
    } catch (error) {
      throw new UpstreamCallError(error instanceof undiciErrors.BodyTimeoutError ? 'timeout' : 'unreachable', this.name, error);
    }
    return Buffer.concat(chunks);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.streamPool.close()]);
  }
}

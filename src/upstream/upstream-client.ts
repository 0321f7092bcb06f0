import { Pool, errors as undiciErrors } from 'undici';
import type { Readable } from 'node:stream';
import type { UpstreamConfig } from '../config/schema.js';

export interface UpstreamResponse {
  status: number;
  contentType: string | undefined;
  body: Readable;
}

export type UpstreamFailure = 'timeout' | 'unreachable';

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
 * One keep-alive connection pool per upstream. undici's `Pool.request` costs an order of
 * magnitude less CPU per call than the global `fetch` (web streams), which matters on the hot path.
 */
export class UpstreamClient {
  readonly name: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly authorization: string | undefined;

  constructor(config: UpstreamConfig) {
    const url = new URL(config.baseUrl);
    this.name = config.name;
    this.basePath = url.pathname.replace(/\/$/, '');
    this.authorization = config.apiKey ? `Bearer ${config.apiKey}` : undefined;
    this.pool = new Pool(url.origin, {
      connections: config.connections,
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  /** `path` is relative to the upstream's base URL, e.g. `/chat/completions`. */
  async post(path: string, body: Buffer | string, signal: AbortSignal): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    try {
      const response = await this.pool.request({ method: 'POST', path: this.basePath + path, headers, body, signal });
      const contentType = response.headers['content-type'];
      return {
        status: response.statusCode,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        body: response.body,
      };
    } catch (error) {
      if (signal.aborted) throw error;
      const timedOut = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
      throw new UpstreamCallError(timedOut ? 'timeout' : 'unreachable', this.name, error);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

import { createHash } from 'node:crypto';

/** The slice of a Redis client the scripts need, so the rest of Moat never imports ioredis. */
export interface ScriptClient {
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  script(subcommand: 'LOAD', script: string): Promise<unknown>;
}

/**
 * Runs by hash, sending the source only when the server does not know it. That fallback costs a
 * round trip, in which a later command on the connection can overtake the call (a settlement
 * applied after the next admission), so scripts are loaded on every connect and it is left for
 * a server that forgot them mid-connection.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async load(client: ScriptClient): Promise<void> {
    await client.script('LOAD', this.source);
  }

  async run(client: ScriptClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

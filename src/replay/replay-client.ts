import OpenAI from 'openai';
import type { AccountRecord, TrafficRequest } from '../traffic/types.js';
import { answerKey, endpointKind } from './recorded-answers.js';

export interface ReplayTarget {
  /** The gateway's base URL (no /v1). */
  url: string;
  adminToken: string;
  concurrency?: number;
  onProgress?: (sent: number) => void;
  /** Requests between two onProgress calls (default 1000). */
  progressEvery?: number;
  /** Where an account's requests go when there are several gateways (default: `url`). */
  urlFor?: (account: string) => string;
  /** Told of each request once it is answered (its HTTP status) or failed without an answer (0). */
  onAnswer?: (recorded: TrafficRequest, status: number) => void;
}

export interface ReplayOutcome {
  sent: number;
  /** Requests the gateway refused or failed, by HTTP status. */
  failures: Record<number, number>;
  /** Per account: requests refused by the gateway. */
  refusedByAccount: Map<string, number>;
}

async function adminCall(target: ReplayTarget, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${target.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Creates each account through the admin API and one key per account; returns account → secret. */
export async function provisionAccounts(target: ReplayTarget, accounts: AccountRecord[]): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  for (const account of accounts) {
    await adminCall(target, 'POST', '/admin/accounts', account);
    const issued = (await adminCall(target, 'POST', `/admin/accounts/${account.account}/keys`, { name: 'replay' })) as { secret: string };
    secrets.set(account.account, issued.secret);
  }
  return secrets;
}

/**
 * Sends a recorded traffic set through a live gateway with the official client: one key per
 * account, the recorded client IP in X-Forwarded-For (the gateway must trust it) and the
 * recorded time in x-moat-replay-ts (the gateway must run with its replay clock).
 */
export async function replayThroughGateway(target: ReplayTarget, secrets: Map<string, string>, requests: AsyncIterable<TrafficRequest>): Promise<ReplayOutcome> {
  const clients = new Map<string, OpenAI>();
  const clientFor = (account: string) => {
    let client = clients.get(account);
    if (!client) {
      const apiKey = secrets.get(account);
      if (!apiKey) throw new Error(`no key for account ${account}`);
      client = new OpenAI({ baseURL: `${target.urlFor?.(account) ?? target.url}/v1`, apiKey, maxRetries: 0, timeout: 120_000 });
      clients.set(account, client);
    }
    return client;
  };
  const outcome: ReplayOutcome = { sent: 0, failures: {}, refusedByAccount: new Map() };
  const inFlightKeys = new Set<string>();
  const running = new Set<Promise<void>>();
  const concurrency = target.concurrency ?? 16;
  const progressEvery = target.progressEvery ?? 1000;

  for await (const recorded of requests) {
    const key = answerKey(endpointKind(recorded.endpoint), recorded.request);
    // Identical requests are answered in recorded order only if they reach the upstream one at a time.
    while (running.size >= concurrency || inFlightKeys.has(key)) await Promise.race(running);
    inFlightKeys.add(key);
    const task = send(clientFor(recorded.account), recorded, outcome, target.onAnswer).finally(() => {
      inFlightKeys.delete(key);
      running.delete(task);
    });
    running.add(task);
    outcome.sent++;
    if (target.onProgress && outcome.sent % progressEvery === 0) target.onProgress(outcome.sent);
  }
  await Promise.all(running);
  return outcome;
}

async function send(client: OpenAI, recorded: TrafficRequest, outcome: ReplayOutcome, onAnswer: ReplayTarget['onAnswer']): Promise<void> {
  const options = { headers: { 'x-forwarded-for': recorded.ip, 'x-moat-replay-ts': recorded.ts, 'user-agent': recorded.user_agent } };
  const body = recorded.request as Record<string, unknown>;
  try {
    await call(client, recorded.endpoint, body, options);
    onAnswer?.(recorded, 200);
  } catch (error) {
    const status = error instanceof OpenAI.APIError && error.status !== undefined ? error.status : 0;
    onAnswer?.(recorded, status);
    outcome.failures[status] = (outcome.failures[status] ?? 0) + 1;
    if (status === 403 || status === 429) outcome.refusedByAccount.set(recorded.account, (outcome.refusedByAccount.get(recorded.account) ?? 0) + 1);
  }
}

type Options = { headers: Record<string, string> };

/** One recorded request, exactly as recorded, through the matching client method. */
async function call(client: OpenAI, endpoint: string, body: Record<string, unknown>, options: Options): Promise<void> {
  const drain = async (stream: unknown) => {
    for await (const _event of stream as AsyncIterable<unknown>);
  };
  const streaming = body.stream === true;
  switch (endpointKind(endpoint)) {
    case 'chat': {
      const answer = await client.chat.completions.create(body as never, options);
      if (streaming) await drain(answer);
      return;
    }
    case 'completions': {
      const answer = await client.completions.create(body as never, options);
      if (streaming) await drain(answer);
      return;
    }
    case 'embeddings':
      await client.embeddings.create(body as never, options);
      return;
    case 'responses': {
      const answer = await client.responses.create(body as never, options);
      if (streaming) await drain(answer);
      return;
    }
  }
}

import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { AlertsConfig } from '../policy-schema.js';
import { slackPayload, type Alert } from './alert.js';

/** HMAC-SHA256 over `${timestamp}.${body}`, so a captured body cannot be replayed under a new time. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Delivers alerts off the request path: each crossing once per process (the idempotency key
 * also lets a receiver drop the same crossing seen by several replicas), retried with
 * exponential backoff while the receiver fails or is unreachable.
 */
export class WebhookSender {
  private readonly sent = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly config: AlertsConfig & { webhookUrl: string },
    private readonly logger: Logger,
  ) {}

  send(alert: Alert): void {
    if (this.sent.has(alert.id) || this.stopping.signal.aborted) return;
    this.sent.add(alert.id);
    const delivery = this.deliver(alert).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Waits for deliveries under way (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Stops retrying: a delivery still failing at shutdown is logged by its last attempt. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  private async deliver(alert: Alert): Promise<void> {
    const body = JSON.stringify(this.config.format === 'slack' ? slackPayload(alert) : alert);
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (attempt > 0) await sleep(this.config.backoffMs * 2 ** (attempt - 1), undefined, { signal: this.stopping.signal }).catch(() => undefined);
      if (this.stopping.signal.aborted) return;
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const response = await request(this.config.webhookUrl, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'idempotency-key': alert.id,
            'x-moat-timestamp': timestamp,
            ...(this.config.secret && { 'x-moat-signature': signature(this.config.secret, timestamp, body) }),
          },
          headersTimeout: this.config.timeoutMs,
          bodyTimeout: this.config.timeoutMs,
        });
        await response.body.dump();
        if (response.statusCode < 300) return;
        // A 4xx other than 408/429 will not get better by asking again.
        if (response.statusCode < 500 && response.statusCode !== 408 && response.statusCode !== 429) {
          this.logger.error({ alert: alert.id, status: response.statusCode }, 'alert webhook rejected the alert');
          return;
        }
        this.logger.warn({ alert: alert.id, status: response.statusCode, attempt }, 'alert webhook failed; retrying');
      } catch (error) {
        this.logger.warn({ alert: alert.id, err: error, attempt }, 'alert webhook unreachable; retrying');
      }
    }
    this.logger.error({ alert: alert.id, attempts: this.config.retries + 1 }, 'alert webhook gave up');
  }
}

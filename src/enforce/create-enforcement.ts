import type { Logger } from 'pino';
import type { DetectionView } from '../detect/types.js';
import type { Store } from '../store/store.js';
import { WebhookSender } from './alerts/webhook-sender.js';
import { DecisionLog, replayLog } from './decision-log.js';
import { EnforcementService } from './enforcement-service.js';
import { Enforcer } from './enforcer.js';
import type { EnforcementConfig } from './policy-schema.js';
import { AuditTailSync } from './sync/audit-tail-sync.js';
import type { DecisionSync } from './sync/decision-sync.js';
import { RedisSync } from './sync/redis-sync.js';
import { Throttle } from './throttle.js';

export interface Enforcement {
  enforcer: Enforcer;
  service: EnforcementService;
  alerts: WebhookSender | undefined;
  close(): Promise<void>;
}

/** Redis when configured (many replicas); otherwise the audit log in the shared store. */
export function openSync(config: EnforcementConfig, store: Store, lastSeq: number, logger: Logger): DecisionSync {
  const onError = (error: unknown) => logger.error({ err: error }, 'enforcement sync failed');
  if (config.redis) return new RedisSync({ ...config.redis, onError });
  return new AuditTailSync(store.audit, store.changes, lastSeq, onError);
}

/** Rebuilds every decision from the audit log, then follows changes made elsewhere. */
export async function startEnforcement(config: EnforcementConfig, store: Store, engine: DetectionView | undefined, logger: Logger): Promise<Enforcement> {
  const { decisions, policy, lastSeq } = await replayLog(store.audit);
  const sync = openSync(config, store, lastSeq, logger);
  const log = new DecisionLog(store, sync);
  const alerts = config.alerts.webhookUrl ? new WebhookSender({ ...config.alerts, webhookUrl: config.alerts.webhookUrl }, logger) : undefined;
  const enforcer = new Enforcer(config.policy, { store, log, throttle: new Throttle(store.limitOverrides), engine, alerts, logger });
  for (const decision of decisions.values()) enforcer.take({ type: 'decision', decision });
  if (policy) {
    logger.warn('enforcement policy: the one last set through the admin API (audit log) replaces the config file');
    enforcer.take({ type: 'policy', policy, seq: lastSeq });
  }
  await sync.start((message) => enforcer.take(message));
  return {
    enforcer,
    service: new EnforcementService(store, enforcer),
    alerts,
    async close() {
      await enforcer.idle();
      await sync.close();
      await alerts?.close();
    },
  };
}

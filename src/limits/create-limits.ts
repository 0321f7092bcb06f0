import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { LimitGate } from './limit-gate.js';
import { LimitPolicy } from './limit-policy.js';
import { LimitService } from './limit-service.js';
import type { RateLimiter } from './limiter.js';
import type { LimitsConfig } from './limits-schema.js';
import { MemoryLimiter } from './memory/memory-limiter.js';
import { OverrideCache } from './overrides.js';
import { RedisLimiter } from './redis/redis-limiter.js';

export interface Limits {
  gate: LimitGate;
  service: LimitService;
  backend: LimitsConfig['backend'];
  close(): Promise<void>;
}

/** Opens the configured backend; with Redis down at start, the gateway still starts and the failure mode applies. */
export async function openLimiter(config: LimitsConfig, logger: Logger): Promise<RateLimiter> {
  if (config.backend === 'memory') return new MemoryLimiter();
  let lastLogged = 0;
  const limiter = new RedisLimiter({
    ...config.redis,
    concurrencyLeaseMs: config.concurrencyLeaseMs,
    onConnectionError: (error) => {
      // ioredis reports every reconnect attempt; once a minute is enough to know it is still down.
      if (Date.now() - lastLogged < 60_000) return;
      lastLogged = Date.now();
      logger.error({ err: error }, 'rate limit redis connection failed; reconnecting');
    },
  });
  if (!(await limiter.connect())) logger.error({ url: redactUrl(config.redis.url) }, 'rate limit redis unreachable at start');
  return limiter;
}

export async function startLimits(config: LimitsConfig, store: Store, logger: Logger): Promise<Limits> {
  const overrides = new OverrideCache(store.limitOverrides);
  await overrides.start(store.changes, (error) => logger.error({ err: error }, 'limit override refresh failed'));
  const policy = new LimitPolicy(config, overrides);
  const limiter = await openLimiter(config, logger);
  return {
    gate: new LimitGate(policy, limiter, config.redis.onFailure, logger),
    service: new LimitService(store, policy, overrides, limiter),
    backend: config.backend,
    async close() {
      await overrides.stop();
      await limiter.close();
    },
  };
}

/** A Redis URL may carry a password. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//[Redacted]@');
}

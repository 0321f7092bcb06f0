import { z } from 'zod';

const count = z.number().int().positive();

/** The six limits; each is optional, and an absent one does not apply. */
export const limitSetSchema = z
  .object({
    requestsPerMinute: count.optional(),
    requestsPerDay: count.optional(),
    tokensPerMinute: count.optional(),
    tokensPerDay: count.optional(),
    concurrent: count.optional(),
    /** Tokens per calendar month (UTC), across all models: a budget, not a rate. */
    monthlyTokens: count.optional(),
  })
  .strict();

const scopedSchema = z
  .object({
    /** Applies to each account of the tier, all its keys together. */
    account: limitSetSchema.optional(),
    /** Applies to each key of the tier on its own. */
    key: limitSetSchema.optional(),
  })
  .strict();

const tierLimitsSchema = scopedSchema
  .extend({
    /** Output tokens reserved for a request that sets no max_tokens. */
    defaultMaxTokens: count.default(4096),
    /** Per-model overrides (exact name or `prefix*`): the model gets its own counters with these limits. */
    models: z.record(z.string().min(1), scopedSchema).default({}),
  })
  .strict();

export const limitsSchema = z
  .object({
    backend: z.enum(['memory', 'redis']).default('memory'),
    redis: z
      .object({
        url: z.string().default('redis://127.0.0.1:6379'),
        /** Keeps several gateways (or test runs) on one Redis apart. */
        keyPrefix: z.string().default('moat:limits:'),
        /** With Redis unreachable: admit unchecked (open) or refuse with 503 (closed). */
        onFailure: z.enum(['open', 'closed']).default('open'),
        /**
         * Only catches a Redis that stopped answering (a refused connection fails at once). Not
         * tighter: a busy gateway's own event-loop lag counts against it, and a check that timed
         * out may still have been charged.
         */
        commandTimeoutMs: count.default(1000),
      })
      .strict()
      .prefault({}),
    /** Tier name to its limits; a tier not named here has none. */
    tiers: z.record(z.string(), tierLimitsSchema).default({}),
    /** A replica that dies mid-request frees its concurrency slot after this long. */
    concurrencyLeaseMs: count.default(600_000),
  })
  .strict();

export type LimitSet = z.infer<typeof limitSetSchema>;
export type LimitName = keyof LimitSet;
export type LimitsConfig = z.infer<typeof limitsSchema>;
export type TierLimits = z.infer<typeof tierLimitsSchema>;

export const LIMIT_NAMES: readonly LimitName[] = ['requestsPerMinute', 'requestsPerDay', 'tokensPerMinute', 'tokensPerDay', 'concurrent', 'monthlyTokens'];

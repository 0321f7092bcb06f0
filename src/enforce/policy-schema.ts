import { z } from 'zod';
import { limitSetSchema } from '../limits/limits-schema.js';

export const LEVELS = ['none', 'watch', 'suspect', 'high'] as const;
export const levelSchema = z.enum(LEVELS);

/**
 * What an enforcement decision can do to an account, mildest first. `log` and `alert` change
 * nothing for the customer; the others change what the gateway serves.
 */
export const ACTIONS = [
  'log',
  'alert',
  'throttle',
  'cap_max_tokens',
  'withhold_reasoning',
  'refuse_risky_params',
  'require_verification',
  'suspend_key',
  'suspend_account',
] as const;
export const actionSchema = z.enum(ACTIONS);

const actionList = z.array(actionSchema).default([]);

/** An explicit rule: every condition given must hold; the actions add to the level's. */
const ruleSchema = z
  .object({
    name: z.string().min(1),
    when: z
      .object({
        /** At or above this detector level. */
        minLevel: levelSchema.optional(),
        flagged: z.boolean().optional(),
        /** The account belongs to a linked-account campaign. */
        inCampaign: z.boolean().optional(),
        /** One of the detector's reasons has this signal name. */
        signal: z.string().min(1).optional(),
        minRequests: z.number().int().nonnegative().optional(),
      })
      .strict(),
    actions: z.array(actionSchema).min(1),
  })
  .strict();

const tierPolicySchema = z
  .object({
    /** Detector level to the actions it leads to; a level not named leads to none. */
    levels: z.partialRecord(levelSchema, actionList).default({}),
    rules: z.array(ruleSchema).default([]),
    /**
     * Campaign level (from the campaign's own score) to the actions taken on every member, so
     * a hydra of accounts that each look mild is acted on as one.
     */
    campaigns: z.partialRecord(levelSchema, actionList).default({}),
  })
  .strict();

/**
 * The default: watch is only logged; suspect is alerted, throttled, stripped of reasoning and
 * of sampling parameters that help distillation; high, a high campaign, or a suspect account
 * that keeps going for a thousand requests is suspended. On dev-v1 no benign account reaches
 * watch, while every extraction account reaches suspect or high.
 */
export const DEFAULT_TIER_POLICY: z.input<typeof tierPolicySchema> = {
  levels: {
    watch: ['log'],
    suspect: ['alert', 'throttle', 'withhold_reasoning', 'refuse_risky_params'],
    high: ['alert', 'suspend_account'],
  },
  campaigns: { high: ['alert', 'suspend_account'] },
  rules: [{ name: 'persistent-suspect', when: { minLevel: 'suspect', minRequests: 1000 }, actions: ['alert', 'suspend_account'] }],
};

export const policySchema = z
  .object({
    /** shadow: decide, record and alert, but change nothing a customer sees. */
    mode: z.enum(['enforce', 'shadow']).default('shadow'),
    /** Tier name to its policy; `*` for every tier not named. */
    tiers: z.record(z.string(), tierPolicySchema).prefault({ '*': DEFAULT_TIER_POLICY }),
    /** Limits laid over a throttled account's own (the lower of the two applies). */
    throttle: limitSetSchema.default({ requestsPerMinute: 30, tokensPerMinute: 20_000 }),
    /** max_tokens (or max_output_tokens) ceiling under `cap_max_tokens`. */
    maxTokensCap: z.number().int().positive().default(512),
    /** Accounts never acted on automatically (people can still act on them). */
    allowlist: z.array(z.string()).default([]),
  })
  .strict();

export const alertsSchema = z
  .object({
    /** Where alerts are POSTed; no alerts without it. */
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** HMAC-SHA256 key for the x-moat-signature header; usually MOAT_ALERT_SECRET. */
    secret: z.string().min(16).optional(),
    /** `slack` posts `{text, blocks}` for a Slack (or compatible) incoming webhook. */
    format: z.enum(['json', 'slack']).default('json'),
    /** Attempts after the first, each after twice the previous wait. */
    retries: z.number().int().nonnegative().default(5),
    backoffMs: z.number().int().positive().default(500),
    timeoutMs: z.number().int().positive().default(5_000),
  })
  .strict();

export const enforcementSchema = z
  .object({
    enabled: z.boolean().default(true),
    policy: policySchema.prefault({}),
    alerts: alertsSchema.prefault({}),
    /** Keeps decisions of many replicas in step; without it, replicas follow the audit log. */
    redis: z
      .object({
        url: z.string().default('redis://127.0.0.1:6379'),
        keyPrefix: z.string().default('moat:enforce:'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Level = z.infer<typeof levelSchema>;
export type ActionName = z.infer<typeof actionSchema>;
export type EnforcementPolicy = z.infer<typeof policySchema>;
export type TierPolicy = z.infer<typeof tierPolicySchema>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
export type EnforcementConfig = z.infer<typeof enforcementSchema>;

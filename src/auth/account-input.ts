import { z } from 'zod';
import type { AccountRecord } from '../traffic/types.js';

/** What a caller may say about a new or changed account (admin API body, CLI flags). */
export const accountInputSchema = z.object({
  account: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits and _ . : - only'),
  tier: z.string().min(1).default('default'),
  created_at: z.iso.datetime({ offset: true }).optional(),
  country: z.string().length(2).nullable().default(null),
  email_domain: z.string().min(1).nullable().default(null),
  payment_fingerprint: z.string().min(1).nullable().default(null),
  signup_ip: z.string().min(1).nullable().default(null),
  verified: z.boolean().default(false),
});

export type AccountInput = z.input<typeof accountInputSchema>;

export function toAccountRecord(input: z.output<typeof accountInputSchema>, nowMs: number): AccountRecord {
  return { ...input, created_at: input.created_at ?? new Date(nowMs).toISOString() };
}

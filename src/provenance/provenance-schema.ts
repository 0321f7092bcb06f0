import { z } from 'zod';

const keySchema = z
  .object({
    /** Named in the audit log and given to `moat provenance test --key`; never the secret. */
    id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    /** The newest key created at or before a response is the one that marks it; older ones stay for testing. */
    createdAt: z.iso.datetime(),
    /**
     * At least 32 hex digits; usually set through MOAT_PROVENANCE_SECRET_<ID> (upper case,
     * non-alphanumerics as _), so config files can be committed without it.
     */
    secret: z.string().regex(/^[0-9a-fA-F]{32,}$/, 'at least 32 hex digits').optional(),
  })
  .strict();

const canarySchema = z
  .object({
    /** Campaign ids (the detector's or a person's) whose members are served canaries. */
    campaigns: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const provenanceSchema = z
  .object({
    keys: z.array(keySchema).default([]),
    canaries: canarySchema.prefault({}),
  })
  .strict();

export type ProvenanceConfig = z.infer<typeof provenanceSchema>;
export type ProvenanceKeyConfig = z.infer<typeof keySchema>;

/** The environment variable that holds a key's secret. */
export const secretEnvName = (id: string): string => `MOAT_PROVENANCE_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

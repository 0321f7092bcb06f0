import { z } from 'zod';
import { GatewayError, NotFoundError } from '../errors/catalogue.js';

/** Admin API input: the first problem, in OpenAI's error shape with its field as `param`. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new GatewayError('invalid_request', `${issue.path.join('.') || 'body'}: ${issue.message}`, issue.path.join('.') || null);
}

export const idParams = z.object({ id: z.string().min(1) });

/** A missing account or key is the caller's 404, not the gateway's 500. */
export async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundError) throw new GatewayError('not_found', error.message, error.what);
    throw error;
  }
}

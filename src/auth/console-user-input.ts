import { z } from 'zod';

// Below the console and the gateway both: the console's routes parse these, the admin API's OpenAPI document describes them.
export const consoleUserNameParams = z.object({ name: z.string().min(1).max(200) });
export const consoleUserAddBody = z.object({ name: z.string().min(1).max(200), role: z.string(), password: z.string().min(1).max(1000) }).strict();
export const consoleUserRoleBody = z.object({ role: z.string() }).strict();

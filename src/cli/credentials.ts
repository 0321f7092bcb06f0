import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const credentialsSchema = z.object({
  consoleUser: z.string().min(1),
  consolePassword: z.string().min(8),
  adminToken: z.string().min(16),
});

/** What `moat start` signs in with: one console user (admin role) and the admin API's token. */
export type Credentials = z.infer<typeof credentialsSchema>;

export const credentialsPath = (dataDir: string): string => join(dataDir, 'credentials.json');

/**
 * The data dir's credentials, made on first start and reused afterwards, so a restart does not
 * sign everyone out of the console or break scripts holding the token. The file is the only copy
 * of the password (the gateway keeps its hash), readable by its owner alone.
 */
export function loadOrCreateCredentials(dataDir: string): { credentials: Credentials; created: boolean } {
  const path = credentialsPath(dataDir);
  if (existsSync(path)) {
    const parsed = credentialsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path}: not a credentials file Moat wrote (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}); move it away to have new ones made`);
    return { credentials: parsed.data, created: false };
  }
  const credentials: Credentials = {
    consoleUser: 'admin',
    consolePassword: randomBytes(15).toString('base64url'),
    adminToken: `moat_admin_${randomBytes(24).toString('hex')}`,
  };
  // Written whole under another name first: a start cut short never leaves half a file to be reused.
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(partial, 0o600);
  renameSync(partial, path);
  return { credentials, created: true };
}

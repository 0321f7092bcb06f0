import type { FastifyInstance } from 'fastify';
import type { MoatConfig } from '../config/schema.js';
import type { LiveDetection } from '../events/live-detection.js';
import type { Mountable } from '../gateway/gateway.js';
import type { Store } from '../store/store.js';
import { registerConsole } from './console-routes.js';
import { registerConsoleUserRoutes } from './console-user-routes.js';
import { ConsoleUsers } from './console-users.js';
import type { DetectionReading } from './analysis-cache.js';
import { Investigation } from './investigation.js';
import { requireWebBuild } from './web-assets.js';

/** Detection is read only after its tap has caught up, so a page never shows a stale verdict. */
export function investigationOf(store: Store, detection: LiveDetection | undefined, tiers: MoatConfig['tiers']): Investigation {
  return new Investigation(
    store,
    {
      async engine() {
        if (!detection) return undefined;
        await detection.drain();
        return detection;
      },
    },
    tiers,
  );
}

/** Over a cached analysis (`moat report`): detection's verdicts without replaying the ledger. */
export function investigationOver(store: Store, reading: DetectionReading, tiers: MoatConfig['tiers']): Investigation {
  return new Investigation(store, { engine: async () => reading }, tiers);
}

/**
 * The admin API for console users always; the console itself once anyone can sign in (users in
 * the config file or the store, or an OpenID Connect provider). With none at start, a user added
 * later through the API signs in after a restart.
 */
export async function startConsole(app: FastifyInstance, config: MoatConfig, store: Store, detection: LiveDetection | undefined): Promise<void> {
  const users = new ConsoleUsers(store, config.console.users);
  registerConsoleUserRoutes(app, users, config.admin.token);
  if (!config.console.oidc && !(await users.any())) return;
  requireWebBuild();
  await registerConsole(app, { investigation: investigationOf(store, detection, config.tiers), config: config.console, users, adminToken: config.admin.token });
}

/** The console as a gateway mount: its user routes always, its pages once anyone can sign in. */
export function consoleMount(config: MoatConfig): (gateway: Mountable) => Promise<void> {
  return (gateway) => startConsole(gateway.app, config, gateway.store, gateway.detection);
}

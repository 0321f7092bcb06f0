import type { FastifyInstance } from 'fastify';
import type { MoatConfig } from '../config/schema.js';
import type { DetectionTap } from '../gateway/detection-tap.js';
import type { Mountable } from '../gateway/gateway.js';
import type { Store } from '../store/store.js';
import { registerConsole } from './console-routes.js';
import { Investigation } from './investigation.js';
import { requireWebBuild } from './web-assets.js';

/** Detection is read only after its tap has caught up, so a page never shows a stale verdict. */
export function investigationOf(store: Store, detection: DetectionTap | undefined, tiers: MoatConfig['tiers']): Investigation {
  return new Investigation(
    store,
    {
      async engine() {
        if (!detection) return undefined;
        await detection.drain();
        return detection.engine;
      },
    },
    tiers,
  );
}

export async function startConsole(app: FastifyInstance, config: MoatConfig, store: Store, detection: DetectionTap | undefined): Promise<void> {
  requireWebBuild();
  await registerConsole(app, { investigation: investigationOf(store, detection, config.tiers), config: config.console, adminToken: config.admin.token });
}

/** The console as a gateway mount, when the config names console users (else no console). */
export function consoleMount(config: MoatConfig): ((gateway: Mountable) => Promise<void>) | undefined {
  if (config.console.users.length === 0) return undefined;
  return (gateway) => startConsole(gateway.app, config, gateway.store, gateway.detection);
}

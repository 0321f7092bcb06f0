import { rmSync } from 'node:fs';
import { connect } from 'nats';
import { createEngine, replay } from '../../src/detect/index.js';
import type { TrafficRequest } from '../../src/traffic/types.js';
import { MACHINE_NATS } from './bus-cluster.js';
import { engineState, type DetectionState } from './detection-state.js';
import { DEV_SET, devSetPresent, writePrefixSet } from './dev-set.js';
import { postgresProbe, requireService } from './services.js';

// Issue 13's scale-out acceptance tests (test/events/scale-out.test.ts in npm test; the failure
// drills in test/events/scale-out-failures.slow.ts, `npm run test:scale-out`) share these.

export const natsSkip = await requireService('NATS JetStream', async () => {
  const nc = await connect({ servers: MACHINE_NATS, timeout: 2_000 });
  try {
    await (await nc.jetstreamManager()).getAccountInfo();
  } finally {
    await nc.close();
  }
});
export const scaleOutSkip = natsSkip || (await requireService('PostgreSQL', postgresProbe())) || (!devSetPresent && 'dev-v1 is not beside the repository');

/** What one process ends with on the same requests (`moat analyze`; the live gateway equals it: test/gateway/live-detection.test.ts). */
export async function oneProcess(untilMs: number): Promise<DetectionState> {
  const dir = await writePrefixSet(DEV_SET, untilMs);
  try {
    const engine = createEngine();
    await replay(dir, engine);
    return active(engineState(engine));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Accounts that sent something (accounts created after the slice's last request enter neither engine). */
export function active(state: DetectionState): DetectionState {
  return { ...state, accounts: state.accounts.filter((a) => a.requests > 0) };
}

/** The slice's requests, calling `at(i)` before the i-th is sent (it may pause the replay). */
export async function* paced(requests: TrafficRequest[], at: (i: number) => Promise<void> | void): AsyncGenerator<TrafficRequest> {
  for (let i = 0; i < requests.length; i++) {
    await at(i);
    yield requests[i]!;
  }
}

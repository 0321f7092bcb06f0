import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import OpenAI from 'openai';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { StandInUpstream } from '../../src/upstream/stand-in.js';
import { startRoles } from '../../src/workers/roles.js';
import { freePort } from '../helpers/bus-cluster.js';
import { MODELS } from '../helpers/gateway-fixture.js';
import { seedAccount } from '../helpers/spawned-gateways.js';

const natsBinary = await new Promise<string | undefined>((resolve) => {
  const which = spawn('which', ['nats-server']);
  let out = '';
  which.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  which.on('exit', (code) => resolve(code === 0 ? out.trim() : undefined));
});
const skip = !natsBinary && process.env.MOAT_REQUIRE_SERVICES !== '1' && 'nats-server is not installed';

async function startNats(port: number, storeDir: string): Promise<ChildProcess> {
  const child = spawn(natsBinary!, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  for (let i = 0; i < 100 && !log.includes('Server is ready'); i++) await sleep(100);
  if (!log.includes('Server is ready')) throw new Error(`nats-server did not start: ${log}`);
  return child;
}

test('every role over the bus in one process: /healthz, /readyz (NATS, store, lag) and the bus metrics; not ready while NATS is away, serving all the same', { skip, timeout: 120_000 }, async () => {
  if (!natsBinary) throw new Error('nats-server is not installed, and MOAT_REQUIRE_SERVICES=1 requires it');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'moat-ops-'));
  let nats = await startNats(port, join(dir, 'nats'));
  const upstream = new StandInUpstream({ models: MODELS });
  const dbPath = join(dir, 'moat.db');
  const { issued } = await seedAccount(dbPath, 'acct_ops');
  const config = parseConfig(
    {
      server: { port: 0 },
      store: { path: dbPath },
      upstreams: [{ name: 'stand-in', baseUrl: await upstream.listen(), models: MODELS }],
      events: { nats: { servers: [`nats://127.0.0.1:${port}`], name: 'moat_ops', partitions: 2, publishTimeoutMs: 500 } },
      ops: { port: 0 },
    },
    {},
  );
  const roles = await startRoles(config, 'all', { logger: pino({ level: 'silent' }) });
  try {
    const ops = roles.ops!.url;
    assert.equal((await fetch(`${ops}/healthz`)).status, 200);
    const ready = await fetch(`${ops}/readyz`);
    assert.equal(ready.status, 200, await ready.clone().text());
    const client = new OpenAI({ baseURL: `${roles.gateway!.url}/v1`, apiKey: issued.secret, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    for (const name of ['moat_events_spool_bytes', 'moat_events_pending', 'moat_events_ledger_lag', 'moat_events_ledger_redeliveries', 'moat_events_detector_lag', 'moat_events_detector_redeliveries', 'moat_linkage_buffered']) {
      assert.match(metrics, new RegExp(`^${name} `, 'm'), `${name} is exported`);
    }

    nats.kill('SIGKILL');
    await once(nats, 'exit');
    const away = await fetch(`${ops}/readyz`);
    assert.equal(away.status, 503);
    assert.ok(((await away.json()) as { failures: Record<string, string> }).failures.nats, 'the NATS check is what fails');
    // Still serving: the record is spooled.
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'while NATS is away' }] });
    let spooled = 0;
    for (let i = 0; i < 50 && spooled === 0; i++) {
      await sleep(100);
      spooled = roles.sink!.spoolBytes;
    }
    assert.ok(spooled > 0, 'the record went to the spool');

    nats = await startNats(port, join(dir, 'nats'));
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await sleep(200);
      status = (await fetch(`${ops}/readyz`)).status;
    }
    assert.equal(status, 200, 'ready again once NATS is back');
    for (let i = 0; i < 100 && roles.sink!.spoolBytes > 0; i++) await sleep(100);
    assert.equal(roles.sink!.spoolBytes, 0, 'the spool was replayed');
  } finally {
    await roles.close();
    await upstream.close();
    nats.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});

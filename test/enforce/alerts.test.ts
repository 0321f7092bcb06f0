import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { signature } from '../../src/enforce/alerts/webhook-sender.js';
import { WebhookSender } from '../../src/enforce/alerts/webhook-sender.js';
import { DecisionLog } from '../../src/enforce/decision-log.js';
import { Enforcer } from '../../src/enforce/enforcer.js';
import { alertsSchema, policySchema } from '../../src/enforce/policy-schema.js';
import { AuditTailSync } from '../../src/enforce/sync/audit-tail-sync.js';
import { Throttle } from '../../src/enforce/throttle.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { EngineDouble } from './engine-double.js';

const SECRET = 'webhook-secret-for-tests-0123';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A receiver whose first answer is a 500, so every alert needs a retry; records every attempt. */
async function receiver(): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const status = deliveries.length === 0 ? 500 : 204;
      deliveries.push({ headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/hook`, deliveries, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function enforcerWith(url: string, format: 'json' | 'slack') {
  const dir = mkdtempSync(join(tmpdir(), 'moat-alerts-'));
  const store = new SqliteStore(join(dir, 'moat.db'));
  const logger = pino({ level: 'silent' });
  const alerts = new WebhookSender({ ...alertsSchema.parse({ webhookUrl: url, secret: SECRET, backoffMs: 20, format }), webhookUrl: url }, logger);
  const sync = new AuditTailSync(store.audit, store.changes, 0, () => undefined);
  const engine = new EngineDouble();
  const enforcer = new Enforcer(policySchema.parse({ mode: 'enforce' }), { store, log: new DecisionLog(store, sync), throttle: new Throttle(store.limitOverrides), engine, alerts, logger });
  return {
    engine,
    enforcer,
    alerts,
    store,
    async close() {
      await alerts.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('one signed alert per crossing, retried when the receiver first fails', async () => {
  const hook = await receiver();
  const run = await enforcerWith(hook.url, 'json');
  try {
    const step = async (level: 'watch' | 'suspect' | 'high') => {
      run.engine.set('acct_x', level);
      run.enforcer.detectionChanged(new Set(['acct_x']));
      await run.enforcer.idle();
      await run.alerts.idle();
    };
    await step('watch'); // log only: no alert
    await step('suspect');
    await step('suspect'); // the same level again is no crossing
    await step('high');
    const accepted = hook.deliveries.filter((d) => d.status === 204);
    assert.equal(hook.deliveries[0]!.status, 500, 'the first attempt failed');
    assert.equal(hook.deliveries.length, 3, 'two alerts, the first of them sent twice');
    assert.equal(hook.deliveries[0]!.body, hook.deliveries[1]!.body, 'the retry is the same alert');
    assert.deepEqual(accepted.map((d) => d.headers['idempotency-key']), ['account:acct_x:suspect', 'account:acct_x:high']);
    for (const delivery of hook.deliveries) {
      const timestamp = String(delivery.headers['x-moat-timestamp']);
      assert.equal(delivery.headers['x-moat-signature'], signature(SECRET, timestamp, delivery.body), 'signed with the shared secret');
      assert.equal(delivery.headers['content-type'], 'application/json');
    }
    const [suspect, high] = accepted.map((d) => JSON.parse(d.body));
    assert.deepEqual([suspect.level, suspect.previousLevel, suspect.subject], ['suspect', 'watch', { kind: 'account', id: 'acct_x' }]);
    assert.ok(suspect.actions.includes('throttle'));
    assert.deepEqual([high.level, high.actions], ['high', ['alert', 'suspend_account']]);
    const audited = await run.store.audit.list({ account: 'acct_x', limit: 20 });
    assert.equal(audited.filter((e) => e.action === 'alert').length, 2, 'each alert is in the audit log');
  } finally {
    await run.close();
    await hook.close();
  }
});

test('a campaign crossing alerts once, in the Slack-compatible shape, and acts on its flagged members only', async () => {
  const hook = await receiver();
  const run = await enforcerWith(hook.url, 'slack');
  try {
    run.engine.set('acct_a', 'suspect', 'k1');
    run.engine.set('acct_b', 'suspect', 'k1');
    // Linked to the campaign (a shared card, say) without carrying its behaviour: not punished for the link.
    run.engine.set('acct_c', 'watch', 'k1');
    run.engine.campaignList = [{ id: 'k1', members: ['acct_a', 'acct_b', 'acct_c'], links: ['card'], score: 0.8, flagged: true, evidence: [], reasons: [] }];
    run.enforcer.detectionChanged(new Set(['acct_a', 'acct_b', 'acct_c']));
    await run.enforcer.idle();
    await run.alerts.idle();
    const accepted = hook.deliveries.filter((d) => d.status === 204 && String(d.headers['idempotency-key']).startsWith('campaign:'));
    assert.deepEqual(accepted.map((d) => d.headers['idempotency-key']), ['campaign:k1:high']);
    const body = JSON.parse(accepted[0]!.body);
    assert.match(body.text, /Campaign `k1` \(2 accounts\) crossed none → \*high\*/);
    assert.ok(Array.isArray(body.blocks) && body.blocks.length >= 2);
    for (const account of ['acct_a', 'acct_b']) {
      assert.ok(run.enforcer.servingDecision(account)?.actions.includes('suspend_account'), `${account} suspended with its campaign`);
    }
    assert.ok(!run.enforcer.servingDecision('acct_c')?.actions.includes('suspend_account'), 'the merely linked account is not suspended');
  } finally {
    await run.close();
    await hook.close();
  }
});

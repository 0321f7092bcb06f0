import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropTextBefore } from '../../src/ledger/text-retention.js';
import { ADMIN_TOKEN, startFixture } from '../helpers/gateway-fixture.js';
import { ledgerRecords } from '../helpers/ledger.js';

test('ledger text retention: hashed at write, dropped after the retention period', async () => {
  const fixture = await startFixture({ config: { ledger: { text: 'hashed', flushIntervalMs: 20 } } });
  try {
    const answer = await fixture.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'my private question' }] });
    const [record] = await ledgerRecords(fixture.gateway);
    assert.match(String(record!.request.messages![0]!.content), /^sha256:/);
    assert.notEqual(record!.response.text, answer.choices[0]!.message.content);
    assert.equal(record!.usage.completion_tokens, answer.usage!.completion_tokens, 'usage is kept whatever the text mode');

    const dropped = await dropTextBefore(fixture.gateway.store.ledger, Date.now() + 1000);
    assert.equal(dropped, 1);
    const [after] = await ledgerRecords(fixture.gateway);
    assert.equal(after!.request.messages![0]!.content, '');
    assert.equal(after!.response.text, '');
    assert.deepEqual(after!.usage, record!.usage);
  } finally {
    await fixture.close();
  }
});

test('prometheus metrics count requests and tokens, behind the admin token', async () => {
  const fixture = await startFixture();
  try {
    const answer = await fixture.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count me' }] });
    assert.equal((await fetch(`${fixture.gateway.url}/metrics`)).status, 401);
    const text = await (await fetch(`${fixture.gateway.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    assert.match(text, /moat_requests_total\{endpoint="\/v1\/chat\/completions",model="gpt-4o-mini",status="200"\} 1/);
    assert.match(text, new RegExp(`moat_tokens_total\\{kind="completion",source="upstream"\\} ${answer.usage!.completion_tokens}`));
  } finally {
    await fixture.close();
  }
});

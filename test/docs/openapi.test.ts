import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ADMIN_OPERATIONS } from '../../src/gateway/admin-openapi.js';
import { registeredRoutes } from '../../src/gateway/route-list.js';
import { admin, startFixture, type Fixture } from '../helpers/gateway-fixture.js';

const ADMIN_SURFACE = (url: string) => url.startsWith('/admin/') || url === '/metrics';
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

describe('the admin API as OpenAPI 3.1 at /admin/openapi.json', () => {
  let fixture: Fixture;
  before(async () => {
    // Every optional feature on, so every admin route is registered and answers.
    fixture = await startFixture({ config: { limits: {} } });
  });
  after(() => fixture.close());

  test('documents exactly the admin routes the gateway registers', async () => {
    const { status, body } = await admin(fixture.gateway.url, 'GET', '/admin/openapi.json');
    assert.equal(status, 200);
    assert.equal(body.openapi, '3.1.0');
    const documented = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => key(method, path.replace(/\{(\w+)\}/g, ':$1'))),
    );
    const registered = registeredRoutes(fixture.gateway.app).filter((route) => ADMIN_SURFACE(route.url)).map((route) => key(route.method, route.url));
    const missing = registered.filter((route) => !documented.includes(route));
    const extra = documented.filter((route) => !registered.includes(route));
    assert.deepEqual(missing, [], 'registered but not documented: add them to ADMIN_OPERATIONS in src/gateway/admin-openapi.ts');
    assert.deepEqual(extra, [], 'documented but not registered');
    assert.equal(new Set(documented).size, documented.length, 'each route once');
  });

  test('is a valid OpenAPI 3.1 document', async () => {
    const { body } = await admin(fixture.gateway.url, 'GET', '/admin/openapi.json');
    const validator = new Validator();
    const result = await validator.validate(body);
    assert.deepEqual(result.errors ?? [], [], 'validation errors');
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
  });

  test('each documented request schema is the one the route enforces', async () => {
    const { body } = await admin(fixture.gateway.url, 'GET', '/admin/openapi.json');
    const rotate = body.paths['/admin/keys/{id}/rotate'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(rotate.properties.grace_seconds, { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
    const account = body.paths['/admin/accounts'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(account.required, ['account']);
    // What the schema says is refused, the route refuses.
    const refused = await admin(fixture.gateway.url, 'POST', '/admin/accounts', { account: 'has spaces' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.param, 'account');
    const policy = body.paths['/admin/enforcement/policy'].put.requestBody.content['application/json'].schema;
    assert.deepEqual(policy.properties.policy.properties.mode.enum, ['enforce', 'shadow']);
    const audit = body.paths['/admin/audit'].get.parameters.map((parameter: { name: string; in: string }) => `${parameter.in}:${parameter.name}`);
    assert.deepEqual(audit.sort(), ['query:account', 'query:limit']);
    for (const operation of ADMIN_OPERATIONS) {
      const documented = body.paths[operation.path.replace(/:(\w+)/g, '{$1}')][operation.method.toLowerCase()];
      assert.ok(documented.responses['401'] && documented.responses[String(operation.ok.status)], `${key(operation.method, operation.path)} documents its answers`);
    }
  });

  test('needs the admin token, like the API it describes', async () => {
    const anonymous = await fetch(`${fixture.gateway.url}/admin/openapi.json`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'admin_unauthorized');
  });
});

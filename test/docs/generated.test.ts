import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generatedDocs } from '../../scripts/docs.js';

// The configuration reference and the admin API document are made from code; the committed copies must be what it makes now.
// One generation for every test here: it type-checks the config schema, which takes seconds.
const docs = generatedDocs();

for (const [path, text] of Object.entries(docs)) {
  test(`${path} is what \`npm run docs\` generates from the code`, () => {
    assert.equal(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), text, `${path} is stale: run npm run docs and commit it`);
  });
}

test('the configuration reference covers every documented field and every environment variable', () => {
  const reference = docs['docs/configuration.md']!;
  for (const key of ['server.trustProxy', 'upstreams[].apiKey', 'tiers.<name>.models', 'limits.tiers.<name>.models.<name>.key.concurrent', 'enforcement.policy.mode', 'MOAT_ADMIN_TOKEN', 'MOAT_UPSTREAM_<NAME>_API_KEY']) {
    assert.ok(reference.includes(`\`${key}\``), key);
  }
  assert.match(reference, /\| `server\.port` \| integer ≥ 0, ≤ 65535 \| `8080` \| TCP port/);
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import type { AccountAssessment } from '../../src/detect/types.js';
import { propose } from '../../src/enforce/policy-evaluator.js';
import { ACTIONS, LEVELS, type Level } from '../../src/enforce/policy-schema.js';

// docs/policies.md: every YAML block is a config the real schema accepts, and every `check:` line under it is what the real evaluator decides.
const page = readFileSync(new URL('../../docs/policies.md', import.meta.url), 'utf8');
const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```\n((?:\s*<!-- check: .*? -->\n)*)/g)].map((match) => ({
  yaml: match[1]!,
  checks: [...match[2]!.matchAll(/<!-- check: (.*?) => ?(.*?) -->/g)].map((check) => ({ given: check[1]!, expected: check[2]! })),
}));

test('the cookbook has its recipes, each checked', () => {
  assert.ok(blocks.length >= 9, `${blocks.length} YAML blocks`);
  const attached = blocks.reduce((sum, block) => sum + block.checks.length, 0);
  assert.equal(attached, page.match(/<!-- check:/g)!.length, 'every check line sits right under the block it checks');
  assert.ok(attached >= 20);
});

blocks.forEach((block, index) => {
  const title = block.yaml.split('\n').find((line) => /^\s+(mode|tiers|allowlist):/.test(line))?.trim() ?? '';
  test(`policy block ${index + 1} (${title}) is a valid config, and decides as the page says`, () => {
    const config = parseConfig(parseYaml(block.yaml), {});
    for (const { given, expected } of block.checks) {
      const fields = Object.fromEntries(given.split(/\s+/).map((pair) => pair.split('=') as [string, string]));
      const level = fields.level as Level;
      assert.ok(LEVELS.includes(level), `check "${given}" names a level`);
      const assessment: AccountAssessment = {
        account: 'acct_example',
        score: 0.5,
        evidence: 0.5,
        level,
        flagged: fields.flagged === 'true',
        firstFlaggedAt: null,
        campaign: fields.campaign ? 'c1' : null,
        reasons: fields.signal ? [{ signal: fields.signal, value: 1, text: '', scope: 'account' }] : [],
        requests: Number(fields.requests ?? 10),
      };
      const actions = propose(config.enforcement.policy, fields.tier!, assessment, (fields.campaign as Level | undefined) ?? null).actions;
      const wanted = expected.split(/\s+/).filter(Boolean);
      for (const action of wanted) assert.ok((ACTIONS as readonly string[]).includes(action), `"${action}" is an action`);
      assert.deepEqual([...actions].sort(), wanted.sort(), `block ${index + 1}, ${given}`);
    }
  });
});

test('the first block is the default policy, as the page says', () => {
  assert.deepEqual(parseConfig(parseYaml(blocks[0]!.yaml), {}).enforcement.policy, parseConfig({}, {}).enforcement.policy);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { COMMAND_GROUPS } from '../../src/cli/command-groups.js';

test('command groups: each group lists exactly the commands its module registers, and no command is in two', async () => {
  const seen = new Set<string>();
  for (const group of COMMAND_GROUPS) {
    const program = new Command('moat');
    (await group.load())(program);
    assert.deepEqual(
      program.commands.map((command) => command.name()),
      [...group.commands],
      'the CLI loads a group by these names: one missing here cannot be run',
    );
    for (const name of group.commands) {
      assert.ok(!seen.has(name), `${name} is in two groups`);
      seen.add(name);
    }
  }
});

#!/usr/bin/env node
import { COMMAND_GROUPS } from './command-groups.js';
import { REPLAY_COMMANDS, rerunWithReplayFlags, runsWithReplayFlags } from './replay-process.js';

const asked = process.argv[2];
if (asked !== undefined && REPLAY_COMMANDS.has(asked) && !runsWithReplayFlags()) process.exit(await rerunWithReplayFlags());

// Loaded after the check above: a replay's first process only starts its child and waits.
const { Command } = await import('commander');
const program = new Command('moat')
  .description('OpenAI-compatible gateway that meters API access and detects model-extraction campaigns')
  .showHelpAfterError();

// Only the group that holds the command asked for is loaded: the gateway's, the console's and
// the report's modules take seconds of CPU to load, which `moat analyze` would pay on every run.
const owner = COMMAND_GROUPS.find((group) => asked !== undefined && group.commands.includes(asked));
for (const group of owner ? [owner] : COMMAND_GROUPS) (await group.load())(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`moat: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

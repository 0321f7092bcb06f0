#!/usr/bin/env node
import { Command } from 'commander';
import { registerGatewayCommands } from './gateway-commands.js';
import { registerDetectCommands } from './detect-commands.js';
import { registerEnforceCommands } from './enforce-commands.js';
import { registerConsoleCommands } from './console-commands.js';
import { registerProvenanceCommands } from './provenance-commands.js';
import { registerStartCommand } from './start.js';

const program = new Command('moat')
  .description('OpenAI-compatible gateway that meters API access and detects model-extraction campaigns')
  .showHelpAfterError();

registerStartCommand(program);
registerGatewayCommands(program);
registerDetectCommands(program);
registerEnforceCommands(program);
registerConsoleCommands(program);
registerProvenanceCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`moat: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

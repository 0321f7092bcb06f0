import type { Command } from 'commander';

/** A module's commands, by their top-level names, and how to load the module that registers them. */
export interface CommandGroup {
  commands: readonly string[];
  load: () => Promise<(program: Command) => void>;
}

/** Every command of the CLI, in the order `moat --help` lists them (test/cli/command-groups.test.ts checks the names). */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { commands: ['start'], load: async () => (await import('./start.js')).registerStartCommand },
  { commands: ['serve', 'accounts', 'keys', 'export', 'limits'], load: async () => (await import('./gateway-commands.js')).registerGatewayCommands },
  { commands: ['analyze', 'eval', 'calibrate', 'explain'], load: async () => (await import('./detect-commands.js')).registerDetectCommands },
  { commands: ['suspend', 'reinstate', 'allowlist', 'audit'], load: async () => (await import('./enforce-commands.js')).registerEnforceCommands },
  { commands: ['console-user', 'console', 'report'], load: async () => (await import('./console-commands.js')).registerConsoleCommands },
  { commands: ['provenance'], load: async () => (await import('./provenance-commands.js')).registerProvenanceCommands },
];

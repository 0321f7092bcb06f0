import type { Command } from 'commander';

// Filled in by the gateway (serve, keys, accounts, export).
export function registerGatewayCommands(_program: Command): void {}

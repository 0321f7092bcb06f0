import type { Command } from 'commander';

// Filled in by the detection engine (analyze, eval, explain).
export function registerDetectCommands(_program: Command): void {}

import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadConfigFile } from '../config/load.js';
import { startOfflineGateway } from '../console/offline-gateway.js';
import { hashPassword } from '../console/passwords.js';
import { report } from './report.js';

async function readPassword(): Promise<string> {
  const fromEnv = process.env.MOAT_CONSOLE_PASSWORD;
  if (fromEnv) return fromEnv;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password.length < 8) throw new Error('give a password of 8 or more characters on stdin or in MOAT_CONSOLE_PASSWORD');
  return password;
}

export function registerConsoleCommands(program: Command): void {
  program
    .command('console-user')
    .description('console users (kept in the config file, passwords as scrypt hashes)')
    .command('add <name>')
    .description('print a console.users entry for the config file; the password comes from stdin or MOAT_CONSOLE_PASSWORD')
    .requiredOption('--role <role>', 'viewer | analyst | admin')
    .action(async (name: string, options: { role: string }) => {
      if (!['viewer', 'analyst', 'admin'].includes(options.role)) throw new Error('--role must be viewer, analyst or admin');
      const entry = { name, role: options.role, passwordHash: await hashPassword(await readPassword()) };
      process.stdout.write(`# add under console.users in the config file\n${stringify([entry])}`);
    });

  program
    .command('console')
    .description('serve the console over a ledger copy or a traffic set (no upstream: nothing is proxied)')
    .option('-c, --config <file>', 'config file: console users, tiers and their terms')
    .option('--db <path>', 'SQLite ledger to read')
    .option('--set <dir>', 'traffic set to load (TRAFFIC.md)')
    .option('--port <port>', 'listen port', (v) => Number.parseInt(v, 10), 8090)
    .action(async (options: { config?: string; db?: string; set?: string; port: number }) => {
      const base = loadConfigFile(options.config);
      if (base.console.users.length === 0) throw new Error('no console users: add some with `moat console-user add` to the config file');
      const { gateway } = await startOfflineGateway({ db: options.db, set: options.set, config: { server: { host: base.server.host, port: options.port } } }, base);
      process.stdout.write(`console on ${gateway.url}/console/\n`);
    });

  program
    .command('report')
    .description('case report (HTML and/or PDF) for an account or a campaign')
    .option('--campaign <id>', 'campaign id as detection names it')
    .option('--account <id>', 'account id')
    .option('--out <file>', 'PDF to write')
    .option('--html <file>', 'HTML to write')
    .option('--db <path>', 'SQLite ledger (default: the config store)')
    .option('--set <dir>', 'traffic set to load instead of a ledger (its ledger and analysis are cached)')
    .option('--no-cache', 'load and analyse the set again even when cached')
    .option('--cache-dir <dir>', 'where a set\'s ledger and analysis are cached (default: MOAT_CACHE_DIR or ~/.cache/moat)')
    .option('-c, --config <file>', 'config file (tiers and their terms)')
    .action(report);
}

import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadConfigFile } from '../config/load.js';
import { ConsoleUsers, isRole } from '../console/console-users.js';
import { hashPassword } from '../console/passwords.js';
import { openStore, storeAt } from '../store/open-store.js';
import type { ReportOptions } from './report.js';

async function readPassword(): Promise<string> {
  const fromEnv = process.env.MOAT_CONSOLE_PASSWORD;
  if (fromEnv) return fromEnv;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password.length < 8) throw new Error('give a password of 8 or more characters on stdin or in MOAT_CONSOLE_PASSWORD');
  return password;
}

interface StoreFlags {
  config?: string;
  db?: string;
}

/** The console users of the store the config names (or --db), with the config file's own users beside them. */
async function withUsers(options: StoreFlags, work: (users: ConsoleUsers) => Promise<void>): Promise<void> {
  const config = loadConfigFile(options.config);
  const store = await openStore(storeAt(config.store, options.db));
  try {
    await work(new ConsoleUsers(store, config.console.users));
  } finally {
    await store.close();
  }
}

const storeFlags = (command: Command) =>
  command.option('-c, --config <file>', 'config file (its store, and the users it names)').option('--db <path>', 'SQLite file or PostgreSQL URL (overrides the config store)');

export function registerConsoleCommands(program: Command): void {
  const users = program.command('console-user').description('console users and their roles, kept in the store (the config file may name more)');
  storeFlags(users.command('add <name>'))
    .description('add a console user; the password comes from stdin or MOAT_CONSOLE_PASSWORD')
    .requiredOption('--role <role>', 'viewer | analyst | admin')
    .option('--yaml', 'print a console.users entry for the config file instead of adding to the store')
    .action(async (name: string, options: StoreFlags & { role: string; yaml?: boolean }) => {
      if (!isRole(options.role)) throw new Error('--role must be viewer, analyst or admin');
      const password = await readPassword();
      if (options.yaml) {
        process.stdout.write(`# add under console.users in the config file\n${stringify([{ name, role: options.role, passwordHash: await hashPassword(password) }])}`);
        return;
      }
      await withUsers(options, async (directory) => {
        const user = await directory.add(name, options.role, password);
        process.stdout.write(`console user ${user.name} added (${user.role})\n`);
      });
    });
  storeFlags(users.command('list'))
    .description('every console user: those in the store and those the config file names')
    .action((options: StoreFlags) =>
      withUsers(options, async (directory) => {
        for (const u of await directory.list()) process.stdout.write(`${u.name.padEnd(24)} ${u.role.padEnd(8)} ${u.source}${u.updatedAt ? `  changed ${u.updatedAt}` : ''}\n`);
      }),
    );
  storeFlags(users.command('set-role <name> <role>'))
    .description('give a console user another role; it applies on their next request')
    .action((name: string, role: string, options: StoreFlags) =>
      withUsers(options, async (directory) => {
        const user = await directory.setRole(name, role);
        process.stdout.write(`console user ${user.name} is now ${user.role}\n`);
      }),
    );
  storeFlags(users.command('remove <name>'))
    .description('remove a console user; their sessions end on their next request')
    .action((name: string, options: StoreFlags) =>
      withUsers(options, async (directory) => {
        await directory.remove(name);
        process.stdout.write(`console user ${name} removed\n`);
      }),
    );

  program
    .command('console')
    .description('serve the console over a ledger copy or a traffic set (no upstream: nothing is proxied)')
    .option('-c, --config <file>', 'config file: console users, tiers and their terms')
    .option('--db <path>', 'SQLite ledger to read')
    .option('--set <dir>', 'traffic set to load (TRAFFIC.md)')
    .option('--port <port>', 'listen port', (v) => Number.parseInt(v, 10), 8090)
    .action(async (options: { config?: string; db?: string; set?: string; port: number }) => {
      const base = loadConfigFile(options.config);
      const { startOfflineGateway } = await import('../console/offline-gateway.js');
      const { gateway } = await startOfflineGateway({ db: options.db, set: options.set, config: { server: { host: base.server.host, port: options.port } } }, base);
      if (!(await new ConsoleUsers(gateway.store, base.console.users).any())) {
        await gateway.close();
        throw new Error('no console users: add some with `moat console-user add` (to the ledger\'s store) or name them in the config file');
      }
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
    .action(async (options: ReportOptions) => (await import('./report.js')).report(options));
}

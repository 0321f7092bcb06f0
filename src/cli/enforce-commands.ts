import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfigFile } from '../config/load.js';
import { verifyAudit } from '../enforce/audit/audit-chain.js';
import { openSync } from '../enforce/create-enforcement.js';
import { DecisionLog } from '../enforce/decision-log.js';
import { EnforcementService, logDesk, type Actor } from '../enforce/enforcement-service.js';
import { Throttle } from '../enforce/throttle.js';
import { openStore, storeAt } from '../store/open-store.js';
import type { Store } from '../store/store.js';

interface StoreOptions {
  config?: string;
  db?: string;
}

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

const storeFlags = (command: Command) =>
  command.option('-c, --config <file>', 'config file (YAML or JSON)').option('--db <path>', 'SQLite database or postgres:// URL (overrides config store)');

async function withStore(options: StoreOptions, work: (store: Store, config: ReturnType<typeof loadConfigFile>) => Promise<void>): Promise<void> {
  const config = loadConfigFile(options.config);
  const store = await openStore(storeAt(config.store, options.db));
  try {
    await work(store, config);
  } finally {
    await store.close();
  }
}

/**
 * Manual actions straight into the audit log (and Redis, when configured); a running gateway
 * reads them from there within a second. The same EnforcementService as the admin API.
 */
async function act(action: 'suspend' | 'reinstate' | 'allowlist', account: string, options: StoreOptions & Actor): Promise<void> {
  await withStore(options, async (store, config) => {
    const logger = pino({ level: 'warn' });
    const sync = openSync(config.enforcement, store, 0, logger);
    try {
      const log = new DecisionLog(store, sync);
      const service = new EnforcementService(store, logDesk(log, new Throttle(store.limitOverrides), config.enforcement.policy.throttle));
      print(await service[action](account, { reason: options.reason, actor: options.actor }));
    } finally {
      await sync.close();
    }
  });
}

export function registerEnforceCommands(program: Command): void {
  for (const [action, what] of [
    ['suspend', 'refuse every request of the account (403 account_suspended) until reinstated'],
    ['reinstate', 'lift every action on the account; the policy acts again only if detection rises further'],
    ['allowlist', 'lift every action and never act on the account automatically'],
  ] as const) {
    storeFlags(program.command(`${action} <account>`).description(what))
      .requiredOption('--reason <text>', 'why, for the audit log')
      .requiredOption('--actor <name>', 'who, for the audit log')
      .action((account: string, options: StoreOptions & Actor) => act(action, account, options));
  }

  const audit = program.command('audit').description('the tamper-evident enforcement audit log');
  storeFlags(audit.command('verify').description('check the hash chain; exits 1 on any edited, deleted or reordered entry')).action((options: StoreOptions) =>
    withStore(options, async (store) => {
      const result = await verifyAudit(store.audit);
      print(result);
      if (!result.ok) process.exitCode = 1;
    }),
  );
  storeFlags(audit.command('list').description('newest entries first'))
    .option('--account <account>', 'only this account')
    .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 50)
    .action((options: StoreOptions & { account?: string; limit: number }) =>
      withStore(options, async (store) => print(await store.audit.list({ account: options.account, limit: options.limit }))),
    );
}

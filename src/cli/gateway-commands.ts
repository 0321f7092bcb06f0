import type { Command } from 'commander';
import { accountInputSchema, toAccountRecord } from '../auth/account-input.js';
import { KeyService } from '../auth/key-service.js';
import { NotFoundError } from '../errors/catalogue.js';
import type { MoatConfig } from '../config/schema.js';
import { exportTrafficSet } from '../ledger/export.js';
import { registerLimitsCommands } from './limits-commands.js';
import type { ServeOptions } from './serve.js';
import { DEFAULT_DATA_DIR, dataDirOption, openCliStore, storeFlags, type StoreOptions } from './store-options.js';

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

/** Runs a command against the configured store; the CLI shares KeyService with the admin API. */
async function withKeys(options: StoreOptions, work: (keys: KeyService, config: MoatConfig) => Promise<void>): Promise<void> {
  const { config, store } = await openCliStore(options);
  try {
    await work(new KeyService(store), config);
  } finally {
    await store.close();
  }
}

function parseTime(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${flag}: not a date/time: ${value}`);
  return ms;
}

export function registerGatewayCommands(program: Command): void {
  program
    .command('serve')
    .description('run the gateway')
    .option('-c, --config <file>', 'config file (YAML or JSON)')
    .option('--host <host>', 'listen address (overrides config)')
    .option('--port <port>', 'listen port (overrides config)', (v) => Number.parseInt(v, 10))
    .option('--db <path>', 'SQLite database or postgres:// URL (overrides config store)')
    .addOption(dataDirOption(`its moat.db (overrides config store.path; default without a config file: ${DEFAULT_DATA_DIR})`))
    .option('--stand-in', "route to Moat's built-in stand-in upstream (no model; for trying Moat out)")
    .option('--upstream <url>', 'route every model to this OpenAI-compatible base URL (overrides config upstreams)')
    .option('--replay-clock', 'replay/test mode: accept original timestamps in x-moat-replay-ts')
    .option('--role <role>', 'gateway | ledger | detector | linkage | all (scale-out roles need events.nats)', 'all')
    .option('--worker <n>', 'detector role: this worker\'s number (overrides events.detector.worker)', (v) => Number.parseInt(v, 10))
    .option('--workers <n>', 'detector role: how many detector workers share the partitions', (v) => Number.parseInt(v, 10))
    .option('--ops-port <port>', 'port of /healthz, /readyz and /metrics (overrides ops.port)', (v) => Number.parseInt(v, 10))
    .action(async (options: ServeOptions) => (await import('./serve.js')).serve(options));

  const accounts = program.command('accounts').description('manage accounts');
  storeFlags(accounts.command('create <account>').description('create or update an account'))
    .option('--tier <tier>', 'tier', 'default')
    .option('--email-domain <domain>')
    .option('--country <cc>')
    .option('--payment-fingerprint <fp>')
    .option('--signup-ip <ip>')
    .option('--verified', 'identity verified', false)
    .action((account: string, options: StoreOptions & Record<string, string | boolean | undefined>) =>
      withKeys(options, async (keys) => {
        const input = accountInputSchema.parse({
          account,
          tier: options.tier,
          email_domain: options.emailDomain ?? null,
          country: options.country ?? null,
          payment_fingerprint: options.paymentFingerprint ?? null,
          signup_ip: options.signupIp ?? null,
          verified: options.verified === true,
        });
        print(await keys.upsertAccount(toAccountRecord(input, Date.now())));
      }),
    );
  storeFlags(accounts.command('list').description('list accounts')).action((options: StoreOptions) =>
    withKeys(options, async (keys) => print(await keys.listAccounts())),
  );

  const keysCommand = program.command('keys').description('manage API keys (secrets are shown once, only hashes are stored)');
  storeFlags(keysCommand.command('create').description('issue a key; prints its secret once'))
    .requiredOption('--account <account>', 'account the key bills to')
    .option('--name <name>', 'a label for the key')
    .option('--tier <tier>', 'tier of the account, if it has to be created', 'default')
    .action((options: StoreOptions & { account: string; name?: string; tier: string }) =>
      withKeys(options, async (keys) => {
        try {
          await keys.getAccount(options.account);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          await keys.upsertAccount(toAccountRecord(accountInputSchema.parse({ account: options.account, tier: options.tier }), Date.now()));
          process.stderr.write(`created account ${options.account} (tier ${options.tier})\n`);
        }
        const issued = await keys.createKey(options.account, options.name ?? null);
        process.stderr.write('The secret is shown this once; Moat keeps only its hash.\n');
        print(issued);
      }),
    );
  storeFlags(keysCommand.command('list').description('list keys')).option('--account <account>').action((options: StoreOptions & { account?: string }) =>
    withKeys(options, async (keys) => print(await keys.listKeys(options.account))),
  );
  storeFlags(keysCommand.command('revoke <id>').description('revoke a key at once')).action((id: string, options: StoreOptions) =>
    withKeys(options, async (keys) => print(await keys.revokeKey(id))),
  );
  storeFlags(keysCommand.command('rotate <id>').description('issue a successor; the old key works for a grace period'))
    .option('--grace <seconds>', 'grace period in seconds (default: config keys.rotationGraceSeconds)', (v) => Number.parseInt(v, 10))
    .action((id: string, options: StoreOptions & { grace?: number }) =>
      withKeys(options, async (keys, config) => print(await keys.rotateKey(id, options.grace ?? config.keys.rotationGraceSeconds))),
    );

  storeFlags(program.command('export').description('write a TRAFFIC.md traffic set from the ledger'))
    .requiredOption('--out <dir>', 'output folder')
    .option('--since <time>', 'from this time (ISO-8601), inclusive')
    .option('--until <time>', 'to this time (ISO-8601), exclusive')
    .action(async (options: StoreOptions & { out: string; since?: string; until?: string }) => {
      const { store } = await openCliStore(options);
      try {
        const counts = await exportTrafficSet(store, { sinceMs: parseTime(options.since, '--since'), untilMs: parseTime(options.until, '--until') }, options.out);
        process.stderr.write(`exported ${counts.requests} requests and ${counts.accounts} accounts to ${options.out}\n`);
      } finally {
        await store.close();
      }
    });

  registerLimitsCommands(program);
}

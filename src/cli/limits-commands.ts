import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfigFile } from '../config/load.js';
import { openLimiter } from '../limits/create-limits.js';
import { LimitPolicy } from '../limits/limit-policy.js';
import { LimitService } from '../limits/limit-service.js';
import type { LimitName } from '../limits/limits-schema.js';
import { OverrideCache, type LimitChange } from '../limits/overrides.js';
import { openStore, storeAt } from '../store/open-store.js';

interface StoreOptions {
  config?: string;
  db?: string;
}

const FLAGS: readonly [string, LimitName, string][] = [
  ['--rpm <n>', 'requestsPerMinute', 'requests per minute'],
  ['--rpd <n>', 'requestsPerDay', 'requests per day'],
  ['--tpm <n>', 'tokensPerMinute', 'tokens per minute'],
  ['--tpd <n>', 'tokensPerDay', 'tokens per day'],
  ['--concurrent <n>', 'concurrent', 'requests in flight at once'],
  ['--monthly-tokens <n>', 'monthlyTokens', 'tokens per calendar month (UTC)'],
];

function limitValue(text: string): number | null {
  if (text === 'none') return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`not a positive whole number or "none": ${text}`);
  return value;
}

/**
 * Runs against the configured store (overrides) and, with the Redis backend, the shared
 * counters; with the memory backend the counters live in the serving process, so `show`
 * prints the limits and leaves usage to that process's admin API.
 */
async function withLimits(options: StoreOptions, work: (service: LimitService) => Promise<void>): Promise<void> {
  const config = loadConfigFile(options.config);
  if (!config.limits) throw new Error('the config has no `limits` section: nothing is limited');
  const store = await openStore(storeAt(config.store, options.db));
  const overrides = new OverrideCache(store.limitOverrides);
  const limiter = config.limits.backend === 'redis' ? await openLimiter(config.limits, pino({ level: 'error' }, process.stderr)) : undefined;
  try {
    await overrides.load();
    await work(new LimitService(store, new LimitPolicy(config.limits, overrides), overrides, limiter));
  } finally {
    await limiter?.close();
    await store.close();
  }
}

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

export function registerLimitsCommands(program: Command): void {
  const limits = program.command('limits').description('quotas and rate limits: usage, and live changes');
  const storeFlags = (command: Command) =>
    command.option('-c, --config <file>', 'config file (YAML or JSON)').option('--db <path>', 'SQLite database or postgres:// URL (overrides config store)');

  storeFlags(limits.command('show').description("an account's usage against its limits"))
    .requiredOption('--account <account>')
    .action((options: StoreOptions & { account: string }) => withLimits(options, async (service) => print(await service.show(options.account))));

  const set = storeFlags(limits.command('set').description('set limits of an account or key; every replica applies them within a second'))
    .option('--account <account>')
    .option('--key <keyId>')
    .option('--model <model>', 'a model name or prefix* with counters of its own (default: all models)', '')
    .option('--clear', "drop the subject's earlier overrides first", false);
  for (const [flag, , description] of FLAGS) set.option(flag, `${description} ("none": unlimited)`, limitValue);
  set.action((options: StoreOptions & { account?: string; key?: string; model: string; clear: boolean } & Record<string, unknown>) =>
    withLimits(options, async (service) => {
      if ((options.account === undefined) === (options.key === undefined)) throw new Error('name exactly one of --account or --key');
      const change: LimitChange = {};
      for (const [flag, name] of FLAGS) {
        const option = flag.slice(2, flag.indexOf(' ')).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
        if (options[option] !== undefined) change[name] = options[option] as number | null;
      }
      const scope = options.account !== undefined ? 'account' : 'key';
      print(await service.set(scope, (options.account ?? options.key)!, options.model, change, options.clear));
    }),
  );
}

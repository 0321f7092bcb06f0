import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import { appendAudit } from '../enforce/audit/audit-chain.js';
import { canaryFor, findCanaries } from '../provenance/canary.js';
import { Reference, testProvenance } from '../provenance/detector.js';
import { KeyRing, newSecret, type MarkKey } from '../provenance/key-ring.js';
import { secretEnvName } from '../provenance/provenance-schema.js';
import { responseTexts } from '../provenance/response-texts.js';
import { readSuspectTexts } from '../provenance/suspect-texts.js';
import { openStore, storeAt } from '../store/open-store.js';

interface TestOptions {
  key: string;
  config?: string;
  db?: string;
  balance: string;
  reference?: string;
  threshold: string;
  campaign?: string;
  account?: string;
  record?: boolean;
  actor: string;
}

/** The baseline per context: a traffic set of our own answers as the upstream wrote them (unmarked). */
const referenceOf = async (dir: string | undefined): Promise<Reference | undefined> => (dir === undefined ? undefined : Reference.from(await responseTexts(dir)));

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

function keyOf(ring: KeyRing, id: string): MarkKey {
  const key = ring.byId(id);
  if (!key) throw new Error(`no provenance key "${id}" with a secret (configured keys: ${ring.ids().join(', ') || 'none'}; secrets come from ${secretEnvName('<id>')})`);
  return key;
}

/** `moat provenance test`: is a suspect model's output marked with our key, or repeating our canaries? */
async function testCommand(file: string, options: TestOptions): Promise<void> {
  const config = loadConfigFile(options.config);
  const ring = new KeyRing(config.provenance.keys);
  const key = keyOf(ring, options.key);
  const texts = readSuspectTexts(file);
  if (texts.length === 0) throw new Error(`${file} holds no texts`);
  const result = testProvenance(texts, key.secret, key.id, { threshold: Number(options.threshold), balance: Number(options.balance), reference: await referenceOf(options.reference) });
  // Canaries come from the deployment key: the campaign named, and those configured to get them.
  const base = keyOf(ring, options.key.split('/')[0]!);
  const campaigns = [...new Set([...(options.campaign ? [options.campaign] : []), ...config.provenance.canaries.campaigns])];
  const canaries = findCanaries(texts, campaigns.map((campaign) => canaryFor(base.secret, campaign)));
  const verdict = { file: basename(file), ...result, canaries };
  print(verdict);
  if (!options.record) return;
  if (!options.campaign && !options.account) throw new Error('--record needs --campaign ID or --account ID: the case the result belongs to');
  const store = await openStore(storeAt(config.store, options.db));
  try {
    const canaryText = canaries.length ? `; canaries repeated: ${canaries.map((hit) => `${hit.token} in ${hit.texts.length}`).join(', ')}` : '';
    await appendAudit(store.audit, {
      at: new Date().toISOString(),
      account: options.account ?? null,
      campaign: options.campaign ?? null,
      action: 'provenance_test',
      actor: options.actor,
      reason: `key ${key.id}: p=${result.p.toExponential(2)} over ${result.texts} texts (${result.sites} sites)${canaryText}`,
      data: { provenance: verdict },
    });
  } finally {
    await store.close();
  }
}

/**
 * `moat provenance scan`: every configured key (rotated ones too, and each one's key for the
 * campaign named), when it is not known which key marked what the suspect learned from. Testing
 * k keys, the smallest p-value is k times likelier to be small by chance: `pAdjusted` is
 * Bonferroni's correction for that.
 */
async function scanCommand(file: string, options: { config?: string; campaign?: string; balance: string; reference?: string }): Promise<void> {
  const ring = new KeyRing(loadConfigFile(options.config).provenance.keys);
  const ids = ring.ids().flatMap((id) => (options.campaign ? [id, `${id}/campaign:${options.campaign}`] : [id]));
  if (ids.length === 0) throw new Error(`no provenance keys with secrets (secrets come from ${secretEnvName('<id>')})`);
  const texts = readSuspectTexts(file);
  const reference = await referenceOf(options.reference);
  const results = ids.map((id) => testProvenance(texts, ring.byId(id)!.secret, id, { balance: Number(options.balance), reference }));
  print(results.map((result) => ({ keyId: result.keyId, p: result.p, pAdjusted: Math.min(1, result.p * ids.length), pBound: result.pBound, texts: result.texts, sites: result.sites, textsNeeded: result.textsNeeded, textsNeededByBound: result.textsNeededByBound })));
}

export function registerProvenanceCommands(program: Command): void {
  const provenance = program.command('provenance').description('provenance marks: test a suspect model for our watermark and canaries');
  provenance
    .command('test <file>')
    .description('hypothesis test: was the model that wrote FILE (JSON Lines or one text a line) trained on our marked answers?')
    .requiredOption('--key <id>', 'provenance key id, as the audit log names it (a campaign key: <id>/campaign:<campaign>)')
    .option('-c, --config <file>', 'config file (YAML or JSON) with provenance.keys')
    .option('--db <path>', 'SQLite database for --record (overrides config store.path)')
    .option('--balance <b>', 'the balance the mark was served with', '1')
    .option('--reference <dir>', "a traffic set of our answers unmarked (the upstream's own): how each context is used without the mark; without it, the suspect's own use of each pair")
    .option('--threshold <p>', 'p-value to report how many texts it took to fall below', '1e-6')
    .option('--campaign <id>', 'the campaign under investigation (also tests its canary)')
    .option('--account <id>', 'the account under investigation')
    .option('--record', 'append the result to the audit log, where the case report shows it')
    .option('--actor <name>', 'who ran the test, for the audit log', process.env.USER ?? 'cli')
    .action((file: string, options: TestOptions) => testCommand(file, options));
  provenance
    .command('scan <file>')
    .description('test FILE against every configured key (and its campaign key with --campaign), p-values corrected for testing many')
    .option('-c, --config <file>', 'config file (YAML or JSON) with provenance.keys')
    .option('--campaign <id>', 'also test each key for this campaign')
    .option('--balance <b>', 'the balance the mark was served with', '1')
    .option('--reference <dir>', "a traffic set of our answers unmarked (the upstream's own): how each context is used without the mark; without it, the suspect's own use of each pair")
    .action((file: string, options: { config?: string; campaign?: string; balance: string; reference?: string }) => scanCommand(file, options));
  provenance
    .command('new-key <id>')
    .description('a new key: prints the config entry and the environment line holding its secret')
    .action((id: string) => {
      print({ config: { provenance: { keys: [{ id, createdAt: new Date().toISOString() }] } }, environment: `${secretEnvName(id)}=${newSecret()}` });
    });
  provenance
    .command('canary')
    .description("print the canary a campaign is served under a key")
    .requiredOption('--key <id>', 'deployment key id')
    .requiredOption('--campaign <id>', 'campaign id')
    .option('-c, --config <file>', 'config file (YAML or JSON) with provenance.keys')
    .action((options: { key: string; campaign: string; config?: string }) => {
      print(canaryFor(keyOf(new KeyRing(loadConfigFile(options.config).provenance.keys), options.key).secret, options.campaign));
    });
}

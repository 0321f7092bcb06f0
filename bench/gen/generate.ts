/** Builds one traffic set: actors from a preset, merged requests, accounts, labels and a README. */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonLinesWriter } from '../../src/traffic/jsonl.js';
import { writeRequests } from './emit.js';
import { buildActors, INFO, type PresetName } from './presets.js';
import { SWEEP_DEFAULTS, type SweepParams } from './presets-sweep.js';
import { type Corpus, loadCorpus } from './prompts.js';
import { readme } from './readme.js';
import { Rng } from './rng.js';
import { type Acct, type Ctx, DAY, Ids, iso } from './world.js';

export interface GenerateOptions {
  preset: PresetName;
  out: string;
  seed: number;
  scale: number;
  /** Per-account request rates, by default `min(1, scale)`: a small population at full rates keeps detection's evidence. */
  rateScale?: number;
  promptsDir: string;
  /** Start of the window; the default keeps sets off dev-v1's calendar. */
  start?: string;
  days?: number;
  /** hydra-sweep / org-sweep parameters (defaults in SWEEP_DEFAULTS). */
  sweep?: Partial<SweepParams>;
  log?: (msg: string) => void;
}

export interface GenerateResult {
  accounts: number;
  requests: number;
  campaigns: number;
  perPlaybook: Record<string, { accounts: number; requests: number }>;
  seconds: number;
}

const corpora = new Map<string, Corpus>();

function corpusAt(dir: string): Corpus {
  let c = corpora.get(dir);
  if (!c) {
    c = loadCorpus(dir);
    corpora.set(dir, c);
  }
  return c;
}

/** The flags that reproduce this set, for its README. */
function commandArgs(o: GenerateOptions, p: SweepParams): string {
  const parts = [`--preset ${o.preset}`, `--seed ${o.seed}`, `--scale ${o.scale}`];
  if (o.rateScale !== undefined) parts.push(`--rate-scale ${o.rateScale}`);
  if (o.start) parts.push(`--start ${o.start}`);
  if (o.days) parts.push(`--days ${o.days}`);
  if (o.preset === 'hydra-sweep') parts.push(`--size ${p.size} --cover ${p.cover} --rate ${p.rate}`);
  if (o.preset === 'org-sweep') parts.push(`--org-size ${p.orgSize} --org-kind ${p.orgKind} --attacker ${p.attacker}`);
  return parts.join(' ');
}

export async function generate(o: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const log = o.log ?? ((): void => undefined);
  const corpus = corpusAt(o.promptsDir);
  const start = Date.parse(o.start ?? INFO[o.preset].start ?? '2026-04-06T00:00:00Z');
  const sweep: SweepParams = { ...SWEEP_DEFAULTS, ...o.sweep };
  const days = o.days ?? 14;
  const root = new Rng(o.seed);
  const ctx: Ctx = {
    corpus,
    ids: new Ids(root.fork('ids')),
    start,
    days,
    end: start + days * DAY,
    rateMul: o.rateScale ?? Math.min(1, o.scale),
    sources: INFO[o.preset].pairing,
  };
  const actors = buildActors(o.preset, ctx, root.fork(`preset:${o.preset}`), o.scale, sweep);
  const accounts: Acct[] = actors.flatMap((a) => a.accounts).sort((a, b) => (a.record.account < b.record.account ? -1 : 1));
  log(`${o.preset}: ${actors.length} actors, ${accounts.length} accounts`);
  mkdirSync(o.out, { recursive: true });

  const reqPath = join(o.out, 'requests.jsonl.gz');
  const stats = await writeRequests(reqPath, actors, o.seed, { start, end: ctx.end }, (n) => log(`  ${n} requests, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`));
  const acctOut = new JsonLinesWriter(join(o.out, 'accounts.jsonl'));
  for (const a of accounts) await acctOut.write(a.record);
  await acctOut.close();
  const labelOut = new JsonLinesWriter(join(o.out, 'labels.jsonl'));
  for (const a of accounts) await labelOut.write(a.label);
  await labelOut.close();

  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(
    join(o.out, 'README.md'),
    readme({
      preset: o.preset,
      purpose: INFO[o.preset].purpose,
      args: commandArgs(o, sweep),
      seed: o.seed,
      scale: o.scale,
      window: { start: iso(start), end: iso(ctx.end), days },
      actors,
      stats,
      corpus,
      pairing: ctx.sources,
      sizeBytes: statSync(reqPath).size,
    }),
  );
  const perPlaybook: GenerateResult['perPlaybook'] = {};
  for (const a of accounts) {
    const pb = a.label.playbook;
    perPlaybook[pb] ??= { accounts: 0, requests: stats.perPlaybook.get(pb)?.requests ?? 0 };
    perPlaybook[pb].accounts++;
  }
  return {
    accounts: accounts.length,
    requests: stats.requests,
    campaigns: new Set(accounts.map((a) => a.label.campaign).filter((c) => c !== null)).size,
    perPlaybook,
    seconds,
  };
}

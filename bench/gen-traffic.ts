/**
 * Seeded traffic-set generator for generalisation tests and the throughput benchmark.
 *   npx tsx bench/gen-traffic.ts --preset swap-sources|new-styles|hard-benign|scale10 --out DIR [--seed N] [--scale K] [--prompts DIR]
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './gen/generate.js';
import { PRESETS, type PresetName } from './gen/presets.js';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      scale: { type: 'string', default: '1' },
      prompts: { type: 'string', default: resolve(here, '../../shared/data/prompts') },
      start: { type: 'string' },
      days: { type: 'string' },
    },
  });
  const preset = values.preset;
  if (!preset || !(PRESETS as readonly string[]).includes(preset) || !values.out) {
    process.stderr.write(`usage: npx tsx bench/gen-traffic.ts --preset ${PRESETS.join('|')} --out DIR [--seed N] [--scale K]\n`);
    process.exit(2);
  }
  const seed = Number(values.seed);
  const scale = Number(values.scale);
  if (!Number.isInteger(seed) || !(scale > 0)) throw new Error('--seed must be an integer and --scale positive');
  const result = await generate({
    preset: preset as PresetName,
    out: values.out,
    seed,
    scale,
    promptsDir: values.prompts ?? '',
    ...(values.start ? { start: values.start } : {}),
    ...(values.days ? { days: Number(values.days) } : {}),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`${JSON.stringify({ preset, out: values.out, ...result })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

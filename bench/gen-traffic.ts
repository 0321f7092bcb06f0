/**
 * Seeded traffic-set generator for generalisation tests, robustness sweeps and the throughput benchmark.
 *
 *   npx tsx bench/gen-traffic.ts --preset NAME --out DIR [--seed N] [--scale K] [--rate-scale R] [--start ISO] [--days D] [--prompts DIR]
 *
 * Presets: swap-sources | new-styles | hard-benign | scale10 (P1-P9 variants of dev-v1),
 *   blind-a | blind-b (full 14-day sets in dev-v2's style with H1-H3, N1-N5 and benign traps),
 *   hydra-sweep [--size 50..300] [--cover 0..0.6] [--rate 5..100]  (one H1 hydra in a fixed benign background),
 *   org-sweep [--org-size 10..200] [--org-kind enterprise|class] [--attacker none|small]  (one organisation in the same background).
 * --scale shrinks a preset for tests (volumes and population sizes); --rate-scale sets the per-account rates apart
 * from it (default min(1, scale)); the same flags give the same bytes.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './gen/generate.js';
import { PRESETS, type PresetName } from './gen/presets.js';
import type { SweepParams } from './gen/presets-sweep.js';

const here = dirname(fileURLToPath(import.meta.url));

function inRange(name: string, raw: string | undefined, lo: number, hi: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!(v >= lo && v <= hi)) throw new Error(`--${name} must be in ${lo}..${hi}`);
  return v;
}

function sweepFlags(v: Record<string, string | undefined>): Partial<SweepParams> {
  const out: Partial<SweepParams> = {};
  const size = inRange('size', v['size'], 50, 300);
  const cover = inRange('cover', v['cover'], 0, 0.6);
  const rate = inRange('rate', v['rate'], 5, 100);
  const orgSize = inRange('org-size', v['org-size'], 10, 200);
  if (size !== undefined) out.size = Math.round(size);
  if (cover !== undefined) out.cover = cover;
  if (rate !== undefined) out.rate = rate;
  if (orgSize !== undefined) out.orgSize = Math.round(orgSize);
  const kind = v['org-kind'];
  if (kind !== undefined) {
    if (kind !== 'enterprise' && kind !== 'class') throw new Error('--org-kind must be enterprise or class');
    out.orgKind = kind;
  }
  const attacker = v['attacker'];
  if (attacker !== undefined) {
    if (attacker !== 'none' && attacker !== 'small') throw new Error('--attacker must be none or small');
    out.attacker = attacker;
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      scale: { type: 'string', default: '1' },
      'rate-scale': { type: 'string' },
      prompts: { type: 'string', default: resolve(here, '../../shared/data/prompts') },
      start: { type: 'string' },
      days: { type: 'string' },
      size: { type: 'string' },
      cover: { type: 'string' },
      rate: { type: 'string' },
      'org-size': { type: 'string' },
      'org-kind': { type: 'string' },
      attacker: { type: 'string' },
    },
  });
  const preset = values.preset;
  if (!preset || !(PRESETS as readonly string[]).includes(preset) || !values.out) {
    process.stderr.write(`usage: npx tsx bench/gen-traffic.ts --preset ${PRESETS.join('|')} --out DIR [--seed N] [--scale K] [--rate-scale R] [--start ISO] [--days D]\n` + '  hydra-sweep: [--size 50..300] [--cover 0..0.6] [--rate 5..100]; org-sweep: [--org-size 10..200] [--org-kind enterprise|class] [--attacker none|small]\n');
    process.exit(2);
  }
  const seed = Number(values.seed);
  const scale = Number(values.scale);
  const rateScale = values['rate-scale'] === undefined ? undefined : Number(values['rate-scale']);
  if (!Number.isInteger(seed) || !(scale > 0)) throw new Error('--seed must be an integer and --scale positive');
  if (rateScale !== undefined && !(rateScale > 0 && rateScale <= 1)) throw new Error('--rate-scale must be in (0, 1]');
  const result = await generate({
    preset: preset as PresetName,
    out: values.out,
    seed,
    scale,
    ...(rateScale !== undefined ? { rateScale } : {}),
    promptsDir: values.prompts ?? '',
    ...(values.start ? { start: values.start } : {}),
    ...(values.days ? { days: Number(values.days) } : {}),
    sweep: sweepFlags(values),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`${JSON.stringify({ preset, out: values.out, ...result })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

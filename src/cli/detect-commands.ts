import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { calibrate } from '../eval/calibrate.js';
import { Calibration } from '../detect/calibration.js';
import { DETECTORS, parseDetector, parseTargetFpr } from './analyze-detector.js';
import { analyzeSet, writeVerdicts } from './analyze.js';
import { runEval } from './eval.js';
import { runExplain } from './explain.js';

export function registerDetectCommands(program: Command): void {
  program
    .command('analyze')
    .description('replay a traffic set through a detector and write a verdict for every account')
    .argument('<dir>', 'traffic set folder (requests.jsonl[.gz], accounts.jsonl)')
    .requiredOption('--out <file>', 'verdicts.jsonl to write')
    .option('--detector <name>', `detector: ${DETECTORS.join(' | ')}`, 'engine')
    .option('--target-fpr <share>', 'share of legitimate accounts accepted to be flagged (default 0.005)')
    .option('--calibration <file>', 'a calibration written by moat calibrate (default: the built-in one)')
    .action(async (dir: string, options: { out: string; detector: string; targetFpr?: string; calibration?: string }) => {
      const verdicts = await analyzeSet(dir, parseDetector(options.detector), { targetFpr: parseTargetFpr(options.targetFpr), calibrationFile: options.calibration });
      await writeVerdicts(options.out, verdicts);
      process.stderr.write(`${verdicts.filter((v) => v.flagged).length} of ${verdicts.length} accounts flagged -> ${options.out}\n`);
    });

  program
    .command('eval')
    .description('score verdicts against the set\'s labels (runs analyze in memory without a verdicts file)')
    .argument('<dir>', 'traffic set folder with labels.jsonl')
    .argument('[verdicts]', 'verdicts.jsonl written by analyze')
    .option('--detector <name>', `detector when no verdicts file is given: ${DETECTORS.join(' | ')}`, 'engine')
    .option('--json', 'print JSON instead of markdown', false)
    .option('--target-fpr <share>', 'share of legitimate accounts accepted to be flagged (default 0.005)')
    .option('--calibration <file>', 'a calibration written by moat calibrate (default: the built-in one)')
    .action(async (dir: string, verdicts: string | undefined, options: { detector: string; json: boolean; targetFpr?: string; calibration?: string }) => {
      const choice = { targetFpr: parseTargetFpr(options.targetFpr), calibrationFile: options.calibration };
      process.stdout.write((await runEval(dir, verdicts, { detector: parseDetector(options.detector), json: options.json, ...choice })) + '\n');
    });

  program
    .command('calibrate')
    .description("fit the engine's calibration on legitimate accounts of labelled sets (labels.jsonl; extraction accounts are never read)")
    .argument('<dirs...>', 'traffic set folders with labels.jsonl')
    .requiredOption('--out <file>', 'calibration JSON to write (use it with --calibration or detection.calibrationFile)')
    .action(async (dirs: string[], options: { out: string }) => {
      const fit = await calibrate(dirs);
      writeFileSync(options.out, `${JSON.stringify({ ...fit.points, kinds: fit.kinds, sets: dirs }, null, 2)}\n`);
      const threshold = new Calibration(fit.points, 0.005).rawThreshold();
      process.stderr.write(`calibrated on ${Object.values(fit.kinds).reduce((a, b) => a + b, 0)} legitimate accounts (${Object.keys(fit.kinds).length} kinds); flag at raw evidence ${threshold.toFixed(3)} for a 0.5% target -> ${options.out}\n`);
    });

  program
    .command('explain')
    .description('show the evidence the engine holds on one account')
    .argument('<dir>', 'traffic set folder')
    .argument('<account>', 'account id')
    .option('--no-cache', 'replay the set even when a cached analysis of it exists')
    .option('--cache-dir <dir>', 'where analyses are cached (default: MOAT_CACHE_DIR or ~/.cache/moat)')
    .action(async (dir: string, account: string, options: { cache: boolean; cacheDir?: string }) => {
      process.stdout.write(await runExplain(dir, account, options));
    });
}

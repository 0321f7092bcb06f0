import type { Command } from 'commander';
import { DETECTORS, parseDetector } from './analyze-detector.js';
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
    .action(async (dir: string, options: { out: string; detector: string }) => {
      const verdicts = await analyzeSet(dir, parseDetector(options.detector));
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
    .action(async (dir: string, verdicts: string | undefined, options: { detector: string; json: boolean }) => {
      process.stdout.write((await runEval(dir, verdicts, { detector: parseDetector(options.detector), json: options.json })) + '\n');
    });

  program
    .command('explain')
    .description('show the evidence the engine holds on one account')
    .argument('<dir>', 'traffic set folder')
    .argument('<account>', 'account id')
    .action(async (dir: string, account: string) => {
      process.stdout.write(await runExplain(dir, account));
    });
}

import { markdownReport } from '../eval/markdown-report.js';
import { evaluate } from '../eval/evaluate.js';
import { readJsonLines } from '../traffic/jsonl.js';
import type { Verdict } from '../traffic/types.js';
import type { CalibrationChoice, DetectorName } from './analyze-detector.js';
import { analyzeSet } from './analyze.js';

export interface EvalOptions extends CalibrationChoice {
  detector: DetectorName;
  json: boolean;
}

/** Scores a verdicts file, or, without one, the verdicts of an in-memory analyze run. */
export async function runEval(dir: string, verdictsPath: string | undefined, options: EvalOptions): Promise<string> {
  const verdicts: Verdict[] = [];
  if (verdictsPath) for await (const v of readJsonLines<Verdict>(verdictsPath)) verdicts.push(v);
  else verdicts.push(...(await analyzeSet(dir, options.detector, options)));
  const evaluation = await evaluate(dir, verdicts);
  if (options.json) return JSON.stringify(evaluation, null, 2);
  const title = verdictsPath ? `${dir} (${verdictsPath})` : `${dir} (--detector ${options.detector})`;
  return markdownReport(title, evaluation);
}

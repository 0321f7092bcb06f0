import { replay } from '../detect/index.js';
import { JsonLinesWriter } from '../traffic/jsonl.js';
import type { Verdict } from '../traffic/types.js';
import { makeDetector, type CalibrationChoice, type DetectorName } from './analyze-detector.js';
import { progressBar } from './progress.js';

/** Replays a set through a detector and returns a verdict for every account of accounts.jsonl. */
export async function analyzeSet(dir: string, detector: DetectorName, choice: CalibrationChoice = {}, showProgress = true): Promise<Verdict[]> {
  const engine = makeDetector(detector, choice);
  const bar = showProgress ? progressBar(process.stderr, undefined, `requests analyzed (${detector})`) : undefined;
  const { accounts, requests } = await replay(dir, engine, bar ? { onProgress: (n) => bar.update(n) } : {});
  bar?.finish(requests);
  const byAccount = new Map(engine.verdicts().map((v) => [v.account, v]));
  return accounts.map(
    (a) => byAccount.get(a.account) ?? { account: a.account, flagged: false, score: 0, first_flagged_at: null, campaign: null, reasons: [] },
  );
}

export async function writeVerdicts(path: string, verdicts: Verdict[]): Promise<void> {
  const writer = new JsonLinesWriter(path);
  for (const verdict of verdicts) await writer.write(verdict);
  await writer.close();
}

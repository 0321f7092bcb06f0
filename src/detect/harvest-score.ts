import type { RequestFeatures } from './request-features.js';

/**
 * How much one request looks like output harvesting, in [0,1]: it asks for reasoning traces or
 * long answers, new tasks or grades, with room and randomness for long varied output. Requests
 * for short or deterministic output (labels, summaries, greedy benchmark scoring) pull it down.
 */
export function harvestScore(f: RequestFeatures): number {
  if (f.embedding) return 0;
  const t = f.text;
  let score =
    0.45 * t.reasoning +
    0.35 * t.verbosity +
    0.5 * t.generation +
    0.4 * t.grading +
    0.15 * t.dataset +
    (f.maxTokens >= 2000 ? 0.2 : f.maxTokens >= 1000 ? 0.1 : 0) +
    (f.sampleCount > 1 || f.logprobs || f.logitBias ? 0.1 : 0) +
    (f.temperature === undefined || f.temperature >= 0.5 ? 0.05 : 0) -
    0.4 * t.brevity -
    (f.temperature === 0 ? 0.15 : 0) -
    (f.maxTokens > 0 && f.maxTokens <= 300 ? 0.15 : 0);
  // A follow-up is conversation unless it, too, asks for reasoning or more detail.
  if (!f.singleTurn && t.reasoning + t.verbosity === 0) score *= 0.3;
  return Math.min(1, Math.max(0, score));
}

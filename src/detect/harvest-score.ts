import type { RequestFeatures } from './features.js';

export interface HarvestIntent {
  /** How much the request seeks harvestable output, in [0, 1]. */
  score: number;
  /** Strong enough to count as a harvest-style request on its own. */
  hit: boolean;
}

const HIT = 0.4;
const NONE: HarvestIntent = { score: 0, hit: false };

/**
 * How much one request looks like output harvesting: it asks for reasoning traces or long
 * answers, for new tasks, rewrites, whole dialogues or grades, with room and randomness for long
 * varied output. Requests for short or deterministic output (labels, summaries, greedy scoring)
 * pull it down. The request's own words and parameters only: what the account does over time is
 * judged elsewhere.
 */
export function harvestIntent(f: RequestFeatures): HarvestIntent {
  if (f.embedding || f.refused) return NONE;
  const t = f.text;
  // A product's system prompt may ask every answer to explain itself; over people's own questions
  // that is the product's voice, over dataset items it is a harvest's instruction.
  const asks = t.asksFromSystem && t.dataset === 0 ? 0.5 : 1;
  let score =
    asks * (0.45 * t.reasoning + 0.35 * t.verbosity) +
    0.5 * Math.max(t.generation, t.rewriting) +
    0.5 * t.dialogue +
    0.4 * t.grading +
    0.15 * t.dataset +
    (f.maxTokens >= 2000 ? 0.2 : f.maxTokens >= 1000 ? 0.1 : 0) +
    (f.choices > 1 || f.logprobs || f.logitBias ? 0.1 : 0) +
    (f.temperature === undefined || f.temperature >= 0.5 ? 0.05 : 0) -
    0.4 * t.brevity -
    // Greedy decoding and a small cap are how labels and benchmark letters are scored; asked
    // for its reasoning, a greedy short answer is still a rationale.
    (t.reasoning > 0 ? 0 : (f.temperature === 0 ? 0.15 : 0) + (f.maxTokens > 0 && f.maxTokens <= 300 ? 0.15 : 0)) -
    (f.maxTokens > 0 && f.maxTokens <= 64 ? 0.2 : 0);
  // A follow-up is conversation unless it, too, asks for reasoning or more detail.
  if (!f.singleTurn && !t.userAsks) score *= 0.3;
  score = Math.min(1, Math.max(0, score));
  return { score, hit: score >= HIT };
}

/**
 * The task areas a set of prompts targets, for a case report's "what did they take". Coarse
 * keyword and shape rules on purpose: a reader must be able to check an area against the
 * sample prompts by eye, which a learned classifier would not allow.
 */
export const TASK_AREAS = ['code', 'math', 'reasoning', 'writing', 'transformation', 'classification', 'knowledge'] as const;
export type TaskArea = (typeof TASK_AREAS)[number];

const RULES: readonly [TaskArea, RegExp][] = [
  ['code', /```|\bdef \w+\(|\bfunction\b|\bclass \w+|\b(?:python|javascript|typescript|java|c\+\+|sql|rust|golang|regex|bash)\b|\b(?:code|program|algorithm|implement|debug|compile)\b/i],
  ['math', /\\(?:frac|sqrt)|\$[^$\n]+\$|\b(?:calculate|compute|solve|equation|probability|integer|sum of|remainder|how (?:many|much))\b|\d+\s*[-+*/^=×÷]\s*\d+/i],
  ['reasoning', /\b(?:step[- ]by[- ]step|reason(?:ing)?|explain why|think|logic(?:al)?|puzzle|deduce|infer|therefore|justify|chain of thought)\b/i],
  ['writing', /\b(?:write|compose|draft|story|poem|essay|letter|email|blog|article|lyrics|speech)\b/i],
  ['transformation', /\b(?:rewrite|paraphrase|translate|summari[sz]e|shorten|simplify|rephrase|convert)\b/i],
  ['classification', /\b(?:classify|categori[sz]e|sentiment|label|true or false|yes or no|which of the following)\b/i],
];

/** Every area a prompt touches; prompts that match no rule count as general knowledge questions. */
export function taskAreasOf(prompt: string): TaskArea[] {
  const head = prompt.length > 1200 ? `${prompt.slice(0, 600)}\n${prompt.slice(-600)}` : prompt;
  const areas = RULES.filter(([, rule]) => rule.test(head)).map(([area]) => area);
  return areas.length > 0 ? areas : ['knowledge'];
}

export interface AreaShare {
  area: TaskArea;
  /** Share of the sampled prompts that touch the area (a prompt may touch several). */
  share: number;
}

export function taskAreaShares(prompts: readonly string[]): AreaShare[] {
  const counts = new Map<TaskArea, number>();
  for (const prompt of prompts) for (const area of taskAreasOf(prompt)) counts.set(area, (counts.get(area) ?? 0) + 1);
  return TASK_AREAS.filter((area) => counts.has(area))
    .map((area) => ({ area, share: counts.get(area)! / Math.max(1, prompts.length) }))
    .sort((a, b) => b.share - a.share);
}

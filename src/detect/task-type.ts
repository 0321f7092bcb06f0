/**
 * A coarse task type for an item. A benchmark run stays inside one type (all math, all code);
 * a harvest that wants a general-purpose student sweeps across several.
 */
export const TASK_TYPES = ['code', 'math', 'classify', 'write', 'transform', 'ask'] as const;

const CODE = /```|\bdef \w+\(|\bfunction\b|\bclass \w+|\b(?:python|javascript|typescript|java|c\+\+|c#|golang|rust|sql|html|css|php|ruby|bash|shell script|regex|api)\b|\b(?:code|program|script|algorithm|implement|compile|array|linked list)\b/i;
const MATH = /\$[^$]+\$|\\(?:frac|sqrt|cdot)|\b(?:how (?:many|much|long|far|old)|calculate|compute|solve|equation|probability|percent(?:age)?|integer|sum of|product of|remainder|digits?|in total|altogether|per (?:hour|day|week|month|year))\b|\bwhat (?:is|was|will be) the (?:total|amount|number|cost|price|value|sum|average|area|ratio|difference)\b|\$\d|\d+\s*[-+*/^=×÷]\s*\d+/i;
const NUMBER = /\d+(?:[.,]\d+)?/g;
const CLASSIFY = /\b(?:classify|categori[sz]e|category|sentiment|label|which of the following|true or false|yes or no|is (?:this|the following) (?:a|an)\b|identify (?:whether|if))/i;
const WRITE = /\b(?:write|compose|draft|story|poem|essay|letter|email|tweet|slogan|article|blog|song|lyrics|speech)\b/i;
const TRANSFORM = /\b(?:rewrite|paraphrase|translate|summari[sz]e|edit|correct the|convert|shorten|simplify|rephrase)\b/i;

export function taskType(text: string): number {
  const head = text.length > 800 ? text.slice(0, 400) + '\n' + text.slice(-400) : text;
  if (CODE.test(head)) return 0;
  // Word problems: a question over several quantities.
  if (MATH.test(head) || ((head.match(NUMBER)?.length ?? 0) >= 2 && head.includes('?'))) return 1;
  if (CLASSIFY.test(head)) return 2;
  if (TRANSFORM.test(head)) return 4;
  if (WRITE.test(head)) return 3;
  return 5;
}

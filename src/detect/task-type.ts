import type { AnchorSet } from './anchors.js';

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

/** The patterns in the order they are tried, each with the type it gives. */
export const TASK_PATTERNS: readonly RegExp[] = [CODE, MATH, CLASSIFY, TRANSFORM, WRITE];
const TYPES = [0, 1, 2, 4, 3];

/** The part of an item its type is read from: its start and its end. */
export function taskWindow(text: string): string {
  return text.length > 800 ? text.slice(0, 400) + '\n' + text.slice(-400) : text;
}

/**
 * The type of an item whose window (`taskWindow`) `anchors` last scanned, the task patterns
 * being its patterns from `first` on: a reader scanning the item for other patterns too shares
 * its scan.
 */
export function taskTypeOf(head: string, anchors: AnchorSet, first: number): number {
  for (let id = 0; id < TASK_PATTERNS.length; id++) {
    if (anchors.may(first + id) && TASK_PATTERNS[id]!.test(head)) return TYPES[id]!;
    // Word problems: a question over several quantities.
    if (id === 1 && head.includes('?') && (head.match(NUMBER)?.length ?? 0) >= 2) return 1;
  }
  return 5;
}

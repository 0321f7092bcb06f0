/**
 * Lexical signals of one prompt. Each pattern names a *behaviour* (asking for reasoning, for long
 * output, for new training tasks, for grades) in the many ways people phrase it, not the wording of
 * any one template, so a paraphrased campaign still trips them.
 */

import { AnchorSet, BREAK, MAX_ANCHOR } from './anchors.js';
import { writeUnit, writeUnits } from './code-units.js';
import { fnv1a } from './hash.js';
import { TASK_PATTERNS, taskTypeOf, taskWindow } from './task-type.js';

const REASONING: RegExp[] = [
  /step[\s-]*by[\s-]*step/,
  /chain[\s-]*of[\s-]*thoughts?/,
  /\bone step at a time\b/,
  /\bwalk (?:me |us )?through\b/,
  /\b(?:show|explain|describe|detail|outline|justify|walk (?:me )?through|lay out|write out) (?:all |each of |every )?(?:your|the|each|every) (?:work|reasoning|steps?|thinking|thought process|derivation|logic|calculations?|transformations?)/,
  /\b(?:think|reason|work) (?:it )?(?:through|carefully|deeply|aloud|out loud|step)/,
  /\blet'?s think\b/,
  /\b(?:rigorous|detailed|full|complete) (?:step[\s-]*by[\s-]*step )?(?:derivation|proof|solution|reasoning|explanation)/,
  /\b(?:double[\s-]*check|verify (?:each|every|your|the)|check your (?:work|answer))/,
  /\bplan (?:an|your) approach\b|\brestate the problem\b|\blist the known\b/,
  /<think>|\breasoning trace\b|\bthought process\b|\bscratchpad\b/,
  /\bbefore (?:giving|stating|writing) (?:the|your) (?:final )?answer\b/,
  /\b(?:final answer|boxed)\b.*\b(?:reason|step|explain)|\b(?:reason|step|explain).*\b(?:final answer|\\boxed)/s,
  /\b(?:explain|justify) (?:it|why|how|this|that|your (?:answer|choice)|the (?:answer|solution|steps|reasoning|logic))\b/,
  /\bshow (?:me )?(?:the |all (?:the )?|your )?(?:steps|working|work|calculations?)\b/,
  /\b(?:with|give|include|provide) (?:me )?(?:an? |the )?(?:(?:full|brief|short|clear|detailed|complete) )?(?:explanation|rationale|justification)\b/,
];

const VERBOSITY: RegExp[] = [
  /\b(?:complete|detailed|comprehensive|thorough|exhaustive|in-depth|elaborate|extensive|well[\s-]*structured|long|full)(?:,? (?:and |well[\s-]*structured |detailed |thorough |complete )*)?(?:answer|response|explanation|reply|solution|treatment|write-?up)/,
  /\bas (?:detailed|thorough|comprehensive|complete|completely|thoroughly|fully|extensively|exhaustively|much detail) as (?:possible|you can)\b/,
  /\bin (?:great |full |more |much )?detail\b|\bmore detailed\b/,
  /\b(?:elaborate|expand) (?:on|fully)\b/,
  /\b(?:explain|describe|discuss|elaborate on) (?:that|this|it|them) (?:further|more|again|in more depth)\b|\bgo (?:deeper|further|into more depth)\b|\bin (?:more|greater) depth\b/,
  /\bcover (?:all|every) (?:aspects?|cases?|details?)\b/,
];

/** Requests for short output: the opposite of harvesting long answers. */
const BREVITY: RegExp[] = [
  /\b(?:under|at most|max(?:imum)?|no more than|fewer than|less than|within) \(?\d+ (?:words|sentences|characters|tokens|lines)\b/,
  /\b(?:one|a single|1|two|2|three|3)[\s-](?:word|sentence|line|paragraph)s?\b/,
  /\b(?:be )?(?:brief|concise|short|terse)\b/,
  /\b(?:return|output|respond with|answer with|reply with) only\b|\bonly (?:return|output|respond|answer) (?:with )?(?:the|a)\b/,
  /\b(?:label|category|json)\b.*\b(?:only|exactly)\b/s,
];

const GENERATION: RegExp[] = [
  /\b(?:come up with|generate|create|write|produce|brainstorm|invent|propose|list|give me|make)\b[^.\n]{0,40}\b(?:\d+|a (?:set|list) of|several|many|new) [^.\n]{0,30}?(?:tasks?|instructions?|prompts?|questions?|problems?|exercises?|examples?|queries)\b/,
  /\b(?:diverse|varied|different|unique|novel) (?:set of )?(?:tasks?|instructions?|prompts?|questions?|problems?)\b/,
  /\b(?:training|fine[\s-]*tuning|instruction[\s-]*tuning|synthetic) (?:data|dataset|examples?|set)\b/,
  // Self-Instruct's own steps: a series of tasks, instances for a task, is it classification.
  /\b(?:come up with|generate|write|create)\b[^.\n]{0,20}\b(?:a series of|(?:more |new |some |multiple )?(?:examples|instances|input-output pairs)) (?:of |for )?(?:the following |each |this )?(?:tasks?|instructions?)\b/,
  /\bregarded as a classification task\b|\btask \d+:.*\n\s*task \d+:/s,
];

/** Rewriting an instruction into a new one (Evol-Instruct): the loop that grows a task set. */
const REWRITING: RegExp[] = [
  /\b(?:rewrite|rephrase|evolve|transform|turn|make)\b[^.\n]{0,50}\b(?:prompt|instruction|question|task|problem)s?\b[^.\n]{0,60}\b(?:more (?:complex|difficult|challenging|specific|rare|advanced|in-depth)|harder|deeper|additional (?:constraints?|requirements?|reasoning steps?))/,
  /#\s*(?:given|created|rewritten|new) (?:prompt|instruction)\s*#|\bprompt (?:rewriter|creator)\b/,
  /\b(?:add|introduce) (?:one more|another|an additional|a new) (?:constraint|requirement|reasoning step)\b/,
];

/** Asking the model to write whole conversations, or to play one side of a scripted one (Baize, CAMEL). */
const DIALOGUE: RegExp[] = [
  /\b(?:write|generate|create|simulate|produce|continue)\b[^.\n]{0,40}\b(?:conversation|dialogue|dialog|chat|exchange)s?\b[^.\n]{0,40}\bbetween\b/,
  /\[\|(?:human|ai|user|assistant)\|\]|<\|(?:human|assistant)\|>|\bcamel_task_done\b/,
  /\bnever (?:forget|flip)\b[^.\n]{0,40}\b(?:you are|roles?)\b/,
  /\b(?:you are|act as|play(?:ing)? the role of) (?:the )?(?:ai )?(?:user|assistant|human)\b[^.\n]{0,60}\b(?:instruct|conversation|dialogue|task)/,
  /^\s*(?:instruction|solution)\s*:.*\n[\s\S]*^\s*(?:input|next request)\s*:/m,
  /\b(?:both|each) (?:sides|speakers|participants|turns)\b[^.\n]{0,40}\b(?:conversation|dialogue)\b|\bmulti-?turn (?:conversation|dialogue)s?\b/,
];

const GRADING: RegExp[] = [
  /\b(?:rate|score|grade|rank|evaluate|judge|assess)\b[^.\n]{0,60}\b(?:response|answer|output|completion|reply|assistant)s?\b/,
  /\bon a scale (?:of|from) \d+\b|\b\d+\s*(?:-|to|–)\s*10\b/,
  /\b(?:which|whichever) (?:response|answer|output|assistant|completion) is (?:better|more)\b/,
  /\[\[?(?:response|answer|assistant) ?[ab12]\]?\]|\bresponse [ab]\b|\boutput \(?[ab12]\)?:/,
  /\brubric\b|\bcriteri(?:a|on)\b.*\bscore\b/s,
  /\b(?:you are|act as) an? (?:strict |fair |impartial |expert )?(?:grader|judge|evaluator|rater)\b|\bscore (?:out of|from) \d+|\bwhich (?:one )?is better\b/,
  /\bcompar(?:e|ing) (?:the )?(?:two|following|both) (?:answers|responses|outputs|completions)\b/,
];

/** Looks of a benchmark or dataset item: formal structure that chat users rarely type. */
const DATASET: RegExp[] = [
  /^\s*(?:\(?[a-e]\)|[a-e][.:)]|\([a-e]\))\s+\S/im,
  /####\s*-?\d/,
  /\$[^$\n]{1,80}\$|\\(?:frac|sqrt|boxed|cdot|times|le|ge|angle|pi)\b/,
  /\bdef \w+\([^)]*\)(?:\s*->\s*[^:]+)?:\s*\n\s*(?:"""|''')/,
  /^#{2,3} ?(?:instruction|input|response|question|answer|problem|task)\b/im,
  /^(?:question|problem|instruction|input|task|q|context|passage)\s*:/im,
  /\n(?:answer|response|solution|a|output)\s*:\s*$/i,
  /```(?:python|py|java|javascript|js|cpp|c\+\+|go|rust|sql)?\n[\s\S]*\b(?:def|function|class|public|fn|select)\b/i,
];

/** The behaviours in the order of `Counts`. */
export const BEHAVIOURS: readonly (readonly RegExp[])[] = [REASONING, VERBOSITY, BREVITY, GENERATION, GRADING, DATASET, REWRITING, DIALOGUE];
/** Dataset looks are read on the text as written (case marks structure); the rest lower-cased. */
const CASED = 5;
/**
 * One scan of the prompt for every pattern's anchors tells which patterns can match at all: most
 * prompts trip none of most behaviours, and only the few candidates are run. The task type's
 * patterns (task-type.ts) come after the behaviours', so one scan serves both readings.
 */
const PATTERNS = BEHAVIOURS.flat();
const ANCHORS = new AnchorSet([...PATTERNS, ...TASK_PATTERNS]);

export interface TextSignals {
  reasoning: number;
  verbosity: number;
  brevity: number;
  generation: number;
  grading: number;
  dataset: number;
  rewriting: number;
  dialogue: number;
  /** The asks for reasoning or long output come from the system prompt alone, not the user's turn. */
  asksFromSystem: boolean;
  /** The user's own turn asks for reasoning or more detail. */
  userAsks: boolean;
}

type Counts = [number, number, number, number, number, number, number, number];

const HEAD = 400;
const TAIL = 200;

/**
 * Writes into `units` what the scan for `counts` reads: the prompt's window, or with `task` (the
 * task type's window, see `readPrompt`) a text meeting every set either window meets; returns its end.
 */
function writeWindow(prompt: string, task: string | undefined): number {
  if (prompt.length <= HEAD + TAIL) return writeUnits(prompt, 0);
  if (task === undefined) return writeUnits(prompt.slice(-TAIL), writeUnit(10, writeUnits(prompt.slice(0, HEAD), 0)));
  // The task window holds this window's head and tail, so of this window only what an anchor
  // can span around its join is added, after a break no anchor spans.
  const around = MAX_ANCHOR - 1;
  const n = writeUnits(prompt.slice(HEAD - around, HEAD), writeUnit(BREAK, writeUnits(task, 0)));
  return writeUnits(prompt.slice(-TAIL, -TAIL + around), writeUnit(10, n));
}

function counts(prompt: string, task?: string): Counts {
  // Templates put their asks at the edges; the middle of a long document adds cost, not signal.
  const long = prompt.length > HEAD + TAIL;
  // The window is scanned as written (the scan meets whatever its lower-cased copy would) and
  // made a string, lower-cased, only for a candidate to run on: most prompts have few or none.
  ANCHORS.scanUnits(writeWindow(prompt, task));
  let text: string | undefined;
  let lower: string | undefined;
  const out = [0, 0, 0, 0, 0, 0, 0, 0] as Counts;
  let id = 0;
  for (let b = 0; b < BEHAVIOURS.length; b++) {
    const patterns = BEHAVIOURS[b]!;
    let count = 0;
    for (let k = 0; k < patterns.length; k++, id++) {
      // Two independent phrasings are as strong as a behaviour gets (see `soft`): stop there.
      if (count < 2 && ANCHORS.may(id)) {
        text ??= long ? prompt.slice(0, HEAD) + '\n' + prompt.slice(-TAIL) : prompt;
        if (patterns[k]!.test(b === CASED ? text : (lower ??= text.toLowerCase()))) count++;
      }
    }
    out[b] = count;
  }
  return out;
}

/** Characters of a system prompt read for its asks. */
const SYSTEM_READ = 1000;

/**
 * System prompts repeat across thousands of requests (one per product), so their counts are
 * cached, by a hash of the text the caller has anyway, checked against the text itself: keyed
 * by the text, each request's fresh copy of it was hashed whole again by the map.
 */
const systemCounts = new Map<number, { text: string; counts: Counts }>();
const SYSTEM_CACHE = 512;

function cachedCounts(system: string, key: number): Counts {
  const text = system.length > SYSTEM_READ ? system.slice(0, SYSTEM_READ) : system;
  const found = systemCounts.get(key);
  if (found !== undefined && found.text === text) return found.counts;
  if (systemCounts.size >= SYSTEM_CACHE) systemCounts.clear();
  const read = counts(text);
  systemCounts.set(key, { text, counts: read });
  return read;
}

const soft = (n: number): number => (n === 0 ? 0 : n === 1 ? 0.7 : 1);

/**
 * Scores in [0,1] per behaviour; two independent phrasings count more than one. A system prompt
 * that demands long or reasoned answers applies to every request under it, so it counts too.
 */
export function textSignals(prompt: string, system = '', systemKey = fnv1a(system)): TextSignals {
  return signalsOf(counts(prompt), system, systemKey);
}

/**
 * A prompt's text signals (under its system prompt) and its task type (an index into TASK_TYPES).
 * `systemKey` is any hash of the system prompt (equal texts, equal keys).
 */
export function readPrompt(prompt: string, system = '', systemKey = fnv1a(system)): { signals: TextSignals; task: number } {
  // One scan serves both readings: it meets every set either window meets, so the candidates of
  // each are among its own.
  const window = taskWindow(prompt);
  const user = counts(prompt, window);
  const task = taskTypeOf(window, ANCHORS, PATTERNS.length);
  return { signals: signalsOf(user, system, systemKey), task };
}

function signalsOf(user: Counts, system: string, systemKey: number): TextSignals {
  const sys = system === '' ? undefined : cachedCounts(system, systemKey);
  const at = (i: number): number => soft(user[i]! + (sys ? sys[i]! : 0));
  const userAsks = user[0]! + user[1]! > 0;
  const asksFromSystem = sys !== undefined && !userAsks && sys[0]! + sys[1]! > 0;
  return { reasoning: at(0), verbosity: at(1), brevity: at(2), generation: at(3), grading: at(4), dataset: at(5), rewriting: at(6), dialogue: at(7), asksFromSystem, userAsks };
}

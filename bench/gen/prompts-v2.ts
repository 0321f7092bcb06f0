/**
 * Parsers for the sources behind dev-v2 (SOURCES.md, second table): WildChat, Arena-Hard v2,
 * Alpaca-Libre, MMLU, ARC, the zero-shot-CoT GSM8K log and Orca DPO pairs. The generator
 * pairs them with the dev-v1 sources in new ways; dev-v2 itself kept them apart.
 */
import { arr, type Category, guessCategory, type Json, joinInput, jsonLines, kindOf, messageTurns, obj, readText, str, type Turn } from './prompt-files.js';
import type { Item } from './prompts.js';

export interface V2Sources {
  convs: [string, Turn[][]][];
  items: [string, Item[]][];
}

const LETTERS = ['A', 'B', 'C', 'D', 'E'];

/** Multiple-choice items keep their parts, so FLAN/Orca-style renderings can re-format them. */
function mcqItem(src: string, question: string, choices: string[], answer: number, cat: Category): Item {
  const prompt = `${question}\n${choices.map((c, i) => `${LETTERS[i] ?? '?'}. ${c}`).join('\n')}`;
  return { src, prompt, answer: `${LETTERS[answer] ?? 'A'}. ${choices[answer] ?? ''}`, kind: kindOf(cat), cat, mcq: { question, choices, answer } };
}

function letterIndex(v: Json | undefined): number {
  return Math.max(0, LETTERS.indexOf(str(v).trim()));
}

const QUANT = /math|statistic|physics|chemistry|computer|electrical|algebra/;

/** The Kojima et al. log: "Q: ...\nA: Let's think step by step. ..." blocks, one per question. */
function kojima(text: string): Item[] {
  const out: Item[] = [];
  for (const block of text.split(/\n\*{25}\n\*{25}\n/)) {
    const m = /\nQ: ([\s\S]*?)\nA: ([\s\S]*?)\npred_before/.exec(block);
    if (!m) continue;
    out.push({ src: 'B17', prompt: (m[1] ?? '').trim(), answer: (m[2] ?? '').trim(), kind: 'math', cat: 'math' });
  }
  return out;
}

export function loadV2Sources(file: (prefix: string) => string): V2Sources {
  const wildchat = (src: string): Turn[][] => (JSON.parse(readText(file(src))) as Json[]).map((r) => messageTurns(arr(obj(r)['messages']), 'role', 'content'));
  const convs: [string, Turn[][]][] = [
    ['A08', jsonLines(file('A08')).map((r) => [{ user: str(obj(r)['prompt']) }])],
    ['A11', wildchat('A11')],
    ['A12', wildchat('A12')],
    ['A13', (JSON.parse(readText(file('A13'))) as Json[]).map((r) => [{ user: str(obj(r)['instruction']) }])],
  ];
  const b04 = jsonLines(file('B04'), true)
    .map(obj)
    .filter((o) => str(o['status']) !== 'error' && str(o['instruction']).trim() !== '')
    .map((o): Item => {
      const prompt = joinInput(str(o['instruction']), str(o['input']));
      const cat = guessCategory(prompt);
      return { src: 'B04', prompt, answer: str(o['output']).trim(), kind: kindOf(cat), cat };
    });
  const b11 = jsonLines(file('B11')).map(obj).map((o) => {
    const choices = arr(o['choices']).map((c) => str(c));
    return mcqItem('B11', str(o['question']), choices, typeof o['answer'] === 'number' ? o['answer'] : 0, QUANT.test(str(o['type'])) ? 'math' : 'qa');
  });
  const lettered = (src: string, subjectKey: string | null): Item[] =>
    (JSON.parse(readText(file(src))) as Json[]).map(obj).map((o) => {
      const choices = LETTERS.map((l) => str(o[l])).filter((c) => c !== '');
      const subject = subjectKey ? str(o[subjectKey]) : '';
      return mcqItem(src, str(o['question']), choices, letterIndex(o['answer']), QUANT.test(subject) ? 'math' : 'qa');
    });
  const b19 = jsonLines(file('B19')).map(obj).map((o): Item => {
    const msgs = arr(obj(o['input'])['messages']).map(obj);
    const user = str(msgs.find((m) => str(m['role']) === 'user')?.['content']);
    const system = str(msgs.find((m) => str(m['role']) === 'system')?.['content']);
    const cat = guessCategory(user);
    return { src: 'B19', prompt: user, answer: str(obj(arr(o['preferred_output'])[0])['content']), kind: kindOf(cat), cat, ...(system ? { system } : {}) };
  });
  return {
    convs,
    items: [
      ['B04', b04],
      ['B11', b11],
      ['B12', lettered('B12', 'subject')],
      ['B13', lettered('B13', null)],
      ['B17', kojima(readText(file('B17')))],
      ['B19', b19],
    ],
  };
}

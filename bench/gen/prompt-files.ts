/** Readers shared by the prompt-source parsers: each source file is JSON, JSON lines or text, some gzipped. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export type Kind = 'chat' | 'instr' | 'math' | 'code';
export type Category = 'math' | 'code' | 'writing' | 'qa' | 'classification' | 'chat';

export interface Turn {
  user: string;
  assistant?: string;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function str(v: Json | undefined): string {
  return typeof v === 'string' ? v : '';
}

export function obj(v: Json | undefined): { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

export function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

export function readText(path: string): string {
  const raw = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
}

/** `lenient` skips malformed lines: one scraped file (B04) has a few. */
export function jsonLines(path: string, lenient = false): Json[] {
  const out: Json[] = [];
  for (const l of readText(path).split('\n')) {
    if (l.trim() === '') continue;
    try {
      out.push(JSON.parse(l) as Json);
    } catch (e) {
      if (!lenient) throw e;
    }
  }
  return out;
}

const CODE_RE = /```|\bdef |\bfunction\b|\bclass |#include|\bSQL\b|\bpython\b|\bjavascript\b|\bjava\b|\bC\+\+|\bcode\b|\bregex\b|\bbash\b/i;
const MATH_RE = /\b(solve|calculate|equation|integral|probability|how many|how much)\b|\d+\s*[-+*/^=]\s*\d+/i;
const CLASS_RE = /\b(classify|categori[sz]e|which of the following|is this|sentiment|true or false)\b/i;
const WRITE_RE = /\b(write|compose|draft|poem|story|essay|rewrite|email|letter|slogan|blog)\b/i;

export function guessCategory(text: string): Category {
  if (CODE_RE.test(text)) return 'code';
  if (MATH_RE.test(text)) return 'math';
  if (CLASS_RE.test(text)) return 'classification';
  if (WRITE_RE.test(text)) return 'writing';
  return 'qa';
}

export function kindOf(cat: Category): Kind {
  return cat === 'code' ? 'code' : cat === 'math' ? 'math' : cat === 'chat' ? 'chat' : 'instr';
}

export function joinInput(instruction: string, input: string): string {
  const i = input.trim();
  return i === '' || i === '<noinput>' ? instruction : `${instruction}\n\n${i}`;
}

/** Role/content or from/value message lists; leading assistant turns (mid-conversation samples) dropped. */
export function messageTurns(messages: Json[], roleKey: string, textKey: string): Turn[] {
  const turns: Turn[] = [];
  for (const m of messages.map(obj)) {
    const role = str(m[roleKey]);
    const text = str(m[textKey]);
    if (role === 'user' || role === 'human') turns.push({ user: text });
    else if ((role === 'assistant' || role === 'gpt') && turns.length > 0) {
      const last = turns[turns.length - 1];
      if (last && last.assistant === undefined) last.assistant = text;
    }
  }
  return turns.filter((t) => t.user.trim() !== '');
}

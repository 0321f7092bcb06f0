import { fnv1a, fnv1aLoose } from './hash.js';

/**
 * A prompt's skeleton: the wrapper an automated client puts around variable items. Items
 * change from request to request while the wrapper stays, so we hash the masked head and
 * tail of the last user turn separately: one of them survives whichever side the item sits on.
 */
export interface Skeleton {
  head: number;
  tail: number;
  /** Hash of the whole normalised prompt: equal for repeats of the same item. */
  content: number;
  /** Hash of the system prompt (0 when none). */
  system: number;
}

const EDGE = 64;

/** Masks the parts that vary between items of one template: numbers, quoted spans, long tokens. */
export function maskVariable(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+(?:[.,]\d+)*/g, '#')
    .replace(/"[^"\n]{0,80}"|'[^'\n]{0,80}'/g, 'Q')
    .replace(/\s+/g, ' ')
    .trim();
}

/** First and last non-blank lines (the last empty when there is only one line). */
function edgeLines(text: string): [string, string] {
  const trimmed = text.trim();
  const firstBreak = trimmed.indexOf('\n');
  if (firstBreak < 0) return [trimmed, ''];
  return [trimmed.slice(0, firstBreak).trim(), trimmed.slice(trimmed.lastIndexOf('\n') + 1).trim()];
}

/** `context` distinguishes the same last turn asked in different conversations or products. */
export function skeletonOf(lastUser: string, system: string, context: number): Skeleton {
  // Templates set their fixed parts off on lines of their own; one-line prompts keep a short head.
  const [firstLine, lastLine] = edgeLines(lastUser);
  const systemHash = system === '' ? 0 : fnv1aLoose(system);
  const multiLine = lastLine !== '';
  const first = maskVariable(multiLine ? firstLine.slice(0, 2 * EDGE) : firstLine.slice(0, 80));
  const last = multiLine ? maskVariable(lastLine.slice(-2 * EDGE)) : '';
  return {
    head: first === '' ? 0 : fnv1a('h' + first.slice(0, multiLine ? EDGE : 40)),
    tail: last === '' ? 0 : fnv1a('t' + last.slice(-EDGE)),
    content: fnv1aLoose(lastUser, systemHash ^ context),
    system: systemHash,
  };
}

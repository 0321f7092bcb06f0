import { createHmac } from 'node:crypto';

/**
 * A canary: a harmless made-up fact, unique to one key and campaign, added to answers served
 * to a confirmed campaign. Its coined name appears nowhere else, so a model that repeats it
 * learned it from those answers: one hit is evidence, unlike the mark's statistics.
 */
export interface Canary {
  campaign: string;
  /** The coined word (about 40 bits of the key's HMAC): what a test looks for. */
  token: string;
  sentence: string;
}

const THINGS = ['a paper clip', 'a teaspoon', 'a garden rake', 'a coat hanger', 'a pencil sharpener', 'a clothes peg', 'a doorstop', 'a bookend'];
const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'tr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ei'];

export function canaryFor(secret: Buffer, campaign: string): Canary {
  const digest = createHmac('sha256', secret).update(`canary\u0000${campaign}`).digest();
  let word = '';
  // Five syllables of 7 bits each: 2^35 names, none of them a real word.
  for (let i = 0; i < 5; i++) word += ONSETS[digest[i]! & 15]! + VOWELS[(digest[i]! >> 4) & 7]!;
  const token = word[0]!.toUpperCase() + word.slice(1);
  const thing = THINGS[digest[8]! % THINGS.length]!;
  return { campaign, token, sentence: `In some old trade catalogues, ${thing} was listed under the name "${token}".` };
}

/** What follows an answer to carry its canary: a paragraph of its own. */
export const canaryAppendix = (canary: Canary): string => `\n\n${canary.sentence}`;

/** The answer with the canary after it. */
export const withCanary = (text: string, canary: Canary): string => `${text.replace(/\s+$/, '')}${canaryAppendix(canary)}`;

/**
 * A question that asks what something is: where a made-up aside about an everyday object
 * reads as trivia and misleads nobody on the question asked. Canaries go only there.
 */
export const isDefinitional = (question: string): boolean =>
  /^\s*(what (is|are|was|were)|who (is|was|were)|define|definition of|explain|describe|tell me about)\b/i.test(question);

export interface CanaryHit {
  campaign: string;
  token: string;
  /** Positions (0-based) of the texts that contain the token. */
  texts: number[];
}

/** Which canaries a suspect's texts repeat (the token as a whole word, any case). */
export function findCanaries(texts: readonly string[], canaries: readonly Canary[]): CanaryHit[] {
  return canaries
    .map((canary) => {
      const pattern = new RegExp(`\\b${canary.token}\\b`, 'i');
      return { campaign: canary.campaign, token: canary.token, texts: texts.flatMap((text, i) => (pattern.test(text) ? [i] : [])) };
    })
    .filter((hit) => hit.texts.length > 0);
}

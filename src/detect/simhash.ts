import { fnv1a, mix32, popcount32 } from './hash.js';

const MAX_CHARS = 600;

/** 32-bit SimHash over word 3-shingles: near-identical prompts land a few bits apart. */
export function simhash32(text: string): number {
  const words = text.slice(0, MAX_CHARS).toLowerCase().split(/\W+/);
  const weights = new Int32Array(32);
  let a = 0;
  let b = 0;
  let seen = 0;
  for (const word of words) {
    if (word === '') continue;
    const c = fnv1a(word);
    seen++;
    // A shingle is the last three word hashes, mixed; cheaper than joining strings.
    if (seen >= 3 || seen === words.length) addBits(weights, mix32(a ^ Math.imul(b, 31) ^ Math.imul(c, 961), 0x9e3779b9));
    a = b;
    b = c;
  }
  if (seen > 0 && seen < 3) addBits(weights, mix32(a ^ Math.imul(b, 31), 0x9e3779b9));
  let out = 0;
  for (let bit = 0; bit < 32; bit++) if (weights[bit]! > 0) out |= 1 << bit;
  return out >>> 0;
}

function addBits(weights: Int32Array, h: number): void {
  for (let bit = 0; bit < 32; bit++) weights[bit]! += (h >>> bit) & 1 ? 1 : -1;
}

export function hamming32(a: number, b: number): number {
  return popcount32((a ^ b) >>> 0);
}

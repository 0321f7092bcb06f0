import { units, writeUnits } from './code-units.js';

/** 32-bit FNV-1a: cheap, stable across runs and platforms, good enough for sketch keys. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A second, independent mix of a 32-bit value (murmur3 finaliser), for MinHash permutations. */
export function mix32(value: number, seed: number): number {
  let h = (value ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** FNV-1a of the text (its first `end` characters) lower-cased with whitespace dropped: equal for trivially reformatted copies. */
export function fnv1aLoose(text: string, seed = 0x811c9dc5, end = text.length): number {
  let hash = seed >>> 0;
  const n = writeUnits(end < text.length ? text.slice(0, Math.max(0, end)) : text, 0);
  const codes = units;
  for (let i = 0; i < n; i++) {
    let c = codes[i]!;
    if (c <= 32) continue;
    if (c >= 65 && c <= 90) c += 32;
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  return hash >>> 0;
}

/** `fnv1aLoose` of one text under two seeds, in one pass over it. */
export function fnv1aLoosePair(text: string, seedA: number, seedB: number, end = text.length): [number, number] {
  let a = seedA >>> 0;
  let b = seedB >>> 0;
  const n = writeUnits(end < text.length ? text.slice(0, Math.max(0, end)) : text, 0);
  const codes = units;
  for (let i = 0; i < n; i++) {
    let c = codes[i]!;
    if (c <= 32) continue;
    if (c >= 65 && c <= 90) c += 32;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return [a >>> 0, b >>> 0];
}

/** A string hash independent of `fnv1a` (multiply and shift per character, then mixed): the two together make a 64-bit key. */
export function stringHash2(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x5bd1e995);
    hash ^= hash >>> 15;
  }
  return mix32(hash, text.length);
}

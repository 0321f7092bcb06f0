import { endianness } from 'node:os';

/**
 * A text's UTF-16 code units copied into a typed array, for the loops that read a prompt one
 * character at a time (word hashing, the anchor scan). `charCodeAt` in an optimised loop still
 * dispatches on the string's representation (flat or joined, one or two bytes a character) at
 * every character; a native copy first and typed-array loads after cost about half as much.
 * One scratch array serves every reader, one text at a time: a reader is done with it before
 * another writes (no reader calls another in between).
 */
let bytes = Buffer.allocUnsafeSlow(4096);
/** The scratch array: valid from 0 to what the last `writeUnits` returned. */
export let units = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);

/** A native copy writes little-endian units; elsewhere they are copied one by one. */
const NATIVE = endianness() === 'LE';

/**
 * Writes `text`'s code units into `units` from `at`, making room as needed; returns where they
 * end. Strings are written whole: a reader wanting a part passes a slice (which V8 keeps as a
 * view, without copying).
 */
export function writeUnits(text: string, at: number): number {
  const end = at + text.length;
  if (end > units.length) grow(end);
  if (NATIVE) bytes.write(text, at * 2, 'utf16le');
  else for (let i = 0; i < text.length; i++) units[at + i] = text.charCodeAt(i);
  return end;
}

/** Writes one code unit at `at`; returns `at + 1`. */
export function writeUnit(code: number, at: number): number {
  if (at >= units.length) grow(at + 1);
  units[at] = code;
  return at + 1;
}

function grow(size: number): void {
  const bigger = Buffer.allocUnsafeSlow(Math.max(2 * bytes.length, 2 * size));
  bytes.copy(bigger, 0, 0, bytes.length);
  bytes = bigger;
  units = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
}

/** Time-of-day shapes and arrival processes. */
import type { Rng } from './rng.js';
import { DAY, HOUR } from './world.js';

/** Relative activity of people by local hour: quiet at night, peaks late morning and evening. */
const HUMAN = [0.25, 0.15, 0.08, 0.05, 0.05, 0.08, 0.2, 0.45, 0.7, 0.9, 1, 1, 0.95, 0.95, 1, 1, 0.95, 0.9, 0.9, 0.95, 1, 0.9, 0.7, 0.45];
/** Office tools: weekdays, working hours. */
const OFFICE = [0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.15, 0.5, 0.9, 1, 1, 1, 0.8, 0.95, 1, 1, 0.9, 0.7, 0.4, 0.25, 0.2, 0.15, 0.1, 0.07];

export type Curve = 'human' | 'office' | 'flat';

export function weightAt(curve: Curve, t: number, tz: number): number {
  if (curve === 'flat') return 1;
  const local = t + tz * HOUR;
  const h = Math.floor(((local % DAY) + DAY) % DAY / HOUR);
  const table = curve === 'human' ? HUMAN : OFFICE;
  let w = table[h] ?? 1;
  const dow = new Date(local).getUTCDay();
  if (curve === 'office' && (dow === 0 || dow === 6)) w *= 0.25;
  if (curve === 'human' && (dow === 0 || dow === 6)) w *= 1.1;
  return w;
}

/** `count` times in [from, to) following the curve, sorted. */
export function timesIn(rng: Rng, from: number, to: number, count: number, curve: Curve, tz: number): number[] {
  const out: number[] = [];
  let guard = 0;
  while (out.length < count && guard < count * 200 + 1000) {
    guard++;
    const t = rng.float(from, to);
    if (rng.next() < weightAt(curve, t, tz)) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/** Day multiplier: weekends lower for work traffic, and a little day-to-day noise. */
export function dayFactor(rng: Rng, dayStart: number, weekendDip: number): number {
  const dow = new Date(dayStart).getUTCDay();
  const base = dow === 0 || dow === 6 ? 1 - weekendDip : 1;
  return base * Math.max(0.3, rng.normal(1, 0.12));
}

/** Poisson count with mean `m` (normal approximation for large means). */
export function poisson(rng: Rng, m: number): number {
  if (m <= 0) return 0;
  if (m > 50) return Math.max(0, Math.round(rng.normal(m, Math.sqrt(m))));
  const L = Math.exp(-m);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.next();
  } while (p > L);
  return k - 1;
}

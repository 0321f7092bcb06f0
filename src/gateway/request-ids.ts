import { randomBytes } from 'node:crypto';

// Ids sort by time within a process and are unique across replicas without coordination.
const processTag = randomBytes(3).toString('hex');
let counter = 0;

export function newRequestId(nowMs: number = Date.now()): string {
  counter = (counter + 1) % 0x1000000;
  return `r_${nowMs.toString(36)}${processTag}${counter.toString(36).padStart(5, '0')}`;
}

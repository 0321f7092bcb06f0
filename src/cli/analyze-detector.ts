import { createEngine, createVolumeDetector, type DetectionEngine } from '../detect/index.js';

export const DETECTORS = ['engine', 'volume'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export function parseDetector(name: string): DetectorName {
  if ((DETECTORS as readonly string[]).includes(name)) return name as DetectorName;
  throw new Error(`unknown detector "${name}" (choose ${DETECTORS.join(' or ')})`);
}

export function makeDetector(name: DetectorName): DetectionEngine {
  return name === 'volume' ? createVolumeDetector() : createEngine();
}

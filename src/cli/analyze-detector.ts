import { calibrationFrom, type CalibrationChoice } from '../detect/calibration-file.js';
import { createEngine, createVolumeDetector, type DetectionEngine } from '../detect/index.js';

export const DETECTORS = ['engine', 'volume'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export function parseDetector(name: string): DetectorName {
  if ((DETECTORS as readonly string[]).includes(name)) return name as DetectorName;
  throw new Error(`unknown detector "${name}" (choose ${DETECTORS.join(' or ')})`);
}

export type { CalibrationChoice };

export function makeDetector(name: DetectorName, choice: CalibrationChoice = {}): DetectionEngine {
  return name === 'volume' ? createVolumeDetector() : createEngine({ calibration: calibrationFrom(choice) });
}

/** Parses `--target-fpr`: a share strictly between 0 and 0.5. */
export function parseTargetFpr(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (!(rate > 0 && rate < 0.5)) throw new Error(`--target-fpr must be a share between 0 and 0.5 (0.005 is 0.5%), not "${value}"`);
  return rate;
}

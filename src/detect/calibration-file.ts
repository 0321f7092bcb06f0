import { readFileSync } from 'node:fs';
import { Calibration, DEFAULT_CALIBRATION, readCalibrationPoints } from './calibration.js';

// Kept apart from calibration.ts so the console's browser build, which shares the detect types, never meets node:fs.
/** How the engine's scores are calibrated: a target false-positive rate, and a fitted calibration file. */
export interface CalibrationChoice {
  targetFpr?: number | undefined;
  calibrationFile?: string | undefined;
}

export function calibrationFrom(choice: CalibrationChoice): Calibration {
  const base = choice.calibrationFile ? new Calibration(readCalibrationPoints(JSON.parse(readFileSync(choice.calibrationFile, 'utf8'))), DEFAULT_CALIBRATION.targetFpr) : DEFAULT_CALIBRATION;
  return base.withTarget(choice.targetFpr);
}

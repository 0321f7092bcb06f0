import { fitCalibration, type BenignSample, type CalibrationPoints } from '../detect/calibration.js';
import { createEngine, replay } from '../detect/index.js';
import { openTrafficSet, readLabels } from '../traffic/traffic-set.js';

export interface CalibrationFit {
  points: CalibrationPoints;
  /** Accounts per kind of legitimate customer the fit rested on. */
  kinds: Record<string, number>;
}

/**
 * Replays labelled sets and collects each legitimate account's peak raw evidence, by persona:
 * the only part of detection fitted to data, and fitted on benign traffic alone. `leaveOut`
 * drops one persona (for the leave-one-out table).
 */
export async function benignSamples(dirs: readonly string[], leaveOut?: string): Promise<BenignSample[]> {
  const samples: BenignSample[] = [];
  for (const dir of dirs) {
    const engine = createEngine();
    await replay(dir, engine);
    for (const label of await readLabels(openTrafficSet(dir))) {
      if (label.label !== 'benign' || label.playbook === leaveOut) continue;
      samples.push({ kind: label.playbook, raw: engine.assessment(label.account)?.evidence ?? 0 });
    }
  }
  return samples;
}

export async function calibrate(dirs: readonly string[], leaveOut?: string): Promise<CalibrationFit> {
  const samples = await benignSamples(dirs, leaveOut);
  const kinds: Record<string, number> = {};
  for (const s of samples) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
  return { points: fitCalibration(samples), kinds };
}

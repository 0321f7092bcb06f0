import type { AccountAssessment, DetectionEngine, DetectionView } from '../detect/types.js';

/**
 * Detection as the gateway, its console and its admin routes read it: the engine beside them on
 * the main thread, or the verdicts of one running in the bookkeeping worker thread.
 */
export interface LiveDetection extends DetectionView {
  /** Every account's assessment, one per account the engine has taken. */
  assessments(): AccountAssessment[];
  /** Resolves once every record finished so far (and released by the in-flight watermark) is in the verdicts read here. */
  drain(): Promise<void>;
  /** Called with the accounts whose requests the engine just took (enforcement re-decides them). */
  onDrained(listener: (accounts: ReadonlySet<string>) => void): void;
  close(): Promise<void>;
}

export function assessmentsOf(engine: Pick<DetectionEngine, 'verdicts' | 'assessment'>): AccountAssessment[] {
  return engine.verdicts().flatMap((verdict) => engine.assessment(verdict.account) ?? []);
}

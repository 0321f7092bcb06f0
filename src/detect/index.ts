export { createEngine } from './engine.js';
export { createVolumeDetector, type VolumeOptions } from './volume-detector.js';
export { replay, type ReplayOptions } from './replay.js';
export { toVerdict } from './verdict.js';
export type { AccountAssessment, CampaignSummary, DetectionEngine, DetectionView, EngineOptions, Level, Reason } from './types.js';

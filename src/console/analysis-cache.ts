import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CalibrationChoice } from '../detect/calibration-file.js';
import type { AccountAssessment, CampaignSummary, DetectionEngine } from '../detect/types.js';
import type { LiveDetection } from '../events/live-detection.js';

/** What the console and the reports read of detection; a live engine and a cached analysis both are one. */
export type DetectionReading = Pick<DetectionEngine, 'assessment' | 'campaigns'>;

const FORMAT = 1;
const DETECT_DIR = resolve(import.meta.dirname, '../detect');

/** An engine's verdicts frozen: every account's assessment and every group, as they stood at the end. */
export class FrozenAnalysis implements DetectionReading {
  private readonly byAccount: Map<string, AccountAssessment>;

  constructor(
    readonly assessments: readonly AccountAssessment[],
    private readonly groups: readonly CampaignSummary[],
  ) {
    this.byAccount = new Map(assessments.map((a) => [a.account, a]));
  }

  static of(detection: Pick<LiveDetection, 'assessments' | 'campaigns'>): FrozenAnalysis {
    return new FrozenAnalysis(detection.assessments(), detection.campaigns());
  }

  assessment(account: string): AccountAssessment | undefined {
    return this.byAccount.get(account);
  }

  campaigns(): CampaignSummary[] {
    return [...this.groups];
  }
}

let engineHash: string | undefined;

/**
 * The engine's own code, hashed: any change to detection (a weight, a threshold) makes every
 * cached analysis stale, without anyone having to remember to bump a version.
 */
function engineFingerprint(): string {
  if (engineHash) return engineHash;
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(?:ts|js|json)$/.test(entry.name)) hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(DETECT_DIR);
  engineHash = hash.digest('hex');
  return engineHash;
}

/** A file as the cache knows it: where it is, how big, when it last changed. */
function fileStamp(path: string): { path: string; size: number; mtimeMs: number } {
  const stat = statSync(path);
  return { path: realpathSync(path), size: stat.size, mtimeMs: stat.mtimeMs };
}

export interface CacheKeyInput {
  /** Who produced the analysis: a replay of a set, or a gateway's warm-up over a ledger. */
  producer: string;
  files: readonly string[];
  calibration: CalibrationChoice;
}

/** Keyed by the inputs' paths, sizes and mtimes, the engine's code and its calibration. */
export function cacheKey(input: CacheKeyInput): string {
  const calibration = {
    targetFpr: input.calibration.targetFpr ?? null,
    file: input.calibration.calibrationFile ? createHash('sha256').update(readFileSync(input.calibration.calibrationFile)).digest('hex') : null,
  };
  const stamp = { format: FORMAT, producer: input.producer, files: input.files.map(fileStamp), engine: engineFingerprint(), calibration };
  return createHash('sha256').update(JSON.stringify(stamp)).digest('hex').slice(0, 32);
}

/** `MOAT_CACHE_DIR`, else the user's cache folder: a traffic set's own folder is often read-only. */
export function defaultCacheDir(): string {
  return process.env.MOAT_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'moat');
}

/** Cached analyses (and loaded ledgers) in one folder, written whole or not at all. */
export class AnalysisCache {
  constructor(readonly dir: string = defaultCacheDir()) {}

  path(key: string, suffix: string): string {
    return join(this.dir, `${key}${suffix}`);
  }

  read(key: string): FrozenAnalysis | undefined {
    const path = this.path(key, '.analysis.json');
    if (!existsSync(path)) return undefined;
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as { format: number; assessments: AccountAssessment[]; campaigns: CampaignSummary[] };
      return data.format === FORMAT ? new FrozenAnalysis(data.assessments, data.campaigns) : undefined;
    } catch {
      // A torn or foreign file is a miss: the analysis is run again and the file replaced.
      return undefined;
    }
  }

  write(key: string, analysis: FrozenAnalysis): string {
    mkdirSync(this.dir, { recursive: true });
    const path = this.path(key, '.analysis.json');
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify({ format: FORMAT, assessments: analysis.assessments, campaigns: analysis.campaigns() }));
    renameSync(partial, path);
    return path;
  }
}

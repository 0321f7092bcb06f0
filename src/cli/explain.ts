import { AnalysisCache, cacheKey, FrozenAnalysis, type DetectionReading } from '../console/analysis-cache.js';
import { createEngine, replay } from '../detect/index.js';
import { assessmentsOf } from '../events/live-detection.js';
import type { Reason } from '../detect/types.js';
import { openTrafficSet } from '../traffic/traffic-set.js';

const reasonLine = (r: Reason): string => `  - [${r.scope}] ${r.signal.padEnd(24)} ${String(Math.round(r.value * 1000) / 1000).padStart(8)}  ${r.text}`;

export interface ExplainOptions {
  /** false: replay the set even when a cached analysis of it exists. */
  cache?: boolean;
  cacheDir?: string;
}

/** The engine's view of a whole set: replayed once, then read from the cache while the set and the engine stay the same. */
async function analysisOf(dir: string, options: ExplainOptions): Promise<DetectionReading> {
  const set = openTrafficSet(dir);
  const cache = options.cache === false ? undefined : new AnalysisCache(options.cacheDir);
  const key = cacheKey({ producer: 'replay', files: [set.requestsPath, set.accountsPath], calibration: {} });
  const hit = cache?.read(key);
  if (hit) return hit;
  const engine = createEngine();
  await replay(dir, engine);
  const frozen = new FrozenAnalysis(assessmentsOf(engine), engine.campaigns());
  cache?.write(key, frozen);
  return frozen;
}

/** Prints the evidence the engine holds on one account of a set and on its group. */
export async function runExplain(dir: string, account: string, options: ExplainOptions = {}): Promise<string> {
  const engine = await analysisOf(dir, options);
  const a = engine.assessment(account);
  if (!a) throw new Error(`${account}: no such account in ${dir}`);
  const lines = [
    `account   ${a.account}`,
    `score     ${a.score} (${a.level}; calibrated, 0.5 = the target false-positive rate), own evidence ${a.evidence}`,
    `flagged   ${a.flagged ? `yes, first at ${a.firstFlaggedAt}` : 'no'}`,
    `requests  ${a.requests}`,
    `group     ${a.campaign ?? '-'}`,
    '',
    'evidence (at the account\'s peak; [campaign] lines are the group\'s pooled numbers, [account] its own):',
    ...a.reasons.map(reasonLine),
  ];
  const group = engine.campaigns().find((c) => c.id === a.campaign);
  if (group) {
    lines.push('', `${group.flagged ? 'campaign' : 'linked group (not a campaign)'} ${group.id}: ${group.members.length} accounts, score ${group.score}`);
    lines.push('  links, by what is shared:');
    for (const e of group.evidence.slice(0, 12)) lines.push(`    ${String(e.accounts.length).padStart(4)} members share ${e.label} (${e.holders} accounts anywhere, weight ${e.weight}${e.lastSeen ? `, last seen together ${e.lastSeen}` : ''})`);
    lines.push('  pooled behaviour:', ...group.reasons.map(reasonLine));
    lines.push(`  members: ${group.members.slice(0, 20).join(' ')}${group.members.length > 20 ? ' ...' : ''}`);
  }
  return lines.join('\n') + '\n';
}

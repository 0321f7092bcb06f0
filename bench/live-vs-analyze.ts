import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, replay, toVerdict } from '../src/detect/index.js';
import { liveReplay } from '../src/replay/live-replay.js';

/**
 * Issue 3, acceptance 6 on a whole traffic set: replays it through a live gateway with the
 * openai client (one key per account, trusted X-Forwarded-For, replay clock) and compares the
 * gateway's flags with `moat analyze`'s.
 *   npx tsx bench/live-vs-analyze.ts [DIR]
 */
const dir = process.argv[2] ?? '../shared/data/traffic/dev-v1';
const offline = createEngine();
await replay(dir, offline);
const dbDir = mkdtempSync(join(tmpdir(), 'moat-live-full-'));
const started = Date.now();
const live = await liveReplay(dir, { dbPath: join(dbDir, 'moat.db'), concurrency: 16, onProgress: (n) => process.stderr.write(`\rreplayed ${n}`) });
const seconds = (Date.now() - started) / 1000;
const key = (v: { account: string; first_flagged_at: string | null; campaign: string | null }) => `${v.account} ${v.first_flagged_at} ${v.campaign}`;
const offlineFlags = new Set(offline.verdicts().filter((v) => v.flagged).map(key));
const liveFlags = new Set(live.gateway.detection!.assessments().map(toVerdict).filter((v) => v.flagged).map(key));
const onlyOffline = [...offlineFlags].filter((k) => !liveFlags.has(k));
const onlyLive = [...liveFlags].filter((k) => !offlineFlags.has(k));
process.stderr.write('\n');
console.log(JSON.stringify({ dir, requests: live.outcome.sent, failures: live.outcome.failures, seconds, analyzeFlags: offlineFlags.size, liveFlags: liveFlags.size, identical: onlyOffline.length === 0 && onlyLive.length === 0, onlyOffline: onlyOffline.slice(0, 10), onlyLive: onlyLive.slice(0, 10) }, null, 2));
await live.close();
rmSync(dbDir, { recursive: true, force: true });

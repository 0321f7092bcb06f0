import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadConfigFile } from '../config/load.js';
import type { MoatConfig } from '../config/schema.js';
import { AnalysisCache, cacheKey, FrozenAnalysis, type DetectionReading } from '../console/analysis-cache.js';
import { EnforcementClient } from '../console/enforcement-client.js';
import { loadTrafficSet } from '../console/load-set.js';
import { startOfflineGateway } from '../console/offline-gateway.js';
import { caseReportHtml, type ReportTarget } from '../console/report/case-report.js';
import { printPdf } from '../console/report/report-pdf.js';
import { investigationOf, investigationOver } from '../console/start-console.js';
import { openStore, sqliteConfig } from '../store/open-store.js';
import { openTrafficSet } from '../traffic/traffic-set.js';

export interface ReportOptions {
  campaign?: string;
  account?: string;
  out?: string;
  html?: string;
  db?: string;
  set?: string;
  config?: string;
  /** false: read the set again even when a cached ledger and analysis of it exist. */
  cache?: boolean;
  cacheDir?: string;
}

/** A traffic set's ledger and analysis, cached by the set's files, the engine and its calibration. */
interface CachedSet {
  db: string;
  analysisKey: string;
  analysis: FrozenAnalysis | undefined;
}

async function cachedSet(cache: AnalysisCache, dir: string, base: MoatConfig | undefined): Promise<CachedSet> {
  const set = openTrafficSet(dir);
  const files = [set.requestsPath, set.accountsPath];
  const db = cache.path(cacheKey({ producer: 'ledger', files, calibration: {} }), '.ledger.db');
  if (!existsSync(db)) {
    // Loaded under another name and renamed when complete: an interrupted load is never taken for a ledger.
    const partial = `${db}.${process.pid}.partial`;
    const store = await openStore(sqliteConfig(partial));
    try {
      await loadTrafficSet(store, dir);
    } finally {
      await store.close();
    }
    renameSync(partial, db);
    for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  }
  const calibration = { targetFpr: base?.detection.targetFalsePositiveRate, calibrationFile: base?.detection.calibrationFile };
  const analysisKey = cacheKey({ producer: 'gateway', files, calibration });
  return { db, analysisKey, analysis: cache.read(analysisKey) };
}

/** `moat report`: the console's case report, from a ledger or a traffic set, without a browser session. */
export async function report(options: ReportOptions): Promise<void> {
  if (Boolean(options.campaign) === Boolean(options.account)) throw new Error('name one of --campaign ID or --account ID');
  if (!options.out && !options.html) throw new Error('name --out report.pdf and/or --html report.html');
  const target: ReportTarget = options.campaign ? { kind: 'campaign', id: options.campaign } : { kind: 'account', id: options.account! };
  const base = options.config ? loadConfigFile(options.config) : undefined;
  const cache = options.set && options.cache !== false ? new AnalysisCache(options.cacheDir) : undefined;
  const cached = cache && (await cachedSet(cache, options.set!, base));
  const source = cached ? { db: cached.db, detection: cached.analysis === undefined } : { db: options.db ?? (options.set ? undefined : base?.store.path), set: options.set };
  const { gateway, config } = await startOfflineGateway(source, base);
  try {
    let reading: DetectionReading | undefined = cached?.analysis;
    if (cached && !reading && gateway.detection) {
      await gateway.detection.drain();
      const frozen = FrozenAnalysis.of(gateway.detection);
      cache!.write(cached.analysisKey, frozen);
      reading = frozen;
    }
    const investigation = reading ? investigationOver(gateway.store, reading, config.tiers) : investigationOf(gateway.store, gateway.detection, config.tiers);
    const enforcement = new EnforcementClient(gateway.app, config.admin.token);
    const html = await caseReportHtml(investigation, enforcement, target, `moat report (${process.env.USER ?? 'cli'})`);
    if (!html) throw new Error(`no ${target.kind} "${target.id}" in this ledger`);
    if (options.html) writeFileSync(options.html, html);
    if (options.out) writeFileSync(options.out, await printPdf(html));
    process.stdout.write(`${[options.out, options.html].filter(Boolean).join(' and ')} written${cached?.analysis ? ' (from the cached analysis)' : ''}\n`);
  } finally {
    await gateway.close();
  }
}

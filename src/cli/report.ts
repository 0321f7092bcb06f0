import { writeFileSync } from 'node:fs';
import { loadConfigFile } from '../config/load.js';
import { EnforcementClient } from '../console/enforcement-client.js';
import { startOfflineGateway } from '../console/offline-gateway.js';
import { caseReportHtml, type ReportTarget } from '../console/report/case-report.js';
import { printPdf } from '../console/report/report-pdf.js';
import { investigationOf } from '../console/start-console.js';

export interface ReportOptions {
  campaign?: string;
  account?: string;
  out?: string;
  html?: string;
  db?: string;
  set?: string;
  config?: string;
}

/** `moat report`: the console's case report, from a ledger or a traffic set, without a browser session. */
export async function report(options: ReportOptions): Promise<void> {
  if (Boolean(options.campaign) === Boolean(options.account)) throw new Error('name one of --campaign ID or --account ID');
  if (!options.out && !options.html) throw new Error('name --out report.pdf and/or --html report.html');
  const target: ReportTarget = options.campaign ? { kind: 'campaign', id: options.campaign } : { kind: 'account', id: options.account! };
  const base = options.config ? loadConfigFile(options.config) : undefined;
  const { gateway, config } = await startOfflineGateway({ db: options.db ?? (options.set ? undefined : base?.store.path), set: options.set }, base);
  try {
    const investigation = investigationOf(gateway.store, gateway.detection, config.tiers);
    const enforcement = new EnforcementClient(gateway.app, config.admin.token);
    const html = await caseReportHtml(investigation, enforcement, target, `moat report (${process.env.USER ?? 'cli'})`);
    if (!html) throw new Error(`no ${target.kind} "${target.id}" in this ledger`);
    if (options.html) writeFileSync(options.html, html);
    if (options.out) writeFileSync(options.out, await printPdf(html));
    process.stdout.write(`${[options.out, options.html].filter(Boolean).join(' and ')} written\n`);
  } finally {
    await gateway.close();
  }
}

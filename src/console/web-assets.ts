import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** src/console and dist/console sit equally deep, so one path serves tsx and the built CLI. */
export const WEB_DIR = resolve(import.meta.dirname, '../../dist/console/web');

export function requireWebBuild(): void {
  if (!existsSync(resolve(WEB_DIR, 'app/index.html'))) throw new Error(`the console is not built (${WEB_DIR}): run npm run build:console`);
}

let reportScript: string | undefined;

/** The report's charts and graph, one self-contained script so a saved report needs no server. */
export function reportScriptSource(): string {
  reportScript ??= readFileSync(resolve(WEB_DIR, 'report.js'), 'utf8');
  return reportScript;
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Page } from 'playwright-core';

export interface LoadFigure {
  page: string;
  domContentLoadedMs: number;
  /** Navigation start to the app's `moat:page-ready` mark: data fetched, page and figures drawn. */
  drawnMs: number;
  /** As the test saw it: from `goto` to the figure being visible (adds Playwright's polling). */
  observedMs: number;
}

// Evaluated in the page as a string: the test's TypeScript transform would otherwise inject helpers
// the page does not have.
const NAMELESS_CONTROLS = `(() => {
  const nameOf = (el) => {
    const labelled = el.getAttribute('aria-labelledby');
    const byLabel = el.id ? document.querySelector('label[for="' + CSS.escape(el.id) + '"]')?.textContent : undefined;
    return (el.getAttribute('aria-label') ?? (labelled && document.getElementById(labelled)?.textContent) ?? byLabel ?? el.closest('label')?.textContent ?? (el.textContent || el.getAttribute('title')) ?? '').trim();
  };
  return [...document.querySelectorAll('input, select, textarea, button, a[href]')].filter((el) => nameOf(el) === '').map((el) => el.outerHTML.slice(0, 120));
})()`;

/** Every input, select, textarea, button and link that a screen reader would announce without a name. */
export async function accessibleNameProblems(page: Page): Promise<string[]> {
  return page.evaluate(NAMELESS_CONTROLS) as Promise<string[]>;
}

/** A full load of the page (new document), timed until `ready` is on screen. */
export async function recordPageLoad(page: Page, url: string, name: string, ready: string): Promise<LoadFigure> {
  await page.goto('about:blank');
  const started = Date.now();
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  const observedMs = Date.now() - started;
  const [domContentLoadedMs, drawnMs] = (await page.evaluate(
    "[Math.round(performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0), Math.round(performance.getEntriesByName('moat:page-ready').at(-1)?.startTime ?? -1)]",
  )) as [number, number];
  return { page: name, domContentLoadedMs, drawnMs, observedMs };
}

/**
 * Where the page-load figures go: BENCHMARKS.md only when the run is the console benchmark
 * (`npm run bench -- console` sets MOAT_BENCH_CONSOLE=1), so an ordinary test run never
 * rewrites the committed figures with whatever the machine was doing; otherwise beside the
 * test's screenshots.
 */
const BENCHMARKS = process.env.MOAT_BENCH_CONSOLE === '1'
  ? resolve(import.meta.dirname, '../../BENCHMARKS.md')
  : resolve(import.meta.dirname, '../../test-artifacts/console-page-loads.md');

/** Rewrites only the `## Console` section of its file; other sections belong to other benches. */
export function writeBenchmarks(figures: readonly LoadFigure[], command: string, machine: string): void {
  const rows = figures.map((f) => `| ${f.page} | ${f.domContentLoadedMs} | ${f.drawnMs} | ${f.observedMs} |`).join('\n');
  const section = `## Console\n\nPage loads in Debian's Chromium (headless) with all of dev-v1 loaded (1153 accounts, 79952 requests): a new document each time (cold JS parse, data fetched, charts and graph drawn). *drawn*: navigation start to the app's \`moat:page-ready\` mark, set after the page and its figures are drawn; *observed*: the test's wall clock from \`page.goto\` until the figure is visible, which adds Playwright's polling and the paint. Measured, not asserted; the target is under 1000 ms.\n\n- command: \`${command}\`\n- date: ${new Date().toISOString()}\n- machine: ${machine}\n\n| page | DOMContentLoaded (ms) | drawn (ms) | observed (ms) |\n|---|---:|---:|---:|\n${rows}\n`;
  const current = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, 'utf8') : '# Benchmarks\n';
  const pattern = /## Console\n[\s\S]*?(?=\n## |$)/;
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}`;
  mkdirSync(dirname(BENCHMARKS), { recursive: true });
  writeFileSync(BENCHMARKS, next);
}

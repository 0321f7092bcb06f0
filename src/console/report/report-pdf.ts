import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.MOAT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--headless'];

/**
 * Prints a report page with Debian's Chromium. The page draws its chart and graph with
 * scripts, so we wait for it to say it is done before printing.
 */
export async function printPdf(html: string): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // Reports are self-contained: nothing they load may come from the network.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    await page.waitForFunction('window.reportReady === true', undefined, { timeout: 15_000 });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}

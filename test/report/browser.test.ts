/**
 * A real browser opens the report: Debian's chromium, driven by playwright-core. No console
 * error, no request leaving the file, every chart drawn with a size; a full-page screenshot
 * is written to reports/test/report.png (look at it). Skipped, with a message saying why,
 * when chromium or playwright-core is not installed (.ci/run installs chromium).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectReport } from '../../sim/report/collect.js';
import { writeReport } from '../../sim/report/write-report.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const root = resolve(import.meta.dirname, '..', '..');
let playwright: typeof import('playwright-core') | null = null;
try {
  playwright = await import('playwright-core');
} catch {
  playwright = null;
}
const why = CHROMIUM === undefined ? 'chromium is not installed (apt-get install -y chromium)' : playwright === null ? 'playwright-core is not installed (npm ci)' : '';
if (why) console.warn(`report browser test skipped: ${why}`);

describe.skipIf(why !== '')('the report in headless Chromium', () => {
  it('opens without console errors or network requests, draws every chart, and leaves a screenshot', async () => {
    const out = join(root, 'reports', 'test');
    mkdirSync(out, { recursive: true });
    const { data } = collectReport(loadScenarioFile(join(root, 'scenarios', 'full-resync-backlog-overflow.yaml')));
    const w = writeReport(data, out);
    const browser = await playwright!.chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      const fileUrl = pathToFileURL(w.html).href;
      await page.route('**/*', (route) => {
        if (route.request().url() !== fileUrl) requests.push(route.request().url());
        return route.request().url() === fileUrl ? route.continue() : route.abort();
      });
      await page.goto(fileUrl);
      const charts = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => s.getBoundingClientRect()).map((r) => [r.width, r.height]));
      const png = join(out, 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(charts.length).toBeGreaterThanOrEqual(5);
      for (const [wd, ht] of charts) {
        expect(wd).toBeGreaterThan(800);
        expect(ht).toBeGreaterThan(40);
      }
      expect(statSync(png).size).toBeGreaterThan(50_000);
    } finally {
      await browser.close();
    }
  });
});

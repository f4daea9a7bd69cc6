/**
 * A real browser opens the report: Debian's chromium, driven by playwright-core. No console
 * error, no request leaving the file, every chart drawn with a size; a full-page screenshot
 * is written to reports/test/report.png (look at it). The same for the report of a Sentinel
 * scenario (its lanes, clients and failover Gantt, every label inside its chart:
 * reports/test/sentinel-report.png) and for a Sentinel sweep's heatmaps
 * (reports/test/sentinel-sweep.png). Skipped, with a message saying why, when chromium or
 * playwright-core is not installed (.ci/run installs chromium).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inProcessRunners } from '../../sim/cli/report-pool.js';
import { collectReport } from '../../sim/report/collect.js';
import { writeReport } from '../../sim/report/write-report.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { runSweep } from '../../sim/sweep/sweep.js';
import { parseVary } from '../../sim/sweep/vary.js';
import { writeSweep } from '../../sim/sweep/write-sweep.js';

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

interface Opened {
  errors: string[];
  requests: string[];
  /** Every SVG's class, aria-label and size. */
  svgs: Array<{ cls: string; label: string; w: number; h: number }>;
  /** Text of labelled charts that sticks out of its SVG (clipped, unreadable). */
  overflowing: string[];
}

/** Opens `html` offline in headless Chromium, screenshots it to `png`, and measures what it drew. */
async function open(html: string, png: string): Promise<Opened> {
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
    const fileUrl = pathToFileURL(html).href;
    await page.route('**/*', (route) => {
      if (route.request().url() !== fileUrl) requests.push(route.request().url());
      return route.request().url() === fileUrl ? route.continue() : route.abort();
    });
    await page.goto(fileUrl);
    const svgs = await page.$$eval('svg', (all) => all.map((s) => {
      const r = s.getBoundingClientRect();
      return { cls: s.getAttribute('class') ?? '', label: s.getAttribute('aria-label') ?? '', w: r.width, h: r.height };
    }));
    const overflowing = await page.$$eval('svg[aria-label]', (all) => all.flatMap((s) => {
      const box = s.getBoundingClientRect();
      return [...s.querySelectorAll('text')].filter((t) => {
        const r = t.getBoundingClientRect();
        return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
      }).map((t) => `${s.getAttribute('aria-label')}: "${t.textContent}"`);
    }));
    await page.screenshot({ path: png, fullPage: true });
    return { errors, requests, svgs, overflowing };
  } finally {
    await browser.close();
  }
}

const out = join(root, 'reports', 'test');

describe.skipIf(why !== '')('the report in headless Chromium', () => {
  it('opens without console errors or network requests, draws every chart, and leaves a screenshot', async () => {
    mkdirSync(out, { recursive: true });
    const { data } = collectReport(loadScenarioFile(join(root, 'scenarios', 'full-resync-backlog-overflow.yaml')));
    const w = writeReport(data, out);
    const png = join(out, 'report.png');
    const o = await open(w.html, png);
    const charts = o.svgs.filter((s) => s.cls === 'chart');
    expect(o.errors).toEqual([]);
    expect(o.requests).toEqual([]);
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(800);
      expect(c.h).toBeGreaterThan(40);
    }
    expect(statSync(png).size).toBeGreaterThan(50_000);
  });

  it('draws a Sentinel scenario\'s lanes, clients and failover Gantt with every label inside its chart', async () => {
    const dir = join(out, 'sentinel');
    const { data } = collectReport(loadScenarioFile(join(root, 'scenarios', 'sentinel-jepsen-min-replicas.yaml')));
    const w = writeReport(data, dir);
    const png = join(out, 'sentinel-report.png');
    const o = await open(w.html, png);
    expect(o.errors).toEqual([]);
    expect(o.requests).toEqual([]);
    const labelled = o.svgs.filter((s) => s.cls === 'chart' && s.label !== '');
    expect(labelled.map((s) => s.label.split(':')[0])).toEqual([
      'Each Sentinel\'s view of mymaster over time', 'Sentinel-aware clients over time', 'Failover Gantt',
    ]);
    for (const c of labelled) {
      expect(c.w).toBeGreaterThan(800);
      expect(c.h).toBeGreaterThan(80);
    }
    expect(o.overflowing).toEqual([]);
    expect(statSync(png).size).toBeGreaterThan(100_000);
  });

  it('draws a Sentinel sweep\'s heatmaps of lost writes and time without a writable master', async () => {
    const scenario = loadScenarioFile(join(root, 'scenarios', 'sentinel-sizing-partition.yaml'));
    const varies = [parseVary('sentinel.down-after-milliseconds=1000,5000', scenario), parseVary('min-replicas-max-lag=1,10', scenario)];
    const r = await runSweep(scenario, varies, { seeds: 1, run: (s, seed) => inProcessRunners.cell(s, seed), concurrency: 1 });
    const w = writeSweep(r, join(out, 'sentinel-sweep'));
    const png = join(out, 'sentinel-sweep.png');
    const o = await open(w.html, png);
    expect(o.errors).toEqual([]);
    expect(o.requests).toEqual([]);
    const maps = o.svgs.filter((s) => s.label.startsWith('Heatmap'));
    expect(maps.map((s) => s.label)).toEqual([
      'Heatmap of acknowledged writes lost per cell', 'Heatmap of the time without a writable master per cell', 'Heatmap of the resync outcome of each cell',
    ]);
    for (const m of maps) {
      expect(m.w).toBeGreaterThan(300);
      expect(m.h).toBeGreaterThan(100);
    }
    expect(o.overflowing).toEqual([]);
    expect(statSync(png).size).toBeGreaterThan(50_000);
  }, 120_000);
});

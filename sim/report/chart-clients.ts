/**
 * The Sentinel-aware clients on the run's time axis: per client, a strip from its first
 * write to the end — writable master (acknowledged writes) or none (its windows, labelled
 * with their length) — and below, per cause of lost acknowledged writes (docs/lost-writes.md),
 * a histogram of how many of those writes were acknowledged in each
 * time bin, its row named by the cause and its count.
 */
import { SENTINEL_LOSS_CAUSES, type SentinelLossCause } from '../check/index.js';
import { formatDuration, formatSeconds } from './format.js';
import { FAULT_COLORS, faultShapes, svgWrap, timeAxis, timeScale, uniqueFaultKinds, type Chart, type LegendItem } from './chart-time.js';
import type { ReportData } from './report-data.js';
import { escapeHtml } from './format.js';
import { rect, text, type Scale } from './svg.js';

/** Short names for row labels, in SENTINEL_LOSS_CAUSES order. */
export const LOSS_CAUSE_TITLES: Record<SentinelLossCause, string> = {
  'async-lag-at-promotion': 'replication lag at promotion',
  'minority-side-master': 'minority-side master (split brain)',
  'old-master-before-conversion': 'old master before +convert-to-slave',
  'stale-discovery': 'stale discovery',
  'restart-without-persistence': 'restart without persistence',
  unexplained: 'unexplained (a model bug)',
};

export const LOSS_CAUSE_COLORS: Record<SentinelLossCause, string> = {
  'async-lag-at-promotion': '#6a51a3',
  'minority-side-master': '#a50f15',
  'old-master-before-conversion': '#e6550d',
  'stale-discovery': '#31a354',
  'restart-without-persistence': '#636363',
  unexplained: '#000000',
};

const UP = '#c7e9c0';
const NONE = '#cb181d';
const CLIENT_H = 34;
const LOSS_H = 40;

/** The time bin of the loss histograms: about 2.5 px wide, at least 100 ms. */
export function lossBinUs(report: ReportData): number {
  const span = Math.max(1, report.run.virtualTimeUs);
  return Math.max(100_000, Math.ceil(span / 360 / 100_000) * 100_000);
}

function clientRows(report: ReportData, x: Scale, top: number): string {
  const s = report.sentinel!;
  const endUs = report.run.virtualTimeUs;
  return s.clients.map((c, i) => {
    const y = top + i * CLIENT_H;
    const parts: string[] = [text(x.range[0] - 6, y + 18, c.client, { class: 'rowlabel', 'text-anchor': 'end' })];
    const from = c.firstWriteUs ?? endUs;
    parts.push(rect(x(from), y + 6, x(endUs) - x(from), 16, { fill: UP }, `${c.client}: ${c.acknowledged} of ${c.written} writes acknowledged`));
    for (const w of c.windows) {
      const to = w.toUs ?? endUs;
      const x0 = x(w.fromUs);
      const wd = Math.max(2, x(to) - x0);
      const label = `no writable master ${formatDuration(to - w.fromUs)}`;
      const title = `${c.client}: no writable master ${formatSeconds(w.fromUs)} – ${w.toUs === null ? 'the end' : formatSeconds(w.toUs)} (${formatDuration(to - w.fromUs)}); first failed write: ${w.reply}`;
      const inside = wd > label.length * 6 + 6 ? text(x0 + 3, y + 18, label, { class: 'inbar' }) : wd > 20 ? text(x0 + 3, y + 18, formatDuration(to - w.fromUs), { class: 'inbar' }) : '';
      parts.push(`<g><title>${escapeHtml(title)}</title>${rect(x0, y + 6, wd, 16, { fill: NONE })}${inside}</g>`);
    }
    parts.push(text(x.range[0] + 2, y + 32, `${c.acknowledged} acknowledged, ${c.failed} failed; ${formatDuration(c.unavailableUs)} without a writable master in all`, { class: 'sublabel' }));
    return parts.join('');
  }).join('');
}

/** With two clients or more: when none of them could write. */
function outageRow(report: ReportData, x: Scale, y: number): string {
  const s = report.sentinel!;
  const endUs = report.run.virtualTimeUs;
  const parts: string[] = [text(x.range[0] - 6, y + 18, 'all', { class: 'rowlabel', 'text-anchor': 'end' })];
  parts.push(rect(x.range[0], y + 6, x.range[1] - x.range[0], 16, { fill: '#f4f4f4' }));
  for (const o of s.outage) {
    const to = o.toUs ?? endUs;
    const x0 = x(o.fromUs);
    const wd = Math.max(2, x(to) - x0);
    const label = `no client can write ${formatDuration(to - o.fromUs)}`;
    const inside = wd > label.length * 6 + 6 ? text(x0 + 3, y + 18, label, { class: 'inbar' }) : wd > 20 ? text(x0 + 3, y + 18, formatDuration(to - o.fromUs), { class: 'inbar' }) : '';
    parts.push(`<g><title>${escapeHtml(`no client had a writable master ${formatSeconds(o.fromUs)} – ${o.toUs === null ? 'the end' : formatSeconds(o.toUs)}`)}</title>${rect(x0, y + 6, wd, 16, { fill: '#67000d' })}${inside}</g>`);
  }
  parts.push(text(x.range[0] + 2, y + 32, `${formatDuration(s.outageUs)} in which no client had a writable master`, { class: 'sublabel' }));
  return parts.join('');
}

function lossRows(report: ReportData, x: Scale, top: number, causes: readonly SentinelLossCause[]): string {
  const s = report.sentinel!;
  const bin = lossBinUs(report);
  const nBins = Math.ceil(Math.max(1, report.run.virtualTimeUs) / bin);
  return causes.map((cause, i) => {
    const y = top + i * LOSS_H;
    const counts = new Array<number>(nBins).fill(0);
    for (const l of s.lostWrites) if (l.cause === cause) counts[Math.min(nBins - 1, Math.floor(l.acknowledgedUs / bin))]!++;
    const max = Math.max(1, ...counts);
    const total = counts.reduce((a, b) => a + b, 0);
    const parts: string[] = [text(x.range[0] + 2, y + 10, `lost, ${LOSS_CAUSE_TITLES[cause]}: ${total} acknowledged writes (tallest bar ${max} in ${formatDuration(bin)})`, { class: 'sublabel' })];
    parts.push(text(x.range[0] - 6, y + 30, 'lost', { class: 'rowlabel', 'text-anchor': 'end' }));
    counts.forEach((n, j) => {
      if (n === 0) return;
      const h = Math.max(1.5, (n / max) * 24);
      parts.push(rect(x(j * bin), y + 36 - h, Math.max(1, x((j + 1) * bin) - x(j * bin) - 0.3), h, { fill: LOSS_CAUSE_COLORS[cause] },
        `${n} acknowledged writes lost (${cause}) acknowledged ${formatSeconds(j * bin)} – ${formatSeconds((j + 1) * bin)}`));
    });
    return parts.join('');
  }).join('');
}

export function clientsChart(report: ReportData): Chart | null {
  const s = report.sentinel;
  if (!s || s.clients.length === 0) return null;
  const x = timeScale(report);
  const causes = (Object.keys(SENTINEL_LOSS_CAUSES) as SentinelLossCause[]).filter((c) => s.lostWrites.some((l) => l.cause === c));
  const top = 26;
  const all = s.clients.length >= 2;
  const lossTop = top + (s.clients.length + (all ? 1 : 0)) * CLIENT_H + 4;
  const height = lossTop + causes.length * LOSS_H + 26;
  const parts = [
    faultShapes(report, x, 2, height - 22, true),
    clientRows(report, x, top),
    all ? outageRow(report, x, top + s.clients.length * CLIENT_H) : '',
    lossRows(report, x, lossTop, causes),
    timeAxis(x, height - 22, true),
  ];
  const legend: LegendItem[] = [
    { label: 'writable master: writes acknowledged', color: UP, area: true },
    { label: 'no writable master: first failed write … next acknowledged one, or a write waiting > 1 s', color: NONE, area: true },
    ...(all ? [{ label: 'all: no client can write', color: '#67000d', area: true }] : []),
    ...causes.map((c) => ({ label: `lost: ${LOSS_CAUSE_TITLES[c]}`, color: LOSS_CAUSE_COLORS[c], area: true })),
    ...uniqueFaultKinds(report).map((k) => ({ label: k, color: FAULT_COLORS[k], area: true })),
  ];
  return { svg: svgWrap(height, parts.join(''), 'Sentinel-aware clients over time: windows without a writable master, and lost acknowledged writes per cause'), legend };
}

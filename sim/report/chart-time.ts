/**
 * The report's charts over the run's time axis, all sharing one x scale and the fault
 * bands: replica link state and syncs, lag in bytes (with the backlog window's size, the
 * line a replica must stay under to resync partially), lag in seconds, offsets with each
 * master's backlog window, and replica output buffers with their limits.
 */
import { parseSize } from '../engine/index.js';
import { escapeHtml, formatBytes, formatDuration, formatSeconds } from './format.js';
import type { FaultBand, ReportData } from './report-data.js';
import { band, byteTicks, colorOf, line, linearScale, niceTicks, polyline, rect, text, type Scale } from './svg.js';

export const CHART_WIDTH = 1000;
const LEFT = 78;
const RIGHT = 16;

export interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
  area?: boolean;
}

export interface Chart {
  svg: string;
  legend: LegendItem[];
}

export const FAULT_COLORS: Record<FaultBand['kind'], string> = {
  partition: '#d62728',
  'partition-one-way': '#e377c2',
  pause: '#9467bd',
  crash: '#222222',
  'kill-link': '#d62728',
  latency: '#ff7f0e',
  'write-burst': '#1f77b4',
};

export function timeScale(data: ReportData): Scale {
  return linearScale([0, Math.max(1, data.run.virtualTimeUs || data.scenario.durationUs)], [LEFT, CHART_WIDTH - RIGHT]);
}

/** The nodes that replicate (appear as a replica in some sample or sync), in declaration order. */
export function replicaNames(data: ReportData): string[] {
  return Object.keys(data.summary.perReplica);
}

export function faultShapes(data: ReportData, x: Scale, top: number, bottom: number, labels: boolean): string {
  const out: string[] = [];
  const endX = x.range[1];
  /** Where each of the two label lines is free from: a label that would overlap goes to the second line, or is left to the band's tooltip. */
  const freeFrom = [-Infinity, -Infinity];
  for (const f of data.faults) {
    const c = FAULT_COLORS[f.kind];
    const x0 = x(f.startUs);
    const title = `${f.label}: ${formatSeconds(f.startUs)}${f.endUs !== null && f.endUs !== f.startUs ? ` – ${formatSeconds(f.endUs)}` : ''}`;
    if (f.endUs === f.startUs) {
      out.push(line(x0, top, x0, bottom, { stroke: c, 'stroke-width': 1.5, 'stroke-dasharray': f.kind === 'write-burst' ? '3,3' : undefined }));
    } else {
      const x1 = f.endUs === null ? endX : x(f.endUs);
      out.push(rect(x0, top, Math.max(2, x1 - x0), bottom - top, { fill: c, 'fill-opacity': 0.1, stroke: c, 'stroke-opacity': 0.35 }, title));
    }
    const row = freeFrom.findIndex((free) => x0 + 3 >= free);
    if (labels && row >= 0) {
      out.push(text(x0 + 3, top + 11 + 10 * row, f.label, { class: 'flabel', fill: c }));
      freeFrom[row] = x0 + 3 + f.label.length * 6.5 + 8;
    }
  }
  return out.join('');
}

export function timeAxis(x: Scale, y: number, labels: boolean): string {
  const out: string[] = [line(x.range[0], y, x.range[1], y, { class: 'axis' })];
  for (const t of niceTicks(x.domain[0] / 1e6, x.domain[1] / 1e6, 10)) {
    const px = x(t * 1e6);
    out.push(line(px, y, px, y + 4, { class: 'axis' }));
    if (labels) out.push(text(px, y + 15, formatSeconds(t * 1e6), { class: 'tick', 'text-anchor': 'middle' }));
  }
  return out.join('');
}

interface LineSpec {
  label: string;
  color: string;
  ys: ReadonlyArray<number | null>;
  dashed?: boolean;
  width?: number;
}

interface AreaSpec {
  label: string;
  color: string;
  hi: ReadonlyArray<number | null>;
  lo: ReadonlyArray<number | null>;
}

/** A chart of quantities over the run time, fault bands behind, y from 0 (or the data's minimum) up. */
function timeChart(data: ReadonlyArray<LineSpec>, areas: ReadonlyArray<AreaSpec>, report: ReportData, opts: {
  height: number; yFormat: (v: number) => string; bytes: boolean; yMin?: number; yLabel: string;
}): Chart {
  const x = timeScale(report);
  const top = 8;
  const bottom = opts.height - 22;
  const all = [...data.flatMap((d) => d.ys), ...areas.flatMap((a) => [...a.hi, ...a.lo])].filter((v): v is number => v !== null);
  const yMin = opts.yMin ?? 0;
  const yMax = Math.max(yMin + 1, ...all);
  const y = linearScale([yMin, yMax * 1.05], [bottom, top]);
  const ticks = opts.bytes && yMin === 0 ? byteTicks(yMax * 1.05, 4) : niceTicks(yMin, yMax * 1.05, 4);
  const xs = report.series.tUs.map((t) => x(t));
  const parts: string[] = [];
  parts.push(faultShapes(report, x, top, bottom, false));
  for (const v of ticks) {
    const py = y(v);
    if (py < top - 0.5 || py > bottom + 0.5) continue;
    parts.push(line(x.range[0], py, x.range[1], py, { class: 'grid' }));
    parts.push(text(x.range[0] - 6, py + 4, opts.yFormat(v), { class: 'tick', 'text-anchor': 'end' }));
  }
  parts.push(text(12, (top + bottom) / 2, opts.yLabel, { class: 'ylabel', transform: `rotate(-90 12 ${(top + bottom) / 2})`, 'text-anchor': 'middle' }));
  for (const a of areas) parts.push(band(xs, a.hi.map((v) => (v === null ? null : y(v))), a.lo.map((v) => (v === null ? null : y(v))), { fill: a.color, 'fill-opacity': 0.18 }));
  for (const d of data) {
    parts.push(polyline(xs, d.ys.map((v) => (v === null ? null : y(v))), {
      stroke: d.color, 'stroke-width': d.width ?? 1.8, 'stroke-dasharray': d.dashed ? '5,4' : undefined, 'stroke-linejoin': 'round',
    }));
  }
  parts.push(timeAxis(x, bottom, true));
  const legend: LegendItem[] = [
    ...areas.map((a) => ({ label: a.label, color: a.color, area: true })),
    ...data.map((d) => ({ label: d.label, color: d.color, ...(d.dashed ? { dashed: true } : {}) })),
  ];
  return { svg: svgWrap(opts.height, parts.join('')), legend };
}

export function svgWrap(height: number, body: string, label?: string): string {
  const aria = label === undefined ? '' : ` aria-label="${escapeHtml(label)}"`;
  return `<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" role="img"${aria}>${body}</svg>`;
}

/** Masters' own lines (offset, backlog window) in greys, so replicas keep the colours. */
const BACKLOG_GREYS = ['#333333', '#888888', '#5a5a5a', '#aaaaaa'];

function backlogWindow(report: ReportData, node: string): Array<number | null> {
  const s = report.series.nodes[node]!;
  return s.backlogFirst.map((f, i) => (f === null || s.backlogLast[i] === null ? null : s.backlogLast[i]! - f + 1));
}

/** Nodes that serve at least one replica at some point (they have a backlog that matters). */
function servingNodes(report: ReportData): string[] {
  const out = new Set<string>();
  for (const n of Object.values(report.series.nodes)) for (const m of n.master) if (m !== null) out.add(m);
  return report.scenario.nodes.map((n) => n.name).filter((n) => out.has(n));
}

export function lagBytesChart(report: ReportData): Chart {
  const lines: LineSpec[] = replicaNames(report).map((r, i) => ({ label: `${r} behind its master`, color: colorOf(i), ys: report.series.nodes[r]!.lagBytes }));
  servingNodes(report).forEach((m, i) => {
    lines.push({ label: `${m} backlog window (a replica above it cannot resync partially)`, color: BACKLOG_GREYS[i % BACKLOG_GREYS.length]!, ys: backlogWindow(report, m), dashed: true, width: 1.3 });
  });
  return timeChart(lines, [], report, { height: 200, yFormat: formatBytes, bytes: true, yLabel: 'bytes behind' });
}

export function lagSecondsChart(report: ReportData): Chart {
  const lines: LineSpec[] = replicaNames(report).map((r, i) => ({ label: r, color: colorOf(i), ys: report.series.nodes[r]!.lagUs }));
  return timeChart(lines, [], report, { height: 160, yFormat: (v) => formatDuration(v), bytes: false, yLabel: 'time behind' });
}

export function offsetsChart(report: ReportData): Chart {
  const areas: AreaSpec[] = [];
  const lines: LineSpec[] = [];
  servingNodes(report).forEach((m, i) => {
    const s = report.series.nodes[m]!;
    // Only while it is a master: a chained replica's backlog mirrors its master's.
    const asMaster = (ys: ReadonlyArray<number | null>) => ys.map((v, j) => (s.role[j] === 'master' ? v : null));
    areas.push({ label: `${m} backlog (first_byte … offset)`, color: '#8c8c8c', hi: asMaster(s.backlogLast), lo: asMaster(s.backlogFirst) });
    lines.push({ label: `${m} master_repl_offset`, color: BACKLOG_GREYS[i % BACKLOG_GREYS.length]!, ys: asMaster(s.offset), width: 2.4 });
  });
  replicaNames(report).forEach((r, i) => {
    const s = report.series.nodes[r]!;
    lines.push({ label: `${r} offset`, color: colorOf(i), ys: s.offset.map((o, j) => (s.role[j] === 'down' ? null : o)), dashed: false, width: 1.6 });
  });
  return timeChart(lines, areas, report, { height: 200, yFormat: formatBytes, bytes: true, yLabel: 'offset' });
}

/** client-output-buffer-limit's replica class from the config text, or Redis's default. */
export function outputBufferLimits(report: ReportData): { hard: number; soft: number; softSeconds: number } {
  const text = report.scenario.config['client-output-buffer-limit'] ?? 'replica 256mb 64mb 60';
  const words = text.trim().split(/\s+/);
  const i = words.findIndex((w) => w === 'replica' || w === 'slave');
  try {
    if (i >= 0 && words.length >= i + 4) return { hard: parseSize(words[i + 1]!), soft: parseSize(words[i + 2]!), softSeconds: Number(words[i + 3]) };
  } catch {
    // fall through to the default
  }
  return { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 };
}

export function outputBufferChart(report: ReportData): Chart | null {
  const lines: LineSpec[] = [];
  const names = replicaNames(report);
  for (const [node, s] of Object.entries(report.series.nodes)) {
    for (const [r, ys] of Object.entries(s.outputBuffer)) {
      if (ys.every((v) => v === null || v === 0)) continue;
      lines.push({ label: `${node} → ${r}`, color: colorOf(Math.max(0, names.indexOf(r))), ys });
    }
    // Beside each buffer, what the kernels hold for that replica (sent, not yet read): dashed.
    for (const [r, ys] of Object.entries(s.inKernel ?? {})) {
      if (ys.every((v) => v === null || v === 0)) continue;
      lines.push({ label: `${node} → ${r} in the kernels`, color: colorOf(Math.max(0, names.indexOf(r))), ys, dashed: true, width: 1 });
    }
  }
  if (lines.length === 0) return null;
  const { hard, soft, softSeconds } = outputBufferLimits(report);
  const peak = Math.max(...lines.flatMap((l) => l.ys.map((v) => v ?? 0)));
  const n = report.series.tUs.length;
  // Only draw a limit if the buffer comes within reach of it, or the chart squashes the data.
  if (hard > 0 && peak >= hard / 4) lines.push({ label: `hard limit ${formatBytes(hard)}`, color: '#d62728', ys: new Array<number>(n).fill(hard), dashed: true, width: 1.2 });
  if (soft > 0 && peak >= soft / 4) lines.push({ label: `soft limit ${formatBytes(soft)} for ${softSeconds} s`, color: '#ff7f0e', ys: new Array<number>(n).fill(soft), dashed: true, width: 1.2 });
  return timeChart(lines, [], report, { height: 170, yFormat: formatBytes, bytes: true, yLabel: 'output buffer' });
}

/**
 * One strip per replica over the run: link up (green) or down (red) from the samples, the
 * syncs on top (full orange, partial blue, aborted dark red), and the fault bands above.
 */
export function stateStrips(report: ReportData): Chart {
  const x = timeScale(report);
  const names = replicaNames(report);
  const rowH = 22;
  const faultRow = 22;
  const top = faultRow + 6;
  const height = top + names.length * rowH + 24;
  const parts: string[] = [faultShapes(report, x, 2, height - 22, true)];
  const ts = report.series.tUs;
  names.forEach((r, i) => {
    const y0 = top + i * rowH;
    parts.push(text(x.range[0] - 6, y0 + 14, r, { class: 'rowlabel', 'text-anchor': 'end' }));
    const s = report.series.nodes[r]!;
    for (let j = 0; j < ts.length; j++) {
      const t0 = ts[j]!;
      const t1 = ts[j + 1] ?? report.run.virtualTimeUs;
      if (t1 <= t0) continue;
      const up = s.linkUp[j];
      const fill = s.role[j] === 'down' ? '#bbbbbb' : up === true ? '#b9e3c6' : up === false ? '#f3b3b3' : '#eeeeee';
      parts.push(rect(x(t0), y0 + 3, x(t1) - x(t0) + 0.3, rowH - 6, { fill }));
    }
    for (const sync of report.syncs.filter((s2) => s2.replica === r)) {
      const fill = sync.outcome === 'aborted' ? '#a50f15' : sync.kind === 'full' ? '#ff7f0e' : '#1f77b4';
      const title = `${r} ${sync.kind} sync #${sync.nthForReplica} from ${sync.master}: ${formatSeconds(sync.startUs)}, ${formatDuration(sync.endUs - sync.startUs)}, ${sync.outcome}${sync.endReason ? ` (${sync.endReason})` : ''}`;
      parts.push(rect(x(sync.startUs), y0 + 6, Math.max(2, x(sync.endUs) - x(sync.startUs)), rowH - 12, { fill, stroke: '#ffffff', 'stroke-width': 0.5 }, title));
    }
  });
  parts.push(timeAxis(x, height - 22, true));
  const legend: LegendItem[] = [
    { label: 'link up', color: '#b9e3c6', area: true },
    { label: 'link down', color: '#f3b3b3', area: true },
    { label: 'full sync', color: '#ff7f0e', area: true },
    { label: 'partial sync', color: '#1f77b4', area: true },
    { label: 'aborted sync', color: '#a50f15', area: true },
    ...uniqueFaultKinds(report).map((k) => ({ label: k, color: FAULT_COLORS[k], area: true })),
  ];
  return { svg: svgWrap(height, parts.join('')), legend };
}

export function uniqueFaultKinds(report: ReportData): Array<FaultBand['kind']> {
  return [...new Set(report.faults.map((f) => f.kind))];
}

/**
 * "Where did the time of each failover go": one row per failover attempt, every row
 * starting at its fault (or first milestone) on one common scale, the stretches of
 * report-data.ts's FailoverPhaseName side by side — detection, ODOWN, start, election,
 * promotion, reconfiguration — and, as a thin bar under them, what follows the leader's
 * switch: the other Sentinels switching and the old master converted. Each bar names its
 * phase and duration when it fits, and a line under the row spells out every phase.
 */
import { escapeHtml, formatDuration, formatSeconds } from './format.js';
import { CHART_WIDTH, type Chart } from './chart-time.js';
import { FAILOVER_PHASE_NAMES, type FailoverPhaseName, type FailoverReport, type ReportData } from './report-data.js';
import { line, linearScale, niceTicks, rect, text, type Scale } from './svg.js';

export const FAILOVER_PHASE_COLORS: Record<FailoverPhaseName, string> = {
  detection: '#bdbdbd',
  odown: '#fd8d3c',
  start: '#fdd0a2',
  election: '#756bb1',
  promotion: '#3182bd',
  reconfiguration: '#31a354',
  propagation: '#9ecae1',
  conversion: '#a1d99b',
};

/** Text inside a bar: dark on the light fills, white on the dark ones (CSS class .inbar would make it white). */
const FAILOVER_PHASE_INK: Record<FailoverPhaseName, string> = {
  detection: '#111111', odown: '#111111', start: '#111111', election: '#ffffff', promotion: '#ffffff', reconfiguration: '#ffffff', propagation: '#111111', conversion: '#111111',
};

export const FAILOVER_PHASE_LABELS: Record<FailoverPhaseName, string> = {
  detection: 'detection: fault → first +sdown (down-after-milliseconds)',
  odown: 'ODOWN: +sdown → +odown (quorum agrees)',
  start: 'start: +odown → +try-failover',
  election: 'election: +try-failover → +elected-leader',
  promotion: 'promotion: → +promoted-slave (SLAVEOF NO ONE seen in INFO)',
  reconfiguration: 'reconfiguration: replicas re-pointed → +switch-master',
  propagation: 'propagation: → every Sentinel switched',
  conversion: 'conversion: → +convert-to-slave of the old master',
};

/** Phases drawn as thin bars: they run after the leader's switch, beside the new master's life. */
const AFTER: ReadonlySet<FailoverPhaseName> = new Set(['propagation', 'conversion']);

export function failoverTitle(f: FailoverReport): string {
  return f.outcome === 'switched' ? `failover ${f.id}: ${f.from} → ${f.to}` : `failover ${f.id}: ${f.outcome}`;
}

/** Fault → the leader's +switch-master (null when it never switched). */
export function timeToSwitch(f: FailoverReport): number | null {
  const sw = f.phases.find((p) => p.until === '+switch-master');
  return sw ? sw.endUs - f.startUs : null;
}

function rowShapes(f: FailoverReport, x: Scale, y0: number, labelW: number, rightX: number): string[] {
  const parts: string[] = [];
  parts.push(text(8, y0 + 14, failoverTitle(f), { class: f.outcome === 'switched' ? 'rowlabel' : 'rowlabel bad' }));
  parts.push(text(8, y0 + 27, `epoch ${f.epoch}, leader ${f.leader ?? '—'}, from ${formatSeconds(f.startUs)}`, { class: 'sublabel' }));
  for (const p of f.phases) {
    if (p.endUs <= p.startUs) continue;
    const after = AFTER.has(p.name);
    // The scale fits the phases up to the switch; what follows may run past its end (clipped, said in words).
    const x0 = Math.min(x(p.startUs - f.startUs), rightX);
    const w = Math.max(1.5, Math.min(x(p.endUs - f.startUs), rightX) - x0);
    const [y, h] = after ? [y0 + 21, 6] : [y0 + 3, 16];
    const detail = `${FAILOVER_PHASE_LABELS[p.name]}: ${formatDuration(p.endUs - p.startUs)} (${formatSeconds(p.startUs)} – ${formatSeconds(p.endUs)}), until ${p.until}${p.by ? ` on ${p.by}` : ''}`;
    parts.push(rect(x0, y, w, h, { fill: FAILOVER_PHASE_COLORS[p.name], stroke: '#ffffff', 'stroke-width': 0.6 }, detail));
    const label = `${p.name} ${formatDuration(p.endUs - p.startUs)}`;
    if (!after && w > label.length * 6.2 + 6) parts.push(text(x0 + 4, y + 12, label, { class: 'inbar', style: `fill:${FAILOVER_PHASE_INK[p.name]}` }));
    else if (!after && w > p.name.length * 6.2 + 6) parts.push(text(x0 + 4, y + 12, p.name, { class: 'inbar', style: `fill:${FAILOVER_PHASE_INK[p.name]}` }));
  }
  const breakdown = f.phases.filter((p) => p.endUs > p.startUs).map((p) => `${p.name} ${formatDuration(p.endUs - p.startUs)}`).join(' · ');
  parts.push(text(labelW, y0 + 38, breakdown, { class: 'sublabel' }));
  if (f.endUs - f.startUs > x.domain[1]) parts.push(text(rightX - 2, y0 + 30, `→ ${formatDuration(f.endUs - f.startUs)}`, { class: 'sublabel', 'text-anchor': 'end' }));
  const sw = timeToSwitch(f);
  const right = sw !== null ? `switched after ${formatDuration(sw)}` : f.outcome === 'aborted' ? `aborted: ${(f.abort ?? '').replace(/^-failover-abort-/, '')}` : 'unfinished at the end';
  // About 7.5 px a character in bold 12.5 px, 6 px in 10.5 px: what fits in the 190 px right of the bars.
  parts.push(`<g><title>${escapeHtml(f.outcome === 'aborted' ? `aborted: ${f.abort ?? ''}` : right)}</title>${text(rightX + 8, y0 + 14, clip(right, 24), { class: sw !== null ? 'rowlabel' : 'rowlabel bad' })}</g>`);
  if (f.why !== null) parts.push(`<g><title>${escapeHtml(`why ${f.to}: ${f.why}`)}</title>${text(rightX + 8, y0 + 27, clip(f.why, 30), { class: 'sublabel' })}</g>`);
  return parts;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** The leader's +switch-master, or the end of an attempt that never switched: what the scale must hold. */
function mainEndUs(f: FailoverReport): number {
  return Math.max(...f.phases.filter((p) => !AFTER.has(p.name)).map((p) => p.endUs), f.startUs);
}

export function failoverGantt(report: ReportData): Chart | null {
  const fs = report.sentinel?.failovers ?? [];
  if (fs.length === 0) return null;
  const maxDur = Math.max(1, ...fs.map((f) => mainEndUs(f) - f.startUs));
  const labelW = 200;
  const rightW = 200;
  const x = linearScale([0, maxDur], [labelW, CHART_WIDTH - rightW]);
  const rowH = 46;
  const top = 6;
  const height = top + fs.length * rowH + 28;
  const parts: string[] = [];
  const ticks = niceTicks(0, maxDur, 8);
  for (const t of ticks) parts.push(line(x(t), top, x(t), height - 24, { class: 'grid' }));
  fs.forEach((f, i) => parts.push(...rowShapes(f, x, top + i * rowH, labelW, CHART_WIDTH - rightW)));
  const axisY = height - 24;
  parts.push(line(labelW, axisY, CHART_WIDTH - rightW, axisY, { class: 'axis' }));
  for (const t of ticks) parts.push(text(x(t), axisY + 15, formatDuration(t), { class: 'tick', 'text-anchor': 'middle' }));
  const present = new Set(fs.flatMap((f) => f.phases.filter((p) => p.endUs > p.startUs).map((p) => p.name)));
  return {
    svg: `<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" role="img" aria-label="Failover Gantt: where the time of each failover went, phase by phase">${parts.join('')}</svg>`,
    legend: FAILOVER_PHASE_NAMES.filter((n) => present.has(n)).map((n) => ({ label: `${FAILOVER_PHASE_LABELS[n]}${AFTER.has(n) ? ' (thin bar)' : ''}`, color: FAILOVER_PHASE_COLORS[n], area: true })),
  };
}

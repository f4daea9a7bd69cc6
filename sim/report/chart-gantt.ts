/**
 * "Where did the time of each sync go": one row per sync, every row starting at its own
 * SYNC/PSYNC request so they line up, on one common scale. Critical-path phases fill the
 * row; phases running beside them (the diskless child writing while the transfer runs)
 * are a thin bar underneath. Long runs of syncs are shortened to the first and last few.
 */
import { formatDuration, formatSeconds } from './format.js';
import { PHASE_NAMES, type PhaseName, type ReportData, type SyncReport } from './report-data.js';
import { CHART_WIDTH, type Chart } from './chart-time.js';
import { line, linearScale, niceTicks, rect, text } from './svg.js';

export const PHASE_COLORS: Record<PhaseName, string> = {
  'wait-bgsave': '#bdbdbd',
  fork: '#d62728',
  rdb: '#ff7f0e',
  reap: '#fdd0a2',
  transfer: '#1f77b4',
  flush: '#8c564b',
  load: '#9467bd',
  'catch-up': '#2ca02c',
  'aof-rewrite': '#17becf',
};

export const PHASE_LABELS: Record<PhaseName, string> = {
  'wait-bgsave': 'waiting for BGSAVE',
  fork: 'fork',
  rdb: 'RDB generation',
  reap: 'BGSAVE reaped by cron',
  transfer: 'transfer',
  flush: 'flush old data',
  load: 'load',
  'catch-up': 'catch-up of the stream',
  'aof-rewrite': 'AOF rewrite (a forked child after the load)',
};

/** At most this many rows: the first GANTT_HEAD and the last GANTT_TAIL syncs. */
export const GANTT_HEAD = 10;
export const GANTT_TAIL = 5;

export type GanttRow = { sync: SyncReport } | { skipped: SyncReport[] };

export function ganttRows(syncs: readonly SyncReport[]): GanttRow[] {
  if (syncs.length <= GANTT_HEAD + GANTT_TAIL + 1) return syncs.map((sync) => ({ sync }));
  return [
    ...syncs.slice(0, GANTT_HEAD).map((sync) => ({ sync })),
    { skipped: syncs.slice(GANTT_HEAD, syncs.length - GANTT_TAIL) },
    ...syncs.slice(syncs.length - GANTT_TAIL).map((sync) => ({ sync })),
  ];
}

export function syncTitle(s: SyncReport): string {
  return `${s.replica} #${s.nthForReplica} ${s.kind}`;
}

export function outcomeText(s: SyncReport): string {
  switch (s.outcome) {
    case 'done':
      return 'done';
    case 'running':
      return 'still running at the end';
    case 'interrupted':
      return 'link lost while catching up';
    case 'aborted':
      return 'aborted';
  }
}

export function syncGantt(report: ReportData): Chart | null {
  if (report.syncs.length === 0) return null;
  const rows = ganttRows(report.syncs);
  const shown = rows.flatMap((r) => ('sync' in r ? [r.sync] : []));
  const maxDur = Math.max(1, ...shown.map((s) => s.endUs - s.startUs));
  const labelW = 200;
  const rightW = 190;
  const x = linearScale([0, maxDur], [labelW, CHART_WIDTH - rightW]);
  const rowH = 40;
  const top = 6;
  const height = top + rows.length * rowH + 28;
  const parts: string[] = [];
  const ticks = niceTicks(0, maxDur, 8);
  for (const t of ticks) parts.push(line(x(t), top, x(t), height - 24, { class: 'grid' }));
  rows.forEach((row, i) => {
    const y0 = top + i * rowH;
    if ('skipped' in row) {
      const k = row.skipped;
      const full = k.filter((s) => s.kind === 'full').length;
      const aborted = k.filter((s) => s.outcome === 'aborted').length;
      parts.push(text(labelW, y0 + 18, `… ${k.length} more syncs (${full} full, ${aborted} aborted) from ${formatSeconds(k[0]!.startUs)} to ${formatSeconds(k.at(-1)!.startUs)} — all in the tables below`, { class: 'skipped' }));
      return;
    }
    const s = row.sync;
    parts.push(text(8, y0 + 14, syncTitle(s), { class: 'rowlabel' }));
    parts.push(text(8, y0 + 26, `from ${s.master} at ${formatSeconds(s.startUs)}`, { class: 'sublabel' }));
    for (const p of s.phases) {
      const x0 = x(p.startUs - s.startUs);
      const w = Math.max(1.5, x(p.endUs - s.startUs) - x0);
      const y = p.onPath ? y0 + 4 : y0 + 20;
      const h = p.onPath ? 15 : 5;
      const detail = [
        `${PHASE_LABELS[p.name]}: ${formatDuration(p.endUs - p.startUs)} (${formatSeconds(p.startUs)} – ${formatSeconds(p.endUs)})`,
        p.bytes !== null ? `${p.bytes} bytes` : '',
        p.keys !== null ? `${p.keys} keys` : '',
        p.note ?? '',
      ].filter(Boolean).join('; ');
      parts.push(rect(x0, y, w, h, { fill: PHASE_COLORS[p.name], stroke: '#ffffff', 'stroke-width': 0.6 }, detail));
      const label = `${p.name} ${formatDuration(p.endUs - p.startUs)}`;
      if (p.onPath && w > label.length * 6.2 + 6) parts.push(text(x0 + 4, y + 11.5, label, { class: 'inbar' }));
      else if (p.onPath && w > p.name.length * 6.2 + 6) parts.push(text(x0 + 4, y + 11.5, p.name, { class: 'inbar' }));
    }
    const breakdown = s.phases.filter((p) => p.onPath).map((p) => `${p.name} ${formatDuration(p.endUs - p.startUs)}`).join(' · ');
    parts.push(text(labelW, y0 + 33, breakdown, { class: 'sublabel' }));
    const total = `${formatDuration(s.endUs - s.startUs)} · ${outcomeText(s)}`;
    parts.push(text(CHART_WIDTH - rightW + 8, y0 + 14, total, { class: s.outcome === 'done' ? 'rowlabel' : 'rowlabel bad' }));
    if (s.endReason !== null) parts.push(text(CHART_WIDTH - rightW + 8, y0 + 27, s.endReason.slice(0, 36), { class: 'sublabel bad' }));
    else if (s.kind === 'full') parts.push(text(CHART_WIDTH - rightW + 8, y0 + 27, whyFull(s), { class: 'sublabel' }));
  });
  const axisY = height - 24;
  parts.push(line(labelW, axisY, CHART_WIDTH - rightW, axisY, { class: 'axis' }));
  for (const t of ticks) parts.push(text(x(t), axisY + 15, formatDuration(t), { class: 'tick', 'text-anchor': 'middle' }));
  const present = new Set(report.syncs.flatMap((s) => s.phases.map((p) => p.name)));
  return {
    svg: `<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" role="img">${parts.join('')}</svg>`,
    legend: PHASE_NAMES.filter((n) => present.has(n)).map((n) => ({ label: PHASE_LABELS[n], color: PHASE_COLORS[n], area: true })),
  };
}

/** Why a sync was a full one, in a few words. */
export function whyFull(s: SyncReport): string {
  if (s.psyncRefused === null || s.psyncRefused === 'full resync requested') return 'no history to continue (PSYNC ?)';
  return `PSYNC refused: ${s.psyncRefused}`;
}

/**
 * A sweep as a self-contained HTML heatmap (inline CSS and SVG, no script, no URL) and
 * as Markdown tables: one cell per grid point, coloured by its worst outcome over the
 * seeds, with the recovery time (median, max) or the time the replicas were in sync.
 */
import { escapeHtml, formatDuration, mdTable } from '../report/format.js';
import { rect, text } from '../report/svg.js';
import type { Outcome } from './outcome.js';
import { gridLayout, IN_SYNC_AT_TEXT, incompleteNote, outcomeLabel, readRows, seedNote, sweepHasFaults, timeLabel } from './layout.js';
import type { SweepCell, SweepResult } from './sweep.js';
import { lostPaint, SENTINEL_COLUMNS, SENTINEL_FIGURES_TEXT, sentinelColumns, sentinelReading, sweepHasSentinel, unavailablePaint, type CellPaint } from './sentinel-render.js';

const OUTCOME_COLORS: Record<Outcome, { fill: string; ink: string }> = {
  none: { fill: '#e3f1dc', ink: '#1d4d1d' },
  partial: { fill: '#9fd49a', ink: '#12391a' },
  full: { fill: '#fdb863', ink: '#4d2a00' },
  loop: { fill: '#c9302c', ink: '#ffffff' },
};
const NOT_RUN_COLOR = { fill: '#eeeeee', ink: '#666666' };

/** The sync outcome of a cell: its worst outcome's colour, the outcome, the recovery or sync time. */
function outcomePaint(r: SweepResult): (c: SweepCell) => CellPaint {
  const faults = sweepHasFaults(r);
  return (c) => {
    const color = c.summary.seeds === 0 ? NOT_RUN_COLOR : OUTCOME_COLORS[c.summary.outcome];
    const title = c.runs.map((run) => `seed ${run.seed}: ${run.outcome}, ${run.fullSyncs} full / ${run.partialSyncs} partial syncs, recovery ${formatDuration(run.recoveryUs)}`).join('\n');
    return { fill: color.fill, ink: color.ink, big: outcomeLabel(c.summary), small: timeLabel(c.summary, faults), title };
  };
}

function heatmapSvg(r: SweepResult, paint: (c: SweepCell) => CellPaint, label: string): string {
  const layout = gridLayout(r);
  // Wide enough for the longest label (≈ 8 px a character at this size): a cap clipped
  // long labels on the left, since they are drawn right-aligned against the grid.
  const labelW = layout.rows.some((row) => row.label) ? 24 + Math.ceil(8.2 * Math.max(...layout.rows.map((row) => row.label.length))) : 20;
  const cellW = Math.max(120, Math.min(190, Math.floor(880 / layout.colValues.length)));
  const cellH = 58;
  const top = 44;
  const width = labelW + cellW * layout.colValues.length + 10;
  const height = top + cellH * layout.rows.length + 10;
  const parts: string[] = [];
  if (layout.colKey) parts.push(text(labelW + (cellW * layout.colValues.length) / 2, 14, layout.colKey, { class: 'axis-key', 'text-anchor': 'middle' }));
  layout.colValues.forEach((v, j) => parts.push(text(labelW + j * cellW + cellW / 2, 36, v, { class: 'col', 'text-anchor': 'middle' })));
  layout.rows.forEach((row, i) => {
    const y = top + i * cellH;
    if (row.label) parts.push(text(labelW - 10, y + cellH / 2 + 4, row.label, { class: 'row', 'text-anchor': 'end' }));
    row.cells.forEach((c, j) => {
      const x = labelW + j * cellW;
      const p = paint(c);
      parts.push(rect(x + 2, y + 2, cellW - 4, cellH - 4, { fill: p.fill, rx: 5, stroke: '#d0d4da', 'stroke-width': 0.6 }, p.title));
      parts.push(text(x + cellW / 2, y + 25, p.big, { class: 'big', 'text-anchor': 'middle', fill: p.ink }));
      parts.push(text(x + cellW / 2, y + 43, p.small, { class: 'small', 'text-anchor': 'middle', fill: p.ink }));
    });
  });
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" role="img" aria-label="${escapeHtml(label)}">${parts.join('')}</svg>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;margin:0;background:#f6f7f9}
main{max-width:1120px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 6px}
.meta{color:#666;font-size:12.5px}.panel{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:10px;overflow-x:auto}
svg text{font-family:inherit}.big{font-size:14px;font-weight:650}.small{font-size:11.5px}
.col{font-size:13px;font-weight:600}.row{font-size:12.5px;font-weight:600}.axis-key{font-size:12px;fill:#555}
ul.reading li{margin:2px 0}
.legend span{display:inline-block;margin-right:14px;font-size:12.5px}.legend i{display:inline-block;width:14px;height:10px;margin-right:5px;border-radius:2px}
table{border-collapse:collapse;background:#fff;font-size:12.5px}th,td{border:1px solid #e1e4ea;padding:3px 7px}th{background:#f0f2f5;text-align:left}
`;

export function renderSweepHtml(r: SweepResult): string {
  const legend = (Object.keys(OUTCOME_COLORS) as Outcome[])
    .map((o) => `<span><i style="background:${OUTCOME_COLORS[o].fill}"></i>${escapeHtml(o === 'none' ? 'no resync' : o === 'loop' ? 'sync loop (≥ 3 full syncs of one replica)' : `${o} resync`)}</span>`).join('');
  const t = sweepTable(r);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>replsim sweep: ${escapeHtml(r.scenario.name)}</title><style>${CSS}</style></head>
<body><main>
<h1>${escapeHtml(r.scenario.name)} — sweep</h1>
${incompleteNote(r) === null ? '' : `<p><strong>${escapeHtml(incompleteNote(r)!)}</strong></p>\n`}<p class="meta">${escapeHtml(descriptionNote(r))}</p>
<p>${escapeHtml(r.scenario.description)}</p>
<p class="meta">${escapeHtml(r.scenario.file ?? '')} · ${r.cells.length} cells × ${r.seeds.length} seed(s) (${escapeHtml(r.seeds.join(', '))}) ·
${r.varies.map((v) => `--vary ${escapeHtml(v.key)}=${escapeHtml(v.values.join(','))}`).join(' ')}</p>
<h2>Reading</h2><ul class="reading">${readingLines(r).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
${sentinelMapsHtml(r)}
${sweepHasSentinel(r) ? '<h2>Resyncs</h2>' : ''}<div class="legend">${legend}</div>
<div class="panel">${heatmapSvg(r, outcomePaint(r), 'Heatmap of the resync outcome of each cell')}</div>
<h2>Every cell</h2>
<table><tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${t.rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</table>
<p class="meta">Outcome: the worst over the seeds, looking past each replica's initial sync. Recovery: every replica connected, caught up, and holding every byte its master had when the fault was lifted. ${escapeHtml(IN_SYNC_AT_TEXT)}${sweepHasSentinel(r) ? ` ${escapeHtml(SENTINEL_FIGURES_TEXT)}` : ''}</p>
</main></body></html>
`;
}

function sentinelMapsHtml(r: SweepResult): string {
  if (!sweepHasSentinel(r)) return '';
  return `<h2>Acknowledged writes lost</h2><p class="meta">Per cell, the median over the seeds of the Sentinel-aware clients' writes answered OK and missing at the end.</p>
<div class="panel">${heatmapSvg(r, lostPaint(r), 'Heatmap of acknowledged writes lost per cell')}</div>
<h2>Seconds without a writable master</h2><p class="meta">Per cell, the median over the seeds of the time in which no Sentinel-aware client could write (each between a failed write and its next acknowledged one).</p>
<div class="panel">${heatmapSvg(r, unavailablePaint(r), 'Heatmap of the time without a writable master per cell')}</div>`;
}

/** The file's description was written for its own values, which this sweep replaces. */
function descriptionNote(r: SweepResult): string {
  const keys = r.varies.map((v) => v.key).join(', ');
  return keys === '' ? 'The scenario\'s description:' : `The scenario's description, written for the file's own ${keys}; this sweep replaces ${r.varies.length === 1 ? 'it' : 'them'} with the values below, so figures in it may not apply:`;
}

/** The reading of each row, the axes given one value (once), and what the seeds did. */
function readingLines(r: SweepResult): string[] {
  const layout = gridLayout(r);
  const lines = [...sentinelReading(r), ...readRows(r)];
  if (layout.fixed.length > 0) lines.push(`in every cell: ${layout.fixed.join(', ')}`);
  const note = seedNote(r);
  if (note !== null) lines.push(note);
  return lines;
}

function sweepTable(r: SweepResult): { header: string[]; rows: string[][] } {
  const withSentinel = sweepHasSentinel(r);
  const header = [...r.varies.map((v) => v.key), ...(withSentinel ? SENTINEL_COLUMNS : []), 'outcome', 'full syncs', 'partial syncs', 'recovery median', 'recovery max', 'not recovered', 'in sync at (median)'];
  const rows = r.cells.map((c) => {
    const s = c.summary;
    const full = c.runs.map((x) => x.fullSyncs);
    const partial = c.runs.map((x) => x.partialSyncs);
    const span = (xs: number[]): string => (xs.length === 0 ? '—' : Math.min(...xs) === Math.max(...xs) ? String(xs[0]) : `${Math.min(...xs)}–${Math.max(...xs)}`);
    return [
      ...r.varies.map((v) => c.values[v.key]!),
      ...(withSentinel ? sentinelColumns(c) : []),
      outcomeLabel(s),
      span(full),
      span(partial),
      formatDuration(s.recoveryMedianUs),
      formatDuration(s.recoveryMaxUs),
      s.seeds === 0 ? '—' : String(s.notRecovered),
      formatDuration(s.syncedMedianUs),
    ];
  });
  return { header, rows };
}

export function renderSweepMarkdown(r: SweepResult): string {
  const layout = gridLayout(r);
  const faults = sweepHasFaults(r);
  const gridOf = (cell: (c: SweepCell) => string): string => mdTable(
    [layout.rowKeys.join(', ') || '', ...layout.colValues.map((v) => (layout.colKey ? `${layout.colKey}=${v}` : v))],
    layout.rows.map((row) => [row.label, ...row.cells.map(cell)]),
  );
  const grid = gridOf((c) => `${outcomeLabel(c.summary)}, ${timeLabel(c.summary, faults)}`);
  const lost = lostPaint(r);
  const down = unavailablePaint(r);
  const sentinelGrids = sweepHasSentinel(r)
    ? ['## Acknowledged writes lost', '', gridOf((c) => [lost(c).big, lost(c).small].filter(Boolean).join(', ')), '',
      '## Seconds without a writable master', '', gridOf((c) => [down(c).big, down(c).small].filter(Boolean).join(', ')), '']
    : [];
  const t = sweepTable(r);
  return [
    `# ${r.scenario.name} — sweep`,
    '',
    ...(incompleteNote(r) === null ? [] : [`**${incompleteNote(r)!}**`, '']),
    `_${descriptionNote(r)}_`,
    '',
    r.scenario.description,
    '',
    `- file: ${r.scenario.file ?? '(in memory)'}; ${r.cells.length} cells × ${r.seeds.length} seed(s): ${r.seeds.join(', ')}`,
    `- ${r.varies.map((v) => `--vary ${v.key}=${v.values.join(',')}`).join(' ')}`,
    '',
    '## Reading',
    '',
    ...readingLines(r).map((l) => `- ${l}`),
    '',
    ...sentinelGrids,
    sweepHasSentinel(r) ? '## Resyncs' : '## Grid',
    '',
    grid,
    '',
    '## Every cell',
    '',
    mdTable(t.header, t.rows),
    '',
    'Outcome: the worst over the seeds, looking past each replica\'s initial sync (loop: one replica full-synced ≥ 3 times). ' +
      'Recovery: every replica connected, caught up, and holding every byte its master had when the fault was lifted. ' + IN_SYNC_AT_TEXT +
      (sweepHasSentinel(r) ? ` ${SENTINEL_FIGURES_TEXT}` : ''),
    '',
  ].join('\n');
}

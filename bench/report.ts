/** The bench's text output: one table per figure, numbers with their unit, target and verdict. */
import type { FigureResult, Machine, Measure } from './stats.js';

function num(x: number): string {
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

function value(m: Measure, x: number): string {
  return m.unit === 'yes' ? (x >= 1 ? 'yes' : 'no') : num(x);
}

function cells(m: Measure): string[] {
  const s = m.summary;
  const range = m.unit === 'yes' ? (s.min >= 1 ? 'all runs' : `${m.samples.filter((x) => x < 1).length} of ${m.samples.length} runs no`) : `${num(s.min)}–${num(s.max)}`;
  const target = m.target ? (m.unit === 'yes' ? 'yes' : `${m.target.op === '>=' ? '≥' : '≤'} ${num(m.target.value)}`) : '';
  const verdict = m.pass === undefined ? '' : m.pass ? 'pass' : 'FAIL';
  return [m.name, `${value(m, s.median)}${m.unit === 'yes' ? '' : ` ${m.unit}`}`, range, target, verdict];
}

export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]): string => r.map((x, c) => x + ' '.repeat(widths[c]! - [...x].length)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatFigure(f: FigureResult): string {
  const verdict = f.pass === null ? 'not judged' : f.pass ? 'PASS' : 'FAIL';
  const head = `Figure ${f.id} — ${f.title}: ${verdict}  (target: ${f.target}; medians of ${f.runs} runs, ${(f.wallMs / 1000).toFixed(1)} s)`;
  const body = table(f.measures.map(cells), ['measure', 'median', 'min–max', 'target', '']);
  const notes = f.notes.map((n) => `  · ${n}`).join('\n');
  return `${head}\n${body}${notes ? `\n${notes}` : ''}\n`;
}

export function formatMachine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node} (v8 ${m.v8}), ${m.platform}; load average ${m.loadAverage} at start`;
}

export const NOISE_NOTE =
  'Wall-clock figures on a shared machine: other processes on the same cores stretch runs (min–max shows how much). ' +
  'Ratios measured back to back in one process are steadier than absolute times.';

export function formatSummaryLine(figures: FigureResult[]): string {
  return figures.map((f) => `${f.id} ${f.pass === null ? '—' : f.pass ? 'pass' : 'FAIL'}`).join(', ');
}

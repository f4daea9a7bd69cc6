/**
 * How a sweep's grid is laid out for reading: rows are the combinations of every key but
 * the last, columns the last key's values; each cell described in a few words; and each
 * row read out as the ranges of values that share an outcome ("full: 32mb–64mb; partial:
 * 80mb–128mb"), which is the answer to the question the sweep asked. Pure.
 */
import { formatDuration } from '../report/format.js';
import type { CellSummary, Outcome } from './outcome.js';
import type { SweepCell, SweepResult } from './sweep.js';

export interface GridLayout {
  rowKeys: string[];
  colKey: string | null;
  colValues: string[];
  rows: Array<{ label: string; cells: SweepCell[] }>;
}

export function gridLayout(r: SweepResult): GridLayout {
  if (r.varies.length === 0) return { rowKeys: [], colKey: null, colValues: [''], rows: [{ label: '', cells: r.cells }] };
  const last = r.varies[r.varies.length - 1]!;
  const rowKeys = r.varies.slice(0, -1).map((v) => v.key);
  const rows: GridLayout['rows'] = [];
  for (let i = 0; i < r.cells.length; i += last.values.length) {
    const cells = r.cells.slice(i, i + last.values.length);
    rows.push({ label: rowKeys.map((k) => `${k}=${cells[0]!.values[k]}`).join(', '), cells });
  }
  return { rowKeys, colKey: last.key, colValues: last.values, rows };
}

export const OUTCOME_WORDS: Record<Outcome, string> = {
  none: 'no resync',
  partial: 'partial',
  full: 'full',
  loop: 'sync loop',
};

/** "full", or "full 2/3" when only some seeds went that way. */
export function outcomeLabel(s: CellSummary): string {
  const n = s.outcomes[s.outcome];
  return n === s.seeds ? OUTCOME_WORDS[s.outcome] : `${OUTCOME_WORDS[s.outcome]} ${n}/${s.seeds}`;
}

/** The cell's time figure: recovery after the faults, or (no faults) when the replicas were in sync. */
export function timeLabel(s: CellSummary, hasFaults: boolean): string {
  if (s.errors > 0) return `${s.errors} run(s) crashed`;
  if (hasFaults) {
    if (s.recoveryMedianUs === null) return 'never recovered';
    const extra = s.notRecovered > 0 ? `, ${s.notRecovered} never` : '';
    return s.seeds > 1 && s.recoveryMaxUs !== s.recoveryMedianUs
      ? `recovered ${formatDuration(s.recoveryMedianUs)} (max ${formatDuration(s.recoveryMaxUs)}${extra})`
      : `recovered in ${formatDuration(s.recoveryMedianUs)}${extra}`;
  }
  if (s.syncedMedianUs === null) return 'never in sync';
  return `in sync at ${formatDuration(s.syncedMedianUs)}${s.neverSynced > 0 ? `, ${s.neverSynced} never` : ''}`;
}

export function sweepHasFaults(r: SweepResult): boolean {
  return r.cells.some((c) => c.runs.some((run) => run.faults > 0));
}

/** Each row as ranges of consecutive values with the same outcome. */
export function readRows(r: SweepResult): string[] {
  const layout = gridLayout(r);
  return layout.rows.map((row) => {
    const runs: Array<{ label: string; from: string; to: string }> = [];
    row.cells.forEach((c, i) => {
      const label = outcomeLabel(c.summary);
      const v = layout.colValues[i]!;
      const lastRun = runs.at(-1);
      if (lastRun && lastRun.label === label) lastRun.to = v;
      else runs.push({ label, from: v, to: v });
    });
    const text = runs.map((x) => `${x.label} at ${layout.colKey ?? ''}=${x.from}${x.to !== x.from ? `…${x.to}` : ''}`).join('; ');
    return row.label ? `${row.label}: ${text}` : text;
  });
}

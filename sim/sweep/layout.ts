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
  /** `--vary` keys given one value: the same in every cell, said once ("key=value") instead of in every label. */
  fixed: string[];
}

export function gridLayout(r: SweepResult): GridLayout {
  // An axis of one value is no axis: it is stated once, and the grid is laid out on the others.
  const multi = r.varies.filter((v) => v.values.length > 1);
  const fixed = r.varies.filter((v) => v.values.length === 1).map((v) => `${v.key}=${v.values[0]}`);
  const axes = multi.length > 0 ? multi : r.varies.slice(-1);
  if (axes.length === 0) return { rowKeys: [], colKey: null, colValues: [''], rows: [{ label: '', cells: r.cells }], fixed };
  const last = axes[axes.length - 1]!;
  const rowKeys = axes.slice(0, -1).map((v) => v.key);
  const rows: GridLayout['rows'] = [];
  // Cells are row-major over every --vary; single-value keys multiply by 1, so slicing by the
  // last multi-valued key's count still gives one row per combination of the others.
  for (let i = 0; i < r.cells.length; i += last.values.length) {
    const cells = r.cells.slice(i, i + last.values.length);
    rows.push({ label: rowKeys.map((k) => `${k}=${cells[0]!.values[k]}`).join(', '), cells });
  }
  return { rowKeys, colKey: last.key, colValues: last.values, rows, fixed: multi.length > 0 ? fixed : fixed.filter((f) => !f.startsWith(`${last.key}=`)) };
}

/**
 * With several seeds per cell: when every seed of every cell gave the same figures, more
 * seeds bought nothing, and the reader should know why (nothing random moved the outcome;
 * a fixed network latency is the usual reason).
 */
export function seedNote(r: SweepResult): string | null {
  if (r.seeds.length < 2) return null;
  const figures = (c: SweepCell): Set<string> =>
    new Set(c.runs.map((x) => `${x.outcome}/${x.fullSyncs}/${x.partialSyncs}/${x.recoveryUs}/${x.syncedUs}/${x.error}`));
  if (!r.cells.every((c) => figures(c).size === 1)) return null;
  return `all ${r.seeds.length} seeds gave identical figures in every cell: nothing random in this scenario moved the outcome ` +
    '(with a fixed network latency a seed only picks the workload\'s keys), so --seeds added runs, not information; ' +
    'a latency distribution such as network.latency: { mean: 1ms, stddev: 300us } makes seeds differ';
}

/** What the `in sync at` figure means, for the tables' footnotes. */
export const IN_SYNC_AT_TEXT =
  'In sync at: when the last replica finished its first sync (connected, RDB loaded, streaming), median over the seeds — the figure of a cell without faults.';

export const OUTCOME_WORDS: Record<Outcome, string> = {
  none: 'no resync',
  partial: 'partial',
  full: 'full',
  loop: 'sync loop',
};

/** "full", or "full 2/3" when only some seeds went that way. */
/** A cell of an interrupted sweep that no run finished. */
export const NOT_RUN = 'not run';

export function outcomeLabel(s: CellSummary): string {
  if (s.seeds === 0) return NOT_RUN;
  const n = s.outcomes[s.outcome];
  return n === s.seeds ? OUTCOME_WORDS[s.outcome] : `${OUTCOME_WORDS[s.outcome]} ${n}/${s.seeds}`;
}

/** The cell's time figure: recovery after the faults, or (no faults) when the replicas were in sync. */
export function timeLabel(s: CellSummary, hasFaults: boolean): string {
  if (s.seeds === 0) return 'the sweep was stopped first';
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

/** The line an interrupted sweep's outputs open with, or null for a complete one. */
export function incompleteNote(r: SweepResult): string | null {
  const i = r.incomplete;
  if (i === undefined) return null;
  return `Interrupted: ${i.runsDone} of ${i.runsTotal} runs finished. Each cell shows its finished runs only; "${NOT_RUN}" cells had none. Run the sweep again for the whole grid.`;
}

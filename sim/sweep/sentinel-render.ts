/**
 * A Sentinel sweep's answer, drawn: two heatmaps over the same grid — acknowledged writes
 * lost, and the longest time a client had no writable master — each cell shaded on its
 * own scale (darker = more) and always printing its figure, so the shade only repeats what
 * the text says; plus the reading in words (the best and worst cells of each) and the
 * figures for the tables.
 */
import { formatDuration } from '../report/format.js';
import type { SentinelCellSummary } from './sentinel-outcome.js';
import type { SweepCell, SweepResult } from './sweep.js';

export interface CellPaint {
  fill: string;
  ink: string;
  big: string;
  small: string;
  title: string;
}

/** Light to dark; the last two take white text. */
const REDS = ['#fff5f0', '#fdd5c4', '#fca487', '#f9694c', '#d52221', '#8b0a12'];
const BLUES = ['#f7fbff', '#d0e2f2', '#9dc9e1', '#5aa2cf', '#2070b4', '#0a3a73'];

export function sweepHasSentinel(r: SweepResult): boolean {
  return r.cells.some((c) => c.summary.sentinel !== undefined);
}

function shade(scale: readonly string[], v: number, max: number): { fill: string; ink: string } {
  const i = max <= 0 || v <= 0 ? 0 : Math.min(scale.length - 1, 1 + Math.floor(((scale.length - 2) * v) / max + 1e-9));
  return { fill: scale[i]!, ink: i >= scale.length - 2 ? '#ffffff' : '#1a1a1a' };
}

function runsTitle(c: SweepCell): string {
  return c.runs.map((run) => run.sentinel === undefined ? `seed ${run.seed}: no Sentinel clients`
    : `seed ${run.seed}: ${run.sentinel.lost} of ${run.sentinel.acknowledged} acknowledged writes lost, ${formatDuration(run.sentinel.outageUs)} without a writable master (worst client ${formatDuration(run.sentinel.unavailableUs)}), ${run.sentinel.switched} failover(s)`).join('\n');
}

const spread = (median: string, max: string, seeds: number): string => (seeds > 1 && median !== max ? `median; max ${max}` : seeds > 1 ? `all ${seeds} seeds` : '');

/** The painter of the lost-writes heatmap. */
export function lostPaint(r: SweepResult): (c: SweepCell) => CellPaint {
  const max = Math.max(0, ...r.cells.map((c) => c.summary.sentinel?.lostMax ?? 0));
  return (c) => {
    const s = c.summary.sentinel;
    if (!s) return { fill: '#eeeeee', ink: '#333', big: '—', small: 'no Sentinel clients', title: runsTitle(c) };
    const acked = c.runs[0]?.sentinel?.acknowledged ?? 0;
    const small = spread(String(s.lostMedian), String(s.lostMax), c.runs.length) || (acked > 0 ? `of ${acked} acknowledged` : '');
    return { ...shade(REDS, s.lostMedian, max), big: `${s.lostMedian} lost`, small, title: runsTitle(c) };
  };
}

/** The painter of the time-without-a-writable-master heatmap. */
export function unavailablePaint(r: SweepResult): (c: SweepCell) => CellPaint {
  const max = Math.max(0, ...r.cells.map((c) => c.summary.sentinel?.outageMaxUs ?? 0));
  return (c) => {
    const s = c.summary.sentinel;
    if (!s) return { fill: '#eeeeee', ink: '#333', big: '—', small: 'no Sentinel clients', title: runsTitle(c) };
    const fo = s.switchedMin === s.switchedMax ? `${s.switchedMin}` : `${s.switchedMin}–${s.switchedMax}`;
    const small = spread(formatDuration(s.outageMedianUs), formatDuration(s.outageMaxUs), c.runs.length) || `${fo} failover${fo === '1' ? '' : 's'}`;
    return { ...shade(BLUES, s.outageMedianUs, max), big: s.outageMedianUs === 0 ? '0 s' : formatDuration(s.outageMedianUs), small, title: runsTitle(c) };
  };
}

function where(c: SweepCell): string {
  return Object.entries(c.values).map(([k, v]) => `${k}=${v}`).join(', ');
}

function extremes(r: SweepResult, pick: (s: SentinelCellSummary) => number): { lo: SweepCell; hi: SweepCell } | null {
  const cells = r.cells.filter((c) => c.summary.sentinel !== undefined);
  if (cells.length === 0) return null;
  let lo = cells[0]!;
  let hi = cells[0]!;
  for (const c of cells) {
    if (pick(c.summary.sentinel!) < pick(lo.summary.sentinel!)) lo = c;
    if (pick(c.summary.sentinel!) > pick(hi.summary.sentinel!)) hi = c;
  }
  return { lo, hi };
}

/** The answer in words: where the fewest and the most writes were lost, the shortest and longest outage. */
export function sentinelReading(r: SweepResult): string[] {
  const out: string[] = [];
  const lost = extremes(r, (s) => s.lostMedian);
  if (lost) out.push(`acknowledged writes lost: fewest ${lost.lo.summary.sentinel!.lostMedian} at ${where(lost.lo)}; most ${lost.hi.summary.sentinel!.lostMedian} at ${where(lost.hi)}`);
  const down = extremes(r, (s) => s.outageMedianUs);
  if (down) {
    out.push(`seconds without a writable master: shortest ${formatDuration(down.lo.summary.sentinel!.outageMedianUs) === '0' ? '0 s' : formatDuration(down.lo.summary.sentinel!.outageMedianUs)} at ${where(down.lo)}; ` +
      `longest ${formatDuration(down.hi.summary.sentinel!.outageMedianUs)} at ${where(down.hi)}`);
  }
  return out;
}

/** Table columns of a Sentinel sweep, one cell's figures. */
export const SENTINEL_COLUMNS = ['acked writes lost (median / max)', 'no writable master (median / max)', 'worst client without one (median)', 'failovers switched'];

export function sentinelColumns(c: SweepCell): string[] {
  const s = c.summary.sentinel;
  if (!s) return ['—', '—', '—', '—'];
  return [
    `${s.lostMedian} / ${s.lostMax}`,
    `${formatDuration(s.outageMedianUs)} / ${formatDuration(s.outageMaxUs)}`,
    formatDuration(s.unavailableMedianUs),
    s.switchedMin === s.switchedMax ? String(s.switchedMin) : `${s.switchedMin}–${s.switchedMax}`,
  ];
}

/** What the two figures mean, for the pages' footnotes. */
export const SENTINEL_FIGURES_TEXT =
  'Acknowledged writes lost: writes of the Sentinel-aware clients answered OK and missing at the end on the master the Sentinels name. ' +
  'No writable master: the time in which no client could write — every Sentinel-aware client between a failed write (an error such as -NOREPLICAS, or no reply) and its next acknowledged one, ' +
  'or waiting more than 1 s for a write to be acknowledged; ' +
  'with one client, its own time; the worst single client\'s total is in the table. ' +
  'Shading repeats the figure printed in each cell (darker = more, on each map\'s own scale).';

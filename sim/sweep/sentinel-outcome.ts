/**
 * What a sweep keeps of a run with Sentinel-aware clients, and how a cell sums it up over
 * its seeds: the acknowledged writes lost (missing at the end on the master the Sentinels
 * name; check/sentinel-losses.ts), and the seconds without a writable master — when no
 * client could write, every one of them between a failed write and its next acknowledged
 * one (report/client-availability.ts); beside it the worst single client's total. These are
 * the two sides of the sizing question: down-after-milliseconds and min-replicas-max-lag
 * trade one for the other. Pure.
 */
import type { Micros } from '../engine/index.js';
import type { ReportData } from '../report/report-data.js';

export interface SentinelCellRun {
  /** Acknowledged writes missing at the end. */
  lost: number;
  acknowledged: number;
  /** Lost writes by cause id (SENTINEL_LOSS_CAUSES). */
  byCause: Record<string, number>;
  /** Time in which no client had a writable master. */
  outageUs: Micros;
  /** The client with the most time without a writable master: that time. */
  unavailableUs: Micros;
  failovers: number;
  switched: number;
}

export interface SentinelCellSummary {
  lostMedian: number;
  lostMax: number;
  outageMedianUs: Micros;
  outageMaxUs: Micros;
  /** The worst client's time without a writable master, median over the seeds. */
  unavailableMedianUs: Micros;
  /** Switched failovers: fewest and most over the seeds. */
  switchedMin: number;
  switchedMax: number;
}

/** null without Sentinel-aware clients: nothing to judge. */
export function sentinelCellRun(d: ReportData): SentinelCellRun | null {
  const s = d.sentinel;
  if (!s || s.writes === null) return null;
  return {
    lost: s.writes.lost,
    acknowledged: s.writes.acknowledged,
    byCause: { ...s.writes.byCause },
    outageUs: s.outageUs,
    unavailableUs: Math.max(0, ...s.clients.map((c) => c.unavailableUs)),
    failovers: s.failovers.length,
    switched: s.failovers.filter((f) => f.outcome === 'switched').length,
  };
}

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

export function summarizeSentinel(runs: ReadonlyArray<SentinelCellRun | null | undefined>): SentinelCellSummary | null {
  const xs = runs.filter((r): r is SentinelCellRun => r !== null && r !== undefined);
  if (xs.length === 0) return null;
  return {
    lostMedian: medianOf(xs.map((r) => r.lost)),
    lostMax: Math.max(...xs.map((r) => r.lost)),
    outageMedianUs: medianOf(xs.map((r) => r.outageUs)),
    outageMaxUs: Math.max(...xs.map((r) => r.outageUs)),
    unavailableMedianUs: medianOf(xs.map((r) => r.unavailableUs)),
    switchedMin: Math.min(...xs.map((r) => r.switched)),
    switchedMax: Math.max(...xs.map((r) => r.switched)),
  };
}

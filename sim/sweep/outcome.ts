/**
 * What a sweep keeps of one run, and how a cell sums up its seeds. A run's outcome looks
 * past each replica's first sync (the initial one) at the resyncs: `loop` when a replica
 * full-synced at least three times, else `full` if any resync was full, `partial` if all
 * were partial, `none` if there was none. Recovery is the slowest recovery over the run's
 * faults. Pure.
 */
import type { Micros } from '../engine/index.js';
import type { ReportData } from '../report/report-data.js';
import { sentinelCellRun, summarizeSentinel, type SentinelCellRun, type SentinelCellSummary } from './sentinel-outcome.js';

export type Outcome = 'none' | 'partial' | 'full' | 'loop';

/** Worst first: a cell shows the worst outcome any of its seeds had. */
export const OUTCOME_ORDER: readonly Outcome[] = ['loop', 'full', 'partial', 'none'];

export interface CellRun {
  seed: string;
  outcome: Outcome;
  fullSyncs: number;
  partialSyncs: number;
  abortedSyncs: number;
  maxFullSyncsOfOneReplica: number;
  /** Slowest recovery over the faults; null when a fault was never recovered from (or there were none). */
  recoveryUs: Micros | null;
  /** Faults lifted during the run whose recovery never came. */
  unrecoveredFaults: number;
  faults: number;
  /** When the last replica first finished a sync (initial sync time), or null if one never did. */
  syncedUs: Micros | null;
  expectationsOk: boolean;
  error: string | null;
  traceHash: string;
  /** With Sentinel-aware clients: lost acknowledged writes, time without a writable master (sentinel-outcome.ts). */
  sentinel?: SentinelCellRun;
}

export function cellRunOf(d: ReportData): CellRun {
  const s = d.summary;
  const firstSeen = new Set<string>();
  let anyFull = false;
  let anyPartial = false;
  for (const sync of d.syncs) {
    if (!firstSeen.has(sync.replica)) {
      firstSeen.add(sync.replica);
      continue;
    }
    if (sync.kind === 'full') anyFull = true;
    else anyPartial = true;
  }
  const outcome: Outcome = s.syncLoop ? 'loop' : anyFull ? 'full' : anyPartial ? 'partial' : 'none';
  const lifted = d.faults.filter((f) => f.endUs !== null);
  const unrecovered = lifted.filter((f) => f.recoveredUs === null).length;
  const recoveries = s.recoveries.filter((r) => r.recoveryUs !== null).map((r) => r.recoveryUs!);
  const replicas = Object.keys(s.perReplica);
  const firstDone = replicas.map((r) => d.syncs.find((x) => x.replica === r && x.outcome === 'done')?.endUs ?? null);
  return {
    seed: d.scenario.seed,
    outcome,
    fullSyncs: s.fullSyncs,
    partialSyncs: s.partialSyncs,
    abortedSyncs: s.abortedSyncs,
    maxFullSyncsOfOneReplica: s.maxFullSyncsOfOneReplica,
    recoveryUs: lifted.length === 0 || unrecovered > 0 ? null : Math.max(0, ...recoveries),
    unrecoveredFaults: unrecovered,
    faults: lifted.length,
    syncedUs: replicas.length === 0 || firstDone.some((t) => t === null) ? null : Math.max(...(firstDone as number[])),
    expectationsOk: d.run.ok,
    error: d.run.error,
    traceHash: d.run.traceHash,
    ...sentinelField(d),
  };
}

function sentinelField(d: ReportData): { sentinel?: SentinelCellRun } {
  const s = sentinelCellRun(d);
  return s === null ? {} : { sentinel: s };
}

export interface CellSummary {
  /** The worst outcome over the seeds. */
  outcome: Outcome;
  /** How many seeds had each outcome. */
  outcomes: Record<Outcome, number>;
  seeds: number;
  /** Median and max of recovery over the seeds that recovered; notRecovered counts the others. */
  recoveryMedianUs: Micros | null;
  recoveryMaxUs: Micros | null;
  notRecovered: number;
  syncedMedianUs: Micros | null;
  neverSynced: number;
  errors: number;
  /** With Sentinel-aware clients: lost writes and time without a writable master over the seeds. */
  sentinel?: SentinelCellSummary;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

export function summarizeCell(runs: readonly CellRun[]): CellSummary {
  const outcomes: Record<Outcome, number> = { loop: 0, full: 0, partial: 0, none: 0 };
  for (const r of runs) outcomes[r.outcome]++;
  const outcome = OUTCOME_ORDER.find((o) => outcomes[o] > 0) ?? 'none';
  const withFaults = runs.filter((r) => r.faults > 0);
  const rec = withFaults.filter((r) => r.recoveryUs !== null).map((r) => r.recoveryUs!);
  const synced = runs.filter((r) => r.syncedUs !== null).map((r) => r.syncedUs!);
  return {
    outcome,
    outcomes,
    seeds: runs.length,
    recoveryMedianUs: median(rec),
    recoveryMaxUs: rec.length === 0 ? null : Math.max(...rec),
    notRecovered: withFaults.length - rec.length,
    syncedMedianUs: median(synced),
    neverSynced: runs.length - synced.length,
    errors: runs.filter((r) => r.error !== null).length,
    ...sentinelSummaryField(runs),
  };
}

function sentinelSummaryField(runs: readonly CellRun[]): { sentinel?: SentinelCellSummary } {
  const s = summarizeSentinel(runs.map((r) => r.sentinel));
  return s === null ? {} : { sentinel: s };
}

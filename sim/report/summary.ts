/**
 * The report's summary table, from the syncs, fault bands, samples and workload counters:
 * how many full and partial syncs, the recovery time after each fault, the bytes moved,
 * the peak output buffer, refused writes and stale reads. Pure.
 */
import type { TraceEvent } from '../engine/index.js';
import type { WorkloadCounters } from '../workload/index.js';
import type { ForkDataset, Sample } from './collector.js';
import type { FaultBand, ReportSummary, Series, SyncReport } from './report-data.js';

/** A replica that full-syncs this many times in one run is in a sync loop. */
export const SYNC_LOOP_FULL_SYNCS = 3;

/** Error codes that mean a write was refused rather than failed on its own terms. */
const WRITE_REFUSALS = ['NOREPLICAS', 'READONLY', 'OOM', 'MISCONF'];

export interface SummaryInput {
  syncs: readonly SyncReport[];
  faults: readonly FaultBand[];
  records: readonly TraceEvent[];
  samples: readonly Sample[];
  series: Series;
  replicas: readonly string[];
  workload: readonly WorkloadCounters[];
  staleReads: number;
  largestFork?: ForkDataset | null;
  /** The largest repl-backlog-size of the run's nodes (for "backlog needed ≈ peak lag"). */
  backlogSizeBytes?: number;
}

export function summarize(input: SummaryInput): ReportSummary {
  const { syncs, faults, records, samples, series } = input;
  const perReplica: ReportSummary['perReplica'] = {};
  for (const r of input.replicas) {
    const col = series.nodes[r];
    perReplica[r] = {
      full: 0, partial: 0, aborted: 0,
      maxLagBytes: Math.max(0, ...(col?.lagBytes ?? []).map((v) => v ?? 0)),
      maxLagUs: Math.max(0, ...(col?.lagUs ?? []).map((v) => v ?? 0)),
    };
  }
  for (const s of syncs) {
    const p = (perReplica[s.replica] ??= { full: 0, partial: 0, aborted: 0, maxLagBytes: 0, maxLagUs: 0 });
    if (s.kind === 'full') p.full++;
    else p.partial++;
    if (s.outcome === 'aborted') p.aborted++;
  }
  const maxFull = Math.max(0, ...Object.values(perReplica).map((p) => p.full));

  let peak: ReportSummary['peakOutputBuffer'] = null;
  const consider = (bytes: number, master: string, replica: string, atUs: number): void => {
    if (bytes > 0 && (peak === null || bytes > peak.bytes)) peak = { bytes, master, replica, atUs };
  };
  for (const s of samples) {
    for (const [master, n] of Object.entries(s.nodes)) for (const [replica, b] of Object.entries(n.outputBuffer)) consider(b, master, replica, s.tUs);
  }
  let cobDisconnects = 0;
  for (const r of records) {
    if (r.kind !== 'master.cob-disconnect') continue;
    cobDisconnects++;
    consider(Number(r['usage']), r.node ?? '', String(r['replica']), r.t);
  }

  const errorReplies: Record<string, number> = {};
  for (const c of input.workload) for (const [code, n] of Object.entries(c.errorsByCode)) errorReplies[code] = (errorReplies[code] ?? 0) + n;
  // Timeline commands too: their replies are in the trace as redis-cli prints them.
  // And the Sentinel-aware clients' SETs (the collector keeps only theirs of client.acked-write).
  for (const r of records) {
    const reply = r.kind === 'client.reply' ? String(r['reply']) : r.kind === 'client.acked-write' ? r.set : '';
    const m = /^\(error\) (\S+)/.exec(reply);
    if (m) errorReplies[m[1]!] = (errorReplies[m[1]!] ?? 0) + 1;
  }

  return {
    fullSyncs: syncs.filter((s) => s.kind === 'full').length,
    partialSyncs: syncs.filter((s) => s.kind === 'partial').length,
    abortedSyncs: syncs.filter((s) => s.outcome === 'aborted').length,
    perReplica,
    maxFullSyncsOfOneReplica: maxFull,
    syncLoop: maxFull >= SYNC_LOOP_FULL_SYNCS,
    recoveries: faults.map((f) => {
      const fromUs = f.endUs ?? f.startUs;
      return {
        fault: f.id,
        label: f.label,
        fromUs,
        recoveredUs: f.recoveredUs,
        recoveryUs: f.endUs !== null && f.recoveredUs !== null ? f.recoveredUs - f.endUs : null,
      };
    }),
    rdbBytes: syncs.filter((s) => s.kind === 'full').reduce((a, s) => a + s.bytes, 0),
    backlogBytes: syncs.filter((s) => s.kind === 'partial').reduce((a, s) => a + s.bytes, 0),
    replicationOutputBytes: replicationOutputBytes(samples),
    peakOutputBuffer: peak,
    outputBufferDisconnects: cobDisconnects,
    writesRefused: WRITE_REFUSALS.reduce((a, code) => a + (errorReplies[code] ?? 0), 0),
    errorReplies,
    staleReads: input.staleReads,
    largestFork: input.largestFork ?? null,
    backlog: backlogNeeded(perReplica, input.backlogSizeBytes ?? null),
  };
}

/** total_net_repl_output_bytes summed over nodes; a restart zeroes the counter, so add up incarnations. */
function replicationOutputBytes(samples: readonly Sample[]): number {
  const base = new Map<string, number>();
  const last = new Map<string, number>();
  for (const s of samples) {
    for (const [name, n] of Object.entries(s.nodes)) {
      const prev = last.get(name) ?? 0;
      if (n.replOutputBytes < prev) base.set(name, (base.get(name) ?? 0) + prev);
      last.set(name, n.replOutputBytes);
    }
  }
  let total = 0;
  for (const [name, v] of last) total += v + (base.get(name) ?? 0);
  return total;
}

/**
 * A replica that falls behind by L bytes can still PSYNC only if the backlog holds those L
 * bytes when it comes back (masterTryPartialResynchronization's offset range test), so the
 * backlog this run needed is about the peak lag in bytes of any replica.
 */
function backlogNeeded(perReplica: ReportSummary['perReplica'], sizeBytes: number | null): ReportSummary['backlog'] {
  let peak = 0;
  let replica: string | null = null;
  for (const [name, p] of Object.entries(perReplica)) {
    if (p.maxLagBytes > peak) {
      peak = p.maxLagBytes;
      replica = name;
    }
  }
  return { peakLagBytes: peak, replica, sizeBytes };
}

/**
 * The report's tables as rows of text, shared by the HTML and the Markdown writers so
 * both show the same figures: the summary, the recovery after each fault, each sync with
 * its phase durations, each replica's worst lag, and the lag series thinned to a table.
 */
import { formatBytes, formatCount, formatDuration, formatSeconds } from './format.js';
import { outcomeText, PHASE_LABELS } from './chart-gantt.js';
import { PHASE_NAMES, type PhaseName, type ReportData, type SyncReport } from './report-data.js';

export interface Table {
  header: string[];
  rows: string[][];
  /** Right-aligned columns (numbers). */
  align: Array<'l' | 'r'>;
}

export function summaryTable(d: ReportData): Table {
  const s = d.summary;
  const worst = s.recoveries.reduce<number | null>((a, r) => (r.recoveryUs === null ? a : Math.max(a ?? 0, r.recoveryUs)), null);
  const unrecovered = s.recoveries.filter((r) => r.recoveryUs === null).length;
  const rows: string[][] = [
    ['full syncs', String(s.fullSyncs), Object.entries(s.perReplica).map(([r, p]) => `${r}: ${p.full}`).join(', ')],
    ['partial syncs (PSYNC +CONTINUE)', String(s.partialSyncs), Object.entries(s.perReplica).map(([r, p]) => `${r}: ${p.partial}`).join(', ')],
    ['aborted syncs', String(s.abortedSyncs), s.syncLoop ? `sync loop: one replica full-synced ${s.maxFullSyncsOfOneReplica} times` : ''],
    ['time to recover after a fault (worst)', worst === null ? '—' : formatDuration(worst),
      unrecovered > 0 ? `${unrecovered} fault(s) not recovered by the end of the run` : s.recoveries.length === 0 ? 'no faults' : ''],
    ['RDB bytes transferred', formatBytes(s.rdbBytes), ''],
    ['largest RDB written', s.largestFork === null ? '—' : formatBytes(s.largestFork.rdbBytes),
      s.largestFork === null ? 'no fork' : `${s.largestFork.node} at ${formatSeconds(s.largestFork.atUs)}: ${formatCount(s.largestFork.keys)} keys, used_memory ${formatBytes(s.largestFork.usedMemoryBytes)}, rdbcompression ${s.largestFork.rdbcompression ? 'yes' : 'no'}`],
    ['backlog needed ≈ peak lag bytes', formatBytes(s.backlog.peakLagBytes),
      `${s.backlog.replica === null ? 'no replica lagged' : `peak lag of ${s.backlog.replica}`}${s.backlog.sizeBytes === null ? '' : `; repl-backlog-size ${formatBytes(s.backlog.sizeBytes)}${s.backlog.peakLagBytes > s.backlog.sizeBytes ? ' is smaller: a replica this far behind needs a full resync' : ''}`}`],
    ['backlog bytes sent for partial syncs', formatBytes(s.backlogBytes), ''],
    ['replication output (RDB + stream)', formatBytes(s.replicationOutputBytes), 'total_net_repl_output_bytes of every node'],
    ['peak replica output buffer', s.peakOutputBuffer === null ? '—' : formatBytes(s.peakOutputBuffer.bytes),
      s.peakOutputBuffer === null ? '' : `${s.peakOutputBuffer.master} → ${s.peakOutputBuffer.replica} at ${formatSeconds(s.peakOutputBuffer.atUs)}`],
    ['replicas dropped for the output-buffer limit', String(s.outputBufferDisconnects), ''],
    ['writes refused', formatCount(s.writesRefused), Object.entries(s.errorReplies).map(([c, n]) => `-${c} ×${n}`).join(', ')],
    ['stale reads served', formatCount(s.staleReads), 'reads answered by a replica whose master link was down'],
  ];
  return { header: ['', 'value', 'detail'], rows, align: ['l', 'r', 'l'] };
}

export function recoveryTable(d: ReportData): Table {
  const rows = d.faults.map((f) => {
    const r = d.summary.recoveries.find((x) => x.fault === f.id)!;
    return [
      `${f.id}`,
      f.label,
      formatSeconds(f.startUs),
      f.endUs === null ? 'never lifted' : f.endUs === f.startUs ? 'instant' : formatDuration(f.endUs - f.startUs),
      r.recoveryUs === null ? (f.endUs === null ? '—' : 'not recovered') : formatDuration(r.recoveryUs),
    ];
  });
  return { header: ['#', 'fault', 'at', 'lasted', 'recovered after'], rows, align: ['r', 'l', 'r', 'r', 'r'] };
}

function phaseDuration(s: SyncReport, name: PhaseName): string {
  const ps = s.phases.filter((p) => p.name === name);
  if (ps.length === 0) return '';
  return formatDuration(ps.reduce((a, p) => a + (p.endUs - p.startUs), 0));
}

/** Phases that occur in some sync, in Redis's order. */
export function phasesPresent(d: ReportData): PhaseName[] {
  const present = new Set(d.syncs.flatMap((s) => s.phases.map((p) => p.name)));
  return PHASE_NAMES.filter((n) => present.has(n));
}

export function syncTable(d: ReportData): Table {
  const phases = phasesPresent(d);
  const rows = d.syncs.map((s) => [
    String(s.id),
    s.replica,
    s.master,
    s.kind === 'full' ? `full${s.rdbTarget === 'socket' ? ' (diskless)' : s.rdbTarget === 'disk' ? ' (disk)' : ''}` : 'partial',
    formatSeconds(s.startUs),
    ...phases.map((p) => phaseDuration(s, p)),
    formatDuration(s.endUs - s.startUs),
    formatBytes(s.bytes),
    s.outcome === 'done' ? 'done' : `${outcomeText(s)}${s.endReason ? `: ${s.endReason}` : ''}`,
    s.psyncRefused ?? '',
  ]);
  return {
    header: ['#', 'replica', 'from', 'kind', 'start', ...phases.map((p) => PHASE_LABELS[p]), 'total', 'bytes', 'outcome', 'PSYNC refused because'],
    rows,
    align: ['r', 'l', 'l', 'l', 'r', ...phases.map(() => 'r' as const), 'r', 'r', 'l', 'l'],
  };
}

export function lagTable(d: ReportData): Table {
  const rows = Object.entries(d.summary.perReplica).map(([r, p]) => [r, formatBytes(p.maxLagBytes), formatDuration(p.maxLagUs), String(p.full), String(p.partial), String(p.aborted)]);
  return { header: ['replica', 'max lag (bytes)', 'max lag (time)', 'full syncs', 'partial syncs', 'aborted'], rows, align: ['l', 'r', 'r', 'r', 'r', 'r'] };
}

/**
 * The sampled series, one row per `everyUs` (1 s by default): master offset, each
 * replica's offset and lag, the backlog window — the Markdown stand-in for the charts.
 */
export function seriesTable(d: ReportData, everyUs = 1_000_000): Table {
  const names = d.scenario.nodes.map((n) => n.name);
  const replicas = Object.keys(d.summary.perReplica);
  const masters = names.filter((n) => !replicas.includes(n));
  const header = ['t', ...masters.flatMap((m) => [`${m} offset`, `${m} backlog first…last`]), ...replicas.flatMap((r) => [`${r} offset`, `${r} lag`, `${r} link`])];
  const rows: string[][] = [];
  const step = Math.max(1, Math.round(everyUs / d.series.sampleEveryUs));
  for (let i = 0; i < d.series.tUs.length; i += step) {
    const row = [formatSeconds(d.series.tUs[i]!)];
    for (const m of masters) {
      const s = d.series.nodes[m]!;
      row.push(s.role[i] === 'down' ? 'down' : String(s.offset[i]));
      row.push(s.backlogFirst[i] === null ? '—' : `${s.backlogFirst[i]}…${s.backlogLast[i]}`);
    }
    for (const r of replicas) {
      const s = d.series.nodes[r]!;
      row.push(s.role[i] === 'down' ? 'down' : String(s.offset[i]));
      row.push(s.lagBytes[i] === null ? '—' : `${formatBytes(s.lagBytes[i]!)} / ${formatDuration(s.lagUs[i] ?? 0)}`);
      row.push(s.linkUp[i] === null ? '—' : s.linkUp[i] ? 'up' : 'down');
    }
    rows.push(row);
  }
  return { header, rows, align: header.map((_, i) => (i === 0 ? 'r' : 'l')) };
}

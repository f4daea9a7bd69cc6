/**
 * What a timing report holds: everything `data.json` contains and the HTML and Markdown
 * writers draw. Plain JSON (numbers, strings, booleans, null, arrays, objects) so the
 * file is the raw series a reader can re-plot. Times are virtual µs since the run began;
 * offsets and sizes are bytes. Field names are a public format: change them additively.
 */
import type { ForkDataset } from './collector.js';
import type { Micros } from '../engine/index.js';
import type { ClientWritesSummary, DurabilitySummary } from '../check/index.js';

export const REPORT_FORMAT_VERSION = 1;

/** One step of a sync, as Redis would log it. */
export type PhaseName =
  /** The replica waits for a BGSAVE it can use (repl-diskless-sync-delay, a running fork it cannot share). */
  | 'wait-bgsave'
  /** fork(): the master's event loop is blocked. */
  | 'fork'
  /** The child writes the RDB (to disk, or to the replica sockets when diskless). */
  | 'rdb'
  /** The child has exited; the parent notices it on its next serverCron tick. */
  | 'reap'
  /** RDB bytes on the wire, up to the replica having all of them. */
  | 'transfer'
  /** The replica empties its old dataset (blocking unless replica-lazy-flush). */
  | 'flush'
  /** The replica loads the RDB (blocking; -LOADING to clients). */
  | 'load'
  /** The replica applies the stream the master buffered meanwhile, until it has every byte
   *  the master had written when the link came up (partial resync: the backlog it was sent). */
  | 'catch-up'
  /** appendonly yes: the replica rewrites its AOF from the loaded data (restartAOFAfterSYNC);
   *  the model makes it instantaneous, so it is a mark beside the catch-up, not a cost. */
  | 'aof-rewrite';

export const PHASE_NAMES: readonly PhaseName[] = ['wait-bgsave', 'fork', 'rdb', 'reap', 'transfer', 'flush', 'load', 'catch-up', 'aof-rewrite'];

export interface Phase {
  name: PhaseName;
  startUs: Micros;
  endUs: Micros;
  /**
   * On the sync's critical path. The on-path phases of a finished sync follow each other
   * without gap or overlap from the sync's start to its end; off-path phases run beside
   * them (the diskless child writing while the transfer is under way).
   */
  onPath: boolean;
  /** Bytes the phase moved or produced (RDB bytes, backlog bytes, stream bytes), if any. */
  bytes: number | null;
  /** Keys it handled (fork/rdb/flush/load), if any. */
  keys: number | null;
  /** Why it took as long as it did, in words ("repl-diskless-sync-delay 5", "ended by a disconnect"). */
  note: string | null;
}

export type SyncKind = 'full' | 'partial';

/**
 * How a sync ended: `done` (the replica caught up), `interrupted` (it loaded but the link
 * broke during the catch-up), `aborted` (it never loaded: a disconnect, a timeout, an
 * output-buffer limit), `running` (the run ended first).
 */
export type SyncOutcome = 'done' | 'interrupted' | 'aborted' | 'running';

export interface SyncReport {
  /** 1-based, in order of the master's SYNC/PSYNC request. */
  id: number;
  replica: string;
  /** The node that served it. */
  master: string;
  kind: SyncKind;
  /** 1-based count of this replica's syncs (its first is usually the initial full sync). */
  nthForReplica: number;
  /** The master's words for refusing a partial resync, when it did ("lack of backlog"). */
  psyncRefused: string | null;
  /** The PSYNC request: the replica's replid prefix ("?" for none) and first wanted byte. */
  requestedOffset: number;
  startUs: Micros;
  /** The end of the last phase, or the abort, or the end of the run. */
  endUs: Micros;
  outcome: SyncOutcome;
  /** What ended an aborted or interrupted sync. */
  endReason: string | null;
  /** RDB target for full syncs: disk or socket (diskless). */
  rdbTarget: 'disk' | 'socket' | null;
  /** RDB payload bytes the replica received (full), or backlog bytes sent (partial). */
  bytes: number;
  phases: Phase[];
}

export type FaultKind = 'partition' | 'partition-one-way' | 'pause' | 'crash' | 'kill-link' | 'latency' | 'write-burst';

/** A fault drawn as a band on the time axis; instantaneous ones have startUs = endUs. */
export interface FaultBand {
  /** 1-based, in timeline order. */
  id: number;
  kind: FaultKind;
  /** Short label: "partition m1 | r1", "SIGSTOP r2 3s". */
  label: string;
  /** Nodes it touches ([] for network-wide). */
  nodes: string[];
  startUs: Micros;
  /** When it was lifted (heal, SIGCONT, restart), or null if still active at the end. */
  endUs: Micros | null;
  /** Every replica connected again and holding every byte the master had when the fault ended. */
  recoveredUs: Micros | null;
}

/** Sampled every `sampleEveryUs` of virtual time; arrays are parallel to `tUs`. */
export interface NodeSeries {
  /** 'master', 'replica' or 'down' (process not running). */
  role: string[];
  /** master_repl_offset. */
  offset: number[];
  /** Replicas: the node they replicate from (null for masters). */
  master: Array<string | null>;
  /** Replicas: master_link_status up. */
  linkUp: Array<boolean | null>;
  /** Replicas: bytes behind their master (master's master_repl_offset − theirs). */
  lagBytes: Array<number | null>;
  /** Replicas: how long ago their master was at their offset (from the master's own offset series). */
  lagUs: Array<number | null>;
  /** The backlog window: first byte still held (repl_backlog_first_byte_offset) … last (master_repl_offset). */
  backlogFirst: Array<number | null>;
  backlogLast: Array<number | null>;
  /** Masters: output-buffer usage of each replica client, bytes (null when not connected). */
  outputBuffer: Record<string, Array<number | null>>;
  /** Masters: bytes toward each replica that the kernels hold (sent, not yet read), beside the output buffer. */
  inKernel: Record<string, Array<number | null>>;
}

export interface Series {
  sampleEveryUs: Micros;
  tUs: Micros[];
  nodes: Record<string, NodeSeries>;
}

export interface RecoveryReport {
  fault: number;
  label: string;
  /** When the fault ended (heal, SIGCONT, restart; the fault itself for a link kill). */
  fromUs: Micros;
  recoveredUs: Micros | null;
  /** recoveredUs − fromUs, or null: not recovered by the end of the run, or never lifted. */
  recoveryUs: Micros | null;
}

export interface ReportSummary {
  fullSyncs: number;
  partialSyncs: number;
  /** Syncs that never completed (aborted) — a sync loop shows up here. */
  abortedSyncs: number;
  perReplica: Record<string, { full: number; partial: number; aborted: number; maxLagBytes: number; maxLagUs: number }>;
  /** Most full syncs of a single replica; ≥ 3 is called a sync loop. */
  maxFullSyncsOfOneReplica: number;
  syncLoop: boolean;
  recoveries: RecoveryReport[];
  /** RDB payload bytes received by replicas, backlog bytes sent for partial resyncs. */
  rdbBytes: number;
  backlogBytes: number;
  /** Stream bytes written to replica sockets (masters' total_net_repl_output_bytes, summed over restarts). */
  replicationOutputBytes: number;
  peakOutputBuffer: { bytes: number; master: string; replica: string; atUs: Micros } | null;
  outputBufferDisconnects: number;
  /** Writes refused (-NOREPLICAS, -READONLY, -OOM, -MISCONF), and every error reply by code, from the
   *  workload and the timeline's commands. */
  writesRefused: number;
  errorReplies: Record<string, number>;
  /** Reads a replica answered from its own data while its master link was down. */
  staleReads: number;
  /** The largest RDB a fork wrote, beside the node's used_memory at the fork (null: no fork). */
  largestFork: ForkDataset | null;
  /** The peak lag in bytes of any replica: about the repl-backlog-size this run needed for PSYNC. */
  backlog: { peakLagBytes: number; replica: string | null; sizeBytes: number | null };
}

export interface ReportData {
  format: 'replsim-report';
  version: number;
  scenario: {
    name: string;
    description: string;
    file: string | null;
    seed: string;
    durationUs: Micros;
    /** redis.conf options as the file wrote them (top level). */
    config: Record<string, string>;
    nodes: Array<{ name: string; replicaof: string | null }>;
    /** Cost parameters that differ from the defaults (scenario `costs:` or --costs). */
    costs: Record<string, number>;
    /** appendonly yes somewhere: the AOF rewrite after a sync is shown as an instant (no modelled cost). */
    appendonly: boolean;
  };
  run: {
    ok: boolean;
    traceHash: string;
    virtualTimeUs: Micros;
    error: string | null;
    expectations: Array<{ description: string; ok: boolean; actual: string | number | boolean | null }>;
    converged: boolean;
  };
  syncs: SyncReport[];
  faults: FaultBand[];
  series: Series;
  summary: ReportSummary;
  /** With Sentinels: each one's view over time, the failovers, the clients' availability and lost writes. */
  sentinel?: SentinelReport;
  /** With `wait:` clients: their writes and those lost, by cause of check/loss-causes.ts (run's durability section). */
  durability?: DurabilitySummary;
}

// ------------------------------------------------------------------ Sentinel (additive: absent without Sentinels)

/**
 * What one Sentinel believed over time, from its own events (sentinelEvent): the master
 * subjectively down (+sdown … -sdown, or until its +switch-master reset the instance),
 * objectively down (+odown … -odown), TILT, the process down, and a failover it ran
 * (+try-failover … +switch-master or -failover-abort-*).
 */
export type SentinelBandKind = 'sdown' | 'odown' | 'tilt' | 'down' | 'failover';

export interface SentinelBand {
  kind: SentinelBandKind;
  /** The instance it is about (`m1` for the master's bands), '' for the process's own (tilt, down). */
  instance: string;
  startUs: Micros;
  /** null: still so at the end of the run. */
  endUs: Micros | null;
}

/** An instant in a Sentinel's lane: a vote it cast, its election, a switch, an abort, a conversion. */
export type SentinelMarkKind = 'try-failover' | 'vote' | 'elected-leader' | 'switch-master' | 'abort' | 'convert-to-slave';

export interface SentinelMark {
  kind: SentinelMarkKind;
  t: Micros;
  /** In words: "voted for s2 in epoch 1", "switch m1 → r1". */
  text: string;
}

export interface SentinelLane {
  sentinel: string;
  /** The node it names as the master (GET-MASTER-ADDR-BY-NAME), from each time on. */
  names: Array<{ fromUs: Micros; node: string }>;
  bands: SentinelBand[];
  marks: SentinelMark[];
}

/**
 * The stretches of one failover, each ending at a milestone of sentinel.c's failover state machine:
 * detection (fault → first +sdown: down-after-milliseconds), odown (→ +odown: quorum
 * reached), start (→ +try-failover), election (→ +elected-leader, or the abort), promotion
 * (→ +promoted-slave: SLAVEOF NO ONE seen in INFO), reconfiguration (→ the leader's
 * +switch-master: replicas re-pointed), propagation (→ every Sentinel switched),
 * conversion (→ +convert-to-slave of the old master).
 */
export type FailoverPhaseName = 'detection' | 'odown' | 'start' | 'election' | 'promotion' | 'reconfiguration' | 'propagation' | 'conversion';

export const FAILOVER_PHASE_NAMES: readonly FailoverPhaseName[] = ['detection', 'odown', 'start', 'election', 'promotion', 'reconfiguration', 'propagation', 'conversion'];

export interface FailoverPhase {
  name: FailoverPhaseName;
  startUs: Micros;
  endUs: Micros;
  /** The milestone that ends it (`+odown`, `-failover-abort-not-elected`, …) and who saw it. */
  until: string;
  by: string;
}

export interface FailoverReport {
  /** 1-based, in the order the attempts started. */
  id: number;
  master: string;
  epoch: number;
  outcome: 'switched' | 'aborted' | 'unfinished';
  abort: string | null;
  leader: string | null;
  candidates: string[];
  from: string;
  to: string | null;
  /** The fault (or SENTINEL FAILOVER) before it, in words, or null. */
  fault: string | null;
  startUs: Micros;
  endUs: Micros;
  phases: FailoverPhase[];
  /** Why the leader chose `to` (compareSlavesForPromotion's deciding rule). */
  why: string | null;
  sentinelsSwitched: number;
}

/**
 * A stretch in which a Sentinel-aware client had no writable master: its first failed write
 * … its next acknowledged one, or a write acknowledged only after more than 1 s (its wait).
 */
export interface ClientWindow {
  fromUs: Micros;
  /** null: none acknowledged before the end. */
  toUs: Micros | null;
  /** The reply of the write that opened it (`(error) NOREPLICAS …`, `no reply`, `OK after 10 s`). */
  reply: string;
}

export interface ClientAvailability {
  client: string;
  /** Its first write (null: it never wrote). */
  firstWriteUs: Micros | null;
  written: number;
  acknowledged: number;
  /** Answered with an error or not at all. */
  failed: number;
  windows: ClientWindow[];
  /** The windows' total length (to the end of the run for an open one). */
  unavailableUs: Micros;
}

/** One acknowledged write missing at the end on the final master, with its cause (check/sentinel-losses.ts, docs/lost-writes.md). */
export interface LostWriteReport {
  client: string;
  key: string;
  node: string;
  acknowledgedUs: Micros;
  cause: string;
}

export interface SentinelReport {
  /** The monitored master's name (the first `monitor`). */
  master: string;
  /** sentinel.conf options as the file wrote them, with the quorum. */
  options: Record<string, string>;
  lanes: SentinelLane[];
  failovers: FailoverReport[];
  clients: ClientAvailability[];
  /**
   * The stretches in which no Sentinel-aware client had a writable master (every client in
   * one of its windows at once), and their total: the service's own outage. With one client, its windows.
   */
  outage: Array<{ fromUs: Micros; toUs: Micros | null }>;
  outageUs: Micros;
  /** Of the Sentinel-aware clients' writes (null without such clients). */
  writes: (Omit<ClientWritesSummary, 'byCause' | 'examples'> & {
    /** Cause id → count, in SENTINEL_LOSS_CAUSES order. */
    byCause: Record<string, number>;
  }) | null;
  lostWrites: LostWriteReport[];
}

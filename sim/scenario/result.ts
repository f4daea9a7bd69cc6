/**
 * The contract between the runner, the expectation checker and the CLI: what a run
 * reports. `replsim run --json` prints a RunResult verbatim, so these field names are a
 * public format — change them only additively.
 */
import type { ReplayCounters } from '../workload/index.js';
import type { CheckReport } from '../check/index.js';
import type { DurabilitySummary } from '../check/index.js';
import type { Micros } from '../engine/index.js';
import type { TraceRetention } from '../engine/index.js';
import type { WorkloadCounters } from '../workload/index.js';
import type { LivenessResult } from './liveness.js';
import type { World } from './world.js';
import type { SentinelFinal } from './sentinel-expect.js';
import type { SentinelNodeReport } from './sentinel-final.js';
import type { Failover } from '../check/index.js';
import type { ClientWritesSummary } from '../check/index.js';
import type { SentinelAnswers } from './sentinel-answers.js';

/** One `slaveN:` line of INFO replication on a master. */
export interface SlaveInfo {
  name: string;
  ip: string;
  port: number;
  /** Redis's words: wait_bgsave | send_bulk | online. */
  state: string;
  offset: number;
  lag: number;
}

/** A node as INFO would show it at the end of the run. */
export interface NodeReport {
  /** INFO replication with Redis's field names; numeric fields as numbers; `slaves` lists the slaveN lines. */
  info: Record<string, string | number | SlaveInfo[]>;
  /** INFO stats subset: sync_full, sync_partial_ok, sync_partial_err, expired_keys, evicted_keys,
   *  total_net_repl_input_bytes, total_net_repl_output_bytes, … */
  stats: Record<string, number>;
  /** INFO persistence subset: loading, rdb_bgsave_in_progress, rdb_changes_since_last_save, … */
  persistence: Record<string, string | number>;
  /** DBSIZE of db 0. */
  dbsize: number;
  /** DEBUG DIGEST-like fingerprint of the whole keyspace (hex). */
  digest: string;
  /** Keys in all databases. */
  keys: number;
  /** INFO memory used_memory (the model's estimate). */
  usedMemory?: number;
  /** The size an RDB of this dataset would have now, with the node's rdbcompression. */
  rdbBytes?: number;
  /** On a Sentinel (info.role = sentinel): its state, with the SENTINEL MASTER fields of each monitored master. */
  sentinel?: SentinelNodeReport;
}

export interface Convergence {
  ok: boolean;
  /** Human sentences, e.g. "r2: offset 1200 behind m1 at 1354". */
  problems: string[];
}

/**
 * A reply to a `reply:` expectation's command, run by the runner after the last event.
 * `reply` uses redis-cli's TTY rendering: `OK`, `"bar"`, `(integer) 1`, `(nil)`,
 * `(error) ERR …`, arrays as `1) "a"\n2) "b"`, `(empty array)`.
 */
export interface FinalReply {
  node: string;
  argv: string[];
  reply: string;
}

/** Everything expectations are evaluated against. */
export interface FinalState {
  nodes: Record<string, NodeReport>;
  convergence: Convergence;
  /** One entry per `reply:` expectation (see replyCommands() in expect.ts). */
  replies?: FinalReply[];
  /** The Sentinel-aware clients' writes (when the workload has such clients). */
  clientWrites?: ClientWritesSummary;
  /** Each Sentinel's final view and event counts (when the scenario has Sentinels). */
  sentinels?: Record<string, SentinelFinal>;
  /** Verdicts of `invariant:` expectations, by checker name (or `all`): ok, and the first violation or "ok". */
  invariants?: Record<string, { ok: boolean; actual: string }>;
  /** What happened to the `wait:` clients' writes (when the workload has one). */
  durability?: DurabilitySummary;
}

export interface ExpectationResult {
  /** e.g. "m1 sync_partial_ok = 1", "r1 master_repl_offset ≥ 1000", "converged". */
  description: string;
  ok: boolean;
  actual: string | number | boolean | null;
  /** 1-based line of the expectation in the scenario file. */
  line: number;
  /**
   * Set on verdict lines that are not written under `expect:`: `command-error` is a timeline
   * command without `reply:` that got an error reply.
   */
  kind?: 'command-error';
}

/** A line of the human timeline: only what mattered (faults, syncs, role changes, errors). */
export interface TimelineEvent {
  t: Micros;
  node: string | null;
  kind: string;
  text: string;
  severity: 'info' | 'fault' | 'sync' | 'error';
}

export interface RunResult {
  scenario: string;
  file: string | null;
  /** The seed actually used (from --seed, the file, or chosen by the runner). */
  seed: string;
  /** All expectations held and the run did not crash. */
  ok: boolean;
  /** 64-bit trace fingerprint, hex. Same seed ⇒ same hash. */
  traceHash: string;
  virtualTimeUs: Micros;
  events: number;
  /** Wall-clock milliseconds the run took (the only non-deterministic field). */
  wallMs: number;
  nodes: Record<string, NodeReport>;
  /** Replies to timeline `command:` steps (line: of the step in the file; expected: it had `reply:`). */
  commands: Array<{ at: Micros; node: string; command: string; reply: string; line?: number; expected?: boolean }>;
  expectations: ExpectationResult[];
  convergence: Convergence;
  timeline: TimelineEvent[];
  /** Set when the simulation threw (an assertion in the model): message with seed and virtual time. */
  error?: string;
  /**
   * With `error`: the run stopped at a run-time limit (RunLimitExceeded: the scenario asks for
   * more than replsim runs, e.g. a Lua script that never ends), not at a bug of the model.
   */
  stopped?: boolean;
  /** The checkers' findings, when any ran (`invariant:` expectations or RunOptions.check). */
  check?: CheckReport;
  /** With Sentinels: one section per failover attempt, in the order they started (sim/check/failovers.ts). */
  failovers?: Failover[];
  /** With Sentinel-aware clients: their writes, and each lost acknowledged write with its cause (docs/lost-writes.md). */
  clientWrites?: ClientWritesSummary;
  /** With RunOptions.liveness: what heal-all lifted, the bound, and how long convergence took. */
  liveness?: LivenessResult;
  /** Per `replay:` workload: what was sent, and the commands the model did not know, by name. */
  replays?: Array<{ node: string; file: string; counters: ReplayCounters }>;
  /**
   * When the workload has a `wait:` client: its writes answered OK and acknowledged, and
   * those missing at the end by cause (sim/check/durability-summary.ts). Causes are ids of
   * LOSS_CAUSES; new ones may appear.
   */
  durability?: DurabilitySummary;
  /** The planted bugs this run had switched on (RunOptions.bugs), when any: part of its replay. */
  bugs?: string[];
  /** Set when the run was --strict (RunOptions.strict): part of its replay. */
  strict?: boolean;
}

export interface RunOptions {
  /** Overrides the file's seed. */
  seed?: string;
  /** Trace record kinds to keep in the timeline beyond the default selection, or 'all'. */
  traceKinds?: string[] | 'all';
  /** Keep trace records in memory (default none: only the hash); `--check-determinism` keeps all. */
  traceRetention?: TraceRetention;
  /** Planted bugs to switch on (sim/redis/planted-bugs.ts), to prove the checkers bite. */
  bugs?: string[];
  /** Called now and then with the virtual time, for progress display. */
  onProgress?: (virtualUs: Micros) => void;
  /**
   * Run these checkers of sim/check over the run's history (true: all of them) besides any
   * the scenario's `invariant:` expectations name; their violations make the run fail.
   */
  check?: boolean | readonly string[];
  /** How often the history recorder samples every node (default 200 ms of virtual time). */
  samplePeriodUs?: Micros;
  /**
   * After `duration` (and the expectations, judged then): lift every fault and require
   * convergence within the bound derived from the config (liveness.ts); the verdict is one
   * more expectation.
   */
  liveness?: boolean;
  /**
   * Any write of a `wait:` client that was answered OK and is missing at the end fails the
   * run, whatever explains it (`replsim run --strict`): one more expectation.
   */
  strict?: boolean;
  /** Watches the run from inside (timing reports). Stays in the thread that runs the scenario. */
  observe?: RunObserver;
}

/**
 * A read-only watcher of one run (sim/report's collector): it may subscribe to the trace
 * and schedule events that only read state, so the trace and its hash stay the same.
 */
export interface RunObserver {
  /** The cluster is built and booted; nothing of the scenario is scheduled yet. */
  world(w: World): void;
  /** A workload client was created; its counters keep counting during the run. */
  workloadClient?(index: number, counters: WorkloadCounters): void;
  /** With Sentinels, after `duration`: the failovers and every lost acknowledged write of the Sentinel-aware clients. */
  sentinelAnswers?(answers: SentinelAnswers): void;
}

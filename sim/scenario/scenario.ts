/**
 * The normalized, typed form of a scenario file (scenarios/FORMAT.md describes the YAML).
 * Everything the runner needs is resolved here: times are integer µs, sizes are bytes,
 * node references are checked, redis.conf options are typed. The runner never looks at YAML.
 */
import type { OpenLoopSpec, ReplaySpec, SentinelClientOptions, WorkloadOpName } from '../workload/index.js';
import type { ValueCompressibility } from '../redis/index.js';
import type { Micros } from '../engine/index.js';
import type { LatencyModel } from '../net/index.js';
import type { RedisConfig } from '../redis/index.js';
import type { Trigger } from './trigger.js';
import type { CostModel } from '../redis/index.js';
import type { SentinelConfig } from '../sentinel/index.js';

/** Latency distributions of a link, as the net layer samples them. */
export type { LatencyModel } from '../net/index.js';

export interface Scenario {
  name: string;
  description: string;
  /** Path as given on the command line, or null for scenarios built in memory. */
  file: string | null;
  /** The file's seed as text (YAML `seed: 42` → "42"); --seed overrides it; null = runner picks. */
  seed: string | null;
  durationUs: Micros;
  /** Options for every node, from the top-level `config:` section. */
  config: Partial<RedisConfig>;
  /** The same options as written (redis.conf name → text), for headers and reports. */
  configText: Record<string, string>;
  /** In file order. */
  nodes: NodeSpec[];
  network: NetworkSpec;
  dataset: DatasetSpec[];
  workload: WorkloadSpec[];
  /** Sorted by atUs (the loader rejects steps that go backwards), file order among equals. */
  timeline: TimelineStep[];
  /** Steps that fire on a condition (`when:`) instead of at a time; each fires once. */
  triggered?: TriggeredStep[];
  expect: Expectation[];
  /** Lint warnings (sim/scenario/lint.ts), formatted like errors: the file runs anyway. */
  warnings?: string[];
  /** Sentinel processes (`sentinels:` with the `sentinel:` section), in file order; absent: none. */
  sentinels?: SentinelSpec[];
  /** Sentinel-aware clients of `workload:` (sim/workload/sentinel-client.ts), in file order. */
  sentinelClients?: SentinelClientSpec[];
  /** Cost-model overrides from the `costs:` section (absent: the defaults). */
  costs?: Partial<CostModel>;
  /**
   * Whether a timeline command's error reply (without `reply:`) fails the run; false for
   * generated fault schedules (fuzz), whose commands may reach nodes that are down.
   */
  commandErrorsFail?: boolean;
  /** The `costs:` section as written (parameter name → number), for headers and reports. */
  costsText?: Record<string, number>;
}

export interface NodeSpec {
  /** Also the node's host name: `REPLICAOF r1 6379` resolves it. */
  name: string;
  /** Name of the node this one replicates from at start, or null for a master. */
  replicaof: string | null;
  /** Per-node options, applied over Scenario.config. */
  config: Partial<RedisConfig>;
  configText: Record<string, string>;
}

/** A Sentinel process: its host is its name; its config is what its sentinel.conf would hold. */
export interface SentinelSpec {
  name: string;
  config: SentinelConfig;
  /** The options as written (sentinel.conf name → text, `debug.<param>` for SENTINEL DEBUG), for headers. */
  optionsText: Record<string, string>;
}

/**
 * A client that finds the master through Sentinels (the documented client algorithm, redis.io's
 * "Sentinel client spec"; docs/model.md, "Sentinel-aware clients"), on a host of its own, writing `SET <keyPrefix>:<n> <n>` at `rateHz`.
 */
export interface SentinelClientSpec extends Omit<SentinelClientOptions, 'sentinels'> {
  /** Sentinels to ask, by name, in order; the first is asked first. */
  sentinels: string[];
}

export interface LinkSpec {
  between: [string, string];
  latency?: LatencyModel;
  bandwidthBytesPerSec?: number;
}

export interface NetworkSpec {
  /** Default one-way latency of every link. Without a `network:` section: fixed 200 µs (loopback-like). */
  latency: LatencyModel;
  /** Default bandwidth of every link; 1gbit (125 000 000 B/s) unless given. May be Infinity ("unlimited"). */
  bandwidthBytesPerSec: number;
  /** Effective socket buffers of every connection (net/network.ts defaults: 4 MiB, 512 KiB). */
  tcpSendBufferBytes: number;
  tcpReceiveBufferBytes: number;
  /** Per-pair overrides (symmetric). */
  links: LinkSpec[];
}

/** A preload, like `DEBUG POPULATE keys prefix value-size` on `node`, before time 0. */
export interface DatasetSpec {
  node: string;
  keys: number;
  valueSize: number;
  /** Keys are `${prefix}:${i}` as DEBUG POPULATE names them; default "key". */
  prefix: string;
  db: number;
  /** How the values compress in an RDB (`values:`; default DEBUG POPULATE's). */
  values: ValueCompressibility;
}

export type WorkloadOp = 'set' | 'incr' | 'get' | 'del' | 'expire' | 'append';
/** Op kinds on the other data types and scripts: present in `ops` only when weighted. */
export type WorkloadExtraOp = Exclude<WorkloadOpName, WorkloadOp>;

/**
 * A workload item of a scenario: the open-loop client's spec (sim/workload/open-loop.ts) sent
 * to `node`, or, with `wait` or `replay`, an acknowledged-writes client or a capture replayed.
 */
export interface WorkloadSpec extends OpenLoopSpec {
  node: string;
  /** Weights, normalized to sum to 1; the six base ops are always present (0 when not mentioned). */
  ops: Record<WorkloadOp, number> & Partial<Record<WorkloadExtraOp, number>>;
  /**
   * Acknowledged writes instead of `ops`: each command is `SET <keyPrefix>:<n> <n>` then
   * `WAIT replicas timeout`, one at a time, sent to the master at the root of `node`'s
   * chain (sim/workload/acked-writer.ts). The durability invariant checks them.
   */
  wait?: { replicas: number; timeoutUs: Micros };
  /** A MONITOR capture replayed instead of generated ops (sim/workload/monitor-replay.ts). */
  replay?: ReplaySpec;
}

export interface TriggeredStep {
  when: Trigger;
  line: number;
  action: Action;
}

export interface TimelineStep {
  atUs: Micros;
  /** 1-based line of the step in the file, so output can point back to it. */
  line: number;
  action: Action;
}

export type Action =
  /** Any Redis command, as typed in redis-cli; argv is split like redis-cli (quotes, escapes). */
  /** `client`: a named connection of its own (steps without one share the node's timeline connection). */
  | { kind: 'command'; node: string; command: string; argv: string[]; expectReply?: string; client?: string }
  /** `count` SETs to distinct keys `${prefix}:${n}` with `valueSize`-byte values. */
  | { kind: 'write'; node: string; count: number; valueSize: number; db: number; prefix: string }
  /** CLIENT KILL TYPE master on the replica `node`: a reset of its link to its master. */
  | { kind: 'kill-link'; node: string }
  /** Nodes in different groups cannot reach each other (both directions); nodes in no group are untouched. */
  | { kind: 'partition'; groups: string[][] }
  /** Bytes from `from` to `to` stall; the other direction still flows. */
  | { kind: 'partition-one-way'; from: string[]; to: string[] }
  /** Remove every partition and every added latency. */
  | { kind: 'heal'; target: 'all' }
  /** SIGSTOP; null = until a later `resume`. */
  | { kind: 'pause'; node: string; forUs: Micros | null }
  | { kind: 'resume'; node: string }
  /** kill -9: the process dies, connections reset, unsaved data is lost. */
  | { kind: 'crash'; node: string }
  /** The host loses power: the process dies and the OS page cache with it (unsynced AOF writes). */
  | { kind: 'power-loss'; node: string }
  /** Start the process again from its persisted state (RDB/AOF). */
  | { kind: 'restart'; node: string }
  /** Extra one-way latency on the link in both directions; null = until `heal`. */
  | { kind: 'latency'; between: [string, string]; addUs: Micros; forUs: Micros | null }
  /** Disk faults of a host: a full disk, failing BGSAVEs, a slow disk (bytes/s). */
  | { kind: 'disk'; node: string; full: boolean | null; failBgsaves: number | null; bytesPerSec: number | null }
  /** Swizzle-clogging: clog a random subset of the links between `nodes` one by one, unclog in random order. */
  | { kind: 'swizzle'; nodes: string[]; forUs: Micros; addUs: Micros }
  /** A node's wall clock: set its offset (skew), step it (jump), or make it drift (ppm). */
  | { kind: 'clock'; node: string; skewUs: Micros | null; jumpUs: Micros | null; driftPpm: number | null }
  /** CONFIG SET option value; option is the redis.conf name, value validated at load. */
  | { kind: 'config-set'; node: string; option: string; value: string };

export type CompareOp = 'equals' | 'not-equals' | 'at-least' | 'at-most' | 'between';

export type Expectation =
  /** `stat:` looks in INFO stats, then INFO replication; `info:` in replication, persistence, then stats. */
  | { kind: 'stat' | 'info'; node: string; field: string; op: CompareOp; value: string | number | [number, number]; line: number }
  /** Every replica has its master's digest and offset (runner's convergence check). */
  | { kind: 'converged'; value: boolean; line: number }
  | { kind: 'dbsize'; node: string; op: CompareOp; value: number | [number, number]; line: number }
  /** A checker of sim/check must find no violation in the run's history (`all`: every checker). */
  | { kind: 'invariant'; checker: string; line: number }
  /**
   * How many writes of the `wait:` clients are missing at the end (sim/check/durability-summary.ts):
   * `acknowledged` counts WAIT-acknowledged ones, `ok` every SET answered OK.
   */
  | { kind: 'lost-writes'; which: 'acknowledged' | 'ok'; op: CompareOp; value: number | [number, number]; line: number }
  /**
   * A Sentinel's view at the end (`sentinel: all`: every Sentinel's): `address` of the master
   * (GET-MASTER-ADDR-BY-NAME), its `flags`, `config-epoch`, or any SENTINEL MASTER `field`.
   */
  | { kind: 'sentinel'; sentinel: string; master: string; field: string; op: CompareOp; value: string | number | [number, number]; line: number }
  /** How many `event` events a Sentinel (or each, with `all`) emitted during the run. */
  | { kind: 'sentinel-event'; sentinel: string; event: string; op: CompareOp; value: number | [number, number]; line: number }
  /** A count of the Sentinel-aware clients' writes (`lost` optionally of one cause of docs/lost-writes.md). */
  | { kind: 'client-writes'; what: 'written' | 'acknowledged' | 'failed' | 'indeterminate' | 'lost'; cause: string | null; op: CompareOp; value: number | [number, number]; line: number }
  /** Run the command on `node` at the end and compare its redis-cli-style reply text. */
  | { kind: 'reply'; node: string; command: string; argv: string[]; op: 'equals' | 'not-equals'; value: string; line: number };

/**
 * The shape of a run's history and final state: what the recorder (history.ts) collects and
 * every checker reads.
 */
import type { Micros, TraceEvent, TraceRecord } from '../engine/index.js';
import type { CostModel, RedisConfig } from '../redis/index.js';
import type { SentinelFacts } from './sentinel-facts.js';

/** Facts about the run the checkers need besides what they observe. */
export interface HistoryMeta {
  seed: string;
  /** Virtual time after which no fault is active and no workload sends: the liveness phase starts. null = never. */
  quietFromUs: Micros | null;
  /** The effective boot config of every node. */
  configs: Record<string, RedisConfig>;
  costs: CostModel;
  /** A high percentile of one-way latency over all links, and the slowest link's bandwidth. */
  maxLatencyUs: Micros;
  minBandwidthBytesPerSec: number;
  /** SO_SNDBUF + SO_RCVBUF of the network's sockets (net defaults if absent). */
  tcpBufferBytes?: number;
  /** The acknowledged-writes clients: where they start looking for their master, their keys' prefix. */
  writers: WriterInfo[];
  samplePeriodUs: Micros;
  /** With Sentinels: how long they may take to settle after the faults (sentinel-facts.ts), added to the convergence bound. */
  sentinelSettleUs?: Micros;
}

export interface WriterInfo {
  node: string;
  keyPrefix: string;
}

/** One slaveN line of INFO replication. */
export interface SlaveLine {
  name: string;
  state: string;
  offset: number;
  lag: number;
}

/** The INFO replication fields the INFO checker reads, as a node reported them. */
export interface InfoSample {
  role: string;
  linkStatus: string | null;
  syncInProgress: number | null;
  connectedSlaves: number;
  slaves: SlaveLine[];
  replid: string;
  replid2: string;
  masterReplOffset: number;
  secondReplOffset: number;
  backlogActive: number;
  backlogSize: number;
  firstByteOffset: number;
  histlen: number;
}

export interface NodeSample {
  t: Micros;
  node: string;
  alive: boolean;
  /** Bumped by every boot and crash: samples of different incarnations are different processes. */
  incarnation: number;
  role: 'master' | 'slave' | 'down';
  masterHost: string | null;
  /** Replica link state (Redis's repl_state names), 'none' on a master. */
  link: string;
  loading: boolean;
  replid: string;
  offset: number;
  /**
   * The node claims its dataset is the stream prefix (replid, offset): a master with a
   * backlog, or a replica with a (cached) master and no load in progress.
   */
  stable: boolean;
  keys: number;
  /** used_memory: with `keys`, the size the convergence bound is computed for. */
  mem: number;
  /** Which sampling round (all nodes are sampled together). */
  round: number;
  /** DEBUG DIGEST-like; null where it was not worth computing. */
  digest: string | null;
  readOnly: boolean;
  expiredKeys: number;
  /** Replicas this node (as a master) lists as online. */
  online: string[];
  info: InfoSample | null;
}

/** One completed write of the acknowledged-writes client. */
export interface AckedWriteOp {
  t: Micros;
  /** The master it was sent to. */
  node: string;
  key: string;
  value: string;
  db: number;
  invokedUs: Micros;
  woff: number;
  /**
   * The SET moved the master's offset: it entered the replication stream. One that did not
   * (a master without a backlog yet) is in no stream, and WAIT's answer says nothing about it.
   */
  propagated: boolean;
  /** The SET was answered OK: the client was told the write happened, whatever WAIT said after. */
  setOk: boolean;
  /** WAIT's reply, -1 if the SET or the WAIT failed. */
  acked: number;
  wanted: number;
  /** Other nodes holding the key with this value when WAIT replied. */
  holders: string[];
}

/**
 * A node became a master (promotion) or started (boot) without some of the writes, or a
 * master was demoted under a master without them (it will lose them at its full resync).
 */
export interface DataLossEvent {
  t: Micros;
  node: string;
  kind: 'promoted' | 'restart' | 'demoted';
  /** For `demoted`: the master (root of the new chain) that lacked the writes. */
  onto?: string;
  /** For `restart`: the host lost power since the process last ran (the AOF kept only what was fsynced). */
  afterPowerLoss?: boolean;
  /** Keys of the acknowledged-writes clients' writes sent before t that the node did not hold. */
  lacking: string[];
}

/** A moment after the faults: was every replica connected with its master's offset and data? */
export interface ClusterSample {
  t: Micros;
  converged: boolean;
  /** The first reason it was not. */
  problem: string | null;
  problemNode: string | null;
  /** Nodes whose replicaof chain loops (left out of the test). */
  cycle: string[];
}

export interface FinalNode {
  alive: boolean;
  role: 'master' | 'slave' | 'down';
  masterHost: string | null;
  link: string;
  replid: string;
  offset: number;
  keys: number;
}

export interface FinalState {
  t: Micros;
  nodes: Record<string, FinalNode>;
  /** For each acknowledged-writes client: the master it would write to now, or null (dead end, cycle). */
  writerRoots: Array<WriterInfo & { root: string | null }>;
  /** Keys of the writes whose SET was answered OK (acknowledged by WAIT or not) present, with their value, on each live node. */
  present: Record<string, string[]>;
}

export interface History {
  meta: HistoryMeta;
  nodes: string[];
  samples: NodeSample[];
  events: TraceEvent[];
  writes: AckedWriteOp[];
  losses: DataLossEvent[];
  cluster: ClusterSample[];
  /** With Sentinels: what the Sentinel checkers read (filled in once the run is over). */
  sentinel?: SentinelFacts;
}

/**
 * Watches one run from inside (a RunObserver): keeps the trace records a report needs,
 * samples every node every 100 ms of virtual time, and notes two things the trace cannot
 * say by itself — when a replica has caught up after its link came up, and when every
 * replica has recovered after a fault — as `obs.*` records beside the trace records.
 *
 * It only reads state, and its events record nothing into the simulator's trace, so a run
 * with a collector has the same trace hash as one without (a test checks it).
 */
import type { Micros, TraceEvent, TraceRecord } from '../engine/index.js';
import type { RedisServer } from '../redis/index.js';
import type { RunObserver } from '../scenario/result.js';
import type { SentinelAnswers } from '../scenario/sentinel-answers.js';
import type { World } from '../scenario/world.js';
import type { WorkloadCounters } from '../workload/index.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export const SAMPLE_EVERY_US = 100_000;
/** Catch-up and recovery are checked this often while one is pending: their resolution. */
export const POLL_EVERY_US = 1_000;

/** One sample of one node; the pure report code turns these into columns. */
export interface NodeSample {
  alive: boolean;
  role: 'master' | 'replica';
  offset: number;
  master: string | null;
  linkUp: boolean | null;
  /** Offset the replica has applied (its master_repl_offset), null for masters. */
  applied: number | null;
  backlogFirst: number | null;
  backlogLast: number | null;
  /** Output-buffer usage per replica client (masters and chained replicas with replicas). */
  outputBuffer: Record<string, number>;
  /** Per replica client: stream bytes written and held by the kernels (send + receive buffers), not yet read. */
  inKernel: Record<string, number>;
  /** total_net_repl_output_bytes of this incarnation. */
  replOutputBytes: number;
}

export interface Sample {
  tUs: Micros;
  nodes: Record<string, NodeSample>;
}

/** What a run leaves for the report: records in time order, samples, counters. */
export interface Observation {
  records: TraceEvent[];
  samples: Sample[];
  workload: WorkloadCounters[];
  /** Reads served by replicas while their master link was down. */
  staleReads: number;
  /** The fork with the largest RDB, with the forking node's used_memory then; null without forks. */
  largestFork: ForkDataset | null;
  /** With Sentinels: each one's myid (the run id its votes name), and the run's Sentinel answers. */
  sentinelIds: Map<string, string>;
  sentinelAnswers: SentinelAnswers | null;
}

/** What a BGSAVE child had to write, beside what the parent held in memory at the fork. */
export interface ForkDataset {
  node: string;
  atUs: Micros;
  keys: number;
  usedMemoryBytes: number;
  rdbBytes: number;
  rdbcompression: boolean;
}

/** Trace kinds the report reads; everything else is dropped on the way in. */
const KEPT_PREFIXES = ['master.', 'replica.', 'rdb.', 'fault.', 'server.boot', 'server.crash', 'client.reply', 'aof.rewrite', 'sentinel.'];
/** Kept only when a Sentinel-aware client wrote them (they carry its host): its writes and their replies. */
const SENTINEL_CLIENT_KINDS = ['client.write', 'client.acked-write'];

interface Watch {
  fromUs: Micros;
  targets: Map<string, number>;
}

export class ReportCollector implements RunObserver {
  private w: World | null = null;
  private readonly records: TraceEvent[] = [];
  private readonly samples: Sample[] = [];
  private readonly counters: WorkloadCounters[] = [];
  /** Replica → offset it must reach to have caught up after its link came up. */
  private readonly catchUps = new Map<string, number>();
  private readonly watches: Watch[] = [];
  private polling = false;
  /** Replica → reads (hits + misses) when its link went down. */
  private readonly staleSince = new Map<string, number>();
  private staleReads = 0;
  private largestFork: ForkDataset | null = null;
  private readonly sentinelIds = new Map<string, string>();
  private answers: SentinelAnswers | null = null;

  constructor(private readonly endUs: Micros) {}

  world(w: World): void {
    this.w = w;
    // The Sentinels booted while the world was built, before this observer was attached.
    for (const [name, s] of w.sentinels) this.sentinelIds.set(s.myid, name);
    for (const [name, s] of w.servers) if (this.linkDown(s)) this.staleSince.set(name, reads(s));
    w.sim.trace.subscribe((rec) => this.onRecord(rec));
    const sample = (): void => {
      this.sample();
      const next = w.sim.now + SAMPLE_EVERY_US;
      if (next <= this.endUs) w.sim.at(next, sample);
    };
    w.sim.at(0, sample);
  }

  workloadClient(_index: number, counters: WorkloadCounters): void {
    this.counters.push(counters);
  }

  sentinelAnswers(answers: SentinelAnswers): void {
    this.answers = answers;
  }

  /** Call once the run is over. */
  finish(): Observation {
    const w = this.world_();
    for (const [name, since] of this.staleSince) this.staleReads += reads(w.servers.get(name)!) - since;
    this.staleSince.clear();
    return {
      records: this.records, samples: this.samples, workload: this.counters, staleReads: this.staleReads, largestFork: this.largestFork,
      sentinelIds: this.sentinelIds, sentinelAnswers: this.answers,
    };
  }

  private world_(): World {
    if (this.w === null) throw new Error('ReportCollector: the run never started');
    return this.w;
  }

  private server(name: string): RedisServer | undefined {
    return this.world_().servers.get(name);
  }

  private masterOf(s: RedisServer): RedisServer | undefined {
    const host = s.replica.masterHost;
    return host === null ? undefined : this.server(host);
  }

  private linkDown(s: RedisServer): boolean {
    return s.alive && s.replica.masterHost !== null && s.replica.state !== 'connected';
  }

  // ------------------------------------------------------------------ the trace

  private onRecord(rec: TraceEvent): void {
    if (SENTINEL_CLIENT_KINDS.includes(rec.kind)) {
      if ((rec as { client?: string }).client !== undefined) this.records.push(rec);
      return;
    }
    if (!KEPT_PREFIXES.some((p) => rec.kind.startsWith(p))) return;
    if (rec.kind === 'sentinel.boot') this.sentinelIds.set(rec.myid, rec.node ?? '');
    this.records.push(rec);
    const node = rec.node;
    const s = node === undefined ? undefined : this.server(node);
    switch (rec.kind) {
      case 'replica.link-up': {
        const m = s && this.masterOf(s);
        if (s && m) {
          this.catchUps.set(s.name, m.masterReplOffset);
          this.checkCatchUp(s.name);
          if (this.catchUps.size > 0) this.startPolling();
        }
        break;
      }
      case 'replica.link-down':
      case 'replica.link-closed':
      case 'server.crash':
        if (node !== undefined) this.catchUps.delete(node);
        break;
      case 'fault.heal':
      case 'fault.resume':
      case 'fault.restart':
      case 'fault.kill-link':
      case 'fault.write-burst':
        this.watchFrom(rec.t);
        break;
      case 'rdb.fork': {
        const bytes = Number(rec['bytes']);
        if (s && (this.largestFork === null || bytes > this.largestFork.rdbBytes)) {
          this.largestFork = {
            node: s.name, atUs: rec.t, keys: Number(rec['keys']), usedMemoryBytes: s.keyspace.usedMemoryBytes(), rdbBytes: bytes,
            rdbcompression: s.config.rdbcompression,
          };
        }
        break;
      }
      case 'fault.latency': {
        const forUs = Number(rec['for_us']);
        if (forUs >= 0 && rec.t + forUs <= this.endUs) this.world_().sim.at(rec.t + forUs, () => this.watchFrom(rec.t + forUs));
        break;
      }
    }
    if (s !== undefined) this.trackStaleReads(rec, s);
  }

  /** Reads answered while the link is down are stale (replica-serve-stale-data yes). */
  private trackStaleReads(rec: TraceEvent, s: RedisServer): void {
    if (rec.kind !== 'replica.state' && rec.kind !== 'server.crash' && rec.kind !== 'replica.promoted' && rec.kind !== 'server.boot') return;
    const since = this.staleSince.get(s.name);
    const down = this.linkDown(s);
    if (since !== undefined && (!down || rec.kind === 'server.crash')) {
      this.staleReads += reads(s) - since;
      this.staleSince.delete(s.name);
    }
    if (down && !this.staleSince.has(s.name)) this.staleSince.set(s.name, reads(s));
  }

  // ------------------------------------------------------------------ catch-up and recovery

  private checkCatchUp(name: string): void {
    const target = this.catchUps.get(name);
    const s = this.server(name);
    if (target === undefined || !s) return;
    const m = s.replica.master;
    if (s.replica.state === 'connected' && m && m.reploff >= target) {
      this.catchUps.delete(name);
      this.push({ t: this.world_().sim.now, node: name, kind: 'obs.caught-up', offset: m.reploff, target });
    }
  }

  /**
   * A fault ended at `fromUs`: wait until every replica is connected, done catching up,
   * and holds every byte its master had written at that moment. Set up after the current
   * event, so the fault's own effect (a CLIENT KILL, a heal) has happened.
   */
  private watchFrom(fromUs: Micros): void {
    const w = this.world_();
    w.sim.after(0, () => {
      const targets = new Map<string, number>();
      for (const [name, s] of w.servers) {
        const m = this.masterOf(s);
        if (m) targets.set(name, m.masterReplOffset);
      }
      this.watches.push({ fromUs, targets });
      this.startPolling();
    });
  }

  private recovered(watch: Watch): boolean {
    for (const [name, target] of watch.targets) {
      const s = this.server(name)!;
      if (!s.alive || s.replica.state !== 'connected' || this.catchUps.has(name)) return false;
      if ((s.replica.master?.reploff ?? -1) < target) return false;
    }
    return true;
  }

  private startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    const w = this.world_();
    const poll = (): void => {
      for (const name of [...this.catchUps.keys()]) this.checkCatchUp(name);
      for (let i = 0; i < this.watches.length; ) {
        const watch = this.watches[i]!;
        if (this.recovered(watch)) {
          this.push({ t: w.sim.now, kind: 'obs.recovered', from_us: watch.fromUs });
          this.watches.splice(i, 1);
        } else {
          i++;
        }
      }
      const next = w.sim.now + POLL_EVERY_US;
      if ((this.catchUps.size > 0 || this.watches.length > 0) && next <= this.endUs) w.sim.at(next, poll);
      else this.polling = false;
    };
    w.sim.after(POLL_EVERY_US, poll);
  }

  private push(rec: TraceEvent): void {
    this.records.push(rec);
  }

  // ------------------------------------------------------------------ samples

  private sample(): void {
    const w = this.world_();
    const nodes: Record<string, NodeSample> = {};
    for (const [name, s] of w.servers) nodes[name] = sampleNode(s);
    this.samples.push({ tUs: w.sim.now, nodes });
  }
}

function reads(s: RedisServer): number {
  return s.stats.keyspaceHits + s.stats.keyspaceMisses;
}

function sampleNode(s: RedisServer): NodeSample {
  const isReplica = s.replica.masterHost !== null;
  const b = s.backlog;
  const outputBuffer: Record<string, number> = {};
  const inKernel: Record<string, number> = {};
  if (s.alive && b !== null) {
    for (const r of s.master.replicas) {
      if (r.state === 'wait_bgsave_start' || r.client.closed) continue;
      outputBuffer[r.name] = b.outputBufferUsage(Math.min(unsentFrom(s, r), b.masterOffset));
      inKernel[r.name] = r.client.conn.bytesInKernel;
    }
  }
  return {
    alive: s.alive,
    role: isReplica ? 'replica' : 'master',
    offset: s.masterReplOffset,
    master: s.replica.masterHost,
    linkUp: isReplica ? s.alive && s.replica.state === 'connected' : null,
    applied: isReplica ? s.masterReplOffset : null,
    backlogFirst: b !== null && b.histlen > 0 ? b.backlogOffset : null,
    backlogLast: b !== null && b.histlen > 0 ? b.masterOffset : null,
    outputBuffer,
    inKernel,
    replOutputBytes: s.stats.totalNetReplOutputBytes,
  };
}

/**
 * The first stream byte a replica client has not handed to the kernel, as the master's
 * output-buffer check sees it (MasterSide.unsentFrom): held streams count from nextByte;
 * bytes beyond the socket buffers are still the master's.
 */
function unsentFrom(s: RedisServer, r: RedisServer['master']['replicas'][number]): number {
  return s.master.unsentFrom(r);
}

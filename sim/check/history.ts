/**
 * The history of a run, as the checkers read it (Jepsen's history, Elle's input): what the
 * nodes looked like over time and which protocol events happened. A HistoryRecorder
 * collects it while the simulation runs, from two sources:
 *
 *  - trace subscriptions: protocol events (syncs, promotions, boots, crashes), faults, and
 *    the `client.acked-write` completions of the acknowledged-writes client;
 *  - sampling: every node's replication state (role, replid, offset, backlog, INFO
 *    replication, key count), every `samplePeriodUs` and right after protocol events,
 *    scheduled on the simulator itself so samples fall at deterministic virtual times.
 *
 * Recording only reads the model: it records no trace records and changes no state, so a
 * run's trace hash is the same with and without it. Dataset digests (O(keys)) are computed
 * only where a checker can use them: for nodes that claim the same (replid, offset) at the
 * same instant, for a node whose offset did not move since its previous sample, and for
 * the convergence test once the faults are over.
 */
import { linkDownText } from './link-state.js';
import type { Micros, Simulator, TraceEvent, TraceEventOf, TraceKind, TraceRecord } from '../engine/index.js';
import type { RedisServer } from '../redis/index.js';
import type { AckedWriteOp, ClusterSample, DataLossEvent, FinalNode, FinalState, History, HistoryMeta, NodeSample } from './history-types.js';
import { infoSample } from './info-sample.js';

export type * from './history-types.js';

/** Trace kinds kept as history events: protocol steps, process changes, faults, client acks. */
const EVENT_KINDS = new Set<TraceKind>([
  'server.boot', 'server.crash', 'server.power-loss', 'server.load-rdb', 'server.load-aof', 'server.shutdown',
  'replica.replicaof', 'replica.promoted', 'replica.psync', 'replica.fullresync', 'replica.continue',
  'replica.link-up', 'replica.link-down', 'replica.link-closed', 'replica.timeout', 'replica.sync-done',
  'replica.flush', 'replica.load-start', 'replica.load-aborted', 'replica.transfer-start', 'replica.stream-gap',
  'repl.shift-id', 'master.psync-accepted', 'master.psync-rejected', 'master.fullresync', 'master.backlog-created',
  'master.backlog-freed', 'master.replica-timeout', 'master.cob-disconnect', 'master.replica-lost', 'master.replica-online',
  'rdb.child-killed', 'client.acked-write', 'client.command', 'client.reply',
  'fault.clock', 'fault.disk',
]);

/** Records after which the nodes are sampled again (at the same virtual time, once the event is over). */
const SAMPLE_AFTER = new Set<TraceKind>([
  'server.boot', 'server.crash', 'replica.promoted', 'replica.fullresync', 'replica.continue', 'replica.link-up',
  'replica.link-down', 'replica.sync-done', 'repl.shift-id', 'master.backlog-created', 'master.backlog-freed',
  'replica.replicaof', 'replica.load-done', 'replica.stream-gap',
]);

/** Nodes at equal stream positions have their data compared at most this often while it changes. */
const GROUP_DIGEST_EVERY_US = 1_000_000;

interface InvokedWrite {
  db: number;
  key: string;
  value: string;
}

export class HistoryRecorder {
  readonly history: History;
  private readonly names: string[];
  private unsubscribe: (() => void) | null = null;
  private extraSampleAt = -1;
  /** Last digest per node, valid while the key (incarnation/replid/offset/keys) is unchanged. */
  private readonly digestMemo = new Map<string, { key: string; digest: string }>();
  private readonly lastSample = new Map<string, NodeSample>();
  /** Writes whose SET was answered OK (WAIT-acknowledged or not): what `present` looks for at the end. */
  private readonly okWrites: AckedWriteOp[] = [];
  /** Every write the acknowledged-writes clients sent, acknowledged or not yet. */
  private readonly invoked: InvokedWrite[] = [];
  private readonly periodicBound = (): void => this.periodic();
  private readonly extraBound = (): void => this.sampleAll();
  private stopped = false;
  private rounds = 0;
  private lastGroupDigestUs = -Infinity;
  /** Nodes whose host lost power since their process last booted. */
  private readonly powerLost = new Set<string>();

  constructor(
    private readonly sim: Simulator,
    private readonly servers: ReadonlyMap<string, RedisServer>,
    meta: HistoryMeta,
  ) {
    this.names = [...servers.keys()];
    this.history = { meta, nodes: this.names, samples: [], events: [], writes: [], losses: [], cluster: [] };
  }

  start(): void {
    this.unsubscribe = this.sim.trace.subscribe((rec) => this.onRecord(rec));
    this.sampleAll();
    this.sim.at(this.sim.now + this.history.meta.samplePeriodUs, this.periodicBound);
  }

  /** Stops recording; takes the final sample and the final state. */
  finish(): FinalState {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.sampleAll();
    return this.finalState();
  }

  // ------------------------------------------------------------------ trace

  private onRecord(rec: TraceEvent): void {
    if (this.stopped) return;
    const kind = rec.kind;
    if (EVENT_KINDS.has(kind)) this.history.events.push(rec);
    if (kind === 'client.write') this.invoked.push({ db: rec.db, key: rec.key, value: rec.value });
    // Sentinel-aware clients' writes (they carry `client`) are judged by sentinel-losses.ts instead.
    else if (kind === 'client.acked-write' && rec.client === undefined) this.onAckedWrite(rec);
    else if (kind === 'replica.promoted' && rec.node !== undefined) this.noteLoss(rec.node, 'promoted');
    else if (kind === 'replica.replicaof' && rec.was_master && rec.node !== undefined) {
      // A master demoted under another: whatever its new master's side lacks, it will lose
      // at the full resync (split brain, demoted-master in docs/lost-writes.md).
      const root = rootOf(this.servers, rec.host);
      if (root !== null && root !== rec.node) this.noteLoss(root, 'demoted', rec.node);
    }
    else if (kind === 'server.power-loss' && rec.node !== undefined) this.powerLost.add(rec.node);
    else if (kind === 'server.boot' && rec.node !== undefined) {
      // The RDB is loaded after the boot record, within the same event: look once it is over.
      const node = rec.node;
      const afterPowerLoss = this.powerLost.delete(node);
      this.sim.at(this.sim.now, () => {
        if (!this.stopped) this.noteLoss(node, 'restart', node, afterPowerLoss);
      });
    }
    if (SAMPLE_AFTER.has(kind) && this.extraSampleAt !== this.sim.now) {
      this.extraSampleAt = this.sim.now;
      this.sim.at(this.sim.now, this.extraBound);
    }
  }

  private holds(s: RedisServer, db: number, key: string, value: string): boolean {
    if (!s.alive || db >= s.keyspace.databases) return false;
    const v = s.keyspace.get(db, key);
    return v !== undefined && (typeof v === 'string' || typeof v === 'number') && String(v) === value;
  }

  private onAckedWrite(rec: TraceEventOf<'client.acked-write'>): void {
    const node = rec.node ?? '';
    const op: AckedWriteOp = {
      t: rec.t,
      node,
      key: rec.key,
      value: rec.value,
      db: rec.db,
      invokedUs: rec.invoked_us,
      woff: rec.woff,
      propagated: false,
      setOk: rec.set === 'OK' && rec.woff >= 0,
      acked: rec.acked,
      wanted: rec.wanted,
      holders: [],
    };
    const before = rec.before;
    op.propagated = before >= 0 ? op.woff > before : op.woff > 0;
    if (op.acked >= 1) {
      for (const [name, s] of this.servers) if (name !== node && this.holds(s, op.db, op.key, op.value)) op.holders.push(name);
    }
    if (op.setOk) this.okWrites.push(op);
    this.history.writes.push(op);
  }

  /** What `node` lacks of the writes sent so far, recorded against `subject` (default: the node itself). */
  private noteLoss(node: string, kind: DataLossEvent['kind'], subject = node, afterPowerLoss = false): void {
    const s = this.servers.get(node);
    if (!s || this.invoked.length === 0) return;
    const lacking: string[] = [];
    for (const w of this.invoked) if (!this.holds(s, w.db, w.key, w.value)) lacking.push(w.key);
    if (lacking.length === 0) return;
    const ev: DataLossEvent = { t: this.sim.now, node: subject, kind, lacking };
    if (subject !== node) ev.onto = node;
    if (afterPowerLoss) ev.afterPowerLoss = true;
    this.history.losses.push(ev);
  }

  // ------------------------------------------------------------------ sampling

  private periodic(): void {
    if (this.stopped) return;
    this.sampleAll();
    this.sim.at(this.sim.now + this.history.meta.samplePeriodUs, this.periodicBound);
  }

  private sampleAll(): void {
    const t = this.sim.now;
    const round: NodeSample[] = [];
    for (const name of this.names) round.push(this.sampleNode(t, name, this.servers.get(name)!));
    // Digests where a comparison can use them: equal (replid, offset) claims at this instant …
    const groups = new Map<string, NodeSample[]>();
    for (const smp of round) {
      if (!smp.stable) continue;
      const k = `${smp.replid}:${smp.offset}`;
      const g = groups.get(k);
      if (g) g.push(smp);
      else groups.set(k, [smp]);
    }
    // Under load every sample finds nodes at equal positions and their data changed since the
    // last digest: comparing them once a second bounds the O(keys) cost, and a divergence that
    // lasts (the ones that matter) is still caught; a quiet cluster is compared every sample
    // (the digests are memoized while nothing is written).
    const compareGroups = t - this.lastGroupDigestUs >= GROUP_DIGEST_EVERY_US;
    for (const g of groups.values()) {
      if (g.length < 2) continue;
      if (!compareGroups && !g.every((smp) => this.memoized(smp))) continue;
      for (const smp of g) this.digestOf(smp);
      if (compareGroups) this.lastGroupDigestUs = t;
    }
    // … and nodes that did not move since their last sample (their data must not have either).
    for (const smp of round) {
      const prev = this.lastSample.get(smp.node);
      if (smp.stable && prev && prev.stable && prev.incarnation === smp.incarnation && prev.replid === smp.replid && prev.offset === smp.offset) {
        this.digestOf(smp);
      }
    }
    const q = this.history.meta.quietFromUs;
    if (q !== null && t >= q) this.history.cluster.push(this.clusterState(t, round));
    for (const smp of round) {
      this.history.samples.push(smp);
      this.lastSample.set(smp.node, smp);
    }
    this.rounds++;
  }

  private sampleNode(t: Micros, name: string, s: RedisServer): NodeSample {
    if (!s.alive) {
      return {
        t, node: name, alive: false, incarnation: s.incarnation, role: 'down', masterHost: null, link: 'none', loading: false,
        replid: '', offset: -1, stable: false, keys: 0, mem: 0, round: this.rounds, digest: null, readOnly: true, expiredKeys: 0, online: [], info: null,
      };
    }
    const r = s.replica;
    const isMaster = s.isMaster;
    const loading = s.loading || s.asyncLoading;
    const stable = isMaster
      ? s.backlog !== null && !loading
      : (r.master !== null || r.cached !== null) && !loading && r.state !== 'transfer';
    const online: string[] = [];
    for (const rep of s.master.replicas) if (rep.state === 'online') online.push(rep.name);
    return {
      t,
      node: name,
      alive: true,
      incarnation: s.incarnation,
      role: isMaster ? 'master' : 'slave',
      masterHost: r.masterHost,
      link: r.state,
      loading,
      replid: s.replid,
      offset: s.masterReplOffset,
      stable,
      keys: s.keyspace.totalKeys(),
      mem: s.keyspace.usedMemoryBytes(),
      round: this.rounds,
      digest: null,
      readOnly: s.config.replicaReadOnly,
      expiredKeys: s.stats.expiredKeys,
      online,
      info: infoSample(s),
    };
  }

  /** The memo key of a node's current data (see digestOf). */
  private dataKey(smp: NodeSample): string {
    const s = this.servers.get(smp.node)!;
    return `${keyspaceId(s.keyspace)}:${s.dirty}:${s.lastSaveUs}:${smp.keys}:${smp.mem}`;
  }

  private memoized(smp: NodeSample): boolean {
    return this.digestMemo.get(smp.node)?.key === this.dataKey(smp);
  }

  private digestOf(smp: NodeSample): string {
    if (smp.digest !== null) return smp.digest;
    const s = this.servers.get(smp.node)!;
    // The same keyspace object with the same write count (dirty, reset by saves, hence the
    // save time), key count and memory holds the same data: a PING moving the offset does
    // not cost a new O(keys) digest. The blind spot is a change that bypasses `dirty` and
    // keeps both the key count and the memory, which no checker relies on alone.
    const key = this.dataKey(smp);
    const memo = this.digestMemo.get(smp.node);
    let d: string;
    if (memo && memo.key === key) {
      d = memo.digest;
    } else {
      d = s.keyspace.digest();
      this.digestMemo.set(smp.node, { key, digest: d });
    }
    smp.digest = d;
    return d;
  }

  /**
   * Every live replica: connected, listed online by its master, same replid, offset and
   * data. Nodes in a replication cycle (A replicates from B, B from A — e.g. a promoted node
   * restarted with its old `replicaof`) have no master to converge to: they are skipped.
   */
  private clusterState(t: Micros, round: NodeSample[]): ClusterSample {
    const byName = new Map(round.map((smp) => [smp.node, smp]));
    const cycle = cycleNodes(round, byName);
    for (const smp of round) {
      const fail = (problem: string): ClusterSample => ({ t, converged: false, problem, problemNode: smp.node, cycle });
      if (!smp.alive) return fail(`${smp.node} is not running`);
      if (smp.role !== 'slave' || cycle.includes(smp.node)) continue;
      const m = smp.masterHost === null ? undefined : byName.get(smp.masterHost);
      if (!m || !m.alive) return fail(`${smp.node}'s master ${smp.masterHost ?? '?'} is not running`);
      if (smp.link !== 'connected') return fail(`${smp.node}: ${linkDownText(smp.link)}`);
      if (!m.online.includes(smp.node)) return fail(`${smp.node}: its master ${m.node} does not list it online`);
      if (smp.replid !== m.replid) return fail(`${smp.node}: replid ${short(smp.replid)} differs from ${m.node}'s ${short(m.replid)}`);
      if (smp.offset !== m.offset) return fail(`${smp.node}: offset ${smp.offset}, its master ${m.node} is at ${m.offset}`);
      if (smp.keys !== m.keys) return fail(`${smp.node}: ${smp.keys} keys, its master ${m.node} has ${m.keys}`);
      const d = this.digestOf(smp);
      const md = this.digestOf(m);
      if (d !== md) return fail(`${smp.node}: dataset digest ${d} differs from ${m.node}'s ${md}`);
    }
    return { t, converged: true, problem: null, problemNode: null, cycle };
  }

  private finalState(): FinalState {
    const nodes: Record<string, FinalNode> = {};
    const present: Record<string, string[]> = {};
    for (const [name, s] of this.servers) {
      if (!s.alive) {
        nodes[name] = { alive: false, role: 'down', masterHost: null, link: 'none', replid: '', offset: -1, keys: 0 };
        continue;
      }
      nodes[name] = {
        alive: true,
        role: s.isMaster ? 'master' : 'slave',
        masterHost: s.replica.masterHost,
        link: s.replica.state,
        replid: s.replid,
        offset: s.masterReplOffset,
        keys: s.keyspace.totalKeys(),
      };
      present[name] = this.okWrites.filter((w) => this.holds(s, w.db, w.key, w.value)).map((w) => w.key);
    }
    const writerRoots = this.history.meta.writers.map((w) => ({ ...w, root: rootOf(this.servers, w.node) }));
    return { t: this.sim.now, nodes, writerRoots, present };
  }
}

/** Nodes whose replicaof chain never reaches a master: they are on, or hang off, a cycle. */
function cycleNodes(round: NodeSample[], byName: Map<string, NodeSample>): string[] {
  const out: string[] = [];
  for (const start of round) {
    let cur: NodeSample | undefined = start;
    for (let hops = 0; cur && cur.alive && cur.role === 'slave'; hops++) {
      if (hops > round.length) {
        out.push(start.node);
        break;
      }
      cur = cur.masterHost === null ? undefined : byName.get(cur.masterHost);
    }
  }
  return out;
}

const keyspaceIds = new WeakMap<object, number>();
let nextKeyspaceId = 1;
function keyspaceId(ks: object): number {
  let id = keyspaceIds.get(ks);
  if (id === undefined) keyspaceIds.set(ks, (id = nextKeyspaceId++));
  return id;
}

/** The live master at the root of `start`'s replication chain, or null (dead end or cycle). */
export function rootOf(servers: ReadonlyMap<string, RedisServer>, start: string): string | null {
  let name = start;
  for (let hops = 0; hops <= servers.size; hops++) {
    const s = servers.get(name);
    if (!s || !s.alive) return null;
    if (s.isMaster) return name;
    const up = s.replica.masterHost;
    if (up === null) return null;
    name = up;
  }
  return null;
}

function short(id: string): string {
  return `${id.slice(0, 8)}…`;
}

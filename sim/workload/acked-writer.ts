/**
 * A closed-loop client of acknowledged writes: `SET <prefix>:<n> <n>` followed by
 * `WAIT <replicas> <timeout>` on the same connection, one write at a time — the shape of
 * an application that asks Redis for "replicated to at least N replicas" before it tells
 * its own user "saved". Each write leaves a `client.write` trace record when it is sent
 * (Jepsen's invocation) and a `client.acked-write` record when it completes (key, value,
 * when it was invoked, the master offset before the SET and the one WAIT waited for, how
 * many replicas WAIT counted): the history the durability checker reads. A SET that did
 * not move the offset (a master with no backlog yet) was not propagated: WAIT then counts
 * any online replica, and promises nothing.
 *
 * Writes go to the master at the root of `node`'s replication chain, as a Sentinel-aware
 * client follows a failover: if `node` was demoted and now replicates from r1, writes go
 * to r1. Keys are never rewritten, so a write is lost exactly when its key is missing.
 */
import type { Micros, Simulator } from '../engine/index.js';
import { type ClientSession, type RedisServer, type Reply, formatReply } from '../redis/index.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export interface AckedWriterSpec {
  /** Where the client starts looking for the master. */
  node: string;
  rateHz: number;
  fromUs: Micros;
  untilUs: Micros;
  keyPrefix: string;
  db: number;
  /** WAIT's numreplicas. */
  replicas: number;
  /** WAIT's timeout (rounded to whole ms, as WAIT takes it). */
  timeoutUs: Micros;
}

/** The trace record kinds of a write being sent, and of its completion. */
export const WRITE_RECORD = 'client.write';
export const ACKED_WRITE_RECORD = 'client.acked-write';

/** An operation that never completes (its server crashed while WAIT blocked) is given up after this. */
const GIVE_UP_AFTER_US = 1_000_000;

interface InFlight {
  seq: number;
  key: string;
  value: string;
  node: string;
  invokedUs: Micros;
  /** master_repl_offset just before the SET ran: a SET that did not move it was not propagated. */
  before: number;
  woff: number;
  done: boolean;
}

export class AckedWriter {
  /** Writes completed with WAIT ≥ 1 / all completed writes. */
  acked = 0;
  completed = 0;
  private seq = 0;
  private ticks = 0;
  private inFlight: InFlight | null = null;
  private readonly sessions = new Map<string, ClientSession>();
  private readonly intervalUs: number;
  private readonly tickBound = (): void => this.tick();

  constructor(
    private readonly sim: Simulator,
    private readonly servers: ReadonlyMap<string, RedisServer>,
    private readonly spec: AckedWriterSpec,
  ) {
    this.intervalUs = spec.rateHz > 0 ? Math.max(1, Math.round(1e6 / spec.rateHz)) : Infinity;
  }

  start(): void {
    if (!Number.isFinite(this.intervalUs) || this.spec.fromUs >= this.spec.untilUs) return;
    this.sim.at(Math.max(this.spec.fromUs, this.sim.now), this.tickBound);
  }

  /** The master at the root of the chain that starts at spec.node (or the last live node on it). */
  target(): string {
    let name = this.spec.node;
    for (let hops = 0; hops <= this.servers.size; hops++) {
      const s = this.servers.get(name);
      if (!s || !s.alive || s.isMaster) return name;
      const up = s.replica.masterHost;
      if (up === null || !this.servers.has(up)) return name;
      name = up;
    }
    return name; // a replication cycle: no master to find
  }

  private tick(): void {
    this.ticks++;
    // Closed loop: a tick that finds the previous write still waiting is skipped.
    if (this.inFlight === null) this.invoke();
    const next = this.spec.fromUs + Math.round((this.ticks * 1e6) / this.spec.rateHz);
    if (next < this.spec.untilUs) this.sim.at(Math.max(next, this.sim.now), this.tickBound);
  }

  private session(node: string, srv: RedisServer): ClientSession {
    let s = this.sessions.get(node);
    if (!s) {
      s = srv.commands.newSession('acked-writer');
      s.db = this.spec.db;
      this.sessions.set(node, s);
    }
    return s;
  }

  private invoke(): void {
    const node = this.target();
    const srv = this.servers.get(node)!;
    const seq = this.seq++;
    const op: InFlight = { seq, key: `${this.spec.keyPrefix}:${seq}`, value: String(seq), node, invokedUs: this.sim.now, before: -1, woff: -1, done: false };
    this.inFlight = op;
    this.sim.record(WRITE_RECORD, node, { key: op.key, value: op.value, db: this.spec.db });
    const session = this.session(node, srv);
    session.db = this.spec.db;
    this.sim.after(GIVE_UP_AFTER_US + this.spec.timeoutUs, () => this.complete(op, 'OK', 'no reply', -1));
    // The offset before the SET. (A stopped server runs the SET later, but then nothing else
    // runs on it meanwhile either: without a backlog the offset still does not move.)
    op.before = srv.masterReplOffset;
    srv.commands.call(session, ['SET', op.key, op.value], (r: Reply) => {
      if (op.done) return;
      if (r.type === 'error') return this.complete(op, formatReply(r), '', -1);
      op.woff = session.woff;
      if (op.before > op.woff) op.before = -1;
      const timeoutMs = String(Math.max(0, Math.round(this.spec.timeoutUs / 1000)));
      srv.commands.call(session, ['WAIT', String(this.spec.replicas), timeoutMs], (w: Reply) => {
        if (op.done) return;
        if (w.type === 'int') this.complete(op, 'OK', String(w.value), w.value);
        else this.complete(op, 'OK', formatReply(w), -1);
      });
    });
  }

  private complete(op: InFlight, set: string, wait: string, acked: number): void {
    if (op.done) return;
    op.done = true;
    if (this.inFlight === op) this.inFlight = null;
    this.completed++;
    if (acked >= 1) this.acked++;
    this.sim.record(ACKED_WRITE_RECORD, op.node, {
      key: op.key,
      value: op.value,
      db: this.spec.db,
      invoked_us: op.invokedUs,
      before: op.before,
      woff: op.woff,
      set,
      wait,
      acked,
      wanted: this.spec.replicas,
    });
  }
}

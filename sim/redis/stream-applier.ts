/**
 * A replica applying its master's stream (networking.c: processInputBuffer and commandProcessed
 * with the master client) and proxying exactly the applied bytes to its own backlog and
 * sub-replicas (replicationFeedStreamFromMasterStream), so every node of a chain has the same
 * replid and offsets.
 */
import { simAssert } from '../engine/index.js';
import { executeCommand, executeSpec } from './commands/commands.js';
import { lookupCommand, type CommandSpec } from './commands/command-table.js';
import { createExecContext, type ExecContext } from './commands/exec-context.js';
import type { StreamUnit } from './replication-buffer.js';
import type { MasterClientState, ReplicaSide } from './replica-side.js';
import type { RedisServer } from './server.js';

export class StreamApplier {
  private db = 0;
  /** The ExecContext the stream's commands run in, rebuilt when the keyspace is replaced. */
  private ctx: ExecContext | null = null;
  /**
   * The master client's last command name and its spec (c->lastcmd). The stream repeats a
   * few commands, and a unit's argv is one array shared by every replica that applies it, so
   * the name is usually the very string looked up last: compared, not hashed again.
   */
  private lastName: string | null = null;
  private lastCmd: CommandSpec | undefined = undefined;
  /**
   * mstime() when the master client's bytes were read (ReplicaSide.onData sets it before
   * applying them): the time the stream's commands run at. A field rather than an argument,
   * so that the ms timestamp (beyond a small integer) is not boxed on each call.
   */
  readAtMs = 0;

  constructor(
    private readonly server: RedisServer,
    private readonly replica: ReplicaSide,
  ) {}

  selectDb(db: number): void {
    this.db = db;
  }

  /** The DB the master client has selected (server.master->db->id). */
  get currentDb(): number {
    return this.db;
  }

  /** processInputBuffer for the master client: run each unit, advance reploff, proxy the bytes (commandProcessed). */
  apply(units: readonly StreamUnit[]): void {
    const m = this.replica.master;
    if (!m) return;
    for (let i = 0; i < units.length; i++) this.applyOne(units[i]!, m);
  }

  /** apply for a unit the master sent alone (wire.ts: the unit is the message). */
  applyUnit(unit: StreamUnit): void {
    const m = this.replica.master;
    if (m) this.applyOne(unit, m);
  }

  private applyOne(unit: StreamUnit, m: MasterClientState): void {
    const s = this.server;
    // The rare branches' assertion messages are built in methods of their own: a function
    // holding a closure allocates its context on every call.
    if (unit.offset + unit.bytes - 1 <= m.reploff) {
      // The other end of masterTryPartialResynchronization / the FULLRESYNC offset: the master
      // starts a replica's stream at the byte after the one it applied, never before.
      this.alreadyApplied(unit, m.reploff);
      return;
    }
    if (unit.offset !== m.reploff + 1) this.skipGap(unit, m);
    // One context for the unit's commands: they run at one instant on one keyspace (a command
    // of the stream never replaces the keyspace; only a full sync's load does).
    const ctx = this.context();
    const cmds = unit.cmds;
    for (let j = 0; j < cmds.length; j++) this.execute(ctx, cmds[j]!, m.reploff);
    m.reploff += unit.bytes;
    m.readReploff = m.reploff;
    if (s.backlog !== null) s.proxyToStream(unit);
    else s.masterReplOffset = m.reploff;
  }

  private alreadyApplied(unit: StreamUnit, reploff: number): void {
    const s = this.server;
    simAssert(s.env.bugs.size > 0, s.sim, () => `${s.name}: stream unit at ${unit.offset} (${unit.bytes} bytes) already applied (applied offset ${reploff})`);
  }

  /**
   * A gap in the stream. With a planted bug the replica carries on silently, as a buggy
   * implementation would, so the checkers must find the damage; otherwise it is a model bug.
   */
  private skipGap(unit: StreamUnit, m: MasterClientState): void {
    const s = this.server;
    const reploff = m.reploff;
    simAssert(s.env.bugs.size > 0, s.sim, () => `${s.name}: stream unit at ${unit.offset} but applied offset is ${reploff}`);
    s.trace('replica.stream-gap', { expected: m.reploff + 1, got: unit.offset });
    m.reploff = unit.offset - 1;
    if (s.backlog !== null) s.backlog = null;
    s.masterReplOffset = m.reploff;
  }

  private context(): ExecContext {
    const s = this.server;
    let c = this.ctx;
    if (c === null || c.keyspace !== s.keyspace) {
      c = createExecContext(s.keyspace, {
        db: this.db,
        nowMs: this.readAtMs,
        isMaster: false,
        fromMaster: true,
        // The stream is proxied as received (proxyToStream): what a command propagates is not used.
        discardOps: true,
        lazyfreeLazyExpire: s.config.lazyfreeLazyExpire,
        lazyfreeLazyUserDel: s.config.lazyfreeLazyUserDel,
        stats: s.stats,
        // A PUBLISH from the master reaches this replica's own subscribers.
        publish: s.pubsub.publishHook,
      });
      this.ctx = c;
    }
    c.db = this.db;
    c.nowMs = this.readAtMs;
    return c;
  }

  private execute(ctx: ExecContext, argv: readonly string[], reploffBefore: number): void {
    const name = argv[0]!;
    // Looked up once, for the histogram and the execution.
    let spec = this.lastCmd;
    if (name !== this.lastName) {
      spec = lookupCommand(name);
      this.lastName = name;
      this.lastCmd = spec;
    }
    // The master client's commands go through call(): each command's latency histogram too.
    this.server.memory.recordCall(argv, spec);
    const first = name.charCodeAt(0) | 0x20;
    // Control commands of the stream: cheap checks on the first letter before comparing.
    if (first === 0x70 /* p */ && name.toLowerCase() === 'ping') return;
    if (first === 0x6d /* m */ && name.toUpperCase() === 'MULTI') return;
    if (first === 0x65 /* e */ && name.toUpperCase() === 'EXEC') return;
    if (first === 0x72 /* r */ && name.toUpperCase() === 'REPLCONF') {
      // replconfCommand's GETACK calls replicationSendAck: the ACK excludes the GETACK itself
      // (reploff moves after the command).
      if ((argv[1] ?? '').toUpperCase() === 'GETACK') this.replica.sendCommand(['REPLCONF', 'ACK', String(reploffBefore)]);
      return;
    }
    // PUBLISH runs (delivering the message) but is forced to replication only: no AOF, not dirty.
    const publish = first === 0x70 /* p */ && name.toLowerCase() === 'publish';
    if (!publish) this.server.aof.appendCommand(ctx.db, argv);
    if (spec === undefined) executeCommand(ctx, argv as string[]);
    else executeSpec(ctx, spec, argv as string[]);
    this.db = ctx.db;
    // pop(), not `length = 0`, which frees the backing store the next push reallocates.
    while (ctx.ops.length > 0) ctx.ops.pop();
    if (!publish) this.server.dirty++;
    // A writable replica's own BLPOP clients are served by its master's pushes too.
    if (this.server.commands.blocked.count > 0) this.server.commands.blocked.serveReady();
  }
}

/**
 * The append-only file (appendonly yes), modelled by what it replays to: a shadow dataset
 * that receives exactly what Redis appends — every propagated op on a master, every
 * command of the stream on a replica — and is replaced by the whole dataset at a rewrite
 * (BGREWRITEAOF, the rewrite after a replica's full sync). Writes that bypass propagation,
 * like DEBUG POPULATE, are not in it, as in Redis. A killed process loses none of it (the
 * page cache survives the process); at boot Redis loads the AOF, never the RDB.
 */
import { executeCommand } from './commands.js';
import type { ExecContext, PropagatedOp } from './exec-context.js';
import { Keyspace } from './keyspace.js';
import type { RedisServer } from './server.js';

export class AppendOnlyFile {
  /** What the file replays to; null while appendonly is off. */
  data: Keyspace | null = null;
  private ctx: ExecContext | null = null;

  constructor(private readonly server: RedisServer) {}

  /** At boot: with appendonly yes the AOF starts from what was loaded (itself, or nothing). */
  open(loaded: Keyspace | null): void {
    const s = this.server;
    this.ctx = null;
    this.data = s.config.appendonly ? (loaded ? copyOf(loaded) : new Keyspace(s.config.databases)) : null;
  }

  /** BGREWRITEAOF and the rewrite after a full sync: the base is the whole dataset. */
  rewrite(): void {
    if (!this.server.config.appendonly) return;
    this.ctx = null;
    this.data = copyOf(this.server.keyspace);
    this.server.trace('aof.rewrite', { keys: this.data.totalKeys() });
  }

  /** feedAppendOnlyFile: ops as propagated (already rewritten to absolute times etc.). */
  appendOps(ops: readonly PropagatedOp[]): void {
    if (this.data === null) return;
    for (const op of ops) this.apply(op.db, op.argv);
  }

  /** A replica appends the commands it applies from its master's stream. */
  appendCommand(db: number, argv: readonly string[]): void {
    if (this.data === null) return;
    this.apply(db, argv);
  }

  private apply(db: number, argv: readonly string[]): void {
    const ks = this.data!;
    let c = this.ctx;
    if (c === null || c.keyspace !== ks) {
      c = {
        keyspace: ks,
        db,
        nowMs: 0,
        isMaster: false,
        fromMaster: true, // replaying a log: keys never look expired
        ops: [],
        lazyfreeLazyExpire: false,
        lazyfreeLazyUserDel: false,
        stats: { expiredKeys: 0, keyspaceHits: 0, keyspaceMisses: 0 },
      };
      this.ctx = c;
    }
    c.db = db;
    c.nowMs = this.server.nowMs();
    executeCommand(c, argv as string[]);
    c.ops.length = 0;
  }
}

function copyOf(ks: Keyspace): Keyspace {
  const snap = ks.snapshot();
  const copy = Keyspace.fromSnapshot(snap);
  snap.release();
  return copy;
}

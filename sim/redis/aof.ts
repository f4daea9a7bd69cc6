/**
 * The append-only file (appendonly yes), modelled by what it replays to: a shadow dataset
 * that receives exactly what Redis appends — every propagated op on a master, every
 * command of the stream on a replica — and is replaced by the whole dataset at a rewrite
 * (BGREWRITEAOF, the rewrite after a replica's full sync). Writes that bypass propagation,
 * like DEBUG POPULATE, are not in it, as in Redis. At boot Redis loads the AOF, never the RDB.
 *
 * Durability (appendfsync, flushAppendOnlyFile in aof.c 7.0): what was appended since the
 * last fsync sits in the OS page cache, held here as `pending` and folded into the shadow
 * dataset at each fsync. A killed process loses none of it (the page cache survives the
 * process); a power loss (powerLoss) loses it. The policies:
 *
 *   always    fsync in the beforeSleep of the iteration that wrote, before any reply goes
 *             out; here every op is durable as it is appended (the model sends replies
 *             within the event), so nothing acknowledged is ever lost.
 *   everysec  at the end of an event-loop iteration (beforeSleep, and the cron's iteration),
 *             fsync iff something is unsynced and `server.unixtime > server.aof_last_fsync`,
 *             then aof_last_fsync = unixtime. 7.0.15 also fsyncs with an empty buffer when
 *             the last write was never synced, so a burst followed by silence is on disk
 *             within a second or so. unixtime is the node's wall clock: a clock stepped
 *             back delays the next fsync by the step, as in Redis. The fsync itself runs in
 *             a bio thread in Redis; here it takes no time.
 *   no        Redis never fsyncs; the kernel writes dirty pages back once they are older
 *             than dirty_expire_centisecs (30 s; the flusher wakes every 5 s, ignored
 *             here): an op is durable 30 s of virtual time after it was appended.
 *
 * A rewrite is a forked child (rdb-child.ts, CHILD_TYPE_AOF) that writes and fsyncs a new
 * base before the rename: it takes the fork plus an RDB save's time, blocks other forks, and
 * after a startAppendOnly the AOF counts only once it is done (see waitingRewrite). What a restarting process reads is the
 * file as the page cache shows it; once loaded it counts as synced (Redis's
 * aof_last_incr_fsync_offset starts at the file's size too).
 */
import { sec, type Micros, type UnixSeconds } from '../engine/index.js';
import { executeCommand } from './commands/commands.js';
import { createExecContext, type ExecContext, type PropagatedOp } from './commands/exec-context.js';
import { Keyspace } from './data/keyspace.js';
import type { RdbImage } from './data/rdb.js';
import type { RedisServer } from './server.js';

/** dirty_expire_centisecs: how old a dirty page is when the kernel writes it back. */
export const KERNEL_WRITEBACK_US: Micros = sec(30);

const EMPTY_ARGV: readonly string[] = Object.freeze([]);

export class AppendOnlyFile {
  /** What the fsynced part of the file replays to; null while appendonly is off. */
  data: Keyspace | null = null;
  private ctx: ExecContext | null = null;
  // Appended but not fsynced (the page cache), as parallel arrays: db, argv, the node's
  // clock when appended (replayed with it), and the virtual time (for the kernel's writeback).
  private pendingDb: number[] = [];
  private pendingArgv: (readonly string[])[] = [];
  private pendingMs: number[] = [];
  private pendingUs: Micros[] = [];
  /** The pending arrays' live part starts here: written-back entries are skipped, not spliced out. */
  private pendingHead = 0;
  /** server.aof_last_fsync: unixtime of the last fsync. */
  private lastFsyncSec: UnixSeconds = 0;
  private flushScheduled = false;
  /**
   * Keys in the AOF's base (its RDB preamble, written by the last rewrite): what a restart
   * counts as rdb_last_load_keys_loaded — the incremental part is replayed, not loaded.
   */
  baseKeys = 0;
  /**
   * Commands in the AOF's incremental part (written since its base): a restart replays them,
   * serving clients from the first one on (loadSingleAppendOnlyFile polls every 1024 commands,
   * starting with the first); an empty incremental file is skipped without a poll.
   */
  incrCommands = 0;
  /** Commands appended since the running rewrite's fork: the next incremental part. */
  private commandsSinceFork = 0;
  /** aof_last_bgrewrite_status. */
  lastRewriteOk = true;
  private retryScheduled = false;
  /**
   * AOF_WAIT_REWRITE (startAppendOnly: CONFIG SET appendonly yes, restartAOFAfterSYNC): the
   * AOF restarts from a background rewrite. Until it is done, what is on disk is the old AOF
   * (or none): commands since the fork go to a temporary incremental file that joins the AOF
   * only when the rewrite completes; before the fork, nothing is appended at all.
   */
  waitingRewrite = false;
  private rewriteForked = false;
  private waitDb: number[] = [];
  private waitArgv: (readonly string[])[] = [];
  private waitMs: number[] = [];

  constructor(private readonly server: RedisServer) {}

  /** At boot: with appendonly yes the AOF starts from what was loaded (itself, or nothing). */
  open(loaded: Keyspace | null): void {
    const s = this.server;
    this.ctx = null;
    this.clearPending();
    this.flushScheduled = false;
    this.retryScheduled = false;
    this.lastFsyncSec = s.unixtime();
    const old = this.data;
    this.data = s.config.appendonly ? (loaded ? copyOf(loaded) : new Keyspace(s.config.databases, s.keyTable)) : null;
    old?.discard(); // its key ids go back to the run's key table
    if (loaded === null) {
      this.baseKeys = 0;
      this.incrCommands = 0;
    }
    this.lastRewriteOk = true;
    this.clearWait();
  }

  /**
   * The file a starting process loads: the synced part plus what the page cache still holds
   * (nothing of it after a power loss). null when there is no AOF.
   */
  imageAtBoot(): RdbImage | null {
    if (this.data === null) return null;
    this.fsync();
    const ks = this.data;
    return { snapshot: ks.snapshot(), keys: ks.totalKeys(), bytes: ks.rdbSizeBytes(), replid: null, offset: 0, streamDb: 0, createdAtUs: this.server.sim.now };
  }

  /**
   * BGREWRITEAOF: a background rewrite (rdb-child.ts startAofRewrite). The AOF stays on
   * meanwhile — the new incremental file is part of it from the fork on — so what the file
   * replays to does not change; only its base does, when the rewrite is done.
   */
  bgrewriteaof(): 'started' | 'scheduled' | 'in-progress' {
    return this.server.master.children.startAofRewrite();
  }

  /**
   * startAppendOnly (CONFIG SET appendonly yes; restartAOFAfterSYNC after a full sync's load):
   * the old AOF, if any, is fsynced and closed, and the AOF waits for a background rewrite.
   */
  startAppendOnly(): void {
    const s = this.server;
    if (!s.config.appendonly) return;
    if (this.data !== null) this.fsync();
    this.clearWait();
    this.waitingRewrite = true;
    s.trace('aof.wait-rewrite', {});
    s.master.children.startAofRewrite();
  }

  /** stopAppendOnly (CONFIG SET appendonly no): the AOF is closed; a rewrite child is killed. */
  stopAppendOnly(): void {
    this.data?.discard();
    this.data = null;
    this.clearWait();
    this.server.master.children.killAofRewrite();
  }

  /** The rewrite child was forked: from now on commands go to the rewrite's incremental file. */
  onRewriteForked(): void {
    this.rewriteForked = true;
    this.commandsSinceFork = 0;
    this.waitDb = [];
    this.waitArgv = [];
    this.waitMs = [];
  }

  /**
   * backgroundRewriteDoneHandler: the new base (the dataset at the fork) is in place. After a
   * startAppendOnly the AOF is now base + the commands since the fork; after BGREWRITEAOF its
   * content is unchanged. The base was fsynced by the child.
   */
  rewriteDone(image: RdbImage, tookUs: Micros, failed: boolean): void {
    const s = this.server;
    this.rewriteForked = false;
    if (failed) {
      this.lastRewriteOk = false;
      s.trace('aof.rewrite-failed', {});
      if (this.waitingRewrite) s.master.children.aofRewriteScheduled = true; // tried again
      return;
    }
    this.lastRewriteOk = true;
    s.stats.aofRewrites++;
    this.baseKeys = image.keys;
    this.incrCommands = this.waitingRewrite ? this.waitDb.length : this.commandsSinceFork;
    if (this.waitingRewrite && s.config.appendonly) {
      this.data?.discard();
      this.data = Keyspace.fromSnapshot(image.snapshot);
      this.ctx = null;
      this.clearPending();
      for (let i = 0; i < this.waitDb.length; i++) this.apply(this.waitDb[i]!, this.waitArgv[i]!, this.waitMs[i]!);
      this.clearWait();
      this.lastFsyncSec = s.unixtime();
    }
    s.trace('aof.rewrite', { keys: image.keys, us: tookUs });
  }

  private clearWait(): void {
    this.waitingRewrite = false;
    this.rewriteForked = false;
    this.waitDb = [];
    this.waitArgv = [];
    this.waitMs = [];
  }

  /** feedAppendOnlyFile: ops as propagated (already rewritten to absolute times etc.). */
  appendOps(ops: readonly PropagatedOp[]): void {
    if (this.waitingRewrite) {
      for (const op of ops) this.appendWhileWaiting(op.db, op.argv);
      return;
    }
    if (this.data === null) return;
    for (const op of ops) this.append(op.db, op.argv);
  }

  /** A replica appends the commands it applies from its master's stream. */
  appendCommand(db: number, argv: readonly string[]): void {
    if (this.waitingRewrite) return this.appendWhileWaiting(db, argv);
    if (this.data === null) return;
    this.append(db, argv);
  }

  /** AOF_WAIT_REWRITE: kept for the rewrite's incremental file once the child runs, else dropped. */
  private appendWhileWaiting(db: number, argv: readonly string[]): void {
    if (!this.rewriteForked) return;
    this.waitDb.push(db);
    this.waitArgv.push(argv);
    this.waitMs.push(this.server.nowMs());
  }

  /**
   * The end of an event-loop iteration (beforeSleep, and the cron's): flushAppendOnlyFile's
   * fsync decision. Safe to call at any time.
   */
  flushAppendOnlyFile(): void {
    if (this.data === null || this.pendingCount === 0) return;
    const s = this.server;
    switch (s.config.appendfsync) {
      case 'always':
        this.fsync();
        return;
      case 'everysec': {
        const now = s.unixtime();
        if (now > this.lastFsyncSec) {
          this.fsync();
          this.lastFsyncSec = now;
        }
        return;
      }
      case 'no':
        this.writeBack(s.sim.now - KERNEL_WRITEBACK_US);
        return;
    }
  }

  /**
   * The host lost power: the page cache is gone, except what the kernel had already written
   * back. The process is dead by then (server.powerLoss). Returns the number of ops lost.
   */
  losePageCache(): number {
    this.writeBack(this.server.sim.now - KERNEL_WRITEBACK_US);
    const lost = this.pendingCount;
    this.clearPending();
    return lost;
  }

  private append(db: number, argv: readonly string[]): void {
    const s = this.server;
    this.incrCommands++;
    this.commandsSinceFork++;
    if (s.config.appendfsync === 'always') {
      if (this.pendingCount > 0) this.fsync(); // switched from everysec/no: keep the order
      this.apply(db, argv, s.nowMs());
      return;
    }
    this.pendingDb.push(db);
    this.pendingArgv.push(argv);
    this.pendingMs.push(s.nowMs());
    this.pendingUs.push(s.sim.now);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      s.schedule(0, this.endOfIteration);
    }
  }

  private readonly endOfIteration = (): void => {
    this.flushScheduled = false;
    this.flushAppendOnlyFile();
    this.retryLater();
  };

  /**
   * Unsynced data and no write to come: Redis's next iterations (the cron's at least, every
   * 1/hz) fsync once the policy allows. Rather than polling every cron tick, look again when
   * it can first be due — the next second of the node's clock (everysec), or the oldest page's
   * writeback time (no) — up to 1/hz earlier than Redis would.
   */
  private retryLater(): void {
    if (this.retryScheduled || this.data === null || this.pendingCount === 0) return;
    const s = this.server;
    let delayUs: Micros;
    if (s.config.appendfsync === 'no') delayUs = Math.max(0, this.pendingUs[this.pendingHead]! + KERNEL_WRITEBACK_US - s.sim.now);
    else delayUs = (1000 - (((s.nowMs() % 1000) + 1000) % 1000)) * 1000;
    this.retryScheduled = true;
    s.schedule(delayUs, this.retry);
  }

  private readonly retry = (): void => {
    this.retryScheduled = false;
    this.flushAppendOnlyFile();
    this.retryLater();
  };

  /** Everything pending becomes durable. */
  private fsync(): void {
    this.writeBack(Infinity);
  }

  /** Pending ops appended at or before `untilUs` (virtual time) become durable, in order. */
  private writeBack(untilUs: Micros): void {
    const n = this.pendingDb.length;
    const from = this.pendingHead;
    let i = from;
    if (this.data !== null) {
      for (; i < n && this.pendingUs[i]! <= untilUs; i++) {
        this.apply(this.pendingDb[i]!, this.pendingArgv[i]!, this.pendingMs[i]!);
        this.pendingArgv[i] = EMPTY_ARGV; // let the written-back command go
      }
    } else {
      i = n; // appendonly was switched off: stopAppendOnly fsyncs and closes the file
    }
    if (i === from) return;
    if (i === n) {
      this.clearPending();
      return;
    }
    this.pendingHead = i;
    // A partial writeback (appendfsync no) advances the head; compact once half is dead, so
    // the work stays linear in the writes (slicing every time was quadratic).
    if (i > 1024 && i * 2 > n) {
      this.pendingDb = this.pendingDb.slice(i);
      this.pendingArgv = this.pendingArgv.slice(i);
      this.pendingMs = this.pendingMs.slice(i);
      this.pendingUs = this.pendingUs.slice(i);
      this.pendingHead = 0;
    }
  }

  private get pendingCount(): number {
    return this.pendingDb.length - this.pendingHead;
  }

  private clearPending(): void {
    this.pendingHead = 0;
    if (this.pendingDb.length === 0) return;
    this.pendingDb = [];
    this.pendingArgv = [];
    this.pendingMs = [];
    this.pendingUs = [];
  }

  private apply(db: number, argv: readonly string[], nowMs: number): void {
    const ks = this.data!;
    let c = this.ctx;
    if (c === null || c.keyspace !== ks) {
      // Replaying a log: keys never look expired, and what the commands propagate is not used.
      c = createExecContext(ks, { db, isMaster: false, fromMaster: true, discardOps: true });
      this.ctx = c;
    }
    c.db = db;
    c.nowMs = nowMs;
    executeCommand(c, argv as string[]);
    while (c.ops.length > 0) c.ops.pop(); // not `length = 0`: that frees the backing store
  }
}

function copyOf(ks: Keyspace): Keyspace {
  const snap = ks.snapshot();
  const copy = Keyspace.fromSnapshot(snap);
  snap.release();
  return copy;
}

/**
 * BGSAVE: the forked child that writes an RDB, to disk or (diskless) straight to replica
 * sockets, and how the master hands the result to its replicas (replication.c:
 * syncCommand's CASE 1–3, startBgsaveForReplication, updateSlavesWaitingBgsave, the rdbPipe*
 * handlers; rdb.c: rdbSaveBackground, rdbSaveToSlavesSockets). Costs come from the cost model: the parent is blocked for
 * the fork, the child works at per-key and per-byte rates, and the parent notices the
 * child's exit on its next serverCron tick.
 */
import type { UnixSeconds } from '../engine/index.js';
import { forkCost, rdbSaveCost } from './cost-model.js';
import type { MasterSide } from './master-side.js';
import { releaseImage, retainImage, writeDumpFile, type RdbImage } from './data/rdb.js';
import type { ReplicaClient } from './replica-client.js';
import type { RedisServer } from './server.js';
import { bulkHeaderBytes, EOF_MARK_BYTES, type WireMessage } from './wire.js';

export type RdbTarget = 'disk' | 'socket';

interface Child {
  /** CHILD_TYPE_RDB (BGSAVE, to disk or to sockets) or CHILD_TYPE_AOF (an AOF rewrite). */
  kind: 'rdb' | 'aof';
  /** A disk write failed: the child exits with an error. */
  failed: boolean;
  id: number;
  target: RdbTarget;
  /** Started by BGSAVE / save points rather than for replication. */
  forUser: boolean;
  image: RdbImage;
  /** The child finished its work; the parent reaps it at the next serverCron. */
  exited: boolean;
  killed: boolean;
  startedUs: number;
}

/** CONFIG_BGSAVE_RETRY_DELAY: seconds before a failed BGSAVE is tried again by serverCron. */
const BGSAVE_RETRY_DELAY_SEC = 5;
/** Disk-target RDB bytes sent per write event: paced by the link, held by full socket buffers. */
const SEND_BULK_CHUNK_BYTES = 256 * 1024;
/** Diskless: the child's output reaches the sockets in slices of this much child time. */
const DISKLESS_SLICE_US = 100_000;
/** How often a blocked pipe is looked at again (the socket becoming writable). */
const PIPE_POLL_US = 10_000;

export class RdbChildren {
  private child: Child | null = null;
  private forkSeq = 0;
  /** aof_rewrite_scheduled: BGREWRITEAOF (or the AOF's start) waits for another child to end. */
  aofRewriteScheduled = false;
  /** rdb_bgsave_scheduled: BGSAVE SCHEDULE (or BGSAVE inside EXEC) waits for another child to end. */
  rdbBgsaveScheduled = false;
  /** lastbgsave_try: the node's unix time of the last rdbSaveBackground fork (disk). */
  private lastBgsaveTry: UnixSeconds = 0;

  constructor(
    private readonly server: RedisServer,
    private readonly master: MasterSide,
  ) {}

  reset(): void {
    this.child = null;
    this.aofRewriteScheduled = false;
    this.rdbBgsaveScheduled = false;
    this.lastBgsaveTry = 0;
  }

  /** The running RDB child's target (an AOF rewrite child is not an RDB save). */
  runningTarget(): RdbTarget | null {
    return this.child && !this.child.killed && this.child.kind === 'rdb' ? this.child.target : null;
  }

  /** aof_rewrite_in_progress. */
  get aofRewriteInProgress(): boolean {
    return this.child !== null && this.child.kind === 'aof';
  }

  /** rdb_bgsave_in_progress. */
  get bgsaveInProgress(): boolean {
    return this.child !== null && this.child.kind === 'rdb';
  }

  /** syncCommand's choice for a replica that needs a full sync (CASE 1, 2, 3). */
  placeNewFullSyncReplica(r: ReplicaClient): void {
    const s = this.server;
    const c = this.child;
    if (c && c.kind === 'rdb' && c.target === 'disk') {
      const peer = this.master.replicas.find((x) => x !== r && x.state === 'wait_bgsave_end' && x.forkId === c.id);
      if (peer) {
        // CASE 1: share the running BGSAVE and the peer's buffer position.
        this.master.setupFullResync(r, peer.psyncInitialOffset, c.id);
        s.trace('master.attach-bgsave', { replica: r.name, fork: c.id });
        return;
      }
      s.trace('master.wait-next-bgsave', { replica: r.name, reason: 'cannot attach to the current BGSAVE' });
      return;
    }
    if (c && c.kind === 'rdb' && c.target === 'socket') {
      s.trace('master.wait-next-bgsave', { replica: r.name, reason: 'current BGSAVE has socket target' });
      return;
    }
    if (c) {
      // A killed child is still a child until serverCron reaps it (hasActiveChildProcess).
      s.trace('master.wait-next-bgsave', { replica: r.name, reason: 'another child is active' });
      return;
    }
    if (s.config.replDisklessSync && r.client.capaEof && s.config.replDisklessSyncDelaySec > 0) {
      s.trace('master.delay-bgsave', { replica: r.name, delay: s.config.replDisklessSyncDelaySec });
      return;
    }
    this.startBgsaveForReplication();
  }

  /**
   * replicationStartPendingFork (cron), with shouldStartChildReplication's test: start a fork
   * when the diskless wait is over (repl-diskless-sync-delay, or enough replicas waiting).
   */
  startPendingFork(): void {
    if (this.child) return;
    const waiting = this.master.replicas.filter((r) => r.state === 'wait_bgsave_start');
    if (waiting.length === 0) return;
    const cfg = this.server.config;
    const now = this.server.unixtime();
    let maxIdle = 0;
    for (const r of waiting) maxIdle = Math.max(maxIdle, now - r.client.lastInteraction);
    const ready =
      !cfg.replDisklessSync ||
      (cfg.replDisklessSyncMaxReplicas > 0 && waiting.length >= cfg.replDisklessSyncMaxReplicas) ||
      maxIdle >= cfg.replDisklessSyncDelaySec;
    if (ready) this.startBgsaveForReplication();
  }

  /** startBgsaveForReplication: one fork for every replica waiting, to sockets if all of them can take EOF. */
  private startBgsaveForReplication(): void {
    const s = this.server;
    const waiting = this.master.replicas.filter((r) => r.state === 'wait_bgsave_start');
    if (waiting.length === 0 || this.child) return;
    const mincapaEof = waiting.every((r) => r.client.capaEof);
    const target: RdbTarget = s.config.replDisklessSync && mincapaEof ? 'socket' : 'disk';
    s.trace('master.bgsave-for-sync', { target, replicas: waiting.length });
    const c = this.fork(target, false);
    for (const r of waiting) this.master.setupFullResync(r, c.image.offset, c.id);
  }

  /** rdbSaveBackground (rdb.c) for BGSAVE or a save point: always to disk. */
  bgsaveForUser(): boolean {
    if (this.child) return false;
    this.fork('disk', true);
    return true;
  }

  /** Whether any child (an RDB save or an AOF rewrite) runs: hasActiveChildProcess. */
  get hasActiveChild(): boolean {
    return this.child !== null;
  }

  /**
   * serverCron's guard on saving again after a failed BGSAVE: the last one succeeded, or
   * more than CONFIG_BGSAVE_RETRY_DELAY (5 s) of the node's clock passed since it was tried.
   */
  bgsaveRetryAllowed(): boolean {
    return this.server.lastBgsaveOk || this.server.unixtime() - this.lastBgsaveTry > BGSAVE_RETRY_DELAY_SEC;
  }

  /**
   * rewriteAppendOnlyFileBackground: a forked child writes the dataset as the AOF's new base
   * (an RDB preamble, uncompressed work like an RDB save) and fsyncs it; the parent switches
   * to it when it reaps the child (backgroundRewriteDoneHandler, aof.ts rewriteDone). With
   * another child running, the rewrite is scheduled and starts when that child is reaped.
   */
  startAofRewrite(): 'started' | 'scheduled' | 'in-progress' {
    const c = this.child;
    if (c !== null && c.kind === 'aof') return 'in-progress';
    if (c !== null) {
      this.aofRewriteScheduled = true;
      this.server.trace('aof.rewrite-scheduled', { reason: 'another child is active' });
      return 'scheduled';
    }
    this.aofRewriteScheduled = false;
    this.fork('disk', true, 'aof');
    return 'started';
  }

  /** serverCron (after replicationCron): a scheduled BGSAVE starts once no child runs. */
  private startScheduledBgsave(): void {
    if (this.rdbBgsaveScheduled && this.child === null && this.bgsaveRetryAllowed()) {
      this.rdbBgsaveScheduled = false;
      this.fork('disk', true);
    }
  }

  /** serverCron: a scheduled AOF rewrite starts once no child runs. */
  private startScheduledAofRewrite(): void {
    if (this.aofRewriteScheduled && this.child === null) this.startAofRewrite();
  }

  /** redisFork (server.c) for rdbSaveBackground, rdbSaveToSlavesSockets or rewriteAppendOnlyFileBackground. */
  private fork(target: RdbTarget, forUser: boolean, kind: 'rdb' | 'aof' = 'rdb'): Child {
    const s = this.server;
    const ks = s.keyspace;
    const keys = ks.totalKeys();
    const info = s.replica.saveInfo();
    const image: RdbImage = {
      snapshot: ks.snapshot(s.config.rdbcompression),
      keys,
      // rdbcompression no: rdbSaveRawString stores every string verbatim (no LZF).
      bytes: ks.rdbSizeBytes(s.config.rdbcompression),
      replid: info ? info.replid : null,
      // getPsyncInitialOffset: the fork's offset is what +FULLRESYNC announces, master_repl_offset (on a replica too).
      offset: s.masterReplOffset,
      // The planted bug also drops repl-stream-db from the RDB (as an RDB without the aux
      // field reads): with the SELECT reset skipped, the replica then runs in the wrong DB.
      streamDb: info && !s.bug('skip-select-after-resync') ? info.streamDb : 0,
      createdAtUs: s.sim.now,
    };
    retainImage(image); // the child holds it until it is reaped or killed
    const c: Child = { kind, id: ++this.forkSeq, target, forUser, image, exited: false, killed: false, failed: false, startedUs: s.sim.now };
    if (target === 'disk' && (s.diskFaults.full || (kind === 'rdb' && s.diskFaults.failBgsaves > 0))) {
      c.failed = true;
      if (kind === 'rdb' && s.diskFaults.failBgsaves > 0) s.diskFaults.failBgsaves--;
    }
    if (kind === 'aof') s.aof.onRewriteForked();
    this.child = c;
    // stat_rdb_saves counts rdbSaveBackground (disk) forks, not diskless transfers or AOF rewrites.
    if (target === 'disk' && kind === 'rdb') {
      s.stats.rdbSaves++;
      this.lastBgsaveTry = s.unixtime(); // rdbSaveBackground
    }
    s.stats.totalForks++;
    const costs = s.env.costs;
    const forkUs = forkCost(costs, ks.usedMemoryBytes());
    const diskSpeed = s.diskFaults.bytesPerSec ?? costs.diskBytesPerSec;
    const workUs = rdbSaveCost(costs, keys, image.bytes) + (target === 'disk' && Number.isFinite(diskSpeed) ? Math.ceil((image.bytes * 1e6) / diskSpeed) : 0);
    if (kind === 'aof') s.trace('aof.rewrite-start', { fork: c.id, keys, bytes: image.bytes, fork_us: forkUs, work_us: workUs });
    else s.trace('rdb.fork', { fork: c.id, target, keys, bytes: image.bytes, fork_us: forkUs, work_us: workUs });
    // fork() blocks the parent's event loop.
    s.freeze('fork');
    const incarnation = s.incarnation;
    s.sim.after(forkUs, () => {
      if (incarnation !== s.incarnation) return;
      s.thaw('fork');
      if (c.killed) return;
      s.trace('rdb.child-start', { fork: c.id, target });
      if (target === 'socket') {
        this.streamToSockets(c, workUs);
        return;
      }
      // The child runs on its own core: a paused parent does not stop it; a crash kills it.
      s.sim.after(workUs, () => {
        if (incarnation !== s.incarnation || c.killed) return;
        c.exited = true;
        s.trace('rdb.child-done', { fork: c.id, target });
      });
    });
    return c;
  }

  /**
   * rdbSaveToSlavesSockets with rdbPipeReadHandler / rdbPipeWriteHandler: "$EOF:<mark>\r\n", then the payload in slices as the child produces it, then
   * the mark. The parent relays the child's pipe to every socket and stops reading it while
   * any socket is full, so the slowest replica throttles the child and everyone else; a
   * replica that stops draining stops being written to, and cron drops it after repl-timeout.
   * A replica that is gone is no longer a target (rdbPipeWriteHandlerConnRemoved).
   */
  private streamToSockets(c: Child, workUs: number): void {
    const s = this.server;
    const targets = () => this.master.replicas.filter((r) => r.forkId === c.id && r.state === 'wait_bgsave_end');
    for (const r of targets()) {
      r.client.conn.send(EOF_MARK_BYTES + 7, { t: 'rdb-begin', eof: true, size: 0 } satisfies WireMessage);
    }
    // Slices of child time, and never more than a chunk of bytes each, so a slow link sees
    // bytes arriving all along (a replica's transfer timeout watches the last byte read).
    const slices = Math.max(1, Math.ceil(workUs / DISKLESS_SLICE_US), Math.ceil((c.image.bytes + EOF_MARK_BYTES) / SEND_BULK_CHUNK_BYTES));
    // Slice k ends at floor(workUs × k / slices) of child time: the slices add up to workUs exactly.
    const sliceUs = (k: number): number => Math.floor((workUs * k) / slices) - Math.floor((workUs * (k - 1)) / slices);
    const total = c.image.bytes + EOF_MARK_BYTES;
    let produced = 0;
    let sent = 0;
    const step = (): void => {
      if (c.killed || this.child !== c) return;
      const ts = targets();
      if (ts.some((r) => r.client.conn.bytesUnsent > 0)) {
        s.schedule(PIPE_POLL_US, step); // the pipe is not read: the child waits with it
        return;
      }
      produced++;
      const upTo = Math.floor((total * produced) / slices);
      const bytes = upTo - sent;
      sent = upTo;
      const last = produced === slices;
      const now = s.unixtime();
      for (const r of ts) {
        r.lastPartialWrite = now;
        r.client.conn.send(bytes, { t: 'rdb-data', last, image: last ? retainImage(c.image) : null } satisfies WireMessage);
        s.stats.totalNetReplOutputBytes += bytes;
      }
      if (last) {
        c.exited = true;
        s.trace('rdb.child-done', { fork: c.id, target: 'socket', replicas: ts.length });
        return;
      }
      s.schedule(sliceUs(produced + 1), step);
    };
    s.schedule(sliceUs(1), step);
  }

  /** checkChildrenDone, once per serverCron: reap an exited child. */
  serverCronTick(): void {
    this.reapChild();
    this.startScheduledAofRewrite();
    this.startScheduledBgsave();
  }

  /**
   * checkChildrenDone's reaping: backgroundSaveDoneHandler (rdb.c) or backgroundRewriteDoneHandler
   * (aof.c), then updateSlavesWaitingBgsave for the replicas bound to this fork.
   */
  private reapChild(): void {
    const c = this.child;
    if (c && c.kind === 'aof') {
      if (!c.exited) return;
      this.child = null;
      this.server.aof.rewriteDone(c.image, this.server.sim.now - c.startedUs, c.failed);
      releaseImage(c.image);
      this.startPendingFork();
      return;
    }
    if (c && c.killed) {
      // Reaped: "Background saving terminated by signal"; pending forks start at once.
      this.child = null;
      this.server.trace('rdb.child-reaped', { fork: c.id });
      releaseImage(c.image);
      this.startPendingFork();
      return;
    }
    if (!c || !c.exited) return;
    this.child = null;
    const s = this.server;
    if (c.failed) {
      // "Background saving error": replicas waiting for this RDB are dropped
      // ("SYNC failed. BGSAVE child returned an error") and will retry.
      s.lastBgsaveOk = false;
      s.trace('rdb.bgsave-error', { fork: c.id, reason: s.diskFaults.full ? 'disk full' : 'write error' });
      for (const r of [...this.master.replicas]) {
        if (r.forkId === c.id && r.state === 'wait_bgsave_end') this.master.freeClient(r.client, 'BGSAVE child returned an error');
      }
      releaseImage(c.image);
      this.startPendingFork();
      return;
    }
    if (c.target === 'disk') s.lastBgsaveOk = true;
    s.trace('rdb.bgsave-done', { fork: c.id, target: c.target, us: s.sim.now - c.startedUs });
    if (c.target === 'disk') {
      writeDumpFile(s, c.image);
      s.lastSaveUs = s.sim.now;
      s.lastSave = s.unixtime();
      s.dirty = 0;
    }
    for (const r of [...this.master.replicas]) {
      if (r.forkId !== c.id || r.state !== 'wait_bgsave_end') continue;
      if (c.target === 'socket') this.master.putOnline(r, true);
      else this.sendBulk(r, c.image);
    }
    this.startPendingFork();
    // The child is gone; its image lives on only in the dump file and in messages.
    releaseImage(c.image);
  }

  /** sendBulkToSlave (SEND_BULK): "$<size>\r\n" then the file, paced by what the socket accepts. */
  private sendBulk(r: ReplicaClient, image: RdbImage): void {
    const s = this.server;
    r.state = 'send_bulk';
    r.rdbSentBytes = 0;
    r.client.conn.send(bulkHeaderBytes(image.bytes), { t: 'rdb-begin', eof: false, size: image.bytes } satisfies WireMessage);
    s.trace('master.send-bulk', { replica: r.name, bytes: image.bytes });
    // The file is read for the whole transfer: hold the image until its last chunk is out
    // (the child that made it may be reaped and the dump file replaced meanwhile).
    retainImage(image);
    // Redis's own pace (cost model): sendBulkToSlave moves 16 KB per writable event (the model
    // sends larger chunks at the same rate) and the replica writes each read to its temp file,
    // so over loopback a chunk is out only once that work is done: its time is spent before
    // it leaves, the last chunk's included.
    const paceBytesPerSec = s.env.costs.rdbTransferBytesPerSec;
    const bulkStartUs = s.sim.now;
    const step = (): void => {
      if (r.client.closed || r.state !== 'send_bulk') {
        releaseImage(image);
        return;
      }
      if (Number.isFinite(paceBytesPerSec)) {
        const dueUs = bulkStartUs + Math.ceil(((r.rdbSentBytes + Math.min(SEND_BULK_CHUNK_BYTES, image.bytes - r.rdbSentBytes)) * 1e6) / paceBytesPerSec);
        if (s.sim.now < dueUs) {
          s.schedule(dueUs - s.sim.now, step);
          return;
        }
      }
      // The socket's buffers are full: wait until the kernel takes more (sendBulkToSlave's write fails with EAGAIN).
      if (r.client.conn.bytesUnsent > 0) {
        s.schedule(this.chunkTimeUs(r, SEND_BULK_CHUNK_BYTES), step);
        return;
      }
      const bytes = Math.min(SEND_BULK_CHUNK_BYTES, image.bytes - r.rdbSentBytes);
      r.rdbSentBytes += bytes;
      const last = r.rdbSentBytes >= image.bytes;
      r.client.conn.send(bytes, { t: 'rdb-data', last, image: last ? retainImage(image) : null } satisfies WireMessage);
      s.stats.totalNetReplOutputBytes += bytes;
      if (last) {
        releaseImage(image);
        s.trace('master.send-bulk-done', { replica: r.name });
        this.master.putOnline(r, false);
      } else {
        s.schedule(this.chunkTimeUs(r, bytes), step);
      }
    };
    step();
  }

  private chunkTimeUs(r: ReplicaClient, bytes: number): number {
    const bw = this.server.env.net.link(this.server.name, r.name).bandwidthBytesPerSec;
    return Number.isFinite(bw) ? Math.max(1, Math.ceil((bytes * 1e6) / bw)) : 1;
  }

  /**
   * A replica left. The last replica waiting on a replication-only disk BGSAVE with no
   * save points kills the child; a diskless child dies when its last target drops.
   */
  onReplicaGone(r: ReplicaClient): void {
    const c = this.child;
    if (!c || c.forUser || r.forkId !== c.id) return;
    const stillWaiting = this.master.replicas.some((x) => x.forkId === c.id && x.state === 'wait_bgsave_end');
    if (stillWaiting) return;
    if (c.target === 'socket' || this.server.config.save.length === 0) this.kill('no replica waits for it');
  }

  /** killAppendOnlyChild (stopAppendOnly): the rewrite child dies; nothing replaces the AOF. */
  killAofRewrite(): void {
    this.aofRewriteScheduled = false;
    const c = this.child;
    if (c === null || c.kind !== 'aof') return;
    this.child = null;
    this.server.trace('aof.rewrite-killed', { fork: c.id });
    releaseImage(c.image);
  }

  /** killRDBChild: kills the running RDB child (FLUSHALL, REPLICAOF, a useless replication BGSAVE). */
  kill(reason: string): void {
    const c = this.child;
    if (!c || c.killed || c.kind !== 'rdb') return;
    c.killed = true;
    this.server.trace('rdb.child-killed', { fork: c.id, reason });
    for (const r of [...this.master.replicas]) {
      if (r.forkId === c.id && r.state === 'wait_bgsave_end') this.master.freeClient(r.client, 'BGSAVE child killed');
    }
  }
}

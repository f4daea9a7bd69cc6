/**
 * The replica receiving and loading a full-sync RDB (replication.c: readSyncBulkPayload,
 * useDisklessLoad, replicationAttachToNewMaster): disk load (download to a temp file, then flush + blocking
 * load) or diskless load (on-empty-db / swapdb: parse while reading). Each phase is a
 * trace event with its start and end, which the reports turn into a Gantt chart.
 */
import { flushCost, rdbLoadCost } from './cost-model.js';
import { Keyspace } from './data/keyspace.js';
import { LoadingPolls } from './loading-poll.js';
import { releaseImage, writeDumpFile, type RdbImage } from './data/rdb.js';
import type { ReplicaSide } from './replica-side.js';
import type { RedisServer } from './server.js';
import type { WireMessage } from './wire.js';

export type LoadMode = 'disk' | 'socket-empty' | 'socket-swapdb';

export class SyncLoader {
  private mode: LoadMode = 'disk';
  /** Bumped whenever a transfer starts or aborts, so a stale completion is ignored. */
  private generation = 0;
  /** The polls of the blocking load under way, if any. */
  private polls: LoadingPolls | null = null;

  constructor(
    private readonly server: RedisServer,
    private readonly replica: ReplicaSide,
  ) {}

  reset(): void {
    this.generation++;
    this.mode = 'disk';
  }

  /** readSyncBulkPayload: one read of the transfer (the "$" header, or payload bytes). */
  onTransferData(msg: WireMessage, bytes: number): void {
    const t = this.replica.transfer;
    if (!t) return;
    if (msg.t === 'rdb-begin') return this.begin(msg.eof, msg.size);
    if (msg.t !== 'rdb-data') return;
    if (this.mode === 'disk' && this.server.diskFaults.full) {
      // "Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA
      // synchronization": the transfer is cancelled and retried at once — a loop while the disk is full.
      this.server.trace('replica.disk-write-error', { read: t.read });
      this.replica.cancelHandshake(true);
      return;
    }
    t.read += bytes;
    if (msg.last && msg.image) this.complete(msg.image);
  }

  /**
   * readSyncBulkPayload's first read ("$<len>" or "$EOF:<mark>") and useDisklessLoad: the load
   * mode is chosen now; a diskless load attaches to the new master before it starts.
   */
  private begin(eof: boolean, size: number): void {
    const s = this.server;
    const t = this.replica.transfer!;
    t.eof = eof;
    t.size = eof ? 0 : size;
    this.replica.transferWasEof = eof;
    this.generation++;
    const cfg = s.config.replDisklessLoad;
    this.mode = cfg === 'swapdb' ? 'socket-swapdb' : cfg === 'on-empty-db' && s.keyspace.totalKeys() === 0 ? 'socket-empty' : 'disk';
    s.trace('replica.transfer-start', { eof, bytes: t.size, load: this.mode });
    if (this.mode === 'socket-empty') {
      this.attachToNewMaster();
      s.loading = true;
      s.trace('replica.load-start', { mode: this.mode });
    } else if (this.mode === 'socket-swapdb') {
      // Same history: async loading keeps serving the old data (async_loading:1).
      s.asyncLoading = s.replid === this.replica.initialReplid;
      s.loading = !s.asyncLoading;
      s.trace('replica.load-start', { mode: this.mode, async: s.asyncLoading });
    }
  }

  /**
   * readSyncBulkPayload once the last byte is in: a disk load flushes (emptyData) and loads
   * the file blocking; a diskless load has parsed while reading (for swapdb into the temp db
   * of disklessLoadInitTempDb, `received` here) and finishes what remains.
   */
  private complete(image: RdbImage): void {
    const s = this.server;
    const t = this.replica.transfer!;
    // Our copy of the payload. The RDB image itself stays held until the load ends: with a
    // disk load it becomes our dump.rdb (sharing the master's snapshot costs one tracked
    // snapshot per fork, not one per replica).
    const received = Keyspace.fromSnapshot(image.snapshot);
    s.trace('replica.transfer-done', { bytes: t.read, us: s.sim.now - t.startedUs });
    const gen = ++this.generation;
    const costs = s.env.costs;
    const loadUs = rdbLoadCost(costs, image.keys, image.bytes);
    let flushUs = 0;
    let blockUs: number;
    if (this.mode === 'disk') {
      this.attachToNewMaster();
      flushUs = s.config.replicaLazyFlush ? 0 : flushCost(costs, s.keyspace.totalKeys());
      s.trace('replica.flush', { keys: s.keyspace.totalKeys(), us: flushUs });
      s.replaceKeyspace(new Keyspace(s.config.databases, s.keyTable));
      s.loading = true;
      s.trace('replica.load-start', { mode: 'disk', keys: image.keys, bytes: image.bytes });
      blockUs = flushUs + loadUs;
    } else {
      // Parsing overlapped the download; what remains of the load runs now.
      blockUs = Math.max(0, loadUs - (s.sim.now - t.startedUs));
    }
    // A blocking load: the event loop does not run; the master's bytes wait in the kernel.
    // Other clients are served every 2 MB (processEventsWhileBlocked, loading-poll.ts), from
    // the end of the flush (emptyData polls nothing) or, when parsing overlapped the download,
    // from where the parse is.
    s.freeze('loading');
    const polls = new LoadingPolls(s, this.mode === 'disk' ? s.sim.now + flushUs : t.startedUs, loadUs, image.bytes, this.replica.conn);
    this.polls = polls;
    const incarnation = s.incarnation;
    s.sim.after(blockUs, () => {
      polls.stop();
      if (incarnation !== s.incarnation || gen !== this.generation) {
        releaseImage(image);
        return;
      }
      this.finish(image, received, loadUs);
      releaseImage(image);
    });
  }

  /** readSyncBulkPayload after the load: swapMainDbWithTempDb (swapdb), the temp file renamed, the master client, the AOF restarted. */
  private finish(image: RdbImage, received: Keyspace, loadUs: number): void {
    const s = this.server;
    if (this.mode === 'socket-swapdb') this.attachToNewMaster();
    s.replaceKeyspace(received, this.mode === 'socket-swapdb');
    // A replica loads every key, expired ones too (only masters skip them at load).
    s.lastLoadKeysLoaded = received.totalKeys();
    s.lastLoadKeysExpired = 0;
    if (this.mode === 'disk') {
      // The temp file is renamed to dbfilename: the replica now has it on disk.
      writeDumpFile(s, { ...image, replid: this.replica.initialReplid, offset: this.replica.initialOffset });
    }
    s.loading = false;
    s.asyncLoading = false;
    s.trace('replica.load-done', { keys: image.keys, us: loadUs });
    this.replica.onSyncLoaded(image);
    // restartAOFAfterSYNC: the AOF restarts from a background rewrite of the loaded dataset.
    s.aof.startAppendOnly();
    s.thaw('loading');
  }

  /** replicationAttachToNewMaster: our old history is gone (sub-replicas, cached master, backlog). */
  private attachToNewMaster(): void {
    const s = this.server;
    this.replica.cached = null; // replicationDiscardCachedMaster
    s.master.disconnectReplicas('full resync with a new master');
    s.freeBacklog();
  }

  /**
   * replicationAbortSyncTransfer: the transfer broke before the load completed; a diskless
   * load's partial data is dropped (disklessLoadDiscardTempDb for swapdb, an emptied db for on-empty-db).
   */
  abort(reason: string): void {
    const s = this.server;
    this.generation++;
    this.polls?.stop();
    this.polls = null;
    if (this.mode === 'socket-empty' && s.loading) {
      s.replaceKeyspace(new Keyspace(s.config.databases, s.keyTable)); // partially loaded data is emptied again
    }
    if (s.loading || s.asyncLoading) s.trace('replica.load-aborted', { reason });
    s.loading = false;
    s.asyncLoading = false;
    if (s.isFrozen('loading')) s.thaw('loading');
  }
}

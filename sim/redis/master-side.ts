/**
 * The serving side of replication (replication.c: syncCommand,
 * masterTryPartialResynchronization, replicationCron's master half, the output-buffer
 * limit of replica clients). A chained replica runs this too, for its own replicas.
 */
import { performEvictions } from './eviction.js';
import type { Endpoint } from '../net/index.js';
import { err, ERR_LOADING, ERR_NOAUTH, ERR_NOT_INTEGER, status, type Reply } from './protocol/reply.js';
import { respCommandBytes } from './protocol/resp.js';
import { simAssert, type UnixSeconds } from '../engine/index.js';
import { PeerClient, ReplicaClient } from './replica-client.js';
import { RdbChildren } from './rdb-child.js';
import { WaitQueue } from './wait.js';
import { NEWLINE_BYTES, type WireMessage } from './wire.js';
import type { ReplicationBuffer } from './replication-buffer.js';
import { replyBytes } from './protocol/resp.js';
import type { RedisServer } from './server.js';
import { authenticate } from './auth.js';
import { ClientConnection } from './client-connection.js';

const PING: readonly string[] = Object.freeze(['ping']);
/** The largest stream message: a bigger write goes out in pieces (whole units each). */
const STREAM_MESSAGE_MAX_BYTES = 256 * 1024;

export class MasterSide {
  clients: PeerClient[] = [];
  replicas: ReplicaClient[] = [];
  /** unixtime when the last replica left (repl_no_slaves_since). */
  noSlavesSince: UnixSeconds = 0;
  goodSlaves = 0;
  replCronLoops = 0;
  readonly children: RdbChildren;
  readonly waits: WaitQueue;
  /**
   * The last stream message flushReplica built, for the bytes [lastSentFrom, lastSentTo] of
   * the backlog lastSentBacklog. Replicas that keep up all start at the same byte in a
   * beforeSleep, and in Redis they share the same replication buffer blocks (7.0's shared
   * replication buffer): here they share the message — its units are immutable — instead
   * of one array and one message per replica and write.
   */
  private lastSentBacklog: ReplicationBuffer | null = null;
  private lastSentFrom = 0;
  private lastSentTo = 0;
  private lastSentMessage: WireMessage | null = null;

  constructor(private readonly server: RedisServer) {
    this.children = new RdbChildren(server, this);
    this.waits = new WaitQueue(server, this);
  }

  reset(): void {
    this.clients = [];
    this.replicas = [];
    this.noSlavesSince = this.server.unixtime();
    this.goodSlaves = 0;
    this.replCronLoops = 0;
    this.children.reset();
    this.waits.reset();
  }

  onProcessExit(): void {
    // The connections die with the process: nothing more is sent on them (replies of commands
    // still waiting are dropped, not answered with errors on a socket that is gone).
    for (const c of this.clients) c.closed = true;
    this.clients = [];
    this.replicas = [];
    this.children.reset();
    this.waits.reset();
  }

  // ------------------------------------------------------------------ connections

  /** acceptCommonHandler + createClient (networking.c): every accepted connection is a client. */
  accept(conn: Endpoint): void {
    // Every connection is a full client (createClient): one id sequence with in-process sessions.
    const session = this.server.commands.newSession('net');
    const c = new PeerClient(session.id, conn, conn.remoteHost);
    c.connection = new ClientConnection(this.server, c, session);
    c.lastInteraction = this.server.unixtime();
    this.clients.push(c);
    conn.onData = (payload, bytes) => this.onClientData(c, payload as WireMessage, bytes);
    conn.onClose = () => this.freeClient(c, 'connection closed by peer');
  }

  /** readQueryFromClient (networking.c): lastinteraction moves, commands go to the client's input. */
  private onClientData(c: PeerClient, msg: WireMessage, bytes: number): void {
    if (c.closed) return;
    c.lastInteraction = this.server.unixtime();
    if (c.replica) this.server.stats.totalNetReplInputBytes += bytes;
    if (msg.t !== 'cmd') return; // replicas' "\n" while loading: only lastinteraction
    c.connection!.receive(msg.argv);
  }

  private reply(c: PeerClient, r: Reply): void {
    if (c.closed) return;
    const bytes = replyBytes(r);
    if (c.connection) this.server.memory.ofSession(c.connection.session).reply(bytes);
    c.conn.send(bytes, { t: 'reply', reply: r } satisfies WireMessage);
  }

  /**
   * AUTH and the replication commands (REPLCONF, SYNC, PSYNC), answered here as the
   * handshake expects; false for anything else, which the client connection hands to the
   * command processor (PING included, so it gets -LOADING / -MASTERDOWN / -MISCONF there).
   */
  processReplicationCommand(c: PeerClient, argv: string[]): boolean {
    const name = (argv[0] ?? '').toLowerCase();
    // Inside MULTI, AUTH is queued like any command (the processor's path).
    if (name === 'auth' && c.connection?.session.multi == null) {
      const r = authenticate(argv, this.server.config.requirepass);
      this.server.memory.recordCall(argv);
      if (r.ok) c.authenticated = true;
      this.reply(c, r.reply);
      return true;
    }
    if (name !== 'replconf' && name !== 'psync' && name !== 'sync') return false;
    // processCommand runs performEvictions before these too (a replica's REPLCONF ACK
    // evicts when memory is over the limit); none of them is refused for memory.
    if (this.server.config.maxmemoryBytes > 0) performEvictions(this.server);
    // A replica without the right masterauth gets NOAUTH for everything else it sends.
    if (!c.authenticated && this.server.config.requirepass !== null) this.reply(c, ERR_NOAUTH);
    else if (name === 'replconf') {
      this.server.memory.recordCall(argv);
      this.replconf(c, argv);
    }
    // PSYNC and SYNC lack CMD_LOADING and carry CMD_NO_ASYNC_LOADING: processCommand rejects
    // them with -LOADING while any load runs (a replica asking a loading master), before
    // call() would create their latency histogram.
    else if (this.server.loading || this.server.asyncLoading) this.reply(c, ERR_LOADING);
    else {
      this.server.memory.recordCall(argv);
      this.syncCommand(c, argv);
    }
    return true;
  }

  /**
   * freeClient (networking.c) for an accepted connection; for a replica also
   * freeReplicaReferencedReplBuffer (its block reference goes, so the backlog may trim) and
   * repl_no_slaves_since when it was the last.
   */
  freeClient(c: PeerClient, reason: string): void {
    if (c.closed) return;
    c.closed = true;
    this.clients = this.clients.filter((x) => x !== c);
    c.connection?.onFree();
    if (c.conn.state !== 'closed') c.conn.close();
    const r = c.replica;
    if (!r) return;
    this.replicas = this.replicas.filter((x) => x !== r);
    this.server.trace('master.replica-lost', { replica: r.name, state: r.state, reason });
    if (this.replicas.length === 0) this.noSlavesSince = this.server.unixtime();
    this.children.onReplicaGone(r);
    this.refreshGoodSlavesCount();
    this.server.backlog?.trim();
    // The iteration that freed it ends in beforeSleep, which trims ten times as much.
    this.server.requestBeforeSleep();
  }

  /** disconnectSlaves (networking.c): closes every replica connection, e.g. after a replid change. */
  disconnectReplicas(reason: string): void {
    for (const r of [...this.replicas]) this.freeClient(r.client, reason);
  }

  // ------------------------------------------------------------------ REPLCONF

  /** replconfCommand: listening-port, ip-address, capa, and ACK / GETACK, which get no reply. */
  private replconf(c: PeerClient, argv: string[]): void {
    if (argv.length % 2 === 0) return this.reply(c, err('ERR syntax error'));
    for (let i = 1; i < argv.length; i += 2) {
      const opt = argv[i]!.toLowerCase();
      const val = argv[i + 1]!;
      if (opt === 'listening-port') c.listeningPort = Number(val);
      else if (opt === 'ip-address') c.announcedIp = val;
      else if (opt === 'capa') {
        if (val.toLowerCase() === 'eof') c.capaEof = true;
        else if (val.toLowerCase() === 'psync2') c.capaPsync2 = true;
      } else if (opt === 'ack') {
        // No reply to ACKs: they travel inside the replication link.
        if (c.replica) this.onAck(c.replica, Number(val));
        return;
      } else if (opt === 'getack') {
        return;
      } else {
        return this.reply(c, err(`ERR Unrecognized REPLCONF option: ${argv[i]}`));
      }
    }
    this.reply(c, status('OK'));
  }

  /** replconfCommand's ACK: repl_ack_off and repl_ack_time, and what waits for them. */
  private onAck(r: ReplicaClient, offset: number): void {
    const s = this.server;
    // A replica acknowledges only bytes this server sent it (replconfCommand's ACK).
    simAssert(offset <= s.masterReplOffset || s.env.bugs.size > 0, s.sim, () => `${s.name}: ${r.name} acknowledged offset ${offset} beyond master_repl_offset ${s.masterReplOffset}`);
    if (offset > r.ackOffset) r.ackOffset = offset;
    r.ackTime = this.server.unixtime();
    // A FAILOVER waiting for this offset looks at it in this iteration's beforeSleep.
    if (this.server.failover.state === 'waiting-for-sync') this.server.requestBeforeSleep();
    // The ACK may beat the cron tick that reaps the diskless child: reap it now.
    if (r.state === 'wait_bgsave_end') this.children.serverCronTick();
    if (r.waitingFirstAck && r.state === 'online') {
      // replicaStartCommandStream (diskless): the buffered stream starts flowing on the first ACK after the load.
      r.waitingFirstAck = false;
      r.holdStream = false;
      this.server.trace('master.stream-start', { replica: r.name, offset: r.nextByte - 1 });
      this.flushReplica(r);
    }
    this.waits.onAck();
  }

  // ------------------------------------------------------------------ SYNC / PSYNC

  /** syncCommand: SYNC and PSYNC (with PSYNC … FAILOVER), a partial resync if it can, else a full one. */
  private syncCommand(c: PeerClient, argv: string[]): void {
    const s = this.server;
    if (c.replica) return;
    if (argv.length >= 4 && argv[3]!.toLowerCase() === 'failover') {
      // A coordinated failover: the demoted master asks us, its replica, to take over.
      if (s.isMaster) return this.reply(c, err("ERR PSYNC FAILOVER can't be sent to a master."));
      if (argv[1] !== s.replid) return this.reply(c, err('ERR PSYNC FAILOVER replid must match my replid.'));
      s.trace('failover.promoted-by-psync', { from: c.peer });
      s.replica.unsetMaster();
    }
    if (!s.isMaster && s.replica.state !== 'connected') {
      return this.reply(c, err("NOMASTERLINK Can't SYNC while not connected with my master"));
    }
    const isPsync = argv[0]!.toLowerCase() === 'psync';
    let reqReplid = '?';
    let reqOffset = -1;
    if (isPsync) {
      if (argv.length < 3) return this.reply(c, err("ERR wrong number of arguments for 'psync' command"));
      reqReplid = argv[1]!;
      reqOffset = Number(argv[2]);
      if (!Number.isSafeInteger(reqOffset)) return this.reply(c, ERR_NOT_INTEGER);
    }
    s.trace('master.sync-request', { replica: c.peer, replid: reqReplid, offset: reqOffset });
    if (isPsync) {
      if (this.tryPartialResynchronization(c, reqReplid, reqOffset)) {
        s.stats.syncPartialOk++;
        return;
      }
      if (reqReplid !== '?') s.stats.syncPartialErr++;
    }
    // Full resynchronization.
    s.stats.syncFull++;
    const r = new ReplicaClient(c);
    c.replica = r;
    if (c.connection) s.memory.ofSession(c.connection.session).type = 'slave';
    r.ackTime = s.unixtime();
    this.replicas.push(r);
    if (this.replicas.length === 1 && s.backlog === null) {
      s.changeReplicationId();
      s.clearReplicationId2();
      s.createBacklog();
      s.trace('master.backlog-created', { replid: s.replid, offset: s.masterReplOffset });
    }
    s.trace('master.full-resync-queued', { replica: r.name });
    this.children.placeNewFullSyncReplica(r);
  }

  /**
   * masterTryPartialResynchronization: +CONTINUE when the replid is ours (or our replid2 up to
   * second_repl_offset) and the backlog covers the offset asked for; else a full resync.
   */
  private tryPartialResynchronization(c: PeerClient, reqReplid: string, psyncOffset: number): boolean {
    const s = this.server;
    const idOk = reqReplid === s.replid || (reqReplid === s.replid2 && psyncOffset <= s.secondReplidOffset);
    if (!idOk) {
      let why = 'full resync requested';
      if (reqReplid !== '?') {
        why = reqReplid !== s.replid2 ? 'replication id mismatch' : `requested offset for second id was ${psyncOffset}, but I can reply up to ${s.secondReplidOffset}`;
      }
      s.trace('master.psync-rejected', { replica: c.peer, reason: why });
      return false;
    }
    const b = s.backlog;
    const lying = b !== null && !b.covers(psyncOffset) && s.bug('psync-ignores-backlog-range') && psyncOffset < b.backlogOffset;
    if (b === null || (!b.covers(psyncOffset) && !lying)) {
      s.trace('master.psync-rejected', { replica: c.peer, reason: 'lack of backlog', request: psyncOffset });
      return false;
    }
    const r = new ReplicaClient(c);
    c.replica = r;
    if (c.connection) s.memory.ofSession(c.connection.session).type = 'slave';
    r.state = 'online';
    r.holdStream = false;
    r.ackTime = s.unixtime();
    r.nextByte = lying ? b.firstUnitOffset() : psyncOffset;
    if (s.bug('backlog-off-by-one')) r.nextByte = b.unitAfter(r.nextByte);
    r.onlineAtUs = s.sim.now;
    this.replicas.push(r);
    const line = c.capaPsync2 ? `CONTINUE ${s.replid}` : 'CONTINUE';
    this.reply(c, status(line));
    const sending = s.masterReplOffset + 1 - psyncOffset;
    s.trace('master.psync-accepted', { replica: r.name, offset: psyncOffset, bytes: sending });
    this.flushReplica(r);
    this.refreshGoodSlavesCount();
    return true;
  }

  /** replicationSetupSlaveForFullResync: sends `+FULLRESYNC <replid> <offset>` and binds the replica to a fork at `offset`. */
  setupFullResync(r: ReplicaClient, offset: number, forkId: number): void {
    const s = this.server;
    r.psyncInitialOffset = offset;
    r.nextByte = offset + 1;
    r.state = 'wait_bgsave_end';
    r.holdStream = true;
    r.forkId = forkId;
    r.lastPartialWrite = s.unixtime();
    // replicationSetupSlaveForFullResync: the next command must carry a SELECT.
    if (!s.bug('skip-select-after-resync')) s.slaveseldb = -1;
    this.reply(r.client, status(`FULLRESYNC ${s.replid} ${offset}`));
    s.trace('master.fullresync', { replica: r.name, replid: s.replid, offset });
  }

  /** replicaPutOnline: the RDB is out; stream from psync_initial_offset on. */
  putOnline(r: ReplicaClient, waitForAck: boolean): void {
    const s = this.server;
    r.state = 'online';
    r.ackTime = s.unixtime();
    r.onlineAtUs = s.sim.now;
    r.waitingFirstAck = waitForAck;
    r.holdStream = waitForAck;
    s.trace('master.replica-online', { replica: r.name, offset: r.psyncInitialOffset, wait_ack: waitForAck });
    if (!waitForAck) this.flushReplica(r);
    this.refreshGoodSlavesCount();
  }

  // ------------------------------------------------------------------ the stream

  /**
   * prepareReplicasToWrite: a unit was appended to the stream; replicas that can be fed
   * (canFeedReplicaReplBuffer) are written to in beforeSleep (handleClientsWithPendingWrites).
   */
  onStreamAppended(): void {
    if (this.replicas.length > 0) this.server.requestBeforeSleep();
  }

  /** beforeSleep (server.c), the master's part: trim, WAIT's GETACK, FAILOVER, writes, output-buffer limits. */
  beforeSleep(): void {
    // beforeSleep trims the backlog at ten times the normal speed, every iteration.
    this.trimInBeforeSleep();
    this.waits.beforeSleep();
    this.server.failover.updateStatus();
    // Indexed walks (for-of allocates an iterator each time: this runs once per write).
    // flushReplica never changes the list; freeClient replaces it rather than mutating it,
    // so walking the one read here is safe.
    let replicas = this.replicas;
    for (let i = 0; i < replicas.length; i++) if (!replicas[i]!.holdStream) this.flushReplica(replicas[i]!);
    replicas = this.replicas;
    for (let i = 0; i < replicas.length; i++) this.checkOutputBufferLimits(replicas[i]!);
  }

  /** writeToClient (networking.c) for a replica: everything from nextByte to the end of the stream. */
  flushReplica(r: ReplicaClient): void {
    const s = this.server;
    const b = s.backlog;
    if (b === null || r.client.closed || r.holdStream) return;
    if (r.nextByte > b.masterOffset) return;
    const bytes = b.masterOffset + 1 - r.nextByte;
    const last = b.lastUnit();
    if (last !== undefined && last.offset === r.nextByte) {
      // The common case: one unit since the last write to this replica. It travels as itself.
      r.client.conn.send(bytes, last);
    } else if (bytes <= STREAM_MESSAGE_MAX_BYTES) {
      if (this.lastSentBacklog !== b || this.lastSentFrom !== r.nextByte || this.lastSentTo !== b.masterOffset || this.lastSentMessage === null) {
        this.lastSentMessage = { t: 'stream', units: b.unitsFrom(r.nextByte) } satisfies WireMessage;
        this.lastSentBacklog = b;
        this.lastSentFrom = r.nextByte;
        this.lastSentTo = b.masterOffset;
      }
      r.client.conn.send(bytes, this.lastSentMessage);
    } else {
      const units = b.unitsFrom(r.nextByte);
      // A large backlog goes out as several messages (whole units each), so the replica
      // sees bytes arriving all along, as TCP delivers them, not once at the very end.
      let from = 0;
      let size = 0;
      for (let i = 0; i < units.length; i++) {
        size += units[i]!.bytes;
        if (size >= STREAM_MESSAGE_MAX_BYTES || i === units.length - 1) {
          r.client.conn.send(size, { t: 'stream', units: units.slice(from, i + 1) } satisfies WireMessage);
          from = i + 1;
          size = 0;
        }
      }
    }
    s.stats.totalNetReplOutputBytes += bytes;
    r.nextByte = b.masterOffset + 1;
    // Moving on releases the blocks this replica held: trim the backlog now, as Redis does
    // when a replica's writes reach the next block (not only when a block is added).
    if (b.histlen > b.backlogSizeBytes) b.trim();
  }

  /**
   * canFeedReplicaReplBuffer and the blocks' refcount: the smallest stream byte some replica
   * still needs from the shared buffer (a replica in wait_bgsave_start references no block).
   */
  minReferencedOffset(): number {
    let min = Infinity;
    for (const r of this.replicas) {
      if (r.state === 'wait_bgsave_start') continue;
      const ref = this.unsentFrom(r);
      if (ref < min) min = ref;
    }
    return min;
  }

  /**
   * First stream byte the kernel has not taken (net/pipe.ts bytesUnsent: what is beyond the
   * socket's send buffer and the replica's receive buffer is still in this output buffer).
   */
  unsentFrom(r: ReplicaClient): number {
    if (r.holdStream) return r.nextByte;
    const stuck = r.client.conn.bytesUnsent;
    return stuck > 0 ? Math.max(r.psyncInitialOffset + 1, r.nextByte - stuck) : r.nextByte;
  }

  /** checkClientOutputBufferLimits for class replica, with 7.0's hard-limit-vs-backlog rule. */
  checkOutputBufferLimits(r: ReplicaClient): void {
    const s = this.server;
    const b = s.backlog;
    if (b === null || r.client.closed || r.state === 'wait_bgsave_start') return;
    const lim = s.config.clientOutputBufferLimitReplica;
    let hard = lim.hardBytes;
    if (hard > 0 && hard < s.config.replBacklogSizeBytes) hard = s.config.replBacklogSizeBytes;
    const usage = b.outputBufferUsage(Math.min(this.unsentFrom(r), b.masterOffset));
    let over = hard > 0 && usage >= hard;
    if (!over && lim.softBytes > 0 && usage >= lim.softBytes) {
      // The clock only for the soft limit: this runs for every replica after every write.
      const now = s.unixtime();
      if (r.softLimitSince < 0) r.softLimitSince = now;
      else if (now - r.softLimitSince > lim.softSeconds) over = true;
    } else if (!over) {
      r.softLimitSince = -1;
    }
    if (over) {
      s.trace('master.cob-disconnect', { replica: r.name, usage, state: r.state });
      this.freeClient(r.client, 'output buffer limits');
    }
  }

  // ------------------------------------------------------------------ cron

  /** incrementalTrimReplicationBacklog(10 * REPL_BACKLOG_TRIM_BLOCKS_PER_CALL). */
  private trimInBeforeSleep(): void {
    const b = this.server.backlog;
    if (b !== null && b.histlen > b.backlogSizeBytes) b.trim(640);
  }

  /** serverCron's part: the backlog trim, checkChildrenDone, and the replicas' output-buffer limits. */
  serverCronTick(): void {
    // Every event-loop iteration ends in beforeSleep; the cron's iteration trims too.
    this.trimInBeforeSleep();
    this.children.serverCronTick();
    // freeClient replaces the list rather than mutating it, so walking this one is safe.
    const replicas = this.replicas;
    for (let i = 0; i < replicas.length; i++) this.checkOutputBufferLimits(replicas[i]!);
  }

  /**
   * replicationCron, the master half: PING every repl-ping-replica-period, "\n" to replicas
   * waiting for an RDB, repl-timeout of replicas, repl-backlog-ttl, a pending fork, the count
   * of good replicas.
   */
  replicationCron(): void {
    const s = this.server;
    const cfg = s.config;
    if (this.replCronLoops % cfg.replPingReplicaPeriodSec === 0 && this.replicas.length > 0 && !s.failover.suppressesPing) {
      s.feedControl(PING);
    }
    const diskChild = this.children.runningTarget() === 'disk';
    for (const r of this.replicas) {
      if (r.state === 'wait_bgsave_start' || (r.state === 'wait_bgsave_end' && diskChild)) {
        r.client.conn.send(NEWLINE_BYTES, { t: 'newline' } satisfies WireMessage);
      }
    }
    const now = s.unixtime();
    for (const r of [...this.replicas]) {
      if (r.state === 'online' && now - r.ackTime > cfg.replTimeoutSec) {
        s.trace('master.replica-timeout', { replica: r.name, mode: 'streaming sync' });
        this.freeClient(r.client, 'timeout (streaming sync)');
      } else if (r.state === 'wait_bgsave_end' && this.children.runningTarget() === 'socket' && now - r.lastPartialWrite > cfg.replTimeoutSec) {
        s.trace('master.replica-timeout', { replica: r.name, mode: 'full sync' });
        this.freeClient(r.client, 'timeout (full sync)');
      }
    }
    if (s.isMaster && this.replicas.length === 0 && s.backlog !== null && cfg.replBacklogTtlSec > 0 && now - this.noSlavesSince > cfg.replBacklogTtlSec) {
      s.changeReplicationId();
      s.clearReplicationId2();
      s.freeBacklog();
      s.trace('master.backlog-freed', { after_seconds: cfg.replBacklogTtlSec, replid: s.replid });
    }
    this.children.startPendingFork();
    this.refreshGoodSlavesCount();
    this.replCronLoops++;
  }

  /** refreshGoodSlavesCount (repl_good_slaves_count): online replicas whose last ACK is at most min-replicas-max-lag old. */
  refreshGoodSlavesCount(): void {
    const s = this.server;
    const now = s.unixtime();
    let good = 0;
    for (const r of this.replicas) {
      if (r.state === 'online' && now - r.ackTime <= s.config.minReplicasMaxLagSec) good++;
    }
    this.goodSlaves = good;
  }

  /** checkGoodReplicasStatus: may a write run here? */
  enoughGoodReplicas(): boolean {
    const cfg = this.server.config;
    return !this.server.isMaster || cfg.minReplicasToWrite === 0 || cfg.minReplicasMaxLagSec === 0 || this.goodSlaves >= cfg.minReplicasToWrite;
  }
}

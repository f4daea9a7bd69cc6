/**
 * The replica half of replication (replication.c: replicationSetMaster,
 * connectWithMaster, syncWithMaster, slaveTryPartialResynchronization, replicationCron's
 * replica half; readSyncBulkPayload is sync-loader.ts) with Redis's link states (repl_state,
 * REPL_STATE_* in server.h).
 */
import type { ClientMemory } from './client-memory.js';
import type { CloseReason, Endpoint } from '../net/index.js';
import { simAssert, type UnixSeconds } from '../engine/index.js';
import { status, type Reply } from './protocol/reply.js';
import { respCommandBytes } from './protocol/resp.js';
import type { StreamUnit } from './replication-buffer.js';
import type { RdbImage } from './data/rdb.js';
import { NEWLINE_BYTES, type WireMessage } from './wire.js';
import { SyncLoader } from './sync-loader.js';
import { StreamApplier } from './stream-applier.js';
import type { RedisServer } from './server.js';

export type ReplState =
  | 'none'
  | 'connect'
  | 'connecting'
  | 'receive_ping_reply'
  | 'send_handshake'
  | 'receive_auth_reply'
  | 'receive_port_reply'
  | 'receive_ip_reply'
  | 'receive_capa_reply'
  | 'send_psync'
  | 'receive_psync_reply'
  | 'transfer'
  | 'connected';

const HANDSHAKE_STATES: ReadonlySet<ReplState> = new Set([
  'receive_ping_reply',
  'send_handshake',
  'receive_auth_reply',
  'receive_port_reply',
  'receive_ip_reply',
  'receive_capa_reply',
  'send_psync',
  'receive_psync_reply',
]);

/** server.master / server.cached_master: where we are in the master's stream. */
export interface MasterClientState {
  replid: string;
  reploff: number;
  readReploff: number;
  /** unixtime of the last bytes read (lastinteraction). */
  lastInteraction: UnixSeconds;
  /** The master client's allocations (replicationCreateMasterClient → createClient). */
  memory: ClientMemory;
}

export interface TransferState {
  eof: boolean;
  /** -1 until "$<len>" is read; 0 for EOF transfers. */
  size: number;
  read: number;
  startedUs: number;
}

/** Pace of the immediate reconnect after a refused legacy SYNC (see onSyncReply). */
const SYNC_ERROR_RETRY_US = 500;

export class ReplicaSide {
  masterHost: string | null = null;
  masterPort = 0;
  state: ReplState = 'none';
  conn: Endpoint | null = null;
  master: MasterClientState | null = null;
  cached: { replid: string; reploff: number } | null = null;
  /** repl_down_since (unixtime), 0 = never connected since it became a replica. */
  downSince: UnixSeconds = 0;
  /** repl_transfer_lastio (unixtime). */
  lastIo: UnixSeconds = 0;
  initialReplid = '';
  initialOffset = -1;
  transfer: TransferState | null = null;
  /** The last transfer was "$EOF:" (diskless): the master waits for our first ACK to stream. */
  transferWasEof = false;
  /** The next PSYNC carries FAILOVER (a coordinated failover demoting us). */
  private psyncFailover = false;
  private pendingReplies: Array<'ping' | 'auth' | 'port' | 'ip' | 'capa' | 'psync' | 'sync'> = [];
  readonly loader: SyncLoader;
  readonly applier: StreamApplier;

  constructor(private readonly server: RedisServer) {
    this.loader = new SyncLoader(server, this);
    this.applier = new StreamApplier(server, this);
  }

  reset(): void {
    this.masterHost = null;
    this.masterPort = 0;
    this.state = 'none';
    this.conn = null;
    this.master = null;
    this.cached = null;
    this.downSince = 0;
    this.transfer = null;
    this.pendingReplies = [];
    this.loader.reset();
    this.applier.selectDb(0);
  }

  /**
   * rdbPopulateSaveInfo: what an RDB saved now records about replication. A master writes
   * its stream DB only when it has a backlog; a replica writes its master client's DB when it
   * has a master or a cached master; otherwise there is no replication info at all.
   */
  saveInfo(): { replid: string; offset: number; streamDb: number } | null {
    const s = this.server;
    if (s.isMaster) return s.backlog ? { replid: s.replid, offset: s.masterReplOffset, streamDb: s.slaveseldb === -1 ? 0 : s.slaveseldb } : null;
    const src = this.master ?? this.cached;
    if (!src) return null;
    return { replid: s.replid, offset: src.reploff, streamDb: this.applier.currentDb };
  }

  onProcessExit(): void {
    this.conn = null;
  }

  /** slaveIsInHandshakeState: between the PING and the PSYNC reply. */
  isHandshake(): boolean {
    return HANDSHAKE_STATES.has(this.state);
  }

  private setState(next: ReplState): void {
    if (this.state === next) return;
    this.state = next;
    this.server.trace('replica.state', { state: next });
  }

  // ------------------------------------------------------------------ configuration

  /** loadServerConfig's `replicaof` (config.c): the first cron tick connects. */
  configureAtBoot(host: string, port: number): void {
    this.masterHost = host;
    this.masterPort = port;
    this.setState('connect');
  }

  /** replicationSetMaster (REPLICAOF host port): cache our master, or ourselves if we were one, and connect. */
  replicaof(host: string, port: number, forFailover = false): Reply {
    const s = this.server;
    if (this.masterHost === host && this.masterPort === port) return status('OK Already connected to specified master');
    this.psyncFailover = forFailover;
    const wasMaster = this.masterHost === null;
    this.masterHost = null;
    if (this.master) this.cacheMaster('master changed');
    s.commands.disconnectBlockedClients();
    this.masterHost = host;
    this.masterPort = port;
    this.cancelHandshake(false);
    if (wasMaster) {
      // replicationCacheMasterUsingMyself: PSYNC to the new master with our own history.
      this.cached = { replid: s.replid, reploff: s.masterReplOffset };
      s.master.children.kill('instance turned into a replica');
    }
    s.trace('replica.replicaof', { host, port, was_master: wasMaster });
    this.setState('connect');
    this.connectWithMaster();
    return status('OK');
  }

  /** replicationUnsetMaster (REPLICAOF NO ONE): shift the replid, drop the cached master, keep the backlog. */
  unsetMaster(): Reply {
    const s = this.server;
    if (this.masterHost === null) return status('OK');
    this.masterHost = null;
    if (this.master) this.cacheMaster('promoted');
    this.cached = null; // replicationDiscardCachedMaster
    this.cancelHandshake(false);
    s.shiftReplicationId();
    s.master.disconnectReplicas('replication id changed');
    s.slaveseldb = -1;
    s.master.noSlavesSince = s.unixtime();
    this.downSince = 0;
    this.setState('none');
    s.trace('replica.promoted', { replid: s.replid, replid2: s.replid2, offset: s.masterReplOffset });
    return status('OK');
  }

  // ------------------------------------------------------------------ connecting

  /** connectWithMaster: a non-blocking connect; syncWithMaster runs when it completes. */
  private connectWithMaster(): void {
    const s = this.server;
    if (this.masterHost === null) return;
    this.lastIo = s.unixtime();
    this.setState('connecting');
    const incarnation = s.incarnation;
    const conn = s.host.connect(this.masterHost, this.masterPort, {
      onConnect: (c) => {
        if (incarnation !== s.incarnation || this.conn !== c) return;
        this.onConnected();
      },
      onError: (reason) => {
        if (incarnation !== s.incarnation || this.conn !== conn) return;
        s.trace('replica.connect-error', { reason });
        this.conn = null;
        this.setState('connect'); // cron retries in about a second
      },
    });
    this.conn = conn;
    conn.onData = (payload, bytes) => {
      if (this.conn === conn) this.onData(payload as WireMessage, bytes);
    };
    conn.onClose = (reason) => {
      if (this.conn === conn) this.onLinkClosed(reason);
    };
  }

  /** syncWithMaster, REPL_STATE_CONNECTING: the connection is up, send PING. */
  private onConnected(): void {
    this.lastIo = this.server.unixtime();
    this.setState('receive_ping_reply');
    this.pendingReplies = ['ping'];
    this.sendCommand(['PING']);
  }

  /**
   * sendCommandArgv (sendCommand, sendCommandRaw): a command to the master on the replication
   * link, its RESP length counted.
   */
  sendCommand(argv: string[]): void {
    this.conn?.send(respCommandBytes(argv), { t: 'cmd', argv } satisfies WireMessage);
  }

  /** syncWithMaster, REPL_STATE_SEND_HANDSHAKE: AUTH, REPLCONF listening-port / ip-address / capa, pipelined. */
  private sendHandshake(): void {
    const s = this.server;
    const cfg = s.config;
    this.pendingReplies = [];
    if (cfg.masterauth !== null) {
      this.sendCommand(['AUTH', cfg.masterauth]);
      this.pendingReplies.push('auth');
    }
    const port = cfg.replicaAnnouncePort || cfg.port;
    this.sendCommand(['REPLCONF', 'listening-port', String(port)]);
    this.pendingReplies.push('port');
    if (cfg.replicaAnnounceIp !== null) {
      this.sendCommand(['REPLCONF', 'ip-address', cfg.replicaAnnounceIp]);
      this.pendingReplies.push('ip');
    }
    this.sendCommand(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    this.pendingReplies.push('capa');
    this.setState(cfg.masterauth !== null ? 'receive_auth_reply' : 'receive_port_reply');
  }

  /**
   * slaveTryPartialResynchronization, the write half: PSYNC with the cached master's replid
   * and offset + 1, or `PSYNC ? -1` without one (FAILOVER appended for a coordinated failover).
   */
  private sendPsync(): void {
    const c = this.cached;
    const argv = c ? ['PSYNC', c.replid, String(c.reploff + 1)] : ['PSYNC', '?', '-1'];
    if (this.psyncFailover) argv.push('FAILOVER');
    this.server.trace('replica.psync', { replid: argv[1]!, offset: Number(argv[2]) });
    this.pendingReplies = ['psync'];
    this.sendCommand(argv);
    this.setState('receive_psync_reply');
  }

  // ------------------------------------------------------------------ reading

  /** readSyncBulkPayload / readQueryFromClient on the master link, by link state. */
  private onData(msg: WireMessage, bytes: number): void {
    const s = this.server;
    if (this.state === 'connected') {
      s.stats.totalNetReplInputBytes += bytes;
      const m = this.master!;
      // One clock read per arrival (the clock cannot move within an event): lastinteraction
      // is its whole seconds (server.unixtime), and the stream's commands run at its ms.
      const nowMs = s.nowMs();
      this.applier.readAtMs = nowMs;
      m.lastInteraction = Math.floor(nowMs / 1000);
      m.memory.read(m.lastInteraction);
      if (msg.t === 'unit') this.applier.applyUnit(msg);
      else if (msg.t === 'stream') this.applier.apply(msg.units);
      return;
    }
    this.lastIo = s.unixtime();
    if (msg.t === 'newline') return; // keepalive while the master prepares the RDB
    if (msg.t === 'reply') return this.onReply(msg.reply);
    if (this.state === 'transfer') {
      s.stats.totalNetReplInputBytes += bytes;
      this.loader.onTransferData(msg, bytes);
    }
  }

  /** receiveSynchronousResponse: the handshake's replies, in order, drive syncWithMaster's states. */
  private onReply(r: Reply): void {
    const expected = this.pendingReplies.shift();
    const isError = r.type === 'error';
    const text = r.type === 'status' || r.type === 'error' ? r.text : '';
    switch (expected) {
      case 'ping':
        if (isError && !/^(NOAUTH|NOPERM|ERR operation not permitted)/.test(text)) return this.handshakeError(`PING: ${text}`);
        return this.sendHandshake();
      case 'auth':
        if (isError) return this.handshakeError(`AUTH: ${text}`);
        this.setState('receive_port_reply');
        return;
      case 'port':
        this.setState(this.server.config.replicaAnnounceIp !== null ? 'receive_ip_reply' : 'receive_capa_reply');
        return;
      case 'ip':
        this.setState('receive_capa_reply');
        return;
      case 'capa':
        this.setState('send_psync');
        return this.sendPsync();
      case 'psync':
        return this.onPsyncReply(r, text);
      case 'sync':
        return this.onSyncReply(r, text);
      default:
        return;
    }
  }

  /**
   * slaveTryPartialResynchronization, the read half: +FULLRESYNC starts the transfer,
   * +CONTINUE resurrects the cached master (adopting a new replid, if any), an error retries.
   */
  private onPsyncReply(r: Reply, text: string): void {
    const s = this.server;
    if (r.type === 'status' && text.startsWith('FULLRESYNC')) {
      const [, replid, off] = text.split(' ');
      this.initialReplid = replid ?? '';
      this.initialOffset = Number(off);
      s.trace('replica.fullresync', { replid: this.initialReplid, offset: this.initialOffset });
      this.transfer = { eof: false, size: -1, read: 0, startedUs: s.sim.now };
      this.setState('transfer');
      this.psyncFailover = false;
      s.failover.onPsyncAccepted();
      return;
    }
    if (r.type === 'status' && text.startsWith('CONTINUE')) {
      const newId = text.split(' ')[1];
      const c = this.cached!;
      simAssert(c, s.sim, `${s.name}: +CONTINUE without a cached master`);
      s.trace('replica.continue', { replid: newId ?? c.replid, offset: c.reploff });
      if (newId && newId !== c.replid) {
        // The master's history moved on (it was promoted): keep ours valid as ID2.
        s.replid2 = c.replid;
        s.secondReplidOffset = s.masterReplOffset + 1;
        s.replid = newId;
        c.replid = newId;
        s.trace('repl.shift-id', { replid: s.replid, replid2: s.replid2, second_repl_offset: s.secondReplidOffset });
        s.master.disconnectReplicas('master replication id changed');
      }
      // replicationResurrectCachedMaster: the cached master becomes server.master again.
      this.master = { replid: c.replid, reploff: c.reploff, readReploff: c.reploff, lastInteraction: s.unixtime(), memory: s.memory.attach('master') };
      this.cached = null;
      this.markConnected();
      if (s.backlog === null) s.createBacklog();
      this.psyncFailover = false;
      s.failover.onPsyncAccepted();
      return;
    }
    s.trace('replica.psync-error', { reply: text });
    if (this.psyncFailover) {
      this.psyncFailover = false;
      this.closeConn();
      s.failover.onPsyncRejected();
      return;
    }
    if (/^(NOMASTERLINK|LOADING)/.test(text)) return this.handshakeError(`PSYNC: ${text}`);
    // PSYNC_NOT_SUPPORTED: "Retrying with SYNC...". Our masters refuse PSYNC only when this
    // replica is not authenticated (no or a wrong masterauth), and then refuse SYNC too.
    this.pendingReplies = ['sync'];
    this.sendCommand(['SYNC']);
  }

  /**
   * The reply to the legacy SYNC: an error is "MASTER aborted replication with an error",
   * and cancelReplicationHandshake(1) reconnects at once — a real replica without masterauth
   * spins through ~2000 handshakes a second on loopback. Here each try waits
   * SYNC_ERROR_RETRY_US first, so a zero-latency link cannot spin at one instant.
   */
  private onSyncReply(r: Reply, text: string): void {
    const s = this.server;
    s.trace('replica.sync-error', { reply: r.type === 'error' ? text : '(payload)' });
    this.closeConn();
    this.setState('connect');
    const incarnation = s.incarnation;
    s.schedule(SYNC_ERROR_RETRY_US, () => {
      if (incarnation === s.incarnation && this.state === 'connect' && this.masterHost !== null) this.connectWithMaster();
    });
  }

  /** REPL_STATE_CONNECTED, as replicationResurrectCachedMaster and replicationCreateMasterClient's callers set it. */
  markConnected(): void {
    this.downSince = 0;
    this.transfer = null;
    this.setState('connected');
    this.server.trace('replica.link-up', { offset: this.master?.reploff ?? -1 });
  }

  /** syncWithMaster's error label: close, state CONNECT, cron retries. */
  private handshakeError(why: string): void {
    this.server.trace('replica.handshake-error', { reason: why });
    this.closeConn();
    this.setState('connect');
  }

  /**
   * The master link closed: freeClient(server.master) caches the master (replicationCacheMaster);
   * a transfer is abandoned (replicationAbortSyncTransfer); both reconnect at once, while a
   * broken handshake waits for the cron's next attempt.
   */
  private onLinkClosed(reason: CloseReason): void {
    const s = this.server;
    this.conn = null;
    s.trace('replica.link-closed', { reason, state: this.state });
    if (this.state === 'connected') {
      this.cacheMaster('connection lost');
      this.reconnectNow();
    } else if (this.state === 'transfer') {
      this.loader.abort('connection lost');
      this.transfer = null;
      this.reconnectNow();
    } else if (this.state !== 'connect' && this.state !== 'none') {
      this.setState('connect');
    }
  }

  /** replicationCacheMaster + replicationHandleMasterDisconnection. */
  private cacheMaster(why: string): void {
    const s = this.server;
    const m = this.master;
    if (!m) return;
    this.cached = { replid: m.replid, reploff: m.reploff };
    // Simplification: the cached master client's buffers are counted as freed here.
    s.memory.detach(m.memory);
    this.master = null;
    this.downSince = s.unixtime();
    this.closeConn();
    s.trace('replica.link-down', { reason: why, offset: m.reploff });
    this.setState('connect');
  }

  private reconnectNow(): void {
    if (this.masterHost === null) return;
    this.setState('connect');
    this.connectWithMaster();
  }

  /**
   * cancelReplicationHandshake: drop an in-progress transfer (replicationAbortSyncTransfer)
   * or connection and handshake (undoConnectWithMaster); state CONNECT.
   */
  cancelHandshake(reconnect: boolean): void {
    if (this.state === 'transfer') this.loader.abort('handshake cancelled');
    if (this.state === 'transfer' || this.state === 'connecting' || this.isHandshake()) {
      this.closeConn();
      this.transfer = null;
      this.setState('connect');
      if (reconnect) this.connectWithMaster();
    }
  }

  closeConn(): void {
    const c = this.conn;
    this.conn = null;
    if (c && c.state !== 'closed') c.close();
  }

  /** CLIENT KILL TYPE master: the link to the master is closed by us. */
  killMasterLink(): number {
    if (this.state !== 'connected') return 0;
    this.cacheMaster('killed by CLIENT KILL');
    this.reconnectNow();
    return 1;
  }

  // ------------------------------------------------------------------ cron

  /**
   * replicationCron, the replica half: repl-timeout while connecting, transferring or
   * connected, a reconnect in state CONNECT, an ACK every second when connected.
   */
  cron(): void {
    const s = this.server;
    if (this.masterHost === null) return;
    const now = s.unixtime();
    const timeout = s.config.replTimeoutSec;
    if ((this.state === 'connecting' || this.isHandshake()) && now - this.lastIo > timeout) {
      s.trace('replica.timeout', { phase: 'connecting' });
      this.cancelHandshake(true);
    }
    if (this.state === 'transfer' && now - this.lastIo > timeout) {
      s.trace('replica.timeout', { phase: 'transfer' });
      this.cancelHandshake(true);
    }
    if (this.state === 'connected' && this.master && now - this.master.lastInteraction > timeout) {
      s.trace('replica.timeout', { phase: 'connected' });
      this.cacheMaster('master timeout');
      this.reconnectNow();
    }
    if (this.state === 'connect') this.connectWithMaster();
    if (this.state === 'connected') this.sendAck();
  }

  /** replicationSendAck: REPLCONF ACK <reploff>. */
  sendAck(): void {
    if (!this.master) return;
    const ahead = this.server.bug('ack-before-apply') ? 1000 : 0;
    this.sendCommand(['REPLCONF', 'ACK', String(this.master.reploff + ahead)]);
  }

  /**
   * readSyncBulkPayload's end (replicationCreateMasterClient): the loader finished, we are in
   * the master's history at the FULLRESYNC offset.
   */
  onSyncLoaded(image: RdbImage): void {
    const s = this.server;
    s.replid = this.initialReplid;
    s.masterReplOffset = this.initialOffset;
    s.clearReplicationId2();
    if (s.backlog === null) s.createBacklog();
    this.master = { replid: this.initialReplid, reploff: this.initialOffset, readReploff: this.initialOffset, lastInteraction: s.unixtime(), memory: s.memory.attach('master') };
    this.applier.selectDb(image.streamDb);
    this.markConnected();
    s.trace('replica.sync-done', { offset: this.initialOffset, keys: image.keys });
    // A diskless (EOF) master waits for this ACK before it starts the stream.
    if (this.transferWasEof) this.sendAck();
  }
}

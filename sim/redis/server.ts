/**
 * One simulated redis-server process. As in Redis, one server holds both roles: it is a
 * master while `masterHost` is null, and REPLICAOF flips it; a replica with replicas of
 * its own is a chained replica. This file holds the process (boot, crash, pause, timers,
 * the event-loop's beforeSleep) and the replication identity shared by both roles; the
 * master side lives in master-side.ts, the replica side in replica-side.ts, client
 * command processing in command-processor.ts and INFO in info.ts.
 */
import { type Micros, type UnixSeconds, type Random, type Simulator, type TraceFieldsArg, type TraceKind, type TraceValue, simAssert, wholeSeconds } from '../engine/index.js';
import type { Host, Network } from '../net/index.js';
import type { RedisConfig } from './config.js';
import type { CostModel } from './cost-model.js';
import { Keyspace } from './data/keyspace.js';
import { KeyTable } from './data/key-table.js';
import { type StreamUnit, ReplicationBuffer } from './replication-buffer.js';
import { respCommandBytes } from './protocol/resp.js';
import type { RdbImage } from './data/rdb.js';
import { MasterSide } from './master-side.js';
import { ReplicaSide } from './replica-side.js';
import { CommandProcessor } from './command-processor.js';
import { bootFromDisk } from './boot.js';
import { Failover } from './failover.js';
import { ClientPause } from './client-pause.js';
import { AppendOnlyFile } from './aof.js';
import type { PlantedBug } from './planted-bugs.js';
import { PubSub } from './pubsub.js';
import { ServerMemory } from './used-memory.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export const ZERO_REPLID = '0'.repeat(40);

/** What every server of a run shares: the clock, the network, the cost model, the epoch. */
export interface ServerEnv {
  sim: Simulator;
  net: Network;
  costs: CostModel;
  /** Unix ms of virtual time 0 (a whole second plus the run's sub-second phase). */
  epochMs: number;
  /** Planted bugs switched on for this run (planted-bugs.ts); empty in normal runs. */
  bugs: ReadonlySet<PlantedBug>;
  /** The run's key table, shared by every node's keyspace (key-table.ts); a node without one makes its own. */
  keyTable?: KeyTable;
}

export interface ServerStats {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  expiredKeys: number;
  evictedKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  totalNetReplInputBytes: number;
  totalNetReplOutputBytes: number;
  rejectedCalls: number;
  totalErrorReplies: number;
  rdbSaves: number;
  /** stat_total_forks: every fork (BGSAVE to disk or to sockets, AOF rewrite). */
  totalForks: number;
  /** stat_aof_rewrites: completed AOF rewrites. */
  aofRewrites: number;
  totalCommandsProcessed: number;
}

function newStats(): ServerStats {
  return {
    syncFull: 0,
    syncPartialOk: 0,
    syncPartialErr: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    totalNetReplInputBytes: 0,
    totalNetReplOutputBytes: 0,
    rejectedCalls: 0,
    totalErrorReplies: 0,
    rdbSaves: 0,
    totalForks: 0,
    aofRewrites: 0,
    totalCommandsProcessed: 0,
  };
}

/** Why the process is not running its event loop right now. */
export type FreezeReason = 'sigstop' | 'sleep' | 'loading' | 'fork' | 'script';

export class RedisServer {
  readonly name: string;
  readonly sim: Simulator;
  readonly env: ServerEnv;
  /** The key table of every keyspace this node holds (its dataset, AOF copy, loaded RDBs). */
  readonly keyTable: KeyTable;
  readonly host: Host;
  readonly rng: Random;
  /** The config the process starts with (scenario file); CONFIG SET changes `config` only, CONFIG REWRITE this. */
  bootConfig: RedisConfig;
  /** The config file's name, or null when started from options alone (CONFIG REWRITE then fails; config-rewrite.ts). */
  configFile: string | null = null;
  config: RedisConfig;

  // --- process ---
  alive = false;
  /** INFO run_id: 40 random hex digits drawn at every process start (a restart changes it). */
  runId = '';
  /** Its own stream, so drawing it moves no other random choice of the node. */
  private readonly runIdRng: Random;
  /** Bumped at every crash/boot: timers of a dead incarnation never fire. */
  incarnation = 0;
  private readonly frozen = new Set<FreezeReason>();
  private deferred: Array<() => void> = [];
  private beforeSleepPending = false;
  /** The incarnation that asked for the pending beforeSleep (requestBeforeSleep). */
  private beforeSleepIncarnation = 0;
  private cronPending = false;
  /** This run's serverCron timer argument (a tick of an earlier run finds another incarnation). */
  private cronToken: CronToken = { server: this, incarnation: 0 };
  cronLoops = 0;
  /**
   * server.blocked_last_cron: during a blocking load (blockingOperationStarts), the node's
   * clock in ms up to which whileBlockedCron has counted cron loops.
   */
  blockedLastCronMs = 0;
  bootedAtUs: Micros = 0;
  /** Persisted RDB file: survives crashes. */
  disk: RdbImage | null = null;
  /** The append-only file (appendonly yes): what is on disk, in the page cache, and appended next. */
  readonly aof: AppendOnlyFile;
  /** loading:1 in INFO persistence (RDB load at boot or after a full sync). */
  loading = false;
  asyncLoading = false;
  lastLoadKeysExpired = 0;
  /** rdb_last_load_keys_loaded: keys the last RDB load (boot, AOF preamble, full sync) added. */
  lastLoadKeysLoaded = 0;
  dirty = 0;
  lastSaveUs: Micros = 0;
  /** server.lastsave: time(NULL) on this node's wall clock (skew included) at the last save. */
  lastSave: UnixSeconds = 0;
  /** lastbgsave_status: a failed BGSAVE makes writes fail with -MISCONF (stop-writes-on-bgsave-error). */
  lastBgsaveOk = true;
  /**
   * Disk faults of this host (they outlive the process): a full disk fails every file write
   * (BGSAVE, a replica's received RDB); failBgsaves fails the next N BGSAVEs with a write
   * error; bytesPerSec slows file writes (null = the cost model's speed).
   */
  diskFaults: { full: boolean; failBgsaves: number; bytesPerSec: number | null } = { full: false, failBgsaves: 0, bytesPerSec: null };

  /** Clock faults: a fixed skew or an NTP-style step (ms), and a drift in ppm. */
  clockOffsetMs = 0;
  clockDriftPpm = 0;

  // --- data ---
  keyspace: Keyspace;
  stats: ServerStats = newStats();

  // --- replication identity (both roles) ---
  replid = ZERO_REPLID;
  replid2 = ZERO_REPLID;
  secondReplidOffset = -1;
  masterReplOffset = 0;
  backlog: ReplicationBuffer | null = null;
  /** The DB the stream last SELECTed; -1 forces a SELECT before the next command. */
  slaveseldb = -1;

  readonly master: MasterSide;
  readonly replica: ReplicaSide;
  readonly commands: CommandProcessor;
  readonly failover: Failover;
  /** CLIENT PAUSE, and the pauses of SHUTDOWN's wait and FAILOVER. */
  readonly pause: ClientPause;
  /** SUBSCRIBE / PUBLISH (pubsub.ts). */
  readonly pubsub = new PubSub();
  /** used_memory beyond the dataset: clients, replication buffer, command histograms (used-memory.ts); new at each boot. */
  memory: ServerMemory;

  constructor(env: ServerEnv, name: string, config: RedisConfig) {
    this.env = env;
    this.sim = env.sim;
    this.name = name;
    this.host = env.net.host(name);
    this.rng = env.sim.random.stream(`redis/${name}`);
    this.runIdRng = env.sim.random.stream(`redis/${name}/run_id`);
    this.bootConfig = config;
    this.config = { ...config };
    this.keyTable = env.keyTable ?? new KeyTable();
    this.keyspace = new Keyspace(config.databases, this.keyTable);
    this.master = new MasterSide(this);
    this.replica = new ReplicaSide(this);
    this.commands = new CommandProcessor(this);
    this.failover = new Failover(this);
    this.pause = new ClientPause(this);
    this.aof = new AppendOnlyFile(this);
    this.memory = new ServerMemory(this);
  }

  // ------------------------------------------------------------------ clocks

  /**
   * This node's wall clock in unix ms (mstime()): the run's epoch plus virtual time, plus
   * the node's skew (jumps add to it) and drift (ppm of elapsed time). Redis 7.0 derives
   * server.unixtime from the wall clock, so repl-timeout arithmetic and key expiry follow
   * this clock; only the event loop's timers are monotonic (virtual time).
   */
  nowMs(): number {
    const elapsedMs = Math.floor(this.sim.now / 1000);
    const driftMs = this.clockDriftPpm === 0 ? 0 : Math.floor((elapsedMs * this.clockDriftPpm) / 1e6);
    return this.env.epochMs + elapsedMs + this.clockOffsetMs + driftMs;
  }


  adjustClock(change: { skewMs?: number; jumpMs?: number; driftPpm?: number }): void {
    if (change.skewMs !== undefined) this.clockOffsetMs = change.skewMs;
    if (change.jumpMs !== undefined) this.clockOffsetMs += change.jumpMs;
    if (change.driftPpm !== undefined) this.clockDriftPpm = change.driftPpm;
    this.trace('clock.change', { offset_ms: this.clockOffsetMs, drift_ppm: this.clockDriftPpm });
  }
  /** server.unixtime: whole seconds of the node's wall clock. */
  unixtime(): UnixSeconds {
    return Math.floor(this.nowMs() / 1000);
  }
  /** Whole seconds elapsed since virtual time 0, for durations like lag. */
  seconds(): number {
    return wholeSeconds(this.sim.now);
  }

  /**
   * emptyData / swapMainDbWithTempDb: the dataset is replaced (a full sync's flush or load);
   * clients watching a key that existed in the old one fail their EXEC, and with `swapped`
   * (a diskless swapdb load) also those watching a key of the new one.
   */
  replaceKeyspace(ks: Keyspace, swapped = false): void {
    this.commands.watches.signalFlushed(this.keyspace, -1, swapped ? ks : null);
    const old = this.keyspace;
    this.keyspace = ks;
    if (old !== ks) old.discard(); // its key ids go back to the run's key table
    this.commands.watches.keyspaceReplaced();
  }

  // ------------------------------------------------------------------ lifecycle

  get isMaster(): boolean {
    return this.replica.masterHost === null;
  }

  /** Starts the process: fresh memory, persisted file loaded, cron started. */
  boot(): void {
    simAssert(!this.alive, this.sim, `${this.name}: boot of a running server`);
    this.incarnation++;
    this.alive = true;
    this.bootedAtUs = this.sim.now;
    this.runId = this.runIdRng.hex(40);
    this.config = { ...this.bootConfig };
    this.keyspace.discard(); // the dead process's dataset (a fork's snapshot keeps what it reads)
    this.keyspace = new Keyspace(this.config.databases, this.keyTable);
    this.memory = new ServerMemory(this);
    this.stats = newStats();
    this.frozen.clear();
    this.deferred = [];
    this.beforeSleepPending = false;
    this.cronPending = false;
    this.cronLoops = 0;
    this.dirty = 0;
    this.lastSaveUs = this.sim.now;
    this.lastSave = this.unixtime();
    this.lastBgsaveOk = true;
    this.lastLoadKeysExpired = 0;
    this.lastLoadKeysLoaded = 0;
    this.loading = false;
    this.replid = this.bug('hidden-global-state') ? leakyReplid() : this.rng.hex(40);
    this.replid2 = ZERO_REPLID;
    this.secondReplidOffset = -1;
    this.masterReplOffset = 0;
    this.backlog = null;
    this.slaveseldb = -1;
    this.master.reset();
    this.replica.reset();
    this.commands.reset();
    this.failover.reset();
    this.pause.reset();
    this.pubsub.reset();
    this.host.restart();
    this.host.listen(this.config.port, (conn) => this.master.accept(conn));
    this.trace('server.boot', { port: this.config.port });
    bootFromDisk(this);
    if (this.config.replicaof) this.replica.configureAtBoot(this.config.replicaof.host, this.config.replicaof.port);
    // The first serverCron runs 1 ms after the event loop starts (aeCreateTimeEvent(1)).
    this.cronToken = { server: this, incarnation: this.incarnation };
    this.sim.after(1000, runServerCron, this.cronToken);
  }

  /** kill -9: the process vanishes; connections reset; memory is lost; the disk stays. */
  crash(how: 'kill' | 'power-off' = 'kill'): void {
    if (!this.alive) return;
    this.trace('server.crash');
    // appendonly: every write was appended to the AOF before the reply; what was not fsynced
    // stays in the page cache, which outlives the process (aof.ts), so nothing is lost here.
    this.alive = false;
    this.incarnation++;
    this.master.onProcessExit();
    this.replica.onProcessExit();
    this.commands.onProcessExit();
    this.frozen.clear();
    this.deferred = [];
    if (how === 'power-off') this.host.powerOff();
    else this.host.crash();
  }

  /**
   * The host loses power: the process dies without a word on the wire (peers notice through
   * their timeouts, or an RST from the rebooted host; net/host.ts powerOff) and the OS page
   * cache is gone, so the AOF keeps only what was fsynced (aof.ts). RDB files are fsynced
   * before their rename and survive.
   */
  powerLoss(): void {
    this.crash('power-off');
    this.trace('server.power-loss', { aof_ops_lost: this.aof.losePageCache() });
  }

  // ------------------------------------------------------------------ freezing

  /** SIGSTOP, DEBUG SLEEP, a blocking load: the event loop stops; peers' bytes queue up. */
  freeze(reason: FreezeReason): void {
    if (!this.alive || this.frozen.has(reason)) return;
    const wasRunning = this.frozen.size === 0;
    this.frozen.add(reason);
    if (wasRunning) this.host.pause();
  }

  thaw(reason: FreezeReason): void {
    if (!this.frozen.delete(reason) || this.frozen.size > 0 || !this.alive) return;
    // File events first (what queued in the kernel: the host hands it over in the next
    // event), then the late timers, as aeProcessEvents orders them.
    this.host.resume();
    this.sim.after(0, this.runDeferredBound, this.incarnation);
  }

  private readonly runDeferredBound = (incarnation: number): void => {
    if (incarnation !== this.incarnation) return;
    const late = this.deferred;
    this.deferred = [];
    for (const fn of late) {
      if (!this.alive || this.frozen.size > 0 || incarnation !== this.incarnation) {
        this.deferred.push(fn);
        continue;
      }
      fn();
    }
  };

  isFrozen(reason?: FreezeReason): boolean {
    return reason ? this.frozen.has(reason) : this.frozen.size > 0;
  }

  /** Stopped for this reason and no other. */
  isOnlyFrozenBy(reason: FreezeReason): boolean {
    return this.frozen.size === 1 && this.frozen.has(reason);
  }

  /** A timer of this process: never fires after a crash; fires late after a freeze. */
  schedule(delayUs: Micros, fn: () => void): void {
    const incarnation = this.incarnation;
    this.sim.after(delayUs, () => {
      if (incarnation !== this.incarnation) return;
      if (this.frozen.size > 0) {
        this.deferred.push(fn);
        return;
      }
      fn();
    });
  }

  /** Runs fn once at the end of this event-loop iteration (Redis's beforeSleep). */
  requestBeforeSleep(): void {
    if (this.beforeSleepPending) return;
    this.beforeSleepPending = true;
    // schedule() without its per-call closure: this runs once per write.
    this.beforeSleepIncarnation = this.incarnation;
    this.sim.after(0, runBeforeSleep, this);
  }
  /** @internal The beforeSleep timer fired: as schedule() would, skip it after a crash, defer it while frozen. */
  _beforeSleepTimer(): void {
    if (this.beforeSleepIncarnation !== this.incarnation) return;
    if (this.frozen.size > 0) this.deferred.push(this.beforeSleepBound);
    else this.beforeSleepBound();
  }
  private readonly beforeSleepBound = (): void => {
    this.beforeSleepPending = false;
    this.master.beforeSleep();
  };

  // ------------------------------------------------------------------ cron

  /**
   * serverCron at `hz`; replicationCron every 1000 ms of it, or every 100 ms while a
   * FAILOVER is under way ("so progress on the handshake happens more quickly").
   */
  private serverCron(): void {
    if (this.cronPending) return;
    const periodUs = Math.round(1_000_000 / this.config.hz);
    // "Clear the paused clients state if needed."
    this.pause.check();
    this.memory.clientsCron();
    this.master.serverCronTick();
    this.commands.serverCronTick();
    this.failover.serverCronTick();
    if (this.runWithPeriod(this.failover.state === 'no-failover' ? 1000 : 100)) this.replicationCron();
    this.cronLoops++;
    this.cronPending = true;
    // schedule() without its two closures per tick: the cron runs hz times a second forever.
    this.sim.after(periodUs, runServerCron, this.cronToken);
  }

  /** @internal The serverCron timer fired: as schedule() would, skip it after a crash, defer it while frozen. */
  _cronTimer(incarnation: number): void {
    if (incarnation !== this.incarnation) return;
    if (this.frozen.size > 0) this.deferred.push(this.cronFireBound);
    else this.cronFireBound();
  }
  private readonly cronFireBound = (): void => {
    this.cronPending = false;
    this.serverCron();
  };

  /**
   * whileBlockedCron (server.c), serverCron's stand-in at each processEventsWhileBlocked of a
   * blocking load: cronloops advances by one per 1000/hz ms elapsed since blocked_last_cron,
   * so run_with_period's phase after the load is as if serverCron had kept running (a
   * replica restarted with a 200 ms load reconnects at its master ≈ 0.7 s later, when
   * cronloops next reaches a multiple of 10 — checked on redis-server 7.0.15). Nothing else
   * of it is modelled (defrag, memory stats, the latency monitor).
   */
  whileBlockedCron(): void {
    const nowMs = Math.floor(this.nowMs());
    if (this.blockedLastCronMs >= nowMs) return;
    const hzMs = Math.trunc(1000 / this.config.hz);
    while (this.blockedLastCronMs < nowMs) {
      this.blockedLastCronMs += hzMs;
      this.cronLoops++;
    }
  }

  /** run_with_period(ms): every loop when ms is at most the cron period, else every ms/period loops (integer division, as in C). */
  private runWithPeriod(ms: number): boolean {
    const periodMs = Math.trunc(1000 / this.config.hz);
    return ms <= periodMs || this.cronLoops % Math.trunc(ms / periodMs) === 0;
  }

  /** replicationCron: the failover check, then the replica half and the master half. */
  private replicationCron(): void {
    // "Check failover status first, to see if we need to start handling the failover."
    this.failover.updateStatus();
    this.replica.cron();
    this.master.replicationCron();
  }

  // ------------------------------------------------------------------ replication identity

  /** changeReplicationId: a new random history. */
  changeReplicationId(): void {
    this.replid = this.bug('hidden-global-state') ? leakyReplid() : this.rng.hex(40);
  }

  /** clearReplicationId2: no second history (replid2 zeroes, second_repl_offset -1). */
  clearReplicationId2(): void {
    this.replid2 = ZERO_REPLID;
    this.secondReplidOffset = -1;
  }

  /** shiftReplicationId: keep the old history valid up to our offset, start a new one. */
  shiftReplicationId(): void {
    this.replid2 = this.replid;
    this.secondReplidOffset = this.masterReplOffset + 1;
    this.changeReplicationId();
    this.trace('repl.shift-id', {
      replid: this.replid,
      replid2: this.replid2,
      second_repl_offset: this.secondReplidOffset,
    });
  }

  /**
   * createReplicationBacklog: an empty backlog whose first byte is the next one the stream
   * will carry; its blocks are trimmed only when no replica still references them.
   */
  createBacklog(): void {
    simAssert(this.backlog === null, this.sim, `${this.name}: backlog created twice`);
    this.backlog = new ReplicationBuffer(this.config.replBacklogSizeBytes, this.masterReplOffset, () =>
      this.master.minReferencedOffset(),
    );
  }

  /**
   * freeReplicationBacklog (+ resetReplicationBuffer): the backlog and every block go at
   * once; callers have dropped the replicas first, as Redis asserts.
   */
  freeBacklog(): void {
    this.backlog = null;
  }

  /**
   * feedReplicationBuffer: appends one unit to the backlog (which advances
   * master_repl_offset) and schedules the write to replicas in beforeSleep.
   */
  appendToStream(cmds: readonly (readonly string[])[], bytes: number): void {
    const b = this.backlog;
    if (b === null) return;
    // Tested before calling simAssert: the message closure would be allocated per write.
    if (b.masterOffset !== this.masterReplOffset) {
      simAssert(false, this.sim, `${this.name}: backlog at ${b.masterOffset} but master_repl_offset ${this.masterReplOffset}`);
    }
    b.append(cmds, bytes);
    this.masterReplOffset = b.masterOffset;
    this.master.onStreamAppended();
  }

  /**
   * replicationFeedStreamFromMasterStream: a replica proxies the bytes it applied from its
   * master to its own backlog and sub-replicas; same offsets, so the same unit object.
   */
  proxyToStream(unit: StreamUnit): void {
    const b = this.backlog;
    if (b === null) return;
    if (unit.offset !== b.masterOffset + 1 || b.masterOffset !== this.masterReplOffset) {
      this.appendToStream(unit.cmds, unit.bytes); // (never expected: a chain keeps offsets)
      return;
    }
    b.appendUnit(unit);
    this.masterReplOffset = b.masterOffset;
    this.master.onStreamAppended();
  }

  /**
   * replicationFeedSlaves: the master's own propagation. SELECT is emitted when the
   * stream's DB differs; replicas never generate a stream of their own (they proxy).
   * `wrap`: MULTI/EXEC around them (default: more than one op; scripts' set_repl decides otherwise).
   */
  feedCommands(ops: ReadonlyArray<{ db: number; argv: string[] }>, wrap = ops.length > 1): void {
    if (!this.isMaster || this.backlog === null) return;
    if (!wrap && ops.length === 1) {
      // The common unit, one command with no SELECT ahead of it: an exact-size array. The
      // backlog keeps every unit for a while, so each survives a young-generation GC, and
      // `[]` then push() gives a 17-slot backing store (152 B, where this one is 24 B).
      const op = ops[0]!;
      if (op.db < 0 || this.slaveseldb === op.db) {
        this.appendToStream([op.argv], respCommandBytes(op.argv));
        return;
      }
    }
    const cmds: (readonly string[])[] = [];
    let bytes = 0;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (wrap && i === 0) bytes += this.pushWithSelect(cmds, op.db, MULTI);
      bytes += this.pushWithSelect(cmds, op.db, op.argv);
    }
    if (wrap) bytes += this.pushWithSelect(cmds, ops[ops.length - 1]!.db, EXEC);
    this.appendToStream(cmds, bytes);
  }

  /**
   * feedReplicationBufferWithObject for each argument of a SELECT when the stream's DB changes,
   * then of the command: only the RESP bytes are counted, the argv travels as it is.
   */
  private pushWithSelect(cmds: (readonly string[])[], db: number, argv: readonly string[]): number {
    let bytes = 0;
    if (db >= 0 && this.slaveseldb !== db) {
      const select = selectCommand(db);
      cmds.push(select);
      bytes += respCommandBytes(select);
      this.slaveseldb = db;
    }
    cmds.push(argv);
    return bytes + respCommandBytes(argv);
  }

  /** replicationFeedSlaves for PING and GETACK: fed with dbid = slaveseldb, so they never cause a SELECT. */
  feedControl(argv: readonly string[]): void {
    if (!this.isMaster || this.backlog === null) return;
    this.appendToStream([argv], respCommandBytes(argv));
  }

  // ------------------------------------------------------------------ trace

  bug(name: PlantedBug): boolean {
    return this.env.bugs.size > 0 && this.env.bugs.has(name);
  }

  /** A trace record of this server (node = its name); kinds are declared in trace-kinds.ts. */
  trace<K extends TraceKind>(kind: K, ...fields: TraceFieldsArg<K>): void {
    this.sim.record(kind, this.name, ...fields);
  }
}

interface CronToken {
  readonly server: RedisServer;
  readonly incarnation: number;
}

function runServerCron(arg: unknown): void {
  const t = arg as CronToken;
  t.server._cronTimer(t.incarnation);
}

function runBeforeSleep(server: unknown): void {
  (server as RedisServer)._beforeSleepTimer();
}

const MULTI: readonly string[] = Object.freeze(['MULTI']);
const EXEC: readonly string[] = Object.freeze(['EXEC']);
const SELECTS: (readonly string[])[] = [];
function selectCommand(db: number): readonly string[] {
  let s = SELECTS[db];
  if (!s) {
    s = Object.freeze(['SELECT', String(db)]);
    SELECTS[db] = s;
  }
  return s;
}

/** The planted nondeterminism: state that survives from one run to the next in a process. */
let leakyCounter = 0;
function leakyReplid(): string {
  leakyCounter++;
  return leakyCounter.toString(16).padStart(40, '0');
}

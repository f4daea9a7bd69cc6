/**
 * One redis-sentinel process: its state (struct sentinelState: myid, current_epoch, masters,
 * TILT), the process verbs shared with RedisServer (boot, crash, restart, pause, resume,
 * adjustClock), the server timer (serverCron → sentinelTimer, re-armed after 1000/hz ms with
 * hz = 10 + rand()%10, from the Sentinel's own seeded stream) and the config file
 * (sentinelFlushConfig: what survives a restart).
 *
 * Times inside the model are ms of this process's wall clock (mstime()), as in sentinel.c.
 */
import type { Simulator, TimerId } from '../engine/index.js';
import type { Random } from '../engine/index.js';
import type { Network } from '../net/index.js';
import type { Host } from '../net/index.js';
import type { Reply } from '../redis/protocol/index.js';
import { simAssert } from '../engine/index.js';
import { type SentinelConfig, type SentinelMasterConfig, type SentinelTimings } from './config.js';
import { FAILOVER_STATE_UPDATE_CONFIG, SentinelRedisInstance } from './instance.js';
import { sentinelReconnectInstance, type ReplyHandler } from './link.js';
import { sentinelSendPeriodicCommands, sentinelPingReplyCallback } from './periodic.js';
import { sentinelCheckTiltCondition, sentinelHandleTilt } from './tilt.js';
import { sentinelCheckSubjectivelyDown, sentinelCheckObjectivelyDown, sentinelAskMasterStateToOtherSentinels } from './sdown-odown.js';
import { sentinelStartFailoverIfNeeded, sentinelFailoverStateMachine, sentinelFailoverSwitchToPromotedSlave } from './failover.js';
import { createMaster, createSlave, createSentinel } from './registry.js';
import { sentinelReceiveHelloMessages } from './hello.js';
import { ServedClients } from './clients.js';
import { masterFields } from './instance-reply.js';
import type { SentinelPlantedBug } from './planted-bugs.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export interface SentinelEnv {
  sim: Simulator;
  net: Network;
  /** Unix ms of virtual time 0. */
  epochMs: number;
  /** Planted Sentinel bugs switched on for this run (planted-bugs.ts); absent or empty in normal runs. */
  bugs?: ReadonlySet<SentinelPlantedBug>;
}

/**
 * The global options SENTINEL CONFIG GET/SET reads and changes (sentinelState's
 * announce_ip, announce_port, sentinel_auth_user/pass, resolve_hostnames, announce_hostnames).
 */
export interface SentinelGlobals {
  /** null = auto (the local address of each link); '' is kept as set by CONFIG SET (hellos then carry an empty ip). */
  announceIp: string | null;
  /** 0 = the listening port. */
  announcePort: number;
  sentinelUser: string | null;
  sentinelPass: string | null;
  /**
   * Stored, shown and persisted; no effect in the model, whose addresses are host names that
   * act as their own IP (so "resolving" and "announcing the hostname" change nothing).
   */
  resolveHostnames: boolean;
  announceHostnames: boolean;
}

/** What the config file holds after sentinelFlushConfig (rewriteConfigSentinelOption). */
export interface PersistedSentinelState {
  myid: string;
  currentEpoch: number;
  globals: SentinelGlobals;
  masters: Array<{
    config: SentinelMasterConfig;
    configEpoch: number;
    leaderEpoch: number;
    knownReplicas: Array<[string, number]>;
    knownSentinels: Array<[string, number, string]>;
  }>;
}

export class SentinelProcess {
  readonly name: string;
  readonly sim: Simulator;
  readonly env: SentinelEnv;
  readonly host: Host;
  readonly rng: Random;
  readonly bootConfig: SentinelConfig;
  config: SentinelConfig;
  timings: SentinelTimings;

  alive = false;
  paused = false;
  /** The process's run_id (INFO server), new at every start; not the Sentinel id (myid). */
  runId = '';
  bootedAtMs = 0;
  /** The hz the last tick drew (INFO server `hz`). */
  hz = 10;
  myid = '';
  currentEpoch = 0;
  readonly masters = new Map<string, SentinelRedisInstance>();
  tilt = false;
  tiltStartTime = 0;
  previousTime = 0;
  clockOffsetMs = 0;
  clockDriftPpm = 0;
  /** The config file on disk (null until the first flush). */
  disk: PersistedSentinelState | null = null;
  /** Connections accepted on the Sentinel port (clients, other Sentinels' links). */
  readonly clients: ServedClients;
  /** Called for every event after it is traced and published (scenario hooks). */
  onEvent: ((type: string, msg: string) => void) | null = null;
  /** Hello text → the Sentinel it came from, for hellos already processed (hello.ts). */
  readonly helloSeen = new Map<string, SentinelRedisInstance>();
  /** Ticks run since boot (for tests and idle-cost measurements). */
  ticks = 0;
  /** SENTINEL CONFIG options (set at boot from the config file, changed by SENTINEL CONFIG SET). */
  globals: SentinelGlobals = globalsFromConfig(undefined);
  /** simfailure_flags (simulate-failure.ts): not persisted, so 0 after every start. */
  simfailureFlags = 0;

  private timer: TimerId | -1 = -1;
  private tickHeld = false;
  /** The reply handler of the PINGs periodic.ts sends (sentinelPingReplyCallback). */
  readonly pingReplyHandler: ReplyHandler = sentinelPingReplyCallback;

  constructor(env: SentinelEnv, name: string, config: SentinelConfig) {
    this.env = env;
    this.sim = env.sim;
    this.name = name;
    this.host = env.net.hostOrUndefined(name) ?? env.net.addHost(name);
    this.rng = env.sim.random.stream('sentinel:' + name);
    this.bootConfig = config;
    this.config = config;
    this.timings = { ...config.timings };
    this.clients = new ServedClients(this);
  }

  /** Is this planted bug switched on (planted-bugs.ts)? */
  bug(name: SentinelPlantedBug): boolean {
    return this.env.bugs !== undefined && this.env.bugs.size > 0 && this.env.bugs.has(name);
  }

  // ------------------------------------------------------------------ clock

  /** mstime(): the epoch, virtual time, this node's skew (jumps add to it) and drift. */
  mstime(): number {
    const elapsedMs = Math.floor(this.sim.now / 1000);
    const driftMs = this.clockDriftPpm === 0 ? 0 : Math.floor((elapsedMs * this.clockDriftPpm) / 1e6);
    return this.env.epochMs + elapsedMs + this.clockOffsetMs + driftMs;
  }

  adjustClock(change: { skewMs?: number; jumpMs?: number; driftPpm?: number }): void {
    if (change.skewMs !== undefined) this.clockOffsetMs = change.skewMs;
    if (change.jumpMs !== undefined) this.clockOffsetMs += change.jumpMs;
    if (change.driftPpm !== undefined) this.clockDriftPpm = change.driftPpm;
    this.sim.record('clock.change', this.name, { offset_ms: this.clockOffsetMs, drift_ppm: this.clockDriftPpm });
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Starts the process: reads its config file (the last flushed state, else the boot config),
   * creates the masters (+monitor), listens, and arms the timer.
   */
  boot(): void {
    simAssert(!this.alive, this.sim, `${this.name}: boot of a running Sentinel`);
    this.alive = true;
    this.paused = false;
    this.tilt = false;
    this.tiltStartTime = 0;
    this.ticks = 0;
    this.host.restart();
    this.runId = this.rng.hex(40);
    this.host.listen(this.config.port, (ep) => this.clients.accept(ep));
    const now = this.mstime();
    this.bootedAtMs = now;
    this.previousTime = now;
    this.masters.clear();
    this.helloSeen.clear();
    const disk = this.disk;
    const firstStart = disk === null && this.bootConfig.myid === undefined;
    this.myid = disk?.myid ?? this.bootConfig.myid ?? this.rng.hex(40);
    this.currentEpoch = disk?.currentEpoch ?? this.bootConfig.currentEpoch;
    // The loader skips an empty `sentinel announce-ip ""` (strlen check): auto again after a restart.
    this.globals = disk === null ? globalsFromConfig(this.bootConfig) : { ...disk.globals, announceIp: disk.globals.announceIp || null };
    this.simfailureFlags = 0;
    this.sim.record('sentinel.boot', this.name, { port: this.config.port, myid: this.myid });
    if (disk === null) {
      for (const m of this.bootConfig.masters) createMaster(this, m, now);
    } else {
      for (const pm of disk.masters) {
        const m = createMaster(this, pm.config, now);
        m.configEpoch = pm.configEpoch;
        m.leaderEpoch = pm.leaderEpoch;
        for (const [h, p] of pm.knownReplicas) createSlave(this, m, h, p, now);
        for (const [h, p, runid] of pm.knownSentinels) createSentinel(this, m, h, p, runid, now);
      }
    }
    // sentinelIsRunning: a generated myid is persisted at once.
    if (firstStart) this.flushConfig();
    this.scheduleTick(this.nextTickDelayUs());
  }

  /** kill -9: connections reset, memory lost; the config file stays. */
  crash(): void {
    if (!this.alive) return;
    this.sim.record('sentinel.crash', this.name);
    this.alive = false;
    this.paused = false;
    this.cancelTimer();
    this.clients.reset();
    this.masters.clear();
    this.host.crash();
  }

  restart(): void {
    this.crash();
    this.boot();
  }

  /** SIGSTOP: no ticks, nothing read; on resume the late tick runs at once (and finds the gap: TILT). */
  pause(): void {
    if (!this.alive || this.paused) return;
    this.paused = true;
    this.host.pause();
  }

  resume(): void {
    if (!this.alive || !this.paused) return;
    this.paused = false;
    this.host.resume();
    if (this.tickHeld) {
      this.tickHeld = false;
      this.scheduleTick(0);
    }
  }

  // ------------------------------------------------------------------ timer

  /** 1000/hz ms with hz = 10 + rand()%10 (the last line of sentinelTimer), in µs. */
  private nextTickDelayUs(): number {
    const hz = 10 + this.rng.int(0, 9);
    this.hz = hz;
    return Math.trunc(1000 / hz) * 1000;
  }

  private scheduleTick(delayUs: number): void {
    this.timer = this.sim.after(delayUs, sentinelTimerEvent, this);
  }

  private cancelTimer(): void {
    if (this.timer !== -1) this.sim.cancel(this.timer);
    this.timer = -1;
    this.tickHeld = false;
  }

  /** @internal the timer fired. */
  _timerFired(): void {
    this.timer = -1;
    if (!this.alive) return;
    if (this.paused) {
      this.tickHeld = true;
      return;
    }
    this.sentinelTimer();
    // SENTINEL SIMULATE-FAILURE may have ended the process inside the tick (exit(99)).
    if (!this.alive) return;
    this.scheduleTick(this.nextTickDelayUs());
  }

  /** sentinelTimer: TILT check, every instance handled, at most one switch, then a new hz. */
  sentinelTimer(): void {
    this.ticks++;
    const now = this.mstime();
    sentinelCheckTiltCondition(this, now);
    let switchMaster: SentinelRedisInstance | null = null;
    for (const m of this.masters.values()) {
      this.handleRedisInstance(m, now);
      if (!this.alive) return; // crashed by SENTINEL SIMULATE-FAILURE: nothing after exit() runs
      for (const r of m.slaves.values()) this.handleRedisInstance(r, now);
      for (const r of m.sentinels.values()) this.handleRedisInstance(r, now);
      if (m.failoverState === FAILOVER_STATE_UPDATE_CONFIG) switchMaster = m;
    }
    if (switchMaster !== null) sentinelFailoverSwitchToPromotedSlave(this, switchMaster, now);
  }

  /** sentinelHandleRedisInstance */
  private handleRedisInstance(ri: SentinelRedisInstance, now: number): void {
    sentinelReconnectInstance(this, ri, now);
    sentinelSendPeriodicCommands(this, ri, now);
    if (this.tilt && !sentinelHandleTilt(this, now)) return;
    sentinelCheckSubjectivelyDown(this, ri, now);
    if (ri.isMaster) {
      sentinelCheckObjectivelyDown(this, ri, now);
      if (sentinelStartFailoverIfNeeded(this, ri, now)) sentinelAskMasterStateToOtherSentinels(this, ri, now, true);
      sentinelFailoverStateMachine(this, ri, now);
      if (!this.alive) return;
      sentinelAskMasterStateToOtherSentinels(this, ri, now, false);
    }
  }

  // ------------------------------------------------------------------ wiring for the other files

  receiveHello(ri: SentinelRedisInstance, reply: Reply): void {
    sentinelReceiveHelloMessages(this, ri, reply);
  }

  /** Publishes `msg` on `channel` to this Sentinel's own subscribers (events). */
  publishLocal(channel: string, msg: string): void {
    this.clients.publish(channel, msg);
  }

  /** sentinelFlushConfig: what a restart reads back. */
  flushConfig(): void {
    const masters: PersistedSentinelState['masters'] = [];
    for (const m of this.masters.values()) {
      const addr = currentMasterAddress(m);
      const promoted = addr.instance;
      masters.push({
        config: {
          name: m.name,
          host: addr.host,
          port: addr.port,
          quorum: m.quorum,
          downAfterMs: m.downAfterPeriod,
          failoverTimeoutMs: m.failoverTimeout,
          parallelSyncs: m.parallelSyncs,
          ...(m.authPass === null ? {} : { authPass: m.authPass }),
          ...(m.authUser === null ? {} : { authUser: m.authUser }),
          masterRebootDownAfterPeriodMs: m.masterRebootDownAfterPeriod,
        },
        configEpoch: m.configEpoch,
        leaderEpoch: m.leaderEpoch,
        // The promoted replica is written with the old master's address while the failover is unfinished.
        knownReplicas: [...m.slaves.values()].map((r) => (r === promoted ? [m.host, m.port] : [r.host, r.port])),
        knownSentinels: [...m.sentinels.values()].filter((x) => x.runid !== null).map((x) => [x.host, x.port, x.runid!]),
      });
    }
    this.disk = { myid: this.myid, currentEpoch: this.currentEpoch, globals: { ...this.globals }, masters };
  }

  // ------------------------------------------------------------------ public getters

  /** In-process command (timeline `command:` steps): same handling as over the wire. */
  sentinelCall(argv: readonly string[], done: (reply: Reply) => void): void {
    this.clients.callInProcess(argv, done);
  }

  /** SENTINEL MASTER <name> as a record of field → value; null for an unknown name or a dead process. */
  masterState(name: string): Record<string, string> | null {
    const m = this.masters.get(name);
    if (!this.alive || m === undefined) return null;
    return Object.fromEntries(masterFields(this, m, this.mstime()));
  }

  /** The master address this Sentinel gives clients (GET-MASTER-ADDR-BY-NAME), or null. */
  masterAddress(name: string): { host: string; port: number } | null {
    const m = this.masters.get(name);
    if (!this.alive || m === undefined) return null;
    const a = currentMasterAddress(m);
    return { host: a.host, port: a.port };
  }
}

/**
 * sentinelGetCurrentMasterAddress: the promoted replica's address once the failover reached
 * RECONF_SLAVES (state ≥ 5), else the master's own.
 */
export function currentMasterAddress(m: SentinelRedisInstance): { host: string; port: number; instance: SentinelRedisInstance | null } {
  const p = m.promotedSlave;
  if (p !== null && m.failoverState >= 5 /* FAILOVER_STATE_RECONF_SLAVES */) return { host: p.host, port: p.port, instance: p };
  return { host: m.host, port: m.port, instance: null };
}

/** The options as sentinel.conf set them (loadSentinelConfigFromQueue), defaults for the rest. */
function globalsFromConfig(c: SentinelConfig | undefined): SentinelGlobals {
  return {
    announceIp: c?.announceIp ?? null,
    announcePort: c?.announcePort ?? 0,
    sentinelUser: c?.sentinelUser ?? null,
    sentinelPass: c?.sentinelPass ?? null,
    resolveHostnames: c?.resolveHostnames ?? false,
    announceHostnames: c?.announceHostnames ?? false,
  };
}

function sentinelTimerEvent(s: SentinelProcess): void {
  s._timerFired();
}

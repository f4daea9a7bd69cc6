/**
 * The coordinated FAILOVER command (6.2+; replication.c: failoverCommand, updateFailoverStatus,
 * abortFailover) and SHUTDOWN's wait for lagging replicas (7.0; server.c: prepareForShutdown,
 * isReadyToShutdown). Both pause writes, ask the replicas for ACKs and finish from
 * serverCron once a replica has everything, so no acknowledged write is lost:
 *
 *   FAILOVER: waiting-for-sync → (target caught up, or TIMEOUT with FORCE)
 *             failover-in-progress: REPLICAOF target, PSYNC … FAILOVER → target promotes
 *             itself and answers +CONTINUE → no-failover, writes resume (we are a replica).
 *   SHUTDOWN: GETACK, wait until every replica's ACK equals master_repl_offset or
 *             shutdown-timeout passes, then save (if configured) and exit.
 */
import { err, ERR_NOT_INTEGER, ok, type Reply } from './protocol/reply.js';
import { REPLCONF_GETACK } from './wire.js';
import type { ReplicaClient } from './replica-client.js';
import type { RedisServer } from './server.js';

/** getFailoverStateString: the names INFO's master_failover_state shows. */
export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';


interface Pending {
  target: { host: string; port: number } | null;
  force: boolean;
  deadlineUs: number;
  /** The replica chosen (TO target, or the first to catch up). */
  chosen: ReplicaClient | null;
}

interface ShutdownWait {
  save: boolean;
  deadlineUs: number;
  done: (r: Reply) => void;
}

export class Failover {
  state: FailoverState = 'no-failover';
  private pending: Pending | null = null;
  private shutdown: ShutdownWait | null = null;

  constructor(private readonly server: RedisServer) {}

  /** clearFailoverState at process start. */
  reset(): void {
    this.state = 'no-failover';
    this.pending = null;
    this.shutdown = null;
  }

  /** failoverCommand: FAILOVER [TO host port [FORCE]] [TIMEOUT ms] | ABORT */
  command(argv: string[]): Reply {
    const s = this.server;
    const args = argv.slice(1).map((a) => a.toLowerCase());
    if (args[0] === 'abort' && args.length === 1) {
      if (this.state === 'no-failover') return err('ERR No failover in progress.');
      this.abort('Failover manually aborted');
      return ok();
    }
    let target: { host: string; port: number } | null = null;
    let force = false;
    let timeoutMs = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === 'to' && i + 2 < argv.length) {
        const port = Number(argv[i + 3]);
        if (!Number.isInteger(port)) return ERR_NOT_INTEGER;
        target = { host: argv[i + 2]!, port };
        i += 2;
      } else if (a === 'force') force = true;
      else if (a === 'timeout' && i + 1 < args.length) {
        timeoutMs = Number(args[++i]);
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return err('ERR FAILOVER timeout must be greater than 0');
      } else return err('ERR syntax error');
    }
    if (!s.isMaster) return err('ERR FAILOVER is not valid when server is a replica.');
    if (s.master.replicas.length === 0) return err('ERR FAILOVER requires connected replicas.');
    if (force && (!timeoutMs || !target)) return err('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
    if (this.state !== 'no-failover') return err('ERR FAILOVER already in progress.');
    let chosen: ReplicaClient | null = null;
    if (target) {
      // findReplica: the target must be one of our online replicas.
      chosen = s.master.replicas.find((r) => r.name === target!.host && r.state === 'online') ?? null;
      if (!chosen) return err('ERR FAILOVER target HOST and PORT is not a replica.');
    }
    this.pending = { target, force, deadlineUs: timeoutMs ? s.sim.now + timeoutMs * 1000 : Infinity, chosen };
    this.state = 'waiting-for-sync';
    s.pause.pause('failover', Infinity, 'write');
    s.trace('failover.start', { target: target?.host ?? '', timeout_ms: timeoutMs, force });
    // No GETACK: writes are paused (PAUSE_DURING_FAILOVER) and beforeSleep sends no GETACK
    // during a pause, as it would move the offset; the replicas' 1 Hz ACKs tell.
    return ok();
  }

  /** serverCron's part: SHUTDOWN's wait is checked on every cron tick. */
  serverCronTick(): void {
    this.checkShutdown();
  }

  /**
   * A FAILOVER's TIMEOUT sets failover_end_time; while it is set and writes are paused,
   * replicationCron sends no PING (it would move the offset the target must reach). A
   * FAILOVER without TIMEOUT, and SHUTDOWN's wait, leave it at 0: their PINGs go out.
   */
  get suppressesPing(): boolean {
    return this.pending !== null && this.pending.deadlineUs !== Infinity;
  }

  /**
   * updateFailoverStatus: Redis calls it in every beforeSleep (after the ACKs an iteration
   * read) and first thing in replicationCron.
   */
  updateStatus(): void {
    // The common case (no FAILOVER under way) returns before the work, which holds a closure:
    // a function with one allocates its context on every call (beforeSleep, once per write).
    if (this.pending === null || this.state !== 'waiting-for-sync') return;
    this.updateWaitingStatus(this.pending);
  }

  private updateWaitingStatus(p: Pending): void {
    const s = this.server;
    const caughtUp = (r: ReplicaClient) => r.state === 'online' && r.ackOffset >= s.masterReplOffset;
    let chosen = p.chosen && caughtUp(p.chosen) ? p.chosen : null;
    if (!p.target) chosen = s.master.replicas.find(caughtUp) ?? null;
    if (!chosen && s.sim.now >= p.deadlineUs) {
      if (!p.force || !p.chosen) {
        s.trace('failover.abort', { reason: 'Replica never caught up before timeout' });
        this.abort('Replica never caught up before timeout');
        return;
      }
      s.trace('failover.forced', { target: p.chosen.name });
      chosen = p.chosen;
    }
    // Not yet: the replicas' 1 Hz ACKs (which include the GETACK bytes) will tell.
    if (!chosen) return;
    this.state = 'failover-in-progress';
    s.trace('failover.switch', { target: chosen.name });
    s.replica.replicaof(chosen.name, chosen.client.listeningPort || 6379, true);
  }

  /** clearFailoverState: the PSYNC … FAILOVER we sent got +CONTINUE, we are the target's replica now. */
  onPsyncAccepted(): void {
    if (this.state !== 'failover-in-progress') return;
    this.server.trace('failover.done', {});
    this.pending = null;
    this.state = 'no-failover';
    this.server.pause.unpause('failover');
  }

  /** abortFailover("Failover target rejected psync request") in progress: back to being a master, with a shifted replid. */
  onPsyncRejected(): void {
    if (this.state !== 'failover-in-progress') return;
    this.server.trace('failover.abort', { reason: 'Failover target rejected psync request' });
    this.pending = null;
    this.state = 'no-failover';
    this.server.replica.unsetMaster();
    this.server.pause.unpause('failover');
  }

  /** abortFailover while waiting for sync (FAILOVER ABORT, or the timeout without FORCE): clearFailoverState. */
  private abort(_why: string): void {
    this.pending = null;
    this.state = 'no-failover';
    this.server.pause.unpause('failover');
  }

  // ------------------------------------------------------------------ SHUTDOWN

  /** prepareForShutdown's wait for replicas (7.0): false when there is nothing to wait for. */
  startShutdownWait(save: boolean, done: (r: Reply) => void): boolean {
    const s = this.server;
    // isReadyToShutdown: replicas already at master_repl_offset need no GETACK and no wait.
    if (!s.isMaster || !s.master.replicas.some((r) => r.state === 'online' && r.ackOffset < s.masterReplOffset)) return false;
    this.shutdown = { save, deadlineUs: s.sim.now + s.config.shutdownTimeoutSec * 1_000_000, done };
    s.trace('server.shutdown-wait', { timeout_s: s.config.shutdownTimeoutSec });
    // prepareForShutdown sends GETACK itself, before it pauses writes.
    s.feedControl(REPLCONF_GETACK);
    s.pause.pause('shutdown', Infinity, 'write');
    return true;
  }

  /** isReadyToShutdown, from serverCron: every replica caught up or shutdown-timeout passed, then finishShutdown. */
  private checkShutdown(): void {
    const w = this.shutdown;
    if (!w) return;
    const s = this.server;
    const lagging = s.master.replicas.filter((r) => r.state === 'online' && r.ackOffset < s.masterReplOffset);
    if (lagging.length > 0 && s.sim.now < w.deadlineUs) return;
    this.shutdown = null;
    // An exit makes this moot; a failed save (abortShutdown) lets the writes go on.
    s.pause.unpause('shutdown');
    s.commands.serverCommands.finishShutdown(w.save, w.done);
  }
}

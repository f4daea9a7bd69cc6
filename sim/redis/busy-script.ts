/**
 * A script's time on the server (script.c scriptInterrupt, server.c processEventsWhileBlocked).
 *
 * A script is CPU work: the process does nothing else while it runs, so it is frozen
 * ('script') for the script's virtual duration (lua-call.ts counts it) and the reply
 * leaves at the end. Redis enters the event loop only from the script's count hook once
 * the script has run past busy-reply-threshold: from then on, every 100,000 instructions,
 * processEventsWhileBlocked reads what clients sent and answers — -BUSY to commands
 * without CMD_ALLOW_BUSY (command-processor.ts), SCRIPT KILL / FUNCTION KILL, REPLCONF,
 * SHUTDOWN NOSAVE — but runs no timer: no serverCron, so no replicationCron (a master
 * sends its replicas no PING, a replica no REPLCONF ACK), no expiry, no clientsCron.
 * A replica leaves its master's stream unprocessed meanwhile (processInputBuffer breaks on
 * CLIENT_MASTER): here it stays unread in the kernel.
 *
 * The slices between two hooks are computed when they start; nothing else can change the
 * keyspace meanwhile, and a SCRIPT KILL that arrives during one is seen at its end, at the
 * hook where Redis would process it.
 */
import type { Reply } from './protocol/reply.js';
import { heldForEndpoint } from '../net/index.js';
import type { ScriptExecution } from './scripting/lua-call.js';
import type { RedisServer } from './server.js';

export interface BusyScriptEnd {
  /** The script ended (returned, raised, or was killed) with this reply, at its virtual end. */
  (reply: Reply): void;
}

/** A command an in-process client sent while the process was busy. */
export interface HeldCommand {
  /** Read it now. */
  run(): void;
  /** The process died before reading it: the client sees its connection close. */
  closed(): void;
}

export class BusyScript {
  /** processEventsWhileBlocked is running: networked clients are served now. */
  polling = false;
  /** Commands of in-process clients sent while the process is busy: read at the next poll. */
  private readonly held: HeldCommand[] = [];
  private readonly incarnation: number;
  private readonly startUs: number;

  constructor(
    private readonly server: RedisServer,
    readonly execution: ScriptExecution,
    private readonly onEnd: BusyScriptEnd,
  ) {
    this.incarnation = server.incarnation;
    this.startUs = server.sim.now;
    // blockingOperationStarts (scriptPrepareForRun): whileBlockedCron counts cron loops from here.
    server.blockedLastCronMs = Math.floor(server.nowMs());
    server.freeze('script');
    server.trace('server.script-timedout', { script: execution.name, after_us: execution.elapsedUs() });
    this.scheduleNext();
  }

  /** An in-process client's command waits in its socket until the next poll. */
  hold(command: HeldCommand): void {
    this.held.push(command);
  }

  /** The process died under the script: its coroutine is dropped, held commands are lost with the connections. */
  abandon(): HeldCommand[] {
    this.execution.abandon();
    return this.held.splice(0);
  }

  private scheduleNext(): void {
    this.server.sim.at(this.startUs + this.execution.elapsedUs(), runHook, this);
  }

  /** @internal The count hook after the slice computed last: poll, then run the next slice. */
  _hook(): void {
    const s = this.server;
    if (this.incarnation !== s.incarnation) return;
    this.poll();
    if (this.incarnation !== s.incarnation) return; // SHUTDOWN NOSAVE in the poll
    const reply = this.execution.resume();
    if (reply === null) return this.scheduleNext();
    // The last slice ends somewhere before the next hook: the reply leaves then.
    s.sim.at(this.startUs + this.execution.elapsedUs(), runEnd, { busy: this, reply });
  }

  /** @internal The script's last instruction ran. */
  _end(reply: Reply): void {
    const s = this.server;
    if (this.incarnation !== s.incarnation) return;
    s.trace('server.script-busy-end', { script: this.execution.name, killed: this.execution.killed, us: this.execution.elapsedUs() });
    s.thaw('script');
    this.onEnd(reply);
    // What in-process clients sent after the last poll is read in the next loop iteration.
    for (const h of this.held.splice(0)) h.run();
  }

  /** processEventsWhileBlocked: what arrived is read and answered; the master link stays unread. */
  private poll(): void {
    const s = this.server;
    if (!s.isOnlyFrozenBy('script')) return; // SIGSTOP or DEBUG SLEEP stop the process whole
    this.polling = true;
    try {
      const link = s.isMaster ? null : s.replica.conn;
      s.host.pollWhilePaused(link === null ? null : (fn, arg) => heldForEndpoint(fn, arg, link));
      for (const h of this.held.splice(0)) h.run();
      s.whileBlockedCron();
    } finally {
      this.polling = false;
    }
  }
}

function runHook(arg: unknown): void {
  (arg as BusyScript)._hook();
}

function runEnd(arg: unknown): void {
  const { busy, reply } = arg as { busy: BusyScript; reply: Reply };
  busy._end(reply);
}

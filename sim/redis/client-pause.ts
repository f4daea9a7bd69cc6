/**
 * Client pauses (networking.c pauseClients, 7.0): CLIENT PAUSE, SHUTDOWN's wait for
 * lagging replicas and FAILOVER each hold a pause of their own — a type (WRITE or ALL)
 * and an end time on the node's wall clock. The strictest type in force wins, with the
 * furthest end among pauses of that type. While paused:
 *   - processCommand postpones ALL commands, or (WRITE) the ones that may replicate
 *     (write / may-replicate flags, or an EXEC whose queue has one), before MULTI queueing;
 *     replication links are never paused;
 *   - expired keys are hidden but not deleted, the active expire cycle and eviction stop,
 *     beforeSleep sends no GETACK (each would change the dataset or the offsets);
 *   - when the pause ends or gets less strict, the postponed commands run again, in order
 *     (and may be postponed again).
 * A timed pause ends when serverCron (or anyone asking) notices its end time has passed.
 */
import type { RedisServer } from './server.js';

export type PauseType = 'off' | 'write' | 'all';
export type PausePurpose = 'client-command' | 'shutdown' | 'failover';

const RANK: Record<PauseType, number> = { off: 0, write: 1, all: 2 };
/** Redis's pause_purpose order; iterating a fixed list keeps recomputation deterministic. */
const PURPOSES: readonly PausePurpose[] = ['client-command', 'shutdown', 'failover'];

interface PauseEvent {
  type: PauseType;
  /** Unix ms on the node's clock; Infinity = until lifted. */
  endMs: number;
}

export class ClientPause {
  type: PauseType = 'off';
  /** client_pause_end_time. */
  endMs = 0;
  private readonly events = new Map<PausePurpose, PauseEvent>();
  private postponed: Array<() => void> = [];

  constructor(private readonly server: RedisServer) {}

  /** A process start: nothing paused, nothing postponed. */
  reset(): void {
    this.events.clear();
    this.postponed = [];
    this.type = 'off';
    this.endMs = 0;
  }

  /** pauseClients: an existing pause of this purpose keeps the stricter type and the later end. */
  pause(purpose: PausePurpose, endMs: number, type: PauseType): void {
    const p = this.events.get(purpose);
    if (p === undefined) this.events.set(purpose, { type, endMs });
    else {
      if (RANK[type] > RANK[p.type]) p.type = type;
      if (endMs > p.endMs) p.endMs = endMs;
    }
    this.update();
  }

  unpause(purpose: PausePurpose): void {
    if (!this.events.delete(purpose)) return;
    this.update();
  }

  /** checkClientPauseTimeoutAndReturnIfPaused. */
  check(): boolean {
    if (this.type === 'off') return false;
    if (this.endMs < this.server.nowMs()) this.update();
    return this.isPaused;
  }

  get isPaused(): boolean {
    return this.type !== 'off';
  }

  /** Whether processCommand must postpone a command with these properties. */
  blocks(mayReplicate: boolean): boolean {
    return this.type === 'all' || (this.type === 'write' && mayReplicate);
  }

  /** blockClient(c, BLOCKED_POSTPONE): `retry` re-processes the command. */
  postpone(retry: () => void): void {
    this.postponed.push(retry);
  }

  /** updateClientPauseTypeAndEndTime. */
  private update(): void {
    const now = this.server.nowMs();
    const old = this.type;
    let type: PauseType = 'off';
    for (const purpose of PURPOSES) {
      const p = this.events.get(purpose);
      if (p === undefined) continue;
      if (p.endMs < now) this.events.delete(purpose);
      else if (RANK[p.type] > RANK[type]) type = p.type;
    }
    let end = 0;
    for (const purpose of PURPOSES) {
      const p = this.events.get(purpose);
      if (p !== undefined && p.type === type && p.endMs > end) end = p.endMs;
    }
    this.type = type;
    this.endMs = end;
    if (type !== old) this.server.trace('server.client-pause', { type, end_ms: Number.isFinite(end) ? end : -1 });
    // Less strict than before: every postponed command is processed again (unblockPostponedClients).
    // They run from the event loop, after whatever lifted the pause (CLIENT UNPAUSE replies first).
    if (RANK[type] < RANK[old] && this.postponed.length > 0) {
      const retry = this.postponed;
      this.postponed = [];
      this.server.schedule(0, () => {
        for (const r of retry) r();
      });
    }
  }
}

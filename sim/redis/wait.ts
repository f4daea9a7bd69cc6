/**
 * WAIT numreplicas timeout (replication.c: waitCommand, processClientsWaitingReplicas): a
 * client blocks until enough replicas ACKed the offset its previous command left, or until
 * the timeout. In beforeSleep the master feeds `REPLCONF GETACK *` to speed the ACKs up.
 */
import { err, int, type Reply } from './protocol/reply.js';
import { REPLCONF_GETACK } from './wire.js';
import type { MasterSide } from './master-side.js';
import type { RedisServer } from './server.js';


interface Waiter {
  woff: number;
  needed: number;
  done: (r: Reply) => void;
  finished: boolean;
}

export class WaitQueue {
  private waiters: Waiter[] = [];
  private getAckRequested = false;

  constructor(
    private readonly server: RedisServer,
    private readonly master: MasterSide,
  ) {}

  reset(): void {
    this.waiters = [];
    this.getAckRequested = false;
  }

  /** replicationCountAcksByOffset: online replicas whose ACKed offset reached `woff`. */
  countAcked(woff: number): number {
    let n = 0;
    for (const r of this.master.replicas) if (r.state === 'online' && r.ackOffset >= woff) n++;
    return n;
  }

  /** waitCommand, the blocking half (blockClient, BLOCKED_WAIT); replicationRequestAckFromSlaves sets getAckRequested. */
  block(woff: number, needed: number, timeoutMs: number, done: (r: Reply) => void): void {
    const s = this.server;
    const acked = this.countAcked(woff);
    if (acked >= needed) return done(int(acked));
    const w: Waiter = { woff, needed, done, finished: false };
    this.waiters.push(w);
    this.getAckRequested = true;
    s.requestBeforeSleep();
    if (timeoutMs > 0) {
      s.schedule(timeoutMs * 1000, () => this.finish(w, int(this.countAcked(w.woff))));
    }
  }

  /** unblockClientWaitingReplicas: the waiter leaves the queue with its reply (the count, or -UNBLOCKED). */
  private finish(w: Waiter, reply: Reply): void {
    if (w.finished) return;
    w.finished = true;
    this.waiters = this.waiters.filter((x) => x !== w);
    w.done(reply);
  }

  /** processClientsWaitingReplicas: after ACKs arrived, answer every waiter now satisfied. */
  onAck(): void {
    for (const w of [...this.waiters]) {
      const acked = this.countAcked(w.woff);
      if (acked >= w.needed) this.finish(w, int(acked));
    }
  }

  /** beforeSleep (server.c): get_ack_from_slaves feeds REPLCONF GETACK * unless clients are paused. */
  beforeSleep(): void {
    // No GETACK while clients are paused (it would move the offset); it goes after the pause.
    if (!this.getAckRequested || this.server.pause.check()) return;
    this.getAckRequested = false;
    if (this.waiters.length > 0) this.server.feedControl(REPLCONF_GETACK);
  }

  /** disconnectAllBlockedClients (blocked.c; REPLICAOF on a master): blocked WAITs get -UNBLOCKED. */
  unblockAll(): void {
    for (const w of [...this.waiters]) {
      this.finish(w, err("UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"));
    }
  }
}

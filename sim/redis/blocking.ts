/**
 * Clients blocked on keys (blocked.c at 7.0.15, lists and streams): a BLPOP, BRPOP, BLMOVE,
 * BRPOPLPUSH, XREAD BLOCK or XREADGROUP BLOCK that found nothing waits here until
 *   - a command leaves one of its keys holding a non-empty list: after every command (and
 *     EXEC, and each unit of a master's stream on a writable replica)
 *     handleClientsBlockedOnKeys serves the waiters of that key first-blocked first, each
 *     running its command again — the pop goes out as its own unit (LPOP/RPOP key, LMOVE
 *     with LEFT/RIGHT, RPOPLPUSH), right after the command that made the key ready;
 *   - its timeout (precise: Redis checks in beforeSleep): a null reply;
 *   - the server turns into a replica (disconnectAllBlockedClients: -UNBLOCKED), or dies.
 * Serving checks every waiting key after each command rather than tracking which keys were
 * signalled ready: a waiter's keys cannot hold a non-empty list unless a command just made
 * them (it would have been served), so both serve the same clients. A stream waiter brings
 * its own test (BlockRequest.ready, commands-stream-read.ts) and the read to run again.
 */
import { err, type Reply } from './protocol/reply.js';
import type { BlockRequest } from './commands/exec-context.js';
import type { RedisServer } from './server.js';
import { ListValue } from './data/value-list.js';

export interface BlockedClient {
  readonly db: number;
  readonly request: BlockRequest;
  /** Runs the command again; returns its reply, or null if it blocked again. */
  readonly retry: () => Reply | null;
  readonly done: (r: Reply) => void;
  finished: boolean;
}

const UNBLOCKED = err('UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)');

export class BlockedClients {
  private waiters: BlockedClient[] = [];
  private serving = false;

  constructor(private readonly server: RedisServer) {}

  get count(): number {
    return this.waiters.length;
  }

  reset(): void {
    this.waiters = [];
    this.serving = false;
  }

  block(db: number, request: BlockRequest, retry: () => Reply | null, done: (r: Reply) => void): void {
    const w: BlockedClient = { db, request, retry, done, finished: false };
    this.waiters.push(w);
    const s = this.server;
    s.trace('client.blocked', { keys: request.keys.join(' '), timeout_ms: request.timeoutMs });
    if (request.timeoutMs > 0) {
      s.schedule(request.timeoutMs * 1000, () => {
        if (w.finished) return;
        this.finish(w, request.onTimeout);
      });
    }
  }

  /** handleClientsBlockedOnKeys: serve every waiter whose key now holds a non-empty list. */
  serveReady(): void {
    if (this.waiters.length === 0 || this.serving) return;
    this.serving = true;
    try {
      // Serving BLMOVE pushes onto another key, which may serve more: loop until nothing moves.
      for (let progress = true; progress; ) {
        progress = false;
        for (const w of [...this.waiters]) {
          if (w.finished || !this.anyKeyReady(w)) continue;
          const reply = w.retry();
          if (reply === null) continue; // found nothing after all: stays blocked, in place
          this.finish(w, reply);
          progress = true;
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** REPLICAOF on a master: blocked clients get -UNBLOCKED. */
  unblockAll(): void {
    for (const w of [...this.waiters]) this.finish(w, UNBLOCKED);
  }

  private anyKeyReady(w: BlockedClient): boolean {
    const ks = this.server.keyspace;
    if (w.request.ready) return w.request.ready((key) => ks.get(w.db, key));
    for (const key of w.request.keys) {
      const v = ks.get(w.db, key);
      if (v instanceof ListValue && v.size > 0) return true;
    }
    return false;
  }

  private finish(w: BlockedClient, reply: Reply): void {
    if (w.finished) return;
    w.finished = true;
    this.waiters = this.waiters.filter((x) => x !== w);
    w.done(reply);
  }
}

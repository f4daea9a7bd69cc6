/**
 * The keyspace's expiry bookkeeping, beside the per-db expires maps (which stay the truth):
 *  - a min-heap of every TTL ever set, popped by the master's active expire cycle, with
 *    lazy invalidation and a rebuild once stale entries dominate (amortised O(1) per TTL,
 *    also on replicas, which never pop it);
 *  - expireSlaveKeys's list (expire.c rememberSlaveKeyWithExpire): the keys a writable
 *    replica gave a TTL itself, the only ones a replica ever expires on its own.
 */
import { ExpireHeap } from './expire-heap.js';

export interface ExpiredKey {
  db: number;
  key: string;
}

/** Reads a key's current TTL (-1 none) and deletes a key: the keyspace's side of the deal. */
export interface ExpiryTarget {
  currentExpire(db: number, key: string): number;
  deleteKey(db: number, key: string): boolean;
  forEachExpire(visit: (db: number, key: string, when: number) => void): void;
}

export class ExpiryIndex {
  private heap = new ExpireHeap();
  /** Σ TTLs over all dbs: the yardstick for stale heap entries. */
  expiresTotal = 0;
  private slaveKeys = new Map<string, Set<number>>();

  constructor(private readonly target: ExpiryTarget) {}

  /** A TTL was set (or changed) on a key. */
  pushed(whenMs: number, db: number, key: string): void {
    this.heap.push(whenMs, db, key);
    if (this.heap.size > 4096 && this.heap.size > 3 * this.expiresTotal) this.rebuild();
  }

  clear(): void {
    this.heap.clear();
    this.expiresTotal = 0;
    this.slaveKeys.clear();
  }

  /**
   * Deletes up to `maxKeys` keys whose TTL is strictly before `nowMs` (Redis
   * activeExpireCycleTryExpire: `now > t`), earliest first (ties: in the order the TTLs
   * were set), and returns them.
   */
  expireDue(nowMs: number, maxKeys: number): ExpiredKey[] {
    const out: ExpiredKey[] = [];
    const heap = this.heap;
    while (out.length < maxKeys && heap.peekTime() < nowMs) {
      const when = heap.peekTime();
      const db = heap.peekDb();
      const key = heap.peekKey();
      heap.pop();
      // A stale entry (TTL changed, removed or key gone) no longer matches the truth.
      if (this.target.currentExpire(db, key) === when && this.target.deleteKey(db, key)) out.push({ db, key });
    }
    if (heap.size > 4096 && heap.size > 3 * this.expiresTotal) this.rebuild();
    return out;
  }

  rememberSlaveKey(db: number, key: string): void {
    let dbs = this.slaveKeys.get(key);
    if (!dbs) this.slaveKeys.set(key, (dbs = new Set()));
    dbs.add(db);
  }

  /** expireSlaveKeys: deletes the remembered keys whose TTL passed; forgets keys without one. */
  expireSlaveKeys(nowMs: number): ExpiredKey[] {
    const out: ExpiredKey[] = [];
    for (const [key, dbs] of this.slaveKeys) {
      for (const db of dbs) {
        const when = this.target.currentExpire(db, key);
        if (when === -1) dbs.delete(db);
        else if (nowMs > when) {
          this.target.deleteKey(db, key);
          dbs.delete(db);
          out.push({ db, key });
        }
      }
      if (dbs.size === 0) this.slaveKeys.delete(key);
    }
    return out;
  }

  /** SWAPDB a b: the heap is rebuilt from the swapped dbs, remembered replica keys change db. */
  swapped(a: number, b: number): void {
    this.rebuild();
    for (const dbs of this.slaveKeys.values()) {
      const hasA = dbs.delete(a);
      const hasB = dbs.delete(b);
      if (hasA) dbs.add(b);
      if (hasB) dbs.add(a);
    }
  }

  private rebuild(): void {
    this.heap = new ExpireHeap();
    this.target.forEachExpire((db, key, when) => this.heap.push(when, db, key));
  }
}

/**
 * WATCH / UNWATCH: optimistic locking for MULTI/EXEC, as multi.c does it in 7.0.15.
 *
 * watchForKey records (db, key) for a client, with `expired` set when the key is logically
 * expired at WATCH time; touchWatchedKey (called through signalModifiedKey by every write
 * to the key — any client's, the watcher's own, the master's stream on a replica, active
 * and lazy expiry, eviction) flags the watching clients CLIENT_DIRTY_CAS;
 * touchAllWatchedKeysInDb does the same for the watched keys that exist in a DB being
 * emptied (FLUSHDB, FLUSHALL, a full sync's load). isWatchedKeyExpired makes EXEC fail too
 * when a key that existed at WATCH time has expired since, even if nothing deleted it yet.
 * EXEC, DISCARD, UNWATCH and a closed connection forget a client's watches (unwatchAllKeys).
 *
 * The keyspace calls back only while someone watches (Keyspace.signalModifiedKey is null
 * otherwise), so a write costs nothing extra in the common case.
 */
import type { Keyspace } from './data/keyspace.js';

/** What WATCH needs of a client connection (ClientSession implements it). */
export interface WatchingClient {
  /** c->watched_keys. */
  watched: WatchedKey[];
  /** CLIENT_DIRTY_CAS: EXEC will fail. */
  dirtyCas: boolean;
}

export interface WatchedKey {
  db: number;
  key: string;
  /** The key was logically expired when it was watched (watchedKey.expired). */
  expired: boolean;
}

export class WatchedKeys {
  /** db->watched_keys: per DB, key → the clients watching it, in WATCH order. */
  private readonly byDb = new Map<number, Map<string, Set<WatchingClient>>>();
  private count = 0;
  private attached: Keyspace | null = null;
  private readonly onModified = (db: number, key: string): void => this.touchWatchedKey(db, key);
  private readonly onFlushed = (db: number): void => this.signalFlushed(this.keyspace(), db);

  constructor(private readonly keyspace: () => Keyspace) {}

  /** watchForKey: a key already watched by this client is not added twice. */
  watch(c: WatchingClient, db: number, key: string, nowMs: number): void {
    if (c.watched.some((w) => w.db === db && w.key === key)) return;
    let keys = this.byDb.get(db);
    if (keys === undefined) this.byDb.set(db, (keys = new Map()));
    let clients = keys.get(key);
    if (clients === undefined) keys.set(key, (clients = new Set()));
    clients.add(c);
    const ks = this.keyspace();
    c.watched.push({ db, key, expired: ks.has(db, key) && ks.isLogicallyExpired(db, key, nowMs) });
    this.count++;
    this.attach();
  }

  /** unwatchAllKeys: after EXEC, DISCARD, UNWATCH, or when the connection closes. */
  unwatchAll(c: WatchingClient): void {
    for (const w of c.watched) {
      const keys = this.byDb.get(w.db);
      const clients = keys?.get(w.key);
      if (clients === undefined) continue;
      clients.delete(c);
      if (clients.size === 0) keys!.delete(w.key);
      this.count--;
    }
    c.watched = [];
    c.dirtyCas = false;
    if (this.count === 0) this.detach();
  }

  /** touchWatchedKey: every client watching (db, key) must fail its EXEC. */
  touchWatchedKey(db: number, key: string): void {
    const clients = this.byDb.get(db)?.get(key);
    if (clients === undefined) return;
    for (const c of clients) {
      const w = c.watched.find((x) => x.db === db && x.key === key)!;
      // A key that was already expired at WATCH time and is now gone (deleted by expiry)
      // did not logically change: the client forgets that it was expired and stays clean.
      if (w.expired && !this.keyspace().has(db, key)) {
        w.expired = false;
        continue;
      }
      c.dirtyCas = true;
    }
  }

  /**
   * touchAllWatchedKeysInDb for every DB of `emptied` (or only `db`), before it is emptied or
   * replaced: FLUSHALL, FLUSHDB, emptyData before a full sync's load. A watched key counts if
   * it exists in the emptied DB or in the one replacing it (a diskless swapdb load).
   */
  signalFlushed(emptied: Keyspace, db = -1, replacedWith: Keyspace | null = null): void {
    if (this.count === 0) return;
    for (const [wdb, keys] of this.byDb) {
      if (db !== -1 && wdb !== db) continue;
      for (const [key, clients] of keys) {
        if (!emptied.has(wdb, key) && !(replacedWith?.has(wdb, key) ?? false)) continue;
        for (const c of clients) c.dirtyCas = true;
      }
    }
  }

  /** isWatchedKeyExpired: a key that existed at WATCH time has expired since. */
  anyExpiredSinceWatch(c: WatchingClient, nowMs: number): boolean {
    const ks = this.keyspace();
    for (const w of c.watched) {
      if (!w.expired && ks.has(w.db, w.key) && ks.isLogicallyExpired(w.db, w.key, nowMs)) return true;
    }
    return false;
  }

  /** The process died: every connection, and so every watch, is gone. */
  reset(): void {
    this.byDb.clear();
    this.count = 0;
    this.detach();
  }

  /** The server replaced its keyspace (a full sync's load, a boot): follow the new one. */
  keyspaceReplaced(): void {
    if (this.count > 0) this.attach();
  }

  private attach(): void {
    const ks = this.keyspace();
    if (this.attached === ks) return;
    this.detach();
    ks.signalModifiedKey = this.onModified;
    ks.signalFlushedDb = this.onFlushed;
    this.attached = ks;
  }

  private detach(): void {
    if (this.attached !== null) {
      this.attached.signalModifiedKey = null;
      this.attached.signalFlushedDb = null;
    }
    this.attached = null;
  }
}

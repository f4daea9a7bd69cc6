/**
 * The keyspace of one Redis server: `databases` numbered DBs, each a map of keys to values
 * plus, as in Redis (db->expires), a separate map of absolute expiry times in unix ms for
 * the keys that have a TTL.
 *
 * This layer is mechanism only: it never decides that a key is expired on its own. The
 * command layer (exec-context.ts) applies Redis's rules (lazy expiry on masters, logical
 * expiry on replicas, nothing for the master's stream) and the server drives the active
 * expire cycle. Every mutation goes through a few methods here so that
 *   - running used_memory / RDB-size sums stay exact (O(1) INFO and fork costing),
 *   - snapshots get their copy-on-write before-images,
 *   - the expiry heap learns new TTLs.
 */
import type { Value } from './value.js';
import { SetValue, PopulatedValue } from './value.js';
import { measureValue, valueCost } from './value-cost.js';
import { keyEntryBytes, dictBucketBytes, EXPIRE_ENTRY_BYTES, USED_MEMORY_STARTUP_BYTES, sdsAllocBytes, populatedValueBytes } from './memory-model.js';
import { rdbStringBytes, rdbPopulatedValueBytes, rdbDbHeaderBytes, RDB_EMPTY_BYTES, RDB_EXPIRE_BYTES, RDB_TYPE_BYTES, rdbLenBytes } from './rdb-size.js';
import { ExpireHeap } from './expire-heap.js';
import { KeyspaceSnapshot, ownedCopy } from './snapshot.js';
import { datasetDigest, type EntryVisitor } from './digest.js';
import { utf8ByteLength } from './resp.js';

/** Keeps the avg_ttl running sum small enough for doubles (offsets from late 2023). */
const EXPIRE_SUM_BASE_MS = 1_700_000_000_000;

export interface ExpiredKey {
  db: number;
  key: string;
}

export class Keyspace {
  readonly databases: number;
  private dicts: Map<string, Value>[] = [];
  private expireMaps: Map<string, number>[] = [];
  private readonly expireSums: Float64Array;
  private readonly memBytes: Float64Array;
  private readonly rdbBytes: Float64Array;
  private heap = new ExpireHeap();
  /** Σ expires over all dbs (bounds the heap's stale entries). */
  private expiresTotal = 0;
  private snapshots: KeyspaceSnapshot[] = [];
  private rngState = 0x2f6b3c1d;
  /** expireSlaveKeys's dict: keys a writable replica gave a TTL itself → their dbs. */
  private slaveKeysWithExpire = new Map<string, Set<number>>();

  constructor(databases = 16) {
    this.databases = databases;
    this.expireSums = new Float64Array(databases);
    this.memBytes = new Float64Array(databases);
    this.rdbBytes = new Float64Array(databases);
    for (let db = 0; db < databases; db++) {
      this.dicts.push(new Map());
      this.expireMaps.push(new Map());
    }
  }

  static fromSnapshot(s: KeyspaceSnapshot): Keyspace {
    const ks = new Keyspace(s.databases);
    ks.load(s);
    return ks;
  }

  // ---- reads (raw: no expiry rules) -------------------------------------------------------

  get(db: number, key: string): Value | undefined {
    return this.dicts[db]!.get(key);
  }
  has(db: number, key: string): boolean {
    return this.dicts[db]!.has(key);
  }
  /** Absolute expiry in unix ms, or -1 (Redis getExpire). */
  getExpire(db: number, key: string): number {
    const e = this.expireMaps[db]!;
    return e.size === 0 ? -1 : (e.get(key) ?? -1);
  }
  /** Redis keyIsExpired: a TTL strictly in the past (`now > when`). */
  isLogicallyExpired(db: number, key: string, nowMs: number): boolean {
    const e = this.expireMaps[db]!;
    if (e.size === 0) return false;
    const when = e.get(key);
    return when !== undefined && nowMs > when;
  }
  dbsize(db: number): number {
    return this.dicts[db]!.size;
  }
  totalKeys(): number {
    let n = 0;
    for (const d of this.dicts) n += d.size;
    return n;
  }
  expiresCount(db: number): number {
    return this.expireMaps[db]!.size;
  }
  /** The keys of `db` that have a TTL, with their expiry (INFO keyspace, tests). */
  volatileKeys(db: number): IterableIterator<[string, number]> {
    return this.expireMaps[db]!.entries();
  }
  /** Mean remaining TTL of the volatile keys of `db` in ms (INFO keyspace avg_ttl), 0 if none. */
  avgTtlMs(db: number, nowMs: number): number {
    const n = this.expireMaps[db]!.size;
    if (n === 0) return 0;
    return Math.max(0, Math.round(this.expireSums[db]! / n + EXPIRE_SUM_BASE_MS - nowMs));
  }
  /** Keys of `db` in insertion order (KEYS, SCAN-like walks). */
  keys(db: number): IterableIterator<string> {
    return this.dicts[db]!.keys();
  }
  forEachEntry(visit: EntryVisitor): void {
    for (let db = 0; db < this.databases; db++) {
      const exp = this.expireMaps[db]!;
      const hasExp = exp.size > 0;
      for (const [key, value] of this.dicts[db]!) visit(db, key, value, hasExp ? (exp.get(key) ?? -1) : -1);
    }
  }
  digest(): string {
    return datasetDigest((visit) => this.forEachEntry(visit));
  }

  /**
   * A uniformly chosen key of `db` (deterministic: an xorshift32 stream owned by this
   * keyspace; reseed with seedRandom from the server's named stream). O(index).
   */
  randomKey(db: number): string | undefined {
    const dict = this.dicts[db]!;
    if (dict.size === 0) return undefined;
    let i = this.randomBelow(dict.size);
    for (const k of dict.keys()) if (i-- === 0) return k;
    return undefined;
  }
  /** A uniform integer in [0, n). */
  randomBelow(n: number): number {
    let x = this.rngState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rngState = x;
    return (x >>> 0) % n;
  }
  seedRandom(seed: number): void {
    this.rngState = seed | 0 || 0x2f6b3c1d;
  }

  // ---- writes -----------------------------------------------------------------------------

  /** Redis setKey: add or overwrite; the TTL is cleared unless keepTtl. */
  set(db: number, key: string, value: Value, keepTtl = false): void {
    const dict = this.dicts[db]!;
    if (this.snapshots.length > 0) this.recordBefore(db, key);
    const old = dict.get(key);
    measureValue(value, key);
    let mem = valueCost.mem;
    let rdb = valueCost.rdb;
    if (old === undefined) {
      mem += keyEntryBytes(key);
      rdb += RDB_TYPE_BYTES + rdbStringBytes(key);
    } else {
      measureValue(old, key);
      mem -= valueCost.mem;
      rdb -= valueCost.rdb;
      if (!keepTtl) this.dropExpire(db, key);
    }
    this.memBytes[db]! += mem;
    this.rdbBytes[db]! += rdb;
    dict.set(key, value);
  }

  /** Removes a key and its TTL; false if it did not exist. */
  delete(db: number, key: string): boolean {
    const dict = this.dicts[db]!;
    const old = dict.get(key);
    if (old === undefined) return false;
    if (this.snapshots.length > 0) this.recordBefore(db, key);
    this.dropExpire(db, key);
    measureValue(old, key);
    this.memBytes[db]! -= keyEntryBytes(key) + valueCost.mem;
    this.rdbBytes[db]! -= RDB_TYPE_BYTES + rdbStringBytes(key) + valueCost.rdb;
    dict.delete(key);
    return true;
  }

  /** setKey followed by setExpire, with one lookup of the old TTL (SET … EX and friends). */
  setWithExpire(db: number, key: string, value: Value, whenMs: number): void {
    this.set(db, key, value, true);
    this.setExpire(db, key, whenMs);
  }

  /** Redis setExpire. The key must exist (not checked: it costs a lookup per call). */
  setExpire(db: number, key: string, whenMs: number): void {
    if (this.snapshots.length > 0) this.recordBefore(db, key);
    const exp = this.expireMaps[db]!;
    const old = exp.get(key);
    if (old === undefined) {
      this.memBytes[db]! += EXPIRE_ENTRY_BYTES;
      this.rdbBytes[db]! += RDB_EXPIRE_BYTES;
      this.expiresTotal++;
    } else {
      if (old === whenMs) return;
      this.expireSums[db]! -= old - EXPIRE_SUM_BASE_MS;
    }
    exp.set(key, whenMs);
    this.expireSums[db]! += whenMs - EXPIRE_SUM_BASE_MS;
    this.heap.push(whenMs, db, key);
    // Re-expiring the same keys leaves stale entries behind; rebuild once they dominate
    // (amortised O(1), and it also runs where no active expire cycle pops them: replicas).
    if (this.heap.size > 4096 && this.heap.size > 3 * this.expiresTotal) this.rebuildHeap();
  }

  /** Redis removeExpire: true if the key had a TTL. */
  removeExpire(db: number, key: string): boolean {
    const exp = this.expireMaps[db]!;
    if (exp.size === 0 || !exp.has(key)) return false;
    if (this.snapshots.length > 0) this.recordBefore(db, key);
    this.dropExpire(db, key);
    return true;
  }

  /**
   * The set stored at `key`, safe to mutate in place: if a live snapshot may still read
   * this very object, the snapshot keeps it and the keyspace continues with a clone.
   * After mutating, call settleSet (accounting, and deletion when it became empty).
   */
  mutableSet(db: number, key: string): SetValue {
    const dict = this.dicts[db]!;
    const v = dict.get(key);
    if (!(v instanceof SetValue)) throw new Error(`mutableSet on a non-set key ${key}`);
    this.memBytes[db]! -= v.memoryBytes();
    this.rdbBytes[db]! -= v.rdbBytes();
    for (const s of this.snapshots) {
      if (s.referencesValue(db, key, dict, v)) {
        this.recordBefore(db, key);
        const copy = v.clone();
        dict.set(key, copy);
        return copy;
      }
    }
    return v;
  }

  /** Ends a mutableSet: re-adds its cost, and removes the key if the set is now empty. */
  settleSet(db: number, key: string, set: SetValue): void {
    this.memBytes[db]! += set.memoryBytes();
    this.rdbBytes[db]! += set.rdbBytes();
    if (set.size === 0) this.delete(db, key);
  }

  /**
   * DEBUG POPULATE: keys `prefix:<i>` for i in [0, count) with the value "value:<i>" cut or
   * zero-padded to `size` bytes (0 = as is); keys that exist are left untouched. Returns
   * how many keys were added.
   */
  populate(db: number, count: number, prefix: string, size: number): number {
    const dict = this.dicts[db]!;
    const value = new PopulatedValue(size);
    const prefixBytes = utf8ByteLength(prefix) + 1;
    const snap = this.snapshots.length > 0;
    // Every cost depends only on the number of digits of i: price each digit count once.
    const memByDigits: number[] = [];
    const rdbByDigits: number[] = [];
    for (let d = 1; d <= 16; d++) {
      const keyLen = prefixBytes + d;
      memByDigits.push(32 + sdsAllocBytes(keyLen) + populatedValueBytes(size === 0 ? 6 + d : size));
      rdbByDigits.push(RDB_TYPE_BYTES + rdbLenBytes(keyLen) + keyLen + rdbPopulatedValueBytes(size, d));
    }
    // Into an empty db every generated key is new (the common case: skip the lookups).
    const fresh = dict.size === 0;
    let added = 0;
    let mem = 0;
    let rdb = 0;
    let digits = 1;
    let nextPow = 10;
    for (let i = 0; i < count; i++) {
      if (i === nextPow) {
        digits++;
        nextPow *= 10;
      }
      const key = prefix + ':' + i;
      if (!fresh && dict.has(key)) continue;
      if (snap) this.recordBefore(db, key);
      dict.set(key, value);
      mem += memByDigits[digits - 1]!;
      rdb += rdbByDigits[digits - 1]!;
      added++;
    }
    this.memBytes[db]! += mem;
    this.rdbBytes[db]! += rdb;
    return added;
  }

  /** Empties one DB; returns the number of keys removed. */
  flushDb(db: number): number {
    const removed = this.dicts[db]!.size;
    this.expiresTotal -= this.expireMaps[db]!.size;
    // New maps rather than clear(): a snapshot may still read the old ones.
    this.dicts[db] = new Map();
    this.expireMaps[db] = new Map();
    this.memBytes[db] = 0;
    this.rdbBytes[db] = 0;
    this.expireSums[db] = 0;
    this.dropOrphanedSnapshots();
    return removed;
  }

  /** Empties every DB (and, as emptyData(-1) does, the writable-replica TTL list). */
  flushAll(): number {
    let removed = 0;
    for (let db = 0; db < this.databases; db++) removed += this.flushDb(db);
    this.heap.clear();
    this.slaveKeysWithExpire.clear();
    return removed;
  }

  // ---- expiry machinery -------------------------------------------------------------------

  /**
   * Deletes up to `maxKeys` keys whose TTL is strictly before `nowMs` (Redis
   * activeExpireCycleTryExpire: `now > t`), earliest first, and returns them. The caller
   * propagates DEL/UNLINK and counts expired_keys (see expire-cycle.ts).
   */
  activeExpireCycle(nowMs: number, maxKeys: number): ExpiredKey[] {
    const out: ExpiredKey[] = [];
    const heap = this.heap;
    while (out.length < maxKeys && heap.peekTime() < nowMs) {
      const when = heap.peekTime();
      const db = heap.peekDb();
      const key = heap.peekKey();
      heap.pop();
      if (this.expireMaps[db]!.get(key) !== when) continue; // stale: TTL changed or key gone
      this.delete(db, key);
      out.push({ db, key });
    }
    if (heap.size > 4096 && heap.size > 3 * this.expiresTotal) this.rebuildHeap();
    return out;
  }

  /** rememberSlaveKeyWithExpire: a writable replica set a TTL itself on this key. */
  rememberSlaveKeyWithExpire(db: number, key: string): void {
    let dbs = this.slaveKeysWithExpire.get(key);
    if (!dbs) this.slaveKeysWithExpire.set(key, (dbs = new Set()));
    dbs.add(db);
  }

  /**
   * expireSlaveKeys: on a writable replica, deletes the keys it gave a TTL itself once
   * that TTL passed (keys from the master wait for the master's DEL). Returns them.
   */
  expireSlaveKeys(nowMs: number): ExpiredKey[] {
    const out: ExpiredKey[] = [];
    for (const [key, dbs] of this.slaveKeysWithExpire) {
      for (const db of dbs) {
        const when = this.getExpire(db, key);
        if (when === -1) dbs.delete(db);
        else if (nowMs > when) {
          this.delete(db, key);
          dbs.delete(db);
          out.push({ db, key });
        }
      }
      if (dbs.size === 0) this.slaveKeysWithExpire.delete(key);
    }
    return out;
  }

  // ---- memory and RDB estimates -----------------------------------------------------------

  /** Estimated INFO used_memory of the dataset, including a fresh server's baseline. */
  usedMemoryBytes(): number {
    let total = USED_MEMORY_STARTUP_BYTES;
    for (let db = 0; db < this.databases; db++) {
      total += this.memBytes[db]! + dictBucketBytes(this.dicts[db]!.size) + dictBucketBytes(this.expireMaps[db]!.size);
    }
    return total;
  }

  /** Estimated size of an RDB of this dataset. */
  rdbSizeBytes(): number {
    let total = RDB_EMPTY_BYTES;
    for (let db = 0; db < this.databases; db++) {
      const keys = this.dicts[db]!.size;
      if (keys > 0) total += rdbDbHeaderBytes(db, keys, this.expireMaps[db]!.size) + this.rdbBytes[db]!;
    }
    return total;
  }

  // ---- snapshots --------------------------------------------------------------------------

  /** An immutable view of the dataset as of now (copy-on-write; release it when done). */
  snapshot(): KeyspaceSnapshot {
    const bases = this.dicts.map((dict, db) => ({ dict, expires: this.expireMaps[db]! }));
    const s = new KeyspaceSnapshot(
      bases,
      {
        keysPerDb: this.dicts.map((d) => d.size),
        expiresPerDb: this.expireMaps.map((e) => e.size),
        memBytesPerDb: Array.from(this.memBytes),
        rdbBytesPerDb: Array.from(this.rdbBytes),
        usedMemoryBytes: this.usedMemoryBytes(),
        rdbSizeBytes: this.rdbSizeBytes(),
      },
      (released) => {
        this.snapshots = this.snapshots.filter((x) => x !== released);
      },
    );
    this.snapshots.push(s);
    return s;
  }

  /** Number of snapshots still tracking changes (for tests and leak checks). */
  get activeSnapshots(): number {
    return this.snapshots.length;
  }

  /** Replaces the whole dataset with a snapshot's (an RDB load). Keys already expired are kept, as a replica does. */
  load(s: KeyspaceSnapshot): void {
    if (s.databases !== this.databases) throw new Error(`snapshot has ${s.databases} dbs, keyspace ${this.databases}`);
    this.flushAll();
    s.forEachEntry((db, key, value, expireAt) => {
      this.dicts[db]!.set(key, ownedCopy(value));
      if (expireAt !== -1) {
        this.expireMaps[db]!.set(key, expireAt);
        this.expiresTotal++;
        this.expireSums[db]! += expireAt - EXPIRE_SUM_BASE_MS;
        this.heap.push(expireAt, db, key);
      }
    });
    // The snapshot's sums describe exactly this content.
    for (let db = 0; db < this.databases; db++) {
      this.memBytes[db] = s.stats.memBytesPerDb[db] ?? 0;
      this.rdbBytes[db] = s.stats.rdbBytesPerDb[db] ?? 0;
    }
  }

  private recordBefore(db: number, key: string): void {
    const dict = this.dicts[db]!;
    const exp = this.expireMaps[db]!;
    for (const s of this.snapshots) s.recordBefore(db, key, dict, exp);
  }

  private dropOrphanedSnapshots(): void {
    // A snapshot whose every base map was replaced needs no more before-images.
    this.snapshots = this.snapshots.filter((s) => this.dicts.some((d, db) => s.sharesDb(db, d)));
  }

  private dropExpire(db: number, key: string): void {
    const exp = this.expireMaps[db]!;
    if (exp.size === 0) return;
    const old = exp.get(key);
    if (old === undefined) return;
    exp.delete(key);
    this.expiresTotal--;
    this.expireSums[db]! -= old - EXPIRE_SUM_BASE_MS;
    this.memBytes[db]! -= EXPIRE_ENTRY_BYTES;
    this.rdbBytes[db]! -= RDB_EXPIRE_BYTES;
  }

  private rebuildHeap(): void {
    this.heap = new ExpireHeap();
    for (let db = 0; db < this.databases; db++) for (const [key, when] of this.expireMaps[db]!) this.heap.push(when, db, key);
  }
}

export { KeyspaceSnapshot } from './snapshot.js';

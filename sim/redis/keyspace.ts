/**
 * The keyspace of one Redis server: `databases` numbered DBs, each a map of keys to values
 * plus, as in Redis (db->expires), a separate map of absolute expiry times in unix ms for
 * the keys that have a TTL, plus DEBUG POPULATE ranges (populated-range.ts).
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
import { SetValue } from './value.js';
import { measureValue, valueCost } from './value-cost.js';
import { keyEntryBytes, dictBucketBytes, EXPIRE_ENTRY_BYTES, USED_MEMORY_STARTUP_BYTES } from './memory-model.js';
import { rdbStringBytes, rdbDbHeaderBytes, RDB_EMPTY_BYTES, RDB_EXPIRE_BYTES, RDB_TYPE_BYTES } from './rdb-size.js';
import { ExpireHeap } from './expire-heap.js';
import { KeyspaceSnapshot, ownedCopy, type BeforeImage, type DbState } from './snapshot.js';
import { PopulatedRange, rangeFor, matchesRange, populatedEnd } from './populated-range.js';
import { datasetDigest, type EntryVisitor } from './digest.js';

/** Keeps the avg_ttl running sum small enough for doubles (offsets from late 2023). */
const EXPIRE_SUM_BASE_MS = 1_700_000_000_000;

export interface ExpiredKey {
  db: number;
  key: string;
}

function emptyDb(): DbState {
  return { dict: new Map(), expires: new Map(), ranges: [], shadow: new Set(), rangeTotal: 0, expireSum: 0, memBytes: 0, rdbBytes: 0 };
}

export class Keyspace {
  readonly databases: number;
  private dbs: DbState[] = [];
  private heap = new ExpireHeap();
  /** Σ expires over all dbs (bounds the heap's stale entries). */
  private expiresTotal = 0;
  private snapshots: KeyspaceSnapshot[] = [];
  private rngState = 0x2f6b3c1d;
  /** expireSlaveKeys's dict: keys a writable replica gave a TTL itself → their dbs. */
  private slaveKeysWithExpire = new Map<string, Set<number>>();

  constructor(databases = 16) {
    this.databases = databases;
    for (let db = 0; db < databases; db++) this.dbs.push(emptyDb());
  }

  static fromSnapshot(s: KeyspaceSnapshot): Keyspace {
    const ks = new Keyspace(s.databases);
    ks.load(s);
    return ks;
  }

  // ---- reads (raw: no expiry rules) -------------------------------------------------------

  get(db: number, key: string): Value | undefined {
    const d = this.dbs[db]!;
    const v = d.dict.get(key);
    if (v !== undefined || d.ranges.length === 0) return v;
    return rangeFor(d.ranges, d.shadow, key)?.value;
  }
  has(db: number, key: string): boolean {
    return this.get(db, key) !== undefined;
  }
  /** Absolute expiry in unix ms, or -1 (Redis getExpire). */
  getExpire(db: number, key: string): number {
    const e = this.dbs[db]!.expires;
    return e.size === 0 ? -1 : (e.get(key) ?? -1);
  }
  /** Redis keyIsExpired: a TTL strictly in the past (`now > when`). */
  isLogicallyExpired(db: number, key: string, nowMs: number): boolean {
    const e = this.dbs[db]!.expires;
    if (e.size === 0) return false;
    const when = e.get(key);
    return when !== undefined && nowMs > when;
  }
  dbsize(db: number): number {
    const d = this.dbs[db]!;
    return d.dict.size + d.rangeTotal - d.shadow.size;
  }
  totalKeys(): number {
    let n = 0;
    for (let db = 0; db < this.databases; db++) n += this.dbsize(db);
    return n;
  }
  expiresCount(db: number): number {
    return this.dbs[db]!.expires.size;
  }
  /** The keys of `db` that have a TTL, with their expiry (INFO keyspace, tests). */
  volatileKeys(db: number): IterableIterator<[string, number]> {
    return this.dbs[db]!.expires.entries();
  }
  /** Mean remaining TTL of the volatile keys of `db` in ms (INFO keyspace avg_ttl), 0 if none. */
  avgTtlMs(db: number, nowMs: number): number {
    const d = this.dbs[db]!;
    const n = d.expires.size;
    if (n === 0) return 0;
    return Math.max(0, Math.round(d.expireSum / n + EXPIRE_SUM_BASE_MS - nowMs));
  }
  /** Keys of `db`: the dict in insertion order, then the populated ranges (KEYS). */
  *keys(db: number): IterableIterator<string> {
    const d = this.dbs[db]!;
    yield* d.dict.keys();
    for (const r of d.ranges) {
      for (let i = r.from; i < r.to; i++) {
        const key = r.keyAt(i);
        if (!d.shadow.has(key)) yield key;
      }
    }
  }
  forEachEntry(visit: EntryVisitor): void {
    for (let db = 0; db < this.databases; db++) {
      const d = this.dbs[db]!;
      const hasExp = d.expires.size > 0;
      for (const [key, value] of d.dict) visit(db, key, value, hasExp ? (d.expires.get(key) ?? -1) : -1);
      for (const r of d.ranges) {
        for (let i = r.from; i < r.to; i++) {
          const key = r.keyAt(i);
          if (!d.shadow.has(key)) visit(db, key, r.value, -1);
        }
      }
    }
  }
  digest(): string {
    return datasetDigest((visit) => this.forEachEntry(visit));
  }

  /**
   * A uniformly chosen key of `db` (deterministic: an xorshift32 stream owned by this
   * keyspace; reseed with seedRandom from the server's named stream). O(index) over the
   * dict part, O(1) expected over populated ranges.
   */
  randomKey(db: number): string | undefined {
    const d = this.dbs[db]!;
    const total = this.dbsize(db);
    if (total === 0) return undefined;
    for (let attempt = 0; attempt < 64; attempt++) {
      let i = this.randomBelow(d.dict.size + d.rangeTotal);
      if (i < d.dict.size) {
        for (const k of d.dict.keys()) if (i-- === 0) return k;
      }
      i -= d.dict.size;
      for (const r of d.ranges) {
        if (i < r.count) {
          const key = r.keyAt(r.from + i);
          if (!d.shadow.has(key)) return key;
          break; // a shadowed range key: draw again
        }
        i -= r.count;
      }
    }
    return this.keys(db).next().value as string; // many shadowed keys: fall back to the first
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
    const d = this.dbs[db]!;
    if (this.snapshots.length > 0) this.recordBefore(db, key);
    let old = d.dict.get(key);
    if (old === undefined && d.ranges.length > 0) old = this.unprovide(d, key);
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
      if (!keepTtl) this.dropExpire(d, key);
    }
    d.memBytes += mem;
    d.rdbBytes += rdb;
    d.dict.set(key, value);
  }

  /** Removes a key and its TTL; false if it did not exist. */
  delete(db: number, key: string): boolean {
    const d = this.dbs[db]!;
    let old = d.dict.get(key);
    if (old === undefined) {
      if (d.ranges.length === 0 || rangeFor(d.ranges, d.shadow, key) === null) return false;
      if (this.snapshots.length > 0) this.recordBefore(db, key);
      old = this.unprovide(d, key)!;
    } else {
      if (this.snapshots.length > 0) this.recordBefore(db, key);
      d.dict.delete(key);
    }
    this.dropExpire(d, key);
    measureValue(old, key);
    d.memBytes -= keyEntryBytes(key) + valueCost.mem;
    d.rdbBytes -= RDB_TYPE_BYTES + rdbStringBytes(key) + valueCost.rdb;
    return true;
  }

  /** setKey followed by setExpire (SET … EX and friends). */
  setWithExpire(db: number, key: string, value: Value, whenMs: number): void {
    this.set(db, key, value, true);
    this.setExpire(db, key, whenMs);
  }

  /** Redis setExpire. The key must exist (not checked: it costs a lookup per call). */
  setExpire(db: number, key: string, whenMs: number): void {
    const d = this.dbs[db]!;
    if (this.snapshots.length > 0) this.recordBefore(db, key);
    // A TTL lives on dict keys only: move a range-provided key into the dict first.
    if (d.ranges.length > 0 && !d.dict.has(key)) d.dict.set(key, this.unprovide(d, key)!);
    const old = d.expires.get(key);
    if (old === undefined) {
      d.memBytes += EXPIRE_ENTRY_BYTES;
      d.rdbBytes += RDB_EXPIRE_BYTES;
      this.expiresTotal++;
    } else {
      if (old === whenMs) return;
      d.expireSum -= old - EXPIRE_SUM_BASE_MS;
    }
    d.expires.set(key, whenMs);
    d.expireSum += whenMs - EXPIRE_SUM_BASE_MS;
    this.heap.push(whenMs, db, key);
    // Re-expiring the same keys leaves stale entries behind; rebuild once they dominate
    // (amortised O(1), and it also runs where no active expire cycle pops them: replicas).
    if (this.heap.size > 4096 && this.heap.size > 3 * this.expiresTotal) this.rebuildHeap();
  }

  /** Redis removeExpire: true if the key had a TTL. */
  removeExpire(db: number, key: string): boolean {
    const d = this.dbs[db]!;
    if (d.expires.size === 0 || !d.expires.has(key)) return false;
    if (this.snapshots.length > 0) this.recordBefore(db, key);
    this.dropExpire(d, key);
    return true;
  }

  /**
   * The set stored at `key`, safe to mutate in place: if a live snapshot may still read
   * this very object, the snapshot keeps it and the keyspace continues with a clone.
   * After mutating, call settleSet (accounting, and deletion when it became empty).
   */
  mutableSet(db: number, key: string): SetValue {
    const d = this.dbs[db]!;
    const v = d.dict.get(key);
    if (!(v instanceof SetValue)) throw new Error(`mutableSet on a non-set key ${key}`);
    d.memBytes -= v.memoryBytes();
    d.rdbBytes -= v.rdbBytes();
    for (const s of this.snapshots) {
      if (s.referencesValue(db, key, d.dict, v)) {
        this.recordBefore(db, key);
        const copy = v.clone();
        d.dict.set(key, copy);
        return copy;
      }
    }
    return v;
  }

  /** Ends a mutableSet: re-adds its cost, and removes the key if the set is now empty. */
  settleSet(db: number, key: string, set: SetValue): void {
    const d = this.dbs[db]!;
    d.memBytes += set.memoryBytes();
    d.rdbBytes += set.rdbBytes();
    if (set.size === 0) this.delete(db, key);
  }

  /**
   * DEBUG POPULATE: keys `prefix:<i>` for i in [0, count) with the value "value:<i>" cut or
   * zero-padded to `size` bytes (0 = as is); keys that exist are left untouched. O(1) for
   * the new keys (one PopulatedRange), plus the keys already present that it must respect.
   * Returns how many keys were added.
   */
  populate(db: number, count: number, prefix: string, size: number): number {
    const d = this.dbs[db]!;
    const end = populatedEnd(d.ranges, prefix);
    let added = 0;
    // Indexes below `end` belong to earlier ranges of this prefix: they exist, unless they
    // were deleted; those are re-created as dict entries (shadow never shrinks).
    if (d.shadow.size > 0) {
      const value = new PopulatedRange(prefix, 0, 0, size).value;
      for (const key of [...d.shadow]) {
        if (d.dict.has(key)) continue;
        const r = matchesRange(d.ranges, key);
        if (r !== null && r.prefix === prefix && r.indexOf(key) < count) {
          this.set(db, key, value);
          added++;
        }
      }
    }
    if (count <= end) return added;
    const range = new PopulatedRange(prefix, end, count, size);
    let mem = range.totalMemBytes();
    let rdb = range.totalRdbBytes();
    // Keys of the new range that already exist in the dict keep their value: shadow them
    // (and do not count them twice). Walk whichever side is smaller.
    let present = 0;
    const shadowIfPresent = (key: string, i: number): void => {
      if (i < 0 || !d.dict.has(key)) return;
      d.shadow.add(key);
      present++;
      mem -= range.memBytesOf(i);
      rdb -= range.rdbBytesOf(i);
    };
    if (d.dict.size < range.count) {
      for (const key of d.dict.keys()) shadowIfPresent(key, range.indexOf(key));
    } else {
      for (let i = range.from; i < range.to; i++) shadowIfPresent(range.keyAt(i), i);
    }
    d.ranges = [...d.ranges, range]; // a new array: snapshots share the old one
    d.rangeTotal += range.count;
    d.memBytes += mem;
    d.rdbBytes += rdb;
    return added + range.count - present;
  }

  /** Empties one DB; returns the number of keys removed. */
  flushDb(db: number): number {
    const removed = this.dbsize(db);
    this.expiresTotal -= this.dbs[db]!.expires.size;
    // A fresh state rather than clear(): a snapshot may still read the old maps.
    this.dbs[db] = emptyDb();
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
      if (this.dbs[db]!.expires.get(key) !== when) continue; // stale: TTL changed or key gone
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
      const d = this.dbs[db]!;
      total += d.memBytes + dictBucketBytes(this.dbsize(db)) + dictBucketBytes(d.expires.size);
    }
    return total;
  }

  /** Estimated size of an RDB of this dataset. */
  rdbSizeBytes(): number {
    let total = RDB_EMPTY_BYTES;
    for (let db = 0; db < this.databases; db++) {
      const keys = this.dbsize(db);
      if (keys > 0) total += rdbDbHeaderBytes(db, keys, this.dbs[db]!.expires.size) + this.dbs[db]!.rdbBytes;
    }
    return total;
  }

  // ---- snapshots --------------------------------------------------------------------------

  /** An immutable view of the dataset as of now (copy-on-write; release it when done). */
  snapshot(): KeyspaceSnapshot {
    const bases = this.dbs.map((d, db) => ({ ...d, keys: this.dbsize(db) }));
    const s = new KeyspaceSnapshot(bases, this.usedMemoryBytes(), this.rdbSizeBytes(), (released) => {
      this.snapshots = this.snapshots.filter((x) => x !== released);
    });
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
    for (let db = 0; db < this.databases; db++) {
      const d = this.dbs[db]!;
      s.forEachStoredEntry(db, (key, value, expireAt) => {
        d.dict.set(key, ownedCopy(value));
        if (expireAt !== -1) {
          d.expires.set(key, expireAt);
          d.expireSum += expireAt - EXPIRE_SUM_BASE_MS;
          this.expiresTotal++;
          this.heap.push(expireAt, db, key);
        }
      });
      const { ranges, shadow, memBytes, rdbBytes } = s.rangesAndTotals(db);
      d.ranges = ranges;
      d.shadow = shadow;
      for (const r of ranges) d.rangeTotal += r.count;
      d.memBytes = memBytes;
      d.rdbBytes = rdbBytes;
    }
  }

  private recordBefore(db: number, key: string): void {
    const d = this.dbs[db]!;
    let value = d.dict.get(key);
    let fromRange = false;
    if (value === undefined && d.ranges.length > 0) {
      value = rangeFor(d.ranges, d.shadow, key)?.value;
      fromRange = value !== undefined;
    }
    const before: BeforeImage = { value, expire: value === undefined || d.expires.size === 0 ? -1 : (d.expires.get(key) ?? -1), fromRange };
    for (const s of this.snapshots) s.recordBefore(db, key, d, before);
  }

  /** A range-provided key stops being provided (it is about to be written or deleted). */
  private unprovide(d: DbState, key: string): Value | undefined {
    const r = rangeFor(d.ranges, d.shadow, key);
    if (r === null) return undefined;
    d.shadow.add(key);
    return r.value;
  }

  private dropOrphanedSnapshots(): void {
    // A snapshot whose every base map was replaced needs no more before-images.
    this.snapshots = this.snapshots.filter((s) => this.dbs.some((d, db) => s.sharesDb(db, d)));
  }

  private dropExpire(d: DbState, key: string): void {
    if (d.expires.size === 0) return;
    const old = d.expires.get(key);
    if (old === undefined) return;
    d.expires.delete(key);
    this.expiresTotal--;
    d.expireSum -= old - EXPIRE_SUM_BASE_MS;
    d.memBytes -= EXPIRE_ENTRY_BYTES;
    d.rdbBytes -= RDB_EXPIRE_BYTES;
  }

  private rebuildHeap(): void {
    this.heap = new ExpireHeap();
    for (let db = 0; db < this.databases; db++) for (const [key, when] of this.dbs[db]!.expires) this.heap.push(when, db, key);
  }
}

export { KeyspaceSnapshot } from './snapshot.js';

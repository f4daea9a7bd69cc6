/**
 * The keyspace of one Redis server: `databases` numbered DBs, each a dict of keys to values
 * (key-dict.ts, over the run's key table, key-table.ts) plus, as in Redis (db->expires), a separate map of absolute expiry times in unix ms for
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
import { PopulatedValue, populatedIndexText, SetValue, type Collection } from './value.js';
import { measureValue, valueCost } from './value-cost.js';
import { keyEntryBytes, dictBucketBytes, EXPIRE_ENTRY_BYTES, USED_MEMORY_STARTUP_BYTES } from './memory-model.js';
import { rdbStringBytes, rdbDbHeaderBytes, rdbPopulatedValueBytes, rdbRawBytes, RDB_EMPTY_BYTES, RDB_EXPIRE_BYTES, RDB_TYPE_BYTES, type ValueCompressibility } from './rdb-size.js';
import { ExpiryIndex, type ExpiredKey } from './expiry-index.js';
import { type KeyspaceSnapshot, ownedCopy } from './snapshot.js';
import { SnapshotRegistry } from './snapshot-registry.js';
import { type DbState, emptyDb, dbKeyCount, dbKeys, dbKeysPreloadedFirst, forEachDbEntry, pickRandomKey, addPopulatedRange } from './db-state.js';
import { PopulatedRange, rangeFor, matchesRange, populatedEnd } from './populated-range.js';
import { DigestSum, type EntryVisitor } from './digest.js';
import { KeyTable } from './key-table.js';

/** Keeps the avg_ttl running sum small enough for doubles (offsets from late 2023). */
const EXPIRE_SUM_BASE_MS = 1_700_000_000_000;

export type { ExpiredKey } from './expiry-index.js';

const NO_FUNCTIONS: ReadonlyMap<string, string> = new Map();

/** What measureKey priced last: the key's dictEntry and sds (used_memory), its type byte and string (RDB). */
const keyCost: { key: string | null; mem: number; rdb: number } = { key: null, mem: 0, rdb: 0 };

/**
 * Prices a key into keyCost. A write creates its key on the master and then on every replica
 * with the same key string: the last key's price is remembered, so a 1 + 20 cluster prices it
 * once, not 21 times (a UTF-8 scan and an integer parse each).
 */
function measureKey(key: string): void {
  if (key === keyCost.key) return;
  keyCost.mem = keyEntryBytes(key);
  keyCost.rdb = RDB_TYPE_BYTES + rdbStringBytes(key);
  keyCost.key = key;
}

export class Keyspace {
  readonly databases: number;
  private dbs: DbState[] = [];
  private readonly expiry = new ExpiryIndex({
    currentExpire: (db, key) => this.getExpire(db, key),
    deleteKey: (db, key) => this.delete(db, key),
    forEachExpire: (visit) => this.dbs.forEach((d, db) => d.expires.forEach((when, key) => visit(db, key, when))),
  });
  private readonly snaps = new SnapshotRegistry();
  private rngState = 0x2f6b3c1d;
  /**
   * signalModifiedKey's WATCH half (touchWatchedKey), set by the server only while some
   * client watches a key: every change of a key calls it (watch.ts).
   */
  signalModifiedKey: ((db: number, key: string) => void) | null = null;
  /** signalFlushedDb's WATCH half: called before a DB is emptied, while its keys still exist. */
  signalFlushedDb: ((db: number) => void) | null = null;
  /**
   * FUNCTION libraries, name -> code as FUNCTION LOAD received it. Replaced, never mutated,
   * so a snapshot keeps the set it saw; RDBs, full syncs and the AOF carry it with the keys.
   * FLUSHALL / FLUSHDB leave it (emptyData with EMPTYDB_NOFUNCTIONS); an RDB load replaces it.
   */
  functions: ReadonlyMap<string, string> = NO_FUNCTIONS;

  /**
   * `keyTable`: the run's key table, shared by every keyspace of the simulation so that the
   * master's and the replicas' lookups of one key hit one hash entry (key-table.ts).
   */
  constructor(databases = 16, readonly keyTable: KeyTable = new KeyTable()) {
    this.databases = databases;
    for (let db = 0; db < databases; db++) this.dbs.push(emptyDb(keyTable));
  }

  /** A keyspace holding a snapshot's data, over the snapshot's key table. */
  static fromSnapshot(s: KeyspaceSnapshot): Keyspace {
    const ks = new Keyspace(s.databases, s.keyTable);
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
    return dbKeyCount(this.dbs[db]!);
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
  /**
   * Mean remaining TTL of the volatile keys of `db` in ms, 0 if none. For INFO keyspace
   * avg_ttl on masters only: Redis updates avg_ttl in activeExpireCycle, so a replica
   * reports avg_ttl=0 (checked on 7.0.15: master 999285, its replica 0).
   */
  avgTtlMs(db: number, nowMs: number): number {
    const d = this.dbs[db]!;
    const n = d.expires.size;
    if (n === 0) return 0;
    return Math.max(0, Math.round(d.expireSum / n + EXPIRE_SUM_BASE_MS - nowMs));
  }
  /** Keys of `db`: the dict in insertion order, then the populated ranges (KEYS). */
  keys(db: number): IterableIterator<string> {
    return dbKeys(this.dbs[db]!);
  }
  /** The keys, preloaded ones first (they are the oldest). */
  keysOldestFirst(db: number): IterableIterator<string> {
    return dbKeysPreloadedFirst(this.dbs[db]!);
  }
  forEachEntry(visit: EntryVisitor): void {
    this.dbs.forEach((d, db) => forEachDbEntry(d, (key, value, expireAt) => visit(db, key, value, expireAt)));
  }
  /** The dataset digest (digest.ts); populated ranges cost O(1) after their first digest. */
  digest(): string {
    const sum = new DigestSum();
    this.dbs.forEach((d, db) => {
      const hasExp = d.expires.size > 0;
      // forEach, not for-of: the entry iterator allocates a [key, value] pair per key.
      d.dict.forEach((value, key) => sum.add(db, key, value, hasExp ? (d.expires.get(key) ?? -1) : -1));
      for (const r of d.ranges) sum.addRange(r, db);
      for (const key of d.shadow) {
        const r = matchesRange(d.ranges, key);
        if (r !== null) sum.remove(db, key, r.value, -1);
      }
    });
    return sum.hex();
  }

  /**
   * A uniformly chosen key of `db` (deterministic: an xorshift32 stream owned by this
   * keyspace; reseed with seedRandom from the server's named stream). O(index) over the
   * dict part, O(1) expected over populated ranges.
   */
  randomKey(db: number): string | undefined {
    return pickRandomKey(this.dbs[db]!, (n) => this.randomBelow(n));
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
    if (this.snaps.active) this.snaps.recordBefore(db, key, this.dbs);
    const id = this.keyTable.intern(key);
    let old = d.dict.at(id);
    if (old === undefined && d.ranges.length > 0) old = this.unprovide(d, key);
    measureValue(value, key);
    let mem = valueCost.mem;
    let rdb = valueCost.rdb;
    if (old === undefined) {
      measureKey(key);
      mem += keyCost.mem;
      rdb += keyCost.rdb;
    } else {
      measureValue(old, key);
      mem -= valueCost.mem;
      rdb -= valueCost.rdb;
      if (!keepTtl) this.dropExpire(d, key);
    }
    d.memBytes += mem;
    d.rdbBytes += rdb;
    d.dict.put(id, value);
    if (this.signalModifiedKey !== null) this.signalModifiedKey(db, key);
  }

  /** Removes a key and its TTL; false if it did not exist. */
  delete(db: number, key: string): boolean {
    const d = this.dbs[db]!;
    const id = this.keyTable.idOf(key);
    let old = d.dict.at(id);
    if (old === undefined) {
      if (d.ranges.length === 0 || rangeFor(d.ranges, d.shadow, key) === null) return false;
      if (this.snaps.active) this.snaps.recordBefore(db, key, this.dbs);
      old = this.unprovide(d, key)!;
    } else {
      if (this.snaps.active) this.snaps.recordBefore(db, key, this.dbs);
      d.dict.remove(id);
    }
    this.dropExpire(d, key);
    measureValue(old, key);
    measureKey(key);
    d.memBytes -= keyCost.mem + valueCost.mem;
    d.rdbBytes -= keyCost.rdb + valueCost.rdb;
    if (this.signalModifiedKey !== null) this.signalModifiedKey(db, key);
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
    if (this.snaps.active) this.snaps.recordBefore(db, key, this.dbs);
    // A TTL lives on dict keys only: move a range-provided key into the dict first.
    if (d.ranges.length > 0 && !d.dict.has(key)) d.dict.set(key, this.unprovide(d, key)!);
    const old = d.expires.get(key);
    if (old === undefined) {
      d.memBytes += EXPIRE_ENTRY_BYTES;
      d.rdbBytes += RDB_EXPIRE_BYTES;
      this.expiry.expiresTotal++;
    } else {
      if (old === whenMs) return;
      d.expireSum -= old - EXPIRE_SUM_BASE_MS;
    }
    d.expires.set(key, whenMs);
    d.expireSum += whenMs - EXPIRE_SUM_BASE_MS;
    this.expiry.pushed(whenMs, db, key);
    if (this.signalModifiedKey !== null) this.signalModifiedKey(db, key);
  }

  /** Redis removeExpire: true if the key had a TTL. */
  removeExpire(db: number, key: string): boolean {
    const d = this.dbs[db]!;
    if (d.expires.size === 0 || !d.expires.has(key)) return false;
    if (this.snaps.active) this.snaps.recordBefore(db, key, this.dbs);
    this.dropExpire(d, key);
    if (this.signalModifiedKey !== null) this.signalModifiedKey(db, key);
    return true;
  }

  /**
   * The collection (set, hash, list, sorted set) stored at `key`, of class `kind`, safe to
   * mutate in place: if a live snapshot may still read this very object, the snapshot
   * keeps it and the keyspace continues with a clone. After mutating, call settleValue
   * (accounting, and deletion when it became empty).
   */
  mutableValue<T extends Collection>(db: number, key: string, kind: abstract new (...args: never[]) => T): T {
    const d = this.dbs[db]!;
    const v = d.dict.get(key) as T | undefined;
    if (!(v instanceof kind)) throw new Error(`mutableValue: ${key} does not hold a ${kind.name}`);
    d.memBytes -= v.memoryBytes();
    d.rdbBytes -= v.rdbBytes();
    if (this.signalModifiedKey !== null) this.signalModifiedKey(db, key);
    if (!this.snaps.active || !this.snaps.referencesValue(db, key, d, v)) return v;
    this.snaps.recordBefore(db, key, this.dbs);
    const copy = v.clone() as T;
    d.dict.set(key, copy);
    return copy;
  }

  /** Ends a mutableValue: re-adds its cost, and removes the key if the collection is now empty. */
  settleValue(db: number, key: string, value: Collection): void {
    const d = this.dbs[db]!;
    d.memBytes += value.memoryBytes();
    d.rdbBytes += value.rdbBytes();
    if (value.size === 0) this.delete(db, key);
  }

  /** mutableValue for a set (the set commands' spelling). */
  mutableSet(db: number, key: string): SetValue {
    return this.mutableValue(db, key, SetValue);
  }
  settleSet(db: number, key: string, set: SetValue): void {
    this.settleValue(db, key, set);
  }

  /**
   * DEBUG POPULATE: keys `prefix:<i>` for i in [0, count) with the value "value:<i>" cut or
   * zero-padded to `size` bytes (0 = as is); keys that exist are left untouched. O(1) for
   * the new keys (one PopulatedRange), plus the keys already present that it must respect.
   * Returns how many keys were added.
   */
  populate(db: number, count: number, prefix: string, size: number, values: ValueCompressibility = 'populate'): number {
    const d = this.dbs[db]!;
    const end = populatedEnd(d.ranges, prefix);
    let added = 0;
    // Indexes below `end` belong to earlier ranges of this prefix: they exist, unless they
    // were deleted; those are re-created as dict entries (shadow never shrinks).
    if (d.shadow.size > 0) {
      const value = new PopulatedRange(prefix, 0, 0, size, values).value;
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
    return added + addPopulatedRange(d, new PopulatedRange(prefix, end, count, size, values));
  }

  /**
   * SWAPDB (dbSwapDatabases): the two dbs trade places, TTLs with their keys. Live
   * snapshots (a BGSAVE in progress) copy what they need first: they index by db slot.
   */
  swapDbs(a: number, b: number): void {
    if (a === b) return;
    // touchAllWatchedKeysInDb both ways: a watched key that exists on either side is touched.
    this.signalFlushedDb?.(a);
    this.signalFlushedDb?.(b);
    this.snaps.detachAll();
    const t = this.dbs[a]!;
    this.dbs[a] = this.dbs[b]!;
    this.dbs[b] = t;
    this.expiry.swapped(a, b);
    this.signalFlushedDb?.(a);
    this.signalFlushedDb?.(b);
  }

  /** Empties one DB; returns the number of keys removed. */
  flushDb(db: number): number {
    if (this.signalFlushedDb !== null) this.signalFlushedDb(db);
    const removed = this.dbsize(db);
    this.expiry.expiresTotal -= this.dbs[db]!.expires.size;
    // A fresh state rather than clear(): a snapshot may still read the old maps (it holds the
    // old dict, whose key ids are freed when the last reader drops it).
    const old = this.dbs[db]!;
    this.dbs[db] = emptyDb(this.keyTable);
    old.dict.drop();
    this.snaps.dropOrphaned(this.dbs);
    return removed;
  }

  /** Empties every DB (and, as emptyData(-1) does, the writable-replica TTL list). */
  flushAll(): number {
    let removed = 0;
    for (let db = 0; db < this.databases; db++) removed += this.flushDb(db);
    this.expiry.clear();
    return removed;
  }

  // ---- expiry machinery -------------------------------------------------------------------

  /**
   * Deletes up to `maxKeys` keys whose TTL is strictly before `nowMs` (Redis
   * activeExpireCycleTryExpire: `now > t`), earliest first, and returns them. The caller
   * propagates DEL/UNLINK and counts expired_keys (see expire-cycle.ts).
   */
  activeExpireCycle(nowMs: number, maxKeys: number): ExpiredKey[] {
    return this.expiry.expireDue(nowMs, maxKeys);
  }

  /** rememberSlaveKeyWithExpire: a writable replica set a TTL itself on this key. */
  rememberSlaveKeyWithExpire(db: number, key: string): void {
    this.expiry.rememberSlaveKey(db, key);
  }

  /**
   * expireSlaveKeys: on a writable replica, deletes the keys it gave a TTL itself once
   * that TTL passed (keys from the master wait for the master's DEL). Returns them.
   */
  expireSlaveKeys(nowMs: number): ExpiredKey[] {
    return this.expiry.expireSlaveKeys(nowMs);
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

  /**
   * Estimated size of an RDB of this dataset; `compression` is rdbcompression (Redis LZF-
   * compresses strings longer than 20 bytes only when it is yes). The running sums price
   * values compressed; without compression the preloaded values' LZF savings are added
   * back — O(1) per range plus a walk of the shadowed range keys and of the dict's
   * preloaded values, paid only when rdbcompression is no.
   */
  rdbSizeBytes(compression = true): number {
    let total = RDB_EMPTY_BYTES;
    // RDB_OPCODE_FUNCTION2 and the library code as a string, per library.
    for (const code of this.functions.values()) total += 1 + rdbStringBytes(code);
    for (let db = 0; db < this.databases; db++) {
      const keys = this.dbsize(db);
      if (keys > 0) total += rdbDbHeaderBytes(db, keys, this.dbs[db]!.expires.size) + this.dbs[db]!.rdbBytes;
      if (keys > 0 && !compression) total += this.lzfSavedBytes(this.dbs[db]!);
    }
    return total;
  }

  /** What LZF saves on the preloaded (DEBUG POPULATE-like) values of one db. */
  private lzfSavedBytes(d: DbState): number {
    let saved = 0;
    for (const r of d.ranges) saved += r.totalLzfSavedBytes();
    for (const key of d.shadow) {
      const r = matchesRange(d.ranges, key);
      if (r !== null) saved -= r.lzfSavedBytesOf(r.indexOf(key));
    }
    d.dict.forEach((v, key) => {
      if (v instanceof PopulatedValue) saved += rdbRawBytes(v.byteLength(key)) - rdbPopulatedValueBytes(v.size, populatedIndexText(key).length, v.values);
    });
    return saved;
  }

  // ---- snapshots --------------------------------------------------------------------------

  /** An immutable view of the dataset as of now (copy-on-write; release it when done). */
  /** `compression`: rdbcompression, for the snapshot's RDB size. */
  snapshot(compression = true): KeyspaceSnapshot {
    const snap = this.snaps.take(this.dbs, this.keyTable, this.usedMemoryBytes(), this.rdbSizeBytes(compression));
    snap.functions = this.functions;
    return snap;
  }

  /**
   * The keyspace is thrown away (a full sync's new dataset, a restart, an AOF rewrite's new
   * copy): its dicts let go of their key ids (snapshots still reading one keep it alive).
   * It must not be used afterwards.
   */
  discard(): void {
    for (const d of this.dbs) d.dict.drop();
  }

  /** Number of snapshots still tracking changes (for tests and leak checks). */
  get activeSnapshots(): number {
    return this.snaps.count;
  }

  /** Replaces the whole dataset with a snapshot's (an RDB load). Keys already expired are kept, as a replica does. */
  load(s: KeyspaceSnapshot): void {
    if (s.databases !== this.databases) throw new Error(`snapshot has ${s.databases} dbs, keyspace ${this.databases}`);
    this.flushAll();
    this.functions = s.functions;
    for (let db = 0; db < this.databases; db++) {
      const d = this.dbs[db]!;
      s.forEachStoredEntry(db, (key, value, expireAt) => {
        d.dict.set(key, ownedCopy(value));
        if (expireAt !== -1) {
          d.expires.set(key, expireAt);
          d.expireSum += expireAt - EXPIRE_SUM_BASE_MS;
          this.expiry.expiresTotal++;
          this.expiry.pushed(expireAt, db, key);
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

  /** A range-provided key stops being provided (it is about to be written or deleted). */
  private unprovide(d: DbState, key: string): Value | undefined {
    const r = rangeFor(d.ranges, d.shadow, key);
    if (r === null) return undefined;
    d.shadow.add(key);
    return r.value;
  }

  private dropExpire(d: DbState, key: string): void {
    if (d.expires.size === 0) return;
    const old = d.expires.get(key);
    if (old === undefined) return;
    d.expires.delete(key);
    this.expiry.expiresTotal--;
    d.expireSum -= old - EXPIRE_SUM_BASE_MS;
    d.memBytes -= EXPIRE_ENTRY_BYTES;
    d.rdbBytes -= RDB_EXPIRE_BYTES;
  }
}

export { KeyspaceSnapshot } from './snapshot.js';

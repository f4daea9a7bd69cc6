/**
 * An immutable view of a keyspace as of one instant: what a BGSAVE child (fork) sees, and
 * what a replica later loads.
 *
 * Copy-on-write, like the fork it models: taking a snapshot copies nothing. It keeps the
 * live per-db structures (dict, expires, shadow set, the ranges array, which the keyspace
 * only ever replaces), and until it is released the keyspace hands it the before-image of
 * every key it is about to change (first change only). Reading is "before-image if
 * recorded, else live". A flush replaces the live structures, which orphans the old ones:
 * the snapshot keeps them and they never change again.
 *
 * Cost: one array-length check per write while no snapshot is active, one Map lookup per
 * write while one is. A snapshot that lives long (a dump file on disk, a replica's received
 * RDB) would pay that on every write for hours and keep a before-image of most keys anyway:
 * once before-images cover half of the stored keys it *detaches* — copies what it needs of
 * every db (the dict entries as of the snapshot, collections cloned; ranges are shared, never
 * mutated) and stops tracking, so writes cost nothing again. The server must call release()
 * once every consumer (replicas loading it) is done; reading a released snapshot throws.
 */
import type { Value } from './value.js';
import { CollectionValue } from './value.js';
import { rangeFor, matchesRange, type PopulatedRange } from './populated-range.js';
import { DigestSum, type EntryVisitor } from './digest.js';
import type { DbState } from './db-state.js';
import { KeyDict } from './key-dict.js';
import type { KeyTable } from './key-table.js';

/** The state of one key before its first change after the snapshot. value undefined = absent. */
export interface BeforeImage {
  readonly value: Value | undefined;
  readonly expire: number; // -1 = no TTL
  /** The key was provided by a populated range (not the dict). */
  readonly fromRange: boolean;
}

/** One db as of the snapshot: references to the live structures plus the figures of that instant. */
interface SnapshotDb {
  readonly dict: KeyDict;
  readonly expires: Map<string, number>;
  readonly ranges: readonly PopulatedRange[];
  readonly shadow: Set<string>;
  readonly keys: number;
  readonly memBytes: number;
  readonly rdbBytes: number;
}

/** Before-images a snapshot keeps at least before it considers detaching (detach is O(keys)). */
const DETACH_MIN_BEFORE_IMAGES = 1024;

export class KeyspaceSnapshot {
  readonly databases: number;
  private readonly bases: SnapshotDb[];
  private readonly overlays: Array<Map<string, BeforeImage> | null>;
  private released = false;
  /** Before-images held over all dbs. */
  private beforeImages = 0;
  /** Owns copies of everything it reads: tracks no keyspace changes any more. */
  private detachedFlag = false;
  /** The FUNCTION libraries as of the snapshot (Keyspace.functions, an immutable map). */
  functions: ReadonlyMap<string, string> = new Map();

  /** @internal Created by Keyspace.snapshot(). */
  constructor(
    bases: SnapshotDb[],
    /** The key table of the keyspace it was taken from (a keyspace loading it shares it). */
    readonly keyTable: KeyTable,
    /** INFO used_memory at snapshot time (the fork's copy-on-write exposure). */
    readonly usedMemoryBytes: number,
    /** The size of the RDB this snapshot stands for. */
    readonly rdbSizeBytes: number,
    private readonly onRelease: (s: KeyspaceSnapshot) => void,
  ) {
    this.databases = bases.length;
    this.bases = bases;
    this.overlays = bases.map(() => null);
  }

  get totalKeys(): number {
    let n = 0;
    for (const b of this.bases) n += b.keys;
    return n;
  }
  dbsize(db: number): number {
    return this.bases[db]?.keys ?? 0;
  }
  get isReleased(): boolean {
    return this.released;
  }

  get isDetached(): boolean {
    return this.detachedFlag;
  }

  /** @internal Whether the keyspace must hand this snapshot the before-image of `key` of db `live`. */
  needsBefore(db: number, key: string, live: DbState): boolean {
    if (this.bases[db]!.dict !== live.dict) return false;
    const overlay = this.overlays[db];
    return overlay === null || overlay === undefined || !overlay.has(key);
  }

  /**
   * @internal Keeps the before-image of `key` (after needsBefore said so). Returns true when
   * this made the snapshot detach, so the registry can forget it.
   */
  recordBefore(db: number, key: string, before: BeforeImage, live: readonly DbState[]): boolean {
    let overlay = this.overlays[db];
    if (overlay === null || overlay === undefined) {
      overlay = new Map();
      this.overlays[db] = overlay;
    }
    overlay.set(key, before);
    this.beforeImages++;
    if (this.beforeImages < DETACH_MIN_BEFORE_IMAGES || (this.beforeImages & 255) !== 0) return false;
    let shared = 0;
    for (let i = 0; i < this.databases; i++) if (this.bases[i]!.dict === live[i]!.dict) shared += live[i]!.dict.size;
    if (this.beforeImages * 2 < shared) return false;
    this.detach();
    return true;
  }

  /** @internal Detaches now (SWAPDB moves live structures between db slots). */
  detachNow(): void {
    if (!this.detachedFlag) this.detach();
  }

  /** Copies the state of every db as of the snapshot into structures of its own. */
  private detach(): void {
    for (let db = 0; db < this.databases; db++) {
      const base = this.bases[db]!;
      const dict = new KeyDict(this.keyTable);
      const expires = new Map<string, number>();
      this.forEachStoredEntry(db, (key, value, expireAt) => {
        dict.set(key, ownedCopy(value));
        if (expireAt !== -1) expires.set(key, expireAt);
      });
      const { ranges, shadow } = this.rangesAndTotals(db);
      this.bases[db] = { dict, expires, ranges, shadow, keys: base.keys, memBytes: base.memBytes, rdbBytes: base.rdbBytes };
      this.overlays[db] = null;
      base.dict.drop(); // no longer read from here (the keyspace, or the last owner, frees its ids)
    }
    this.beforeImages = 0;
    this.detachedFlag = true;
  }

  /** @internal Whether this snapshot may read the object `value` (live under `key`) later. */
  referencesValue(db: number, key: string, dict: KeyDict, value: Value): boolean {
    // Orphaned by a flush (live objects are all newer), or detached (it owns its copies).
    if (this.bases[db]!.dict !== dict) return false;
    const before = this.overlays[db]?.get(key);
    return before === undefined || before.value === value;
  }

  /** @internal Whether this snapshot still reads the live structures of `db`. */
  sharesDb(db: number, live: DbState): boolean {
    return this.bases[db]!.dict === live.dict;
  }

  /** The value of a key as of the snapshot (no expiry logic: an RDB holds expired keys too). */
  get(db: number, key: string): Value | undefined {
    this.assertLive();
    const before = this.overlays[db]?.get(key);
    if (before !== undefined) return before.value;
    const base = this.bases[db]!;
    const v = base.dict.get(key);
    if (v !== undefined || base.ranges.length === 0) return v;
    return rangeFor(base.ranges, base.shadow, key)?.value;
  }

  getExpire(db: number, key: string): number {
    this.assertLive();
    const before = this.overlays[db]?.get(key);
    if (before !== undefined) return before.expire;
    const exp = this.bases[db]!.expires;
    return exp.size === 0 ? -1 : (exp.get(key) ?? -1);
  }

  /**
   * @internal The keys of `db` held in the dict as of the snapshot (not the range-provided
   * ones): live-dict order, then keys deleted since.
   */
  forEachStoredEntry(db: number, visit: (key: string, value: Value, expireAt: number) => void): void {
    this.assertLive();
    const { dict, expires } = this.bases[db]!;
    const overlay = this.overlays[db];
    const hasExpires = expires.size > 0;
    dict.forEach((value, key) => {
      const before = overlay?.get(key);
      if (before === undefined) visit(key, value, hasExpires ? (expires.get(key) ?? -1) : -1);
      else if (before.value !== undefined && !before.fromRange) visit(key, before.value, before.expire);
    });
    if (overlay) {
      for (const [key, before] of overlay) {
        if (before.value !== undefined && !before.fromRange && !dict.has(key)) visit(key, before.value, before.expire);
      }
    }
  }

  /**
   * @internal The populated ranges of `db` as of the snapshot, with their own shadow set
   * (range keys not provided at that time), and the db's running cost sums.
   */
  rangesAndTotals(db: number): { ranges: PopulatedRange[]; shadow: Set<string>; memBytes: number; rdbBytes: number } {
    this.assertLive();
    const base = this.bases[db]!;
    const overlay = this.overlays[db];
    const shadow = new Set<string>();
    if (base.ranges.length > 0) {
      // The live shadow only grew since; a key that joined it after the snapshot has a
      // before-image saying it came from its range.
      for (const key of base.shadow) {
        if (matchesRange(base.ranges, key) !== null && !overlay?.get(key)?.fromRange) shadow.add(key);
      }
    }
    return { ranges: [...base.ranges], shadow, memBytes: base.memBytes, rdbBytes: base.rdbBytes };
  }

  /** Visits every key as of the snapshot: per db, stored keys, then range-provided keys. */
  forEachEntry(visit: EntryVisitor): void {
    this.assertLive();
    for (let db = 0; db < this.databases; db++) {
      this.forEachStoredEntry(db, (key, value, expireAt) => visit(db, key, value, expireAt));
      const base = this.bases[db]!;
      const overlay = this.overlays[db];
      for (const r of base.ranges) {
        for (let i = r.from; i < r.to; i++) {
          const key = r.keyAt(i);
          if (!base.shadow.has(key)) visit(db, key, r.value, -1);
          else {
            const before = overlay?.get(key);
            if (before?.fromRange) visit(db, key, before.value!, -1);
          }
        }
      }
    }
  }

  /** Same digest as Keyspace.digest() of the keyspace at snapshot time. */
  digest(): string {
    const sum = new DigestSum();
    for (let db = 0; db < this.databases; db++) {
      this.forEachStoredEntry(db, (key, value, expireAt) => sum.add(db, key, value, expireAt));
      const { ranges, shadow } = this.rangesAndTotals(db);
      for (const r of ranges) sum.addRange(r, db);
      for (const key of shadow) sum.remove(db, key, matchesRange(ranges, key)!.value, -1);
    }
    return sum.hex();
  }

  /** Stop tracking changes; the snapshot must not be read afterwards. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
    this.overlays.fill(null);
    for (const base of this.bases) base.dict.drop();
  }

  private assertLive(): void {
    if (this.released) throw new Error('KeyspaceSnapshot read after release()');
  }
}

/** A value copied out of a snapshot for a new owner (collections are mutable, so they are cloned). */
export function ownedCopy(v: Value): Value {
  return v instanceof CollectionValue ? v.clone() : v;
}

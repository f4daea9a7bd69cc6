/**
 * An immutable view of a keyspace as of one instant: what a BGSAVE child (fork) sees, and
 * what a replica later loads.
 *
 * Copy-on-write, like the fork it models: taking a snapshot copies nothing. The snapshot
 * keeps references to the live per-db maps, and until it is released the keyspace hands
 * it the before-image of every key it is about to change (first change only). Reading the
 * snapshot is "overlay if recorded, else live map". A flush replaces the live maps, which
 * orphans the old ones: the snapshot keeps them and they never change again.
 *
 * The cost is one array-length check per write while no snapshot is active, and one Map
 * lookup per write while one is. The server must call release() once every consumer
 * (replicas loading it) is done; reading a released snapshot throws.
 */
import type { Value } from './value.js';
import { SetValue } from './value.js';
import { datasetDigest, type EntryVisitor } from './digest.js';

/** The state of one key before its first change after the snapshot. value undefined = absent. */
interface BeforeImage {
  readonly value: Value | undefined;
  readonly expire: number; // -1 = no TTL
}

export interface SnapshotDbBase {
  readonly dict: Map<string, Value>;
  readonly expires: Map<string, number>;
}

/** Figures captured when the snapshot was taken (the RDB's size, key counts). */
export interface SnapshotStats {
  readonly keysPerDb: readonly number[];
  readonly expiresPerDb: readonly number[];
  readonly memBytesPerDb: readonly number[];
  readonly rdbBytesPerDb: readonly number[];
  readonly usedMemoryBytes: number;
  readonly rdbSizeBytes: number;
}

export class KeyspaceSnapshot {
  readonly databases: number;
  private readonly bases: SnapshotDbBase[];
  private readonly overlays: Array<Map<string, BeforeImage> | null>;
  private released = false;

  /** @internal Created by Keyspace.snapshot(). */
  constructor(
    bases: SnapshotDbBase[],
    readonly stats: SnapshotStats,
    private readonly onRelease: (s: KeyspaceSnapshot) => void,
  ) {
    this.databases = bases.length;
    this.bases = bases;
    this.overlays = bases.map(() => null);
  }

  get totalKeys(): number {
    let n = 0;
    for (const k of this.stats.keysPerDb) n += k;
    return n;
  }
  dbsize(db: number): number {
    return this.stats.keysPerDb[db] ?? 0;
  }
  get rdbSizeBytes(): number {
    return this.stats.rdbSizeBytes;
  }
  get usedMemoryBytes(): number {
    return this.stats.usedMemoryBytes;
  }
  get isReleased(): boolean {
    return this.released;
  }

  /**
   * @internal The keyspace is about to change `key` in `db`, whose live maps are
   * `dict`/`expires`. Keeps the before-image if this snapshot still shares those maps.
   */
  recordBefore(db: number, key: string, dict: Map<string, Value>, expires: Map<string, number>): void {
    const base = this.bases[db]!;
    if (base.dict !== dict) return;
    let overlay = this.overlays[db]!;
    if (overlay === null) {
      overlay = new Map();
      this.overlays[db] = overlay;
    } else if (overlay.has(key)) return;
    const value = dict.get(key);
    overlay.set(key, { value, expire: value === undefined || expires.size === 0 ? -1 : (expires.get(key) ?? -1) });
  }

  /** @internal Whether this snapshot may read the object `value` (live under `key`) later. */
  referencesValue(db: number, key: string, dict: Map<string, Value>, value: Value): boolean {
    if (this.bases[db]!.dict !== dict) return false; // orphaned by a flush: live objects are all newer
    const before = this.overlays[db]?.get(key);
    return before === undefined || before.value === value;
  }

  /** @internal Whether this snapshot still reads the live maps of `db`. */
  sharesDb(db: number, dict: Map<string, Value>): boolean {
    return this.bases[db]!.dict === dict;
  }

  /** The value of a key as of the snapshot (no expiry logic: an RDB holds expired keys too). */
  get(db: number, key: string): Value | undefined {
    this.assertLive();
    const before = this.overlays[db]?.get(key);
    if (before !== undefined) return before.value;
    return this.bases[db]!.dict.get(key);
  }

  getExpire(db: number, key: string): number {
    this.assertLive();
    const before = this.overlays[db]?.get(key);
    if (before !== undefined) return before.expire;
    const exp = this.bases[db]!.expires;
    return exp.size === 0 ? -1 : (exp.get(key) ?? -1);
  }

  /** Visits every key as of the snapshot: db order, then live-map order, then keys deleted since. */
  forEachEntry(visit: EntryVisitor): void {
    this.assertLive();
    for (let db = 0; db < this.databases; db++) {
      const { dict, expires } = this.bases[db]!;
      const overlay = this.overlays[db];
      const hasExpires = expires.size > 0;
      for (const [key, value] of dict) {
        const before = overlay?.get(key);
        if (before !== undefined) {
          if (before.value !== undefined) visit(db, key, before.value, before.expire);
        } else visit(db, key, value, hasExpires ? (expires.get(key) ?? -1) : -1);
      }
      if (overlay) {
        for (const [key, before] of overlay) {
          if (before.value !== undefined && !dict.has(key)) visit(db, key, before.value, before.expire);
        }
      }
    }
  }

  /** Same digest as Keyspace.digest() of the keyspace at snapshot time. */
  digest(): string {
    return datasetDigest((visit) => this.forEachEntry(visit));
  }

  /** Stop tracking changes; the snapshot must not be read afterwards. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
    this.overlays.fill(null);
  }

  private assertLive(): void {
    if (this.released) throw new Error('KeyspaceSnapshot read after release()');
  }
}

/** A value copied out of a snapshot for a new owner (sets are mutable, so they are cloned). */
export function ownedCopy(v: Value): Value {
  return v instanceof SetValue ? v.clone() : v;
}

/**
 * The keyspace's side of copy-on-write snapshots (snapshot.ts): the snapshots that still
 * track changes, and the before-image each of them must get before a key changes.
 */
import { KeyspaceSnapshot, type BeforeImage } from './snapshot.js';
import type { DbState } from './db-state.js';
import { dbKeyCount } from './db-state.js';
import { rangeFor } from './populated-range.js';
import type { Value } from './value.js';
import type { KeyTable } from './key-table.js';

export class SnapshotRegistry {
  private list: KeyspaceSnapshot[] = [];

  /** Whether any snapshot tracks changes: the one check every write pays. */
  get active(): boolean {
    return this.list.length > 0;
  }
  get count(): number {
    return this.list.length;
  }

  /** Every snapshot copies what it needs and stops tracking changes (before SWAPDB). */
  detachAll(): void {
    for (const s of this.list) s.detachNow();
    this.list = [];
  }

  take(dbs: readonly DbState[], keyTable: KeyTable, usedMemoryBytes: number, rdbSizeBytes: number): KeyspaceSnapshot {
    const bases = dbs.map((d) => ({ ...d, keys: dbKeyCount(d) }));
    // The snapshot reads the live dicts until it detaches or is released (it drops them then).
    for (const d of dbs) d.dict.hold();
    const s = new KeyspaceSnapshot(bases, keyTable, usedMemoryBytes, rdbSizeBytes, (released) => {
      this.list = this.list.filter((x) => x !== released);
    });
    this.list.push(s);
    return s;
  }

  /**
   * `key` of db `dbs[db]` is about to change: every snapshot sharing that db and not yet
   * holding the key's before-image gets it (built once, only if someone needs it).
   */
  recordBefore(db: number, key: string, dbs: readonly DbState[]): void {
    const d = dbs[db]!;
    let before: BeforeImage | null = null;
    let detached = false;
    for (const s of this.list) {
      if (!s.needsBefore(db, key, d)) continue;
      before ??= beforeImage(key, d);
      if (s.recordBefore(db, key, before, dbs)) detached = true;
    }
    if (detached) this.list = this.list.filter((s) => !s.isDetached);
  }

  /** Whether some snapshot may still read this very (mutable) value object. */
  referencesValue(db: number, key: string, d: DbState, value: Value): boolean {
    for (const s of this.list) if (s.referencesValue(db, key, d.dict, value)) return true;
    return false;
  }

  /** Forgets snapshots whose every base map was replaced (flushed): they need no before-images. */
  dropOrphaned(dbs: readonly DbState[]): void {
    this.list = this.list.filter((s) => dbs.some((d, db) => s.sharesDb(db, d)));
  }
}

/** The state of `key` in `d` right now: dict or range-provided value, and its TTL. */
function beforeImage(key: string, d: DbState): BeforeImage {
  let value = d.dict.get(key);
  let fromRange = false;
  if (value === undefined && d.ranges.length > 0) {
    value = rangeFor(d.ranges, d.shadow, key)?.value;
    fromRange = value !== undefined;
  }
  const expire = value === undefined || d.expires.size === 0 ? -1 : (d.expires.get(key) ?? -1);
  return { value, expire, fromRange };
}

/**
 * One database of a keyspace: the dict (key → value, key-dict.ts), the expires map (key → unix ms), and
 * the DEBUG POPULATE ranges with their shadow set (populated-range.ts), plus running sums
 * for avg_ttl, used_memory and RDB size. Keyspace owns and mutates it; snapshots keep
 * references to its structures; the walks below see dict keys and range keys alike.
 */
import type { Value } from './value.js';
import { PopulatedRange } from './populated-range.js';
import { KeyDict } from './key-dict.js';
import type { KeyTable } from './key-table.js';

export interface DbState {
  dict: KeyDict;
  expires: Map<string, number>;
  /** Replaced, never mutated in place, so a snapshot can keep the old array. */
  ranges: PopulatedRange[];
  shadow: Set<string>;
  /** Σ count over ranges; the db holds dict.size + rangeTotal - shadow.size keys. */
  rangeTotal: number;
  expireSum: number;
  memBytes: number;
  rdbBytes: number;
}

export function emptyDb(keys: KeyTable): DbState {
  return { dict: new KeyDict(keys), expires: new Map(), ranges: [], shadow: new Set(), rangeTotal: 0, expireSum: 0, memBytes: 0, rdbBytes: 0 };
}

export function dbKeyCount(d: DbState): number {
  return d.dict.size + d.rangeTotal - d.shadow.size;
}

/** Keys: the dict in insertion order, then the range-provided keys. */
export function* dbKeys(d: DbState): IterableIterator<string> {
  yield* d.dict.keys();
  for (const r of d.ranges) {
    for (let i = r.from; i < r.to; i++) {
      const key = r.keyAt(i);
      if (!d.shadow.has(key)) yield key;
    }
  }
}

/** dbKeys with the preloaded ranges first: the keys in order of insertion, near enough (eviction's LRU stand-in). */
export function* dbKeysPreloadedFirst(d: DbState): IterableIterator<string> {
  for (const r of d.ranges) {
    for (let i = r.from; i < r.to; i++) {
      const key = r.keyAt(i);
      if (!d.shadow.has(key)) yield key;
    }
  }
  yield* d.dict.keys();
}

/** Every key with its value and TTL (-1 none), in dbKeys order. */
export function forEachDbEntry(d: DbState, visit: (key: string, value: Value, expireAt: number) => void): void {
  const hasExp = d.expires.size > 0;
  d.dict.forEach((value, key) => visit(key, value, hasExp ? (d.expires.get(key) ?? -1) : -1)); // no [k, v] pair per key
  for (const r of d.ranges) {
    for (let i = r.from; i < r.to; i++) {
      const key = r.keyAt(i);
      if (!d.shadow.has(key)) visit(key, r.value, -1);
    }
  }
}

/**
 * A uniformly chosen key, drawing indexes from `randomBelow`: O(index) over the dict
 * part, O(1) expected over ranges (a shadowed range key is redrawn).
 */
export function pickRandomKey(d: DbState, randomBelow: (n: number) => number): string | undefined {
  if (dbKeyCount(d) === 0) return undefined;
  for (let attempt = 0; attempt < 64; attempt++) {
    let i = randomBelow(d.dict.size + d.rangeTotal);
    if (i < d.dict.size) return d.dict.keyAtPosition(i);
    i -= d.dict.size;
    for (const r of d.ranges) {
      if (i < r.count) {
        const key = r.keyAt(r.from + i);
        if (!d.shadow.has(key)) return key;
        break;
      }
      i -= r.count;
    }
  }
  // Mostly shadowed ranges: fall back to the first key (not through a dict walk left open).
  if (d.dict.size > 0) return d.dict.keyAtPosition(0);
  return dbKeys(d).next().value as string;
}

/**
 * Adds a range of new populated keys. Keys of it already in the dict keep their value:
 * they are shadowed and not counted twice (walking whichever side is smaller). Returns how
 * many keys the range really adds.
 */
export function addPopulatedRange(d: DbState, range: PopulatedRange): number {
  let mem = range.totalMemBytes();
  let rdb = range.totalRdbBytes();
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
  d.ranges = [...d.ranges, range];
  d.rangeTotal += range.count;
  d.memBytes += mem;
  d.rdbBytes += rdb;
  return range.count - present;
}

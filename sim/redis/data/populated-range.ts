/**
 * A run of DEBUG POPULATE keys held as one object: keys `prefix:<i>` for from ≤ i < to,
 * all with the same PopulatedValue. 10 M populated keys then cost a few hundred bytes, and
 * snapshotting or loading them (full sync) costs O(1) instead of O(keys).
 *
 * The keyspace keeps, per db, a list of ranges plus a `shadow` set: the range keys that
 * are no longer provided by their range, because they were written (the dict holds them
 * now) or deleted. Invariants (keyspace.ts relies on them):
 *   - a key matches at most one range (ranges of one prefix never overlap);
 *   - every key of the dict that matches a range is in shadow;
 *   - shadow only holds keys matching a range, and only grows until the db is flushed
 *     (a deleted range key that DEBUG POPULATE re-creates goes to the dict instead),
 *     which is what lets snapshots share it.
 */
import { PopulatedValue } from './value.js';
import { sdsAllocBytes, populatedValueBytes } from './memory-model.js';
import { rdbLenBytes, rdbPopulatedValueBytes, rdbRawBytes, RDB_TYPE_BYTES, type ValueCompressibility } from './rdb-size.js';
import { utf8ByteLength } from '../protocol/resp.js';

const DICT_ENTRY_BYTES = 32;
const MAX_DIGITS = 16;

export class PopulatedRange {
  readonly value: PopulatedValue;
  /** Per number of digits of i (index d-1): used_memory and RDB bytes of one key. */
  private readonly memByDigits: number[] = [];
  private readonly rdbByDigits: number[] = [];
  /** Per number of digits: the RDB bytes LZF saves on one value (what rdbcompression no adds back). */
  private readonly lzfSavedByDigits: number[] = [];

  constructor(
    readonly prefix: string,
    readonly from: number,
    readonly to: number,
    size: number,
    values: ValueCompressibility = 'populate',
  ) {
    this.value = new PopulatedValue(size, values);
    const prefixBytes = utf8ByteLength(prefix) + 1;
    for (let d = 1; d <= MAX_DIGITS; d++) {
      const keyLen = prefixBytes + d;
      const len = size === 0 ? 6 + d : size;
      const saved = rdbPopulatedValueBytes(size, d, values);
      this.memByDigits.push(DICT_ENTRY_BYTES + sdsAllocBytes(keyLen) + populatedValueBytes(len));
      this.rdbByDigits.push(RDB_TYPE_BYTES + rdbLenBytes(keyLen) + keyLen + saved);
      this.lzfSavedByDigits.push(rdbRawBytes(len) - saved);
    }
  }

  get count(): number {
    return this.to - this.from;
  }

  /** i if key is `prefix:<i>` (canonical decimal) with from ≤ i < to, else -1. No allocation. */
  indexOf(key: string): number {
    const p = this.prefix;
    const start = p.length + 1;
    const n = key.length;
    if (n <= start || n - start > MAX_DIGITS || key.charCodeAt(p.length) !== 58 /* : */ || !key.startsWith(p)) return -1;
    const first = key.charCodeAt(start);
    if (first === 48 /* 0 */ && n > start + 1) return -1; // leading zero: a different key
    let i = 0;
    for (let j = start; j < n; j++) {
      const c = key.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return -1;
      i = i * 10 + c;
    }
    return i >= this.from && i < this.to ? i : -1;
  }

  keyAt(i: number): string {
    return this.prefix + ':' + i;
  }

  memBytesOf(i: number): number {
    return this.memByDigits[digits(i) - 1]!;
  }
  rdbBytesOf(i: number): number {
    return this.rdbByDigits[digits(i) - 1]!;
  }

  /** Σ over the range, in closed form per digit group. */
  totalMemBytes(): number {
    return this.sumByDigits(this.memByDigits);
  }
  totalRdbBytes(): number {
    return this.sumByDigits(this.rdbByDigits);
  }
  /** What LZF saves over the whole range (rdbcompression yes vs no). */
  totalLzfSavedBytes(): number {
    return this.sumByDigits(this.lzfSavedByDigits);
  }
  lzfSavedBytesOf(i: number): number {
    return this.lzfSavedByDigits[digits(i) - 1]!;
  }

  private sumByDigits(table: number[]): number {
    let total = 0;
    let lo = 0;
    let hi = 10;
    for (let d = 1; d <= MAX_DIGITS && lo < this.to; d++) {
      const a = Math.max(lo, this.from);
      const b = Math.min(hi, this.to);
      if (b > a) total += (b - a) * table[d - 1]!;
      lo = hi;
      hi *= 10;
    }
    return total;
  }
}

function digits(i: number): number {
  let d = 1;
  while (i >= 10) {
    i = Math.floor(i / 10);
    d++;
  }
  return d;
}

/** The range that provides `key` (not shadowed), with its index, or null. */
export function rangeFor(ranges: readonly PopulatedRange[], shadow: ReadonlySet<string>, key: string): PopulatedRange | null {
  for (let r = 0; r < ranges.length; r++) {
    const range = ranges[r]!;
    if (range.indexOf(key) >= 0) return shadow.has(key) ? null : range;
  }
  return null;
}

/** Whether `key` matches any of the ranges (provided or shadowed). */
export function matchesRange(ranges: readonly PopulatedRange[], key: string): PopulatedRange | null {
  for (let r = 0; r < ranges.length; r++) if (ranges[r]!.indexOf(key) >= 0) return ranges[r]!;
  return null;
}

/** The end of the populated indexes of `prefix` (ranges of one prefix are contiguous from 0). */
export function populatedEnd(ranges: readonly PopulatedRange[], prefix: string): number {
  let end = 0;
  for (const r of ranges) if (r.prefix === prefix && r.to > end) end = r.to;
  return end;
}

/**
 * Memory and RDB cost of one key with its value, combining memory-model.ts and
 * rdb-size.ts for each value representation (value.ts). The keyspace keeps running sums of
 * these so INFO memory and the fork/transfer model read them in O(1).
 */
import { keyEntryBytes, stringValueBytesFor, populatedValueBytes, EXPIRE_ENTRY_BYTES } from './memory-model.js';
import { rdbStringBytes, rdbNumberBytes, rdbPopulatedValueBytes, RDB_TYPE_BYTES, RDB_EXPIRE_BYTES } from './rdb-size.js';
import { PopulatedValue, SetValue, populatedIndexText, type Value } from './value.js';
import { utf8ByteLength } from './resp.js';
import { parseCanonicalInt } from './number-parse.js';

/** used_memory bytes of a value (not counting its key). */
export function valueMemoryBytes(v: Value, key: string): number {
  if (typeof v === 'string') {
    const n = v.length;
    return stringValueBytesFor(utf8ByteLength(v), n <= 20 ? parseCanonicalInt(v) : null);
  }
  if (typeof v === 'number') return stringValueBytesFor(0, v);
  if (v instanceof PopulatedValue) return populatedValueBytes(v.byteLength(key));
  return v.memoryBytes();
}

/** RDB bytes of a value (not counting its key). */
export function valueRdbBytes(v: Value, key: string): number {
  if (typeof v === 'string') return rdbStringBytes(v);
  if (typeof v === 'number') return rdbNumberBytes(v);
  if (v instanceof PopulatedValue) return rdbPopulatedValueBytes(v.size, populatedIndexText(key).length);
  return (v as SetValue).rdbBytes();
}

/** used_memory of a whole key: dictEntry + key sds + value (+ expires dictEntry). */
export function entryMemoryBytes(key: string, v: Value, hasExpire: boolean): number {
  return keyEntryBytes(key) + valueMemoryBytes(v, key) + (hasExpire ? EXPIRE_ENTRY_BYTES : 0);
}

/** RDB bytes of a whole key record. */
export function entryRdbBytes(key: string, v: Value, hasExpire: boolean): number {
  return RDB_TYPE_BYTES + rdbStringBytes(key) + valueRdbBytes(v, key) + (hasExpire ? RDB_EXPIRE_BYTES : 0);
}

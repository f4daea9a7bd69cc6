/**
 * Memory and RDB cost of one key with its value, combining memory-model.ts and
 * rdb-size.ts for each value representation (value.ts). The keyspace keeps running sums of
 * these so INFO memory and the fork/transfer model read them in O(1).
 *
 * measureValue fills one shared result object, so a write prices its old and new value
 * with one pass over each string and no allocation.
 */
import { stringValueBytesFor, populatedValueBytes } from './memory-model.js';
import { rdbLenBytes, rdbIntBytes, rdbNumberBytes, rdbPopulatedValueBytes } from './rdb-size.js';
import { PopulatedValue, populatedIndexText, type Value, type CollectionValue } from './value.js';
import { utf8ByteLength } from '../protocol/resp.js';
import { parseCanonicalInt } from '../protocol/number-parse.js';

/** The result of the last measureValue call. */
export const valueCost = { mem: 0, rdb: 0 };

/** Prices a value stored under `key`: used_memory bytes and RDB bytes, into valueCost. */
export function measureValue(v: Value, key: string): void {
  if (typeof v === 'string') {
    const len = utf8ByteLength(v);
    const asInt = v.length <= 20 ? parseCanonicalInt(v) : null;
    valueCost.mem = stringValueBytesFor(len, asInt);
    // rdbSaveRawString: up to 11 bytes an int32 gets the integer encoding; else verbatim.
    const intBytes = asInt !== null && len <= 11 ? rdbIntBytes(asInt) : 0;
    valueCost.rdb = intBytes > 0 ? intBytes : rdbLenBytes(len) + len;
  } else if (typeof v === 'number') {
    valueCost.mem = stringValueBytesFor(0, v);
    valueCost.rdb = rdbNumberBytes(v);
  } else if (v instanceof PopulatedValue) {
    valueCost.mem = populatedValueBytes(v.byteLength(key));
    valueCost.rdb = rdbPopulatedValueBytes(v.size, populatedIndexText(key).length, v.values);
  } else {
    const c = v as CollectionValue;
    valueCost.mem = c.memoryBytes();
    valueCost.rdb = c.rdbBytes();
  }
}

/**
 * What a key costs in a real Redis 7.0.15 (jemalloc 5.3, 64-bit): the `used_memory` model.
 *
 * Redis counts the usable size of every allocation (zmalloc → je_malloc_usable_size), so
 * the model rounds every allocation up to a jemalloc size class. Per key:
 *   dictEntry (24 → 32) + key sds (sdsdup: sdshdr5 below 32 bytes) + value object
 *   + 8 bytes per main-dict bucket (table = next power of two ≥ keys)
 *   + for a key with a TTL: another dictEntry (32) + 8 bytes per expires-dict bucket.
 * String values (object.c tryObjectEncoding): integers 0..9999 use shared objects (0 bytes),
 * other 64-bit integers are an INT-encoded robj (16); up to 44 bytes an embstr
 * (robj + sdshdr8 + bytes + NUL in one allocation); longer a raw robj + sds.
 *
 * Checked against redis-server 7.0.15 (test/redis/keyspace.test.ts): DEBUG POPULATE 1M
 * keys of 100 bytes adds 184,388,152 bytes of used_memory (the model says 184,388,608);
 * 100k keys of 100 / default / 10 / 1000 bytes match to within 456 bytes; SET/SADD
 * workloads within 2%. Not modelled: a hashtable set that just grew still holds both
 * tables until its incremental rehash ends (20-member sets measured 9% above the model).
 */
import { utf8ByteLength } from '../protocol/resp.js';

/** used_memory of a freshly started 7.0.15 with no keys (INFO memory used_memory_startup). */
export const USED_MEMORY_STARTUP_BYTES = 876_320;

const DICT_ENTRY_BYTES = 32; // struct dictEntry is 24 bytes; jemalloc's class is 32
const ROBJ_BYTES = 16;
const OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44;
const OBJ_SHARED_INTEGERS = 10_000;

/** jemalloc 5 size class for a request of `n` bytes (small and large classes, 4 per doubling). */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 16) return 16;
  if (n <= 128) return (n + 15) & ~15;
  // Above 128: four classes per power of two (160, 192, 224, 256, 320, …).
  let pow = 128;
  while (pow * 2 < n) pow *= 2;
  const step = pow / 4;
  return Math.ceil(n / step) * step;
}

/** sds header bytes for a string of `len` bytes (sds.c sdsReqType), sdshdr5 allowed. */
function sdsHeader(len: number, allowType5: boolean): number {
  if (len < 32 && allowType5) return 1;
  if (len < 256) return 3;
  if (len < 65_536) return 5;
  return 9;
}

/** Bytes of an sds created with sdsnewlen(len): header + bytes + NUL, size-classed. */
export function sdsAllocBytes(len: number, allowType5 = true): number {
  return jemallocSize(sdsHeader(len, allowType5) + len + 1);
}

/** A key's own cost: its dictEntry plus its sds (the expires dict shares the sds). */
export function keyEntryBytes(key: string): number {
  return DICT_ENTRY_BYTES + sdsAllocBytes(utf8ByteLength(key));
}

/** The extra cost of a TTL on a key: one dictEntry in db->expires. */
export const EXPIRE_ENTRY_BYTES = DICT_ENTRY_BYTES;

/** Bytes of a dict's bucket array holding `n` entries (8 bytes per bucket, power-of-two table). */
export function dictBucketBytes(n: number): number {
  if (n === 0) return 0;
  let size = 4; // DICT_HT_INITIAL_SIZE
  while (size < n) size *= 2;
  return size * 8;
}

/**
 * Cost of a string value of `len` bytes. `intValue` says whether the text is a canonical
 * 64-bit integer (then Redis stores it INT-encoded or shared).
 */
export function stringValueBytesFor(len: number, intValue: number | null): number {
  if (intValue !== null) return intValue >= 0 && intValue < OBJ_SHARED_INTEGERS ? 0 : ROBJ_BYTES;
  if (len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT) return jemallocSize(ROBJ_BYTES + 3 + len + 1);
  return ROBJ_BYTES + sdsAllocBytes(len, false);
}

/** A DEBUG POPULATE value: createStringObject(NULL, size) with no integer encoding. */
export function populatedValueBytes(len: number): number {
  return stringValueBytesFor(len, null);
}

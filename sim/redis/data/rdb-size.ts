/**
 * What a key costs in an RDB file written by Redis 7.0.15 (rdb.c), for the fork/transfer
 * cost model. Per key: [RDB_OPCODE_EXPIRETIME_MS + 8 bytes if it has a TTL] + type byte +
 * key string + value.
 *
 * Strings (rdbSaveRawString): up to 11 bytes, a canonical integer that fits 32 bits is
 * saved as 2/3/5 bytes; longer than 20 bytes, LZF-compressed if that saves ≥ 4 bytes;
 * else a length prefix + the bytes. We price user strings as incompressible (a workload's
 * values are usually random), and DEBUG POPULATE values ("value:<i>" + zero padding)
 * through a real LZF run, cached per (size, digits of i).
 *
 * Checked against redis-server 7.0.15 (test/redis/keyspace.test.ts): DEBUG OBJECT
 * serializedlength of populated 100-byte values is 19–24 bytes (our LZF port gives the same
 * per key) and a 1 M key SAVE is 35,777,692 bytes (35.8 per key; the model: 35,777,958).
 */
import { utf8ByteLength } from '../protocol/resp.js';
import { lzfCompressedLength } from '../protocol/lzf.js';

/** An RDB of an empty dataset written by a master with a replica (SAVE, 7.0.15): 173 bytes. */
export const RDB_EMPTY_BYTES = 173;
/** RDB_OPCODE_EXPIRETIME_MS + 8-byte little-endian ms. */
export const RDB_EXPIRE_BYTES = 9;
export const RDB_TYPE_BYTES = 1;

/** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit length encodings. */
export function rdbLenBytes(len: number): number {
  if (len < 1 << 6) return 1;
  if (len < 1 << 14) return 2;
  if (len <= 0xffffffff) return 5;
  return 9;
}

/** rdbEncodeInteger size for an integer, 0 when it needs more than 32 bits. */
export function rdbIntBytes(v: number): number {
  if (v >= -128 && v <= 127) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 0;
}

/** A user string (key, value or set member), priced as incompressible. */
export function rdbStringBytes(s: string): number {
  const n = s.length;
  if (n <= 11 && n > 0) {
    const v = smallCanonicalInt(s);
    if (v !== null) {
      const b = rdbIntBytes(v);
      if (b > 0) return b;
    }
  }
  const len = utf8ByteLength(s);
  return rdbLenBytes(len) + len;
}

/** RDB_OPCODE_SELECTDB + db number, RDB_OPCODE_RESIZEDB + key count + expires count. */
export function rdbDbHeaderBytes(db: number, keys: number, expires: number): number {
  return 1 + rdbLenBytes(db) + 1 + rdbLenBytes(keys) + rdbLenBytes(expires);
}

/** An INT-encoded value (a counter): int encoding if it fits 32 bits, else its digits. */
export function rdbNumberBytes(v: number): number {
  const b = rdbIntBytes(v);
  if (b > 0) return b;
  const len = String(v).length;
  return rdbLenBytes(len) + len;
}

const populatedCache = new Map<number, number>();

/**
 * How a preloaded dataset's values compress in an RDB (scenario `dataset: values:`):
 * `populate` — DEBUG POPULATE's "value:<i>" + zero padding, which LZF shrinks to a few
 * bytes; `random` — incompressible bytes (LZF gives up, rdbSaveRawString stores them
 * verbatim); a ratio — LZF output is that fraction of the value (e.g. 0.4 for text-like
 * data), stored compressed only when that saves ≥ 4 bytes, as rdbSaveLzfStringObject does.
 */
export type ValueCompressibility = 'populate' | 'random' | { ratio: number };

/** The saved size of a value of `len` bytes with rdbcompression no: length prefix + bytes. */
export function rdbRawBytes(len: number): number {
  return rdbLenBytes(len) + len;
}

/**
 * Saved size of a preloaded value of `size` bytes (0 = DEBUG POPULATE's unpadded
 * "value:<i>") whose index has `digits` decimal digits, with rdbcompression yes. Redis
 * tries LZF on strings longer than 20 bytes.
 */
export function rdbPopulatedValueBytes(size: number, digits: number, values: ValueCompressibility = 'populate'): number {
  const len = size === 0 ? 6 + digits : size;
  if (len <= 20 || values === 'random') return rdbLenBytes(len) + len;
  if (values !== 'populate') {
    // rdbSaveLzfStringObject: lzf_compress with an output buffer of len - 4 bytes, so only
    // a saving of at least 4 bytes is kept; then the LZF opcode, both lengths, the blob.
    const clen = Math.ceil(len * values.ratio);
    return clen > 0 && clen <= len - 4 ? 1 + rdbLenBytes(clen) + rdbLenBytes(len) + clen : rdbLenBytes(len) + len;
  }
  const cacheKey = size * 32 + digits;
  let cached = populatedCache.get(cacheKey);
  if (cached === undefined) {
    cached = rdbCompressibleBytes(representativePopulated(size, digits));
    populatedCache.set(cacheKey, cached);
  }
  return cached;
}

/** rdbSaveRawString for bytes longer than 20: LZF blob if it saves ≥ 4 bytes, else verbatim. */
export function rdbCompressibleBytes(bytes: Uint8Array): number {
  const len = bytes.length;
  const clen = len > 20 ? lzfCompressedLength(bytes, len - 4) : 0;
  if (clen > 0) return 1 + rdbLenBytes(clen) + rdbLenBytes(len) + clen;
  return rdbLenBytes(len) + len;
}

/** "value:" + an index of `digits` digits with no repeated runs (1234567…), zero-padded. */
function representativePopulated(size: number, digits: number): Uint8Array {
  const out = new Uint8Array(size === 0 ? 6 + digits : size);
  const text = 'value:' + '1234567890'.repeat(3).slice(0, digits);
  for (let i = 0; i < text.length && i < out.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function smallCanonicalInt(s: string): number | null {
  let i = 0;
  const n = s.length;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  return s.charCodeAt(0) === 45 ? -v : v;
}

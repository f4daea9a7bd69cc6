/**
 * Byte sizes of listpack entries (listpack.c at 7.0.15), for the memory and RDB estimates
 * of small hashes, sorted sets and list nodes, which Redis 7.0 stores as listpacks.
 *
 * An entry is <encoding><data><backlen>. Canonical integers get the integer encodings
 * (7-bit uint, 13/16/24/32/64-bit int); other strings a 6-bit, 12-bit or 32-bit length
 * header. backlen is the entry's own size in 7-bit groups (1 byte up to 127, …).
 */
import { utf8ByteLength } from '../protocol/resp.js';
import { parseCanonicalInt } from '../protocol/number-parse.js';

/** lpNew: 4-byte total size + 2-byte element count, and the end byte. */
export const LISTPACK_EMPTY_BYTES = 7;

function backlenBytes(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Bytes of one listpack entry holding `s` (lpEncodeGetType + lpEncodeBacklen). */
export function lpEntryBytes(s: string): number {
  if (s.length <= 20) {
    const v = parseCanonicalInt(s);
    if (v !== null) return lpIntEntryBytes(v);
  }
  const len = utf8ByteLength(s);
  const header = len < 64 ? 1 : len < 4096 ? 2 : 5;
  return header + len + backlenBytes(header + len);
}

/** Bytes of a listpack entry holding the integer `v` (encoding, data and backlen). */
export function lpIntEntryBytes(v: number): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

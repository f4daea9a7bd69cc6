/**
 * RESP encoding of commands, and byte counting.
 *
 * Replication offsets count bytes of the RESP-encoded stream (replicationFeedSlaves writes
 * each argument with feedReplicationBufferWithObject as a bulk string, replication.c),
 * so `respCommandBytes` is on the hottest path of the simulator: it runs for every
 * propagated command. It never builds the string.
 *
 *   *<argc>\r\n  then per argument  $<len>\r\n<bytes>\r\n      (len = UTF-8 byte length)
 */

import type { Reply } from './reply.js';
export type { Reply } from './reply.js';
export { ok, err, int, bulk, nil, nilArray, array, emptyArray, bulkArray, status, formatReply, quoteRepr } from './reply.js';

/** Decimal digit counts for 0..DIGITS_CACHE-1; argument lengths are almost always small. */
const DIGITS_CACHE = 4096;
const DIGITS = new Uint8Array(DIGITS_CACHE);
for (let i = 0; i < DIGITS_CACHE; i++) DIGITS[i] = i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4;

/** Number of decimal digits of a non-negative integer. */
export function decimalDigits(n: number): number {
  if (n < DIGITS_CACHE) return DIGITS[n]!;
  let d = 4;
  let x = Math.floor(n / 10_000);
  while (x > 0) {
    d++;
    x = Math.floor(x / 10);
  }
  return d;
}

/**
 * Node's native UTF-8 length (synchronous and deterministic, so fine in the pure layer);
 * it is several times faster than a charCodeAt loop on long or concatenated (cons)
 * strings. Feature-detected so the module still runs where Buffer does not exist.
 */
const nativeByteLength: ((s: string, enc: 'utf8') => number) | null =
  typeof Buffer !== 'undefined' && typeof Buffer.byteLength === 'function' ? Buffer.byteLength : null;

let lastLong = '';
let lastLongBytes = 0;

/**
 * UTF-8 byte length of a JS string. A lone surrogate counts 3 bytes, like
 * TextEncoder's replacement character, so the count is total and deterministic.
 */
export function utf8ByteLength(s: string): number {
  const n = s.length;
  if (n > 16 && nativeByteLength !== null) {
    // A workload writes one value object many times, and each write measures it several
    // times (stream bytes, old and new value cost): remember the last long string.
    if (s === lastLong) return lastLongBytes;
    lastLongBytes = nativeByteLength(s, 'utf8');
    lastLong = s;
    return lastLongBytes;
  }
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // 4 bytes for the pair, which is 2 UTF-16 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Exact byte length of the RESP multibulk encoding of `argv`. */
export function respCommandBytes(argv: readonly string[]): number {
  const argc = argv.length;
  let total = 1 + decimalDigits(argc) + 2;
  for (let i = 0; i < argc; i++) {
    const len = utf8ByteLength(argv[i]!);
    total += 1 + (len < DIGITS_CACHE ? DIGITS[len]! : decimalDigits(len)) + 4 + len;
  }
  return total;
}

/** The RESP multibulk text of `argv` (for tests and debugging, not the hot path). */
export function encodeCommand(argv: readonly string[]): string {
  let out = `*${argv.length}\r\n`;
  for (const a of argv) out += `$${utf8ByteLength(a)}\r\n${a}\r\n`;
  return out;
}

/**
 * The messages of a plain RESP conversation: a command from a client (or a replica's handshake
 * and ACKs), and a reply to a command (handshake replies, +FULLRESYNC, +CONTINUE, errors).
 * The replication stream's messages extend it in redis/wire.ts.
 */
export type ClientMessage = { t: 'cmd'; argv: string[] } | { t: 'reply'; reply: Reply };

/** The bytes of a reply on the wire (_addReplyToBufferOrList's payload). */
export function replyBytes(r: Reply): number {
  switch (r.type) {
    case 'status':
    case 'error':
      return utf8ByteLength(r.text) + 3;
    case 'int':
      return (r.text ?? String(r.value)).length + 3;
    case 'bulk': {
      if (r.value === null) return 5; // $-1\r\n
      const len = utf8ByteLength(r.value);
      return len + decimalDigits(len) + 5;
    }
    case 'array': {
      if (r.items === null) return 5; // *-1\r\n
      let bytes = decimalDigits(r.items.length) + 3;
      for (const item of r.items) bytes += replyBytes(item);
      return bytes;
    }
  }
}

/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE exactly as Redis 7.0.15 computes them (debug.c
 * computeDatasetDigest / xorObjectDigest), so a simulated dataset can be compared with a
 * real server's. SHA1-based and slow (several SHA1s per key): for tests and the DEBUG
 * command, not for the simulator's own convergence checks (digest.ts).
 *
 *   xorDigest(d, x):  d ^= SHA1(x)
 *   mixDigest(d, x):  d = SHA1(d ^ SHA1(x))
 *   dataset: for each non-empty db j: mixDigest(final, htonl(j)); for each key:
 *     kd = 0; mixDigest(kd, key); mixDigest(kd, htonl(type)); strings: mixDigest(kd, text),
 *     lists: mixDigest(kd, element) in order; sets: xorDigest(kd, member) each; hashes and
 *     sorted sets: xorDigest(kd, e) with e = 0, mixDigest(e, field or member),
 *     mixDigest(e, value or "%.17g" of the score), each; a TTL adds xorDigest(kd, "!!expire!!") — its
 *     presence only, not its value; then xorDigest(final, kd).
 */
import { sha1, toHex } from '../protocol/sha1.js';
import { SetValue, stringText, isStringValue, type Value } from './value.js';
import { HashValue } from './value-hash.js';
import { ListValue } from './value-list.js';
import { StreamValue } from './value-stream.js';
import { formatDouble17g } from '../protocol/double-text.js';
import type { EntryVisitor } from './digest.js';

const encoder = new TextEncoder();
const OBJ_STRING = 0;
const OBJ_LIST = 1;
const OBJ_SET = 2;
const OBJ_ZSET = 3;
const OBJ_HASH = 4;
const OBJ_STREAM = 6;
const EXPIRE_MARK = encoder.encode('!!expire!!');

function xorDigest(digest: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) digest[i]! ^= h[i]!;
}

function mixDigest(digest: Uint8Array, data: Uint8Array): void {
  xorDigest(digest, data);
  digest.set(sha1(digest));
}

function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

/** The 20 bytes a hash field or a sorted-set member contributes (its "eledigest"). */
function pairDigest(a: string, b: string): Uint8Array {
  const e = new Uint8Array(20);
  mixDigest(e, encoder.encode(a));
  mixDigest(e, encoder.encode(b));
  return e;
}

/** xorObjectDigest: the value part of a key's digest, mixed into `digest`. */
export function xorObjectDigest(digest: Uint8Array, key: string, value: Value, hasExpire: boolean): void {
  if (isStringValue(value)) {
    mixDigest(digest, u32be(OBJ_STRING));
    mixDigest(digest, encoder.encode(stringText(value, key)));
  } else if (value instanceof SetValue) {
    mixDigest(digest, u32be(OBJ_SET));
    for (const m of value.members) xorDigest(digest, encoder.encode(m));
  } else if (value instanceof ListValue) {
    mixDigest(digest, u32be(OBJ_LIST));
    for (const e of value.items) mixDigest(digest, encoder.encode(e));
  } else if (value instanceof HashValue) {
    mixDigest(digest, u32be(OBJ_HASH));
    for (const [f, v] of value.fields) xorDigest(digest, pairDigest(f, v));
  } else if (value instanceof StreamValue) {
    // Each entry: "<ms>.<seq>" (sic: a dot), then its fields and values, mixed in order.
    mixDigest(digest, u32be(OBJ_STREAM));
    for (const e of value.entries) {
      mixDigest(digest, encoder.encode(`${e.id.ms}.${e.id.seq}`));
      for (const f of e.fields) mixDigest(digest, encoder.encode(f));
    }
  } else {
    mixDigest(digest, u32be(OBJ_ZSET));
    for (const [m, score] of value.scores) xorDigest(digest, pairDigest(m, formatDouble17g(score)));
  }
  if (hasExpire) xorDigest(digest, EXPIRE_MARK);
}

/** DEBUG DIGEST of a dataset given as a db-ordered visitor: 40 hex chars, all zeros when empty. */
export function redisDatasetDigest(forEach: (visit: EntryVisitor) => void): string {
  const final = new Uint8Array(20);
  let currentDb = -1;
  forEach((db, key, value, expireAt) => {
    if (db !== currentDb) {
      // "hash the DB id, so the same dataset moved in a different DB will lead to a different digest"
      mixDigest(final, u32be(db));
      currentDb = db;
    }
    const kd = new Uint8Array(20);
    mixDigest(kd, encoder.encode(key));
    xorObjectDigest(kd, key, value, expireAt !== -1);
    xorDigest(final, kd);
  });
  return toHex(final);
}

/** DEBUG DIGEST-VALUE of one key (all zeros when missing). */
export function redisValueDigest(key: string, value: Value | undefined, hasExpire: boolean): string {
  const d = new Uint8Array(20);
  if (value !== undefined) xorObjectDigest(d, key, value, hasExpire);
  return toHex(d);
}

/**
 * The dataset digest: a 64-bit fingerprint of (db, key, type, value, TTL) over all keys,
 * independent of iteration order, so a master and a replica that hold the same data agree
 * whatever order they inserted it in. Used where Redis's tests use DEBUG DIGEST.
 *
 * Unlike Redis's DEBUG DIGEST (SHA1 based, see debug.c) it includes the exact expiry time,
 * not just "has a TTL", because a replica that got a different PXAT has diverged.
 *
 * Each entry is hashed with two independent 32-bit multiplicative lanes (FNV-1a style with a
 * rotation, over UTF-16 code units, finalised with murmur3's fmix32), and entries are combined by
 * addition mod 2^32 per lane. A DEBUG POPULATE value hashes exactly like the same text held
 * as a plain string, without materialising it; a counter held as a number hashes like its
 * decimal text.
 */
import { PopulatedValue, SetValue, populatedIndexText, type Value } from './value.js';

export type EntryVisitor = (db: number, key: string, value: Value, expireAt: number) => void;

// Lane state of the running hash; module-level so hashing allocates nothing.
let ha = 0;
let hb = 0;

const SEED_A = 0x811c9dc5 | 0;
const SEED_B = 0x2545f491 | 0;
const P_A = 0x01000193;
const P_B = 0x5bd1e995;

function begin(): void {
  ha = SEED_A;
  hb = SEED_B;
}

function mixUnit(c: number): void {
  // The rotation feeds high bits back down, which plain FNV-1a never does.
  ha = Math.imul(((ha << 5) | (ha >>> 27)) ^ c, P_A);
  hb = Math.imul(((hb << 7) | (hb >>> 25)) ^ c, P_B);
}

/** Hashes a string's code units followed by its length, so concatenations stay unambiguous. */
function mixString(s: string): void {
  const n = s.length;
  for (let i = 0; i < n; i++) mixUnit(s.charCodeAt(i));
  mixUnit(0x10000 + n);
}

function mixNumber(x: number): void {
  // Two halves of a double-safe integer (expiry ms, db index).
  mixUnit(0x20000 + (x % 0x10000));
  mixUnit(0x30000 + Math.floor(x / 0x10000) % 0x10000);
  mixUnit(0x40000 + Math.floor(x / 0x100000000));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes the text of a DEBUG POPULATE value like the equivalent plain string. */
function mixPopulated(v: PopulatedValue, key: string): void {
  const idx = populatedIndexText(key);
  const full = 6 + idx.length;
  const len = v.size === 0 ? full : v.size;
  const head = 'value:' + idx;
  const upto = Math.min(len, full);
  for (let i = 0; i < upto; i++) mixUnit(head.charCodeAt(i));
  for (let i = upto; i < len; i++) mixUnit(0);
  mixUnit(0x10000 + len);
}

function mixValue(v: Value, key: string): void {
  if (typeof v === 'string') {
    mixUnit(0x50001); // type tag: string
    mixString(v);
  } else if (typeof v === 'number') {
    mixUnit(0x50001);
    mixString(String(v));
  } else if (v instanceof PopulatedValue) {
    mixUnit(0x50001);
    mixPopulated(v, key);
  } else {
    mixSet(v);
  }
}

function mixSet(v: SetValue): void {
  // Members are unordered: hash each alone and add the finalised hashes.
  const outerA = ha;
  const outerB = hb;
  let sumA = 0;
  let sumB = 0;
  for (const m of v.members) {
    begin();
    mixString(m);
    sumA = (sumA + fmix32(ha)) | 0;
    sumB = (sumB + fmix32(hb ^ 0x9e3779b9)) | 0;
  }
  ha = outerA;
  hb = outerB;
  mixUnit(0x50002); // type tag: set
  mixNumber(v.members.size);
  mixUnit(sumA & 0xffff);
  mixUnit(sumA >>> 16);
  mixUnit(sumB & 0xffff);
  mixUnit(sumB >>> 16);
}

/** Digest of a dataset given as a visitor over its entries. 16 hex chars; "0"×16 when empty. */
export function datasetDigest(forEach: (visit: EntryVisitor) => void): string {
  let sumA = 0;
  let sumB = 0;
  let count = 0;
  forEach((db, key, value, expireAt) => {
    begin();
    mixNumber(db);
    mixString(key);
    mixValue(value, key);
    mixNumber(expireAt + 1); // -1 (no TTL) → 0
    sumA = (sumA + fmix32(ha)) | 0;
    sumB = (sumB + fmix32(hb ^ 0x27d4eb2f)) | 0;
    count++;
  });
  if (count === 0) return '0'.repeat(16);
  // Fold the count in so that datasets differing by whole cancelling entries still differ.
  const a = fmix32((sumA ^ Math.imul(count, 0x9e3779b1)) >>> 0);
  const b = fmix32((sumB + Math.imul(count, 0x85ebca77)) >>> 0);
  return hex8(a) + hex8(b);
}

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

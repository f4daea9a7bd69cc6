/**
 * The dataset digest: a 64-bit fingerprint of (db, key, type, value, TTL) over all keys,
 * independent of iteration order, so a master and a replica that hold the same data agree
 * whatever order they inserted it in. Used where Redis's tests use DEBUG DIGEST.
 *
 * Unlike Redis's DEBUG DIGEST (SHA1 based, see debug.c) it includes the exact expiry time,
 * not just "has a TTL", because a replica that got a different PXAT has diverged.
 *
 * Each entry is hashed with two independent 32-bit multiplicative lanes (FNV-1a style with a
 * rotation, over UTF-16 code units with NUL runs folded, finalised with murmur3's fmix32),
 * and entries are combined by addition mod 2^32 per lane, so entries can also be removed
 * (DigestSum). A DEBUG POPULATE value hashes exactly like the same text held as a plain
 * string, without materialising it, and a whole populated range's sum is cached; a counter
 * held as a number hashes like its decimal text.
 */
import { PopulatedValue, SetValue, populatedIndexText, type Value, type Collection } from './value.js';
import { HashValue } from './value-hash.js';
import { ListValue } from './value-list.js';
import { StreamValue } from './value-stream.js';
import { sortedNames } from './stream-cg.js';
import { formatDouble17g } from '../protocol/double-text.js';
import type { PopulatedRange } from './populated-range.js';

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

/**
 * Hashes a string's code units followed by its length, so concatenations stay unambiguous.
 * A maximal run of k NUL units is hashed as the one unit 0x60000+k (an injective encoding),
 * so zero-padded DEBUG POPULATE values hash in O(digits), not O(size).
 */
function mixString(s: string): void {
  // Same steps as mixUnit, on locals: module variables in a hot loop cost ~5× more.
  const n = s.length;
  let a = ha;
  let b = hb;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c === 0) {
      let run = 1;
      while (i + 1 < n && s.charCodeAt(i + 1) === 0) {
        run++;
        i++;
      }
      c = 0x60000 + run;
    }
    a = Math.imul(((a << 5) | (a >>> 27)) ^ c, P_A);
    b = Math.imul(((b << 7) | (b >>> 25)) ^ c, P_B);
  }
  ha = a;
  hb = b;
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

const VALUE_PREFIX = [...'value:'].map((c) => c.charCodeAt(0));

/** Hashes the text of a DEBUG POPULATE value like the equivalent plain string. */
function mixPopulated(v: PopulatedValue, key: string): void {
  const idx = populatedIndexText(key);
  const full = 6 + idx.length;
  const len = v.size === 0 ? full : v.size;
  const upto = Math.min(len, full);
  // "value:" then the index digits, cut at `len`: the code units of the plain string.
  for (let i = 0; i < upto; i++) mixUnit(i < 6 ? VALUE_PREFIX[i]! : idx.charCodeAt(i - 6));
  if (len > upto) mixUnit(0x60000 + (len - upto)); // the zero padding, as mixString encodes it
  mixUnit(0x10000 + len);
}

/**
 * The value's own hash, in lanes va/vb (type tag included), computed apart from its key so
 * that it can be reused: workloads write one value object under many keys, and hashing a
 * 1 KB value per key was a third of a large final-state digest. The last string hashed is
 * remembered (`===` on the same string object is a pointer compare).
 */
let va = 0;
let vb = 0;
let lastString: string | null = null;
let lastA = 0;
let lastB = 0;

function hashValue(v: Value, key: string): void {
  if (typeof v === 'string') {
    if (v === lastString) {
      va = lastA;
      vb = lastB;
      return;
    }
    begin();
    mixUnit(0x50001); // type tag: string
    mixString(v);
    lastString = v;
    va = lastA = ha;
    vb = lastB = hb;
    return;
  }
  begin();
  if (typeof v === 'number') {
    mixUnit(0x50001);
    mixString(String(v));
  } else if (v instanceof PopulatedValue) {
    mixUnit(0x50001);
    mixPopulated(v, key);
  } else {
    mixCollection(v);
  }
  va = ha;
  vb = hb;
}

/**
 * Ordered, like a list: each entry's ID then its fields and values; the last ID too (it
 * decides the next generated ID, so two streams with it different are not equal).
 */
function mixStream(v: StreamValue): void {
  begin();
  mixUnit(0x50006); // type tag: stream
  mixNumber(v.length);
  mixString(`${v.lastId.ms}-${v.lastId.seq}`);
  for (const e of v.entries) {
    mixString(`${e.id.ms}-${e.id.seq}`);
    for (const f of e.fields) mixString(f);
  }
  // Consumer groups, as far as 7.0.15 keeps a replica equal to its master: names, last
  // IDs and who owns each pending entry. Not entries-read (only a NOACK read propagates
  // it), delivery times and counts (a history read bumps them unpropagated) nor the
  // consumers without pending entries (a history read creates one unpropagated).
  for (const name of sortedNames(v.cgroups?.keys() ?? [])) {
    const cg = v.cgroups!.get(name)!;
    mixString(name);
    mixString(`${cg.lastId.ms}-${cg.lastId.seq}`);
    cg.pel.ids.forEach((id, i) => {
      mixString(`${id.ms}-${id.seq}`);
      mixString(cg.pel.nacks[i]!.consumer!.name);
    });
  }
}

/**
 * Sets, hashes and sorted sets are unordered: each element (member; field and value;
 * member and score) is hashed alone and the finalised hashes are added. A list's
 * elements are hashed in order.
 */
function mixCollection(v: Collection): void {
  if (v instanceof ListValue) {
    begin();
    mixUnit(0x50003); // type tag: list
    mixNumber(v.size);
    for (const e of v.items) mixString(e);
    return;
  }
  if (v instanceof StreamValue) {
    mixStream(v);
    return;
  }
  let sumA = 0;
  let sumB = 0;
  const addElement = (): void => {
    sumA = (sumA + fmix32(ha)) | 0;
    sumB = (sumB + fmix32(hb ^ 0x9e3779b9)) | 0;
  };
  let tag: number;
  if (v instanceof SetValue) {
    tag = 0x50002;
    for (const m of v.members) {
      begin();
      mixString(m);
      addElement();
    }
  } else if (v instanceof HashValue) {
    tag = 0x50005;
    for (const [f, x] of v.fields) {
      begin();
      mixString(f);
      mixString(x);
      addElement();
    }
  } else {
    tag = 0x50004;
    for (const [m, score] of v.scores) {
      begin();
      mixString(m);
      mixString(formatDouble17g(score)); // exact: %.17g round-trips every double
      addElement();
    }
  }
  begin();
  mixUnit(tag);
  mixNumber(v.size);
  mixUnit(sumA & 0xffff);
  mixUnit(sumA >>> 16);
  mixUnit(sumB & 0xffff);
  mixUnit(sumB >>> 16);
}

/** Hashes one entry into the lanes ea/eb. */
let ea = 0;
let eb = 0;
function hashEntry(db: number, key: string, value: Value, expireAt: number): void {
  hashValue(value, key);
  begin();
  mixNumber(db);
  mixString(key);
  mixUnit(va);
  mixUnit(vb);
  mixNumber(expireAt + 1); // -1 (no TTL) → 0
  ea = fmix32(ha);
  eb = fmix32(hb ^ 0x27d4eb2f);
}

/** A running dataset digest: entries can be added and removed in any order. */
export class DigestSum {
  private a = 0;
  private b = 0;
  private count = 0;

  add(db: number, key: string, value: Value, expireAt: number): void {
    hashEntry(db, key, value, expireAt);
    this.a = (this.a + ea) | 0;
    this.b = (this.b + eb) | 0;
    this.count++;
  }

  remove(db: number, key: string, value: Value, expireAt: number): void {
    hashEntry(db, key, value, expireAt);
    this.a = (this.a - ea) | 0;
    this.b = (this.b - eb) | 0;
    this.count--;
  }

  /** Every key of a populated range, as if each were added (cached per range and db). */
  addRange(range: PopulatedRange, db: number): void {
    let perDb = rangeSums.get(range);
    if (!perDb) rangeSums.set(range, (perDb = new Map()));
    let sums = perDb.get(db);
    if (!sums) {
      const part = new DigestSum();
      for (let i = range.from; i < range.to; i++) part.add(db, range.keyAt(i), range.value, -1);
      sums = part;
      perDb.set(db, sums);
    }
    this.a = (this.a + sums.a) | 0;
    this.b = (this.b + sums.b) | 0;
    this.count += sums.count;
  }

  /** 16 hex chars; "0"×16 when empty. */
  hex(): string {
    if (this.count === 0) return '0'.repeat(16);
    // Fold the count in so that datasets differing by whole cancelling entries still differ.
    const a = fmix32((this.a ^ Math.imul(this.count, 0x9e3779b1)) >>> 0);
    const b = fmix32((this.b + Math.imul(this.count, 0x85ebca77)) >>> 0);
    return hex8(a) + hex8(b);
  }
}

/**
 * A range's keys hash the same wherever the range is (a replica that loaded a snapshot
 * shares the master's range objects), so their sum is computed once per range and db.
 */
const rangeSums = new WeakMap<PopulatedRange, Map<number, DigestSum>>();

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

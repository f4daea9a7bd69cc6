/**
 * Values stored in the keyspace.
 *
 *   string          a Redis string as the client sent it
 *   number          a Redis string that is a canonical integer (what INCR & co. produce),
 *                   kept as a JS number while it is a safe integer so counters never
 *                   re-parse; it reads back as String(n)
 *   PopulatedValue  a DEBUG POPULATE value, shared by all keys of one POPULATE call: the
 *                   text is "value:<i>" cut or zero-padded to `size` bytes, where i is the
 *                   number after the last ':' of the key. 10 M keys then cost a Map slot
 *                   each, not a string each. It is never moved to another key name (we
 *                   model no RENAME/MOVE/COPY; they would have to materialise it first).
 *   SetValue        a Redis set
 *   HashValue, ListValue, ZSetValue   hashes, lists, sorted sets (value-hash.ts, …)
 *
 * Strings are immutable. The collections (CollectionValue: sets, hashes, lists, sorted
 * sets) are mutated in place, only after the keyspace has made sure no snapshot shares
 * them (Keyspace.mutableValue).
 */
import type { ValueCompressibility } from './rdb-size.js';
import { utf8ByteLength } from '../protocol/resp.js';
import { sdsAllocBytes, jemallocSize, dictBucketBytes } from './memory-model.js';
import { rdbStringBytes, rdbLenBytes } from './rdb-size.js';
import { parseCanonicalInt } from '../protocol/number-parse.js';
import { CollectionValue, type CollectionType } from './collection-value.js';
import type { HashValue } from './value-hash.js';
import type { ListValue } from './value-list.js';
import type { ZSetValue } from './value-zset.js';
import type { StreamValue } from './value-stream.js';

export { CollectionValue } from './collection-value.js';

export class PopulatedValue {
  /**
   * `size` 0 means DEBUG POPULATE without a size: the plain "value:<i>". `values` is how the
   * value is priced in an RDB (rdb-size.ts ValueCompressibility); its text stays DEBUG
   * POPULATE's whatever it is, since only sizes reach the model's costs.
   */
  constructor(
    readonly size: number,
    readonly values: ValueCompressibility = 'populate',
  ) {}

  /** The value's text for `key` (materialised only when a command needs the bytes). */
  textFor(key: string): string {
    const base = 'value:' + populatedIndexText(key);
    if (this.size === 0) return base;
    if (this.size <= base.length) return base.slice(0, this.size);
    return base + '\0'.repeat(this.size - base.length);
  }

  byteLength(key: string): number {
    return this.size === 0 ? 6 + populatedIndexText(key).length : this.size;
  }
}

/** The decimal index at the end of a DEBUG POPULATE key (`prefix:<i>`). */
export function populatedIndexText(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

const SET_MAX_INTSET_ENTRIES = 512; // set-max-intset-entries default
const ROBJ_BYTES = 16;
const DICT_ENTRY_BYTES = 32;
const DICT_STRUCT_BYTES = 64;

/**
 * A Redis set. Besides the members it tracks what Redis 7.0 would use to store it (intset
 * while every member is an integer and there are at most 512, else a hashtable; 7.0 never
 * converts back) so memory and RDB estimates stay O(1).
 */
export class SetValue extends CollectionValue {
  readonly redisType = 'set' as const;
  readonly members: Set<string>;
  isIntset = true;
  intsetWidth = 2;
  /** Σ over members of dictEntry + sds bytes, as if hashtable-encoded. */
  memberBytes = 0;
  /** Σ over members of their RDB string encoding. */
  rdbMemberBytes = 0;

  constructor(members?: Iterable<string>) {
    super();
    this.members = new Set();
    if (members) for (const m of members) this.add(m);
  }

  get size(): number {
    return this.members.size;
  }

  /** SADD one member; returns whether it was new. */
  add(m: string): boolean {
    if (this.members.has(m)) return false;
    this.members.add(m);
    if (this.isIntset) {
      const n = parseCanonicalInt(m);
      if (n === null || this.members.size > SET_MAX_INTSET_ENTRIES) this.isIntset = false;
      else {
        const a = Math.abs(n);
        const w = a <= 0x7fff ? 2 : a <= 0x7fffffff ? 4 : 8;
        if (w > this.intsetWidth) this.intsetWidth = w;
      }
    }
    this.memberBytes += DICT_ENTRY_BYTES + sdsAllocBytes(utf8ByteLength(m));
    this.rdbMemberBytes += rdbStringBytes(m);
    return true;
  }

  delete(m: string): boolean {
    if (!this.members.delete(m)) return false;
    this.memberBytes -= DICT_ENTRY_BYTES + sdsAllocBytes(utf8ByteLength(m));
    this.rdbMemberBytes -= rdbStringBytes(m);
    return true;
  }

  clone(): this {
    const c = new SetValue();
    for (const m of this.members) c.members.add(m);
    c.isIntset = this.isIntset;
    c.intsetWidth = this.intsetWidth;
    c.memberBytes = this.memberBytes;
    c.rdbMemberBytes = this.rdbMemberBytes;
    return c as this;
  }

  memoryBytes(): number {
    const n = this.members.size;
    if (this.isIntset) return ROBJ_BYTES + jemallocSize(8 + n * this.intsetWidth);
    return ROBJ_BYTES + DICT_STRUCT_BYTES + dictBucketBytes(n) + this.memberBytes;
  }

  /** RDB payload: an intset is saved as one string blob, a hashtable as len + members. */
  rdbBytes(): number {
    const n = this.members.size;
    if (this.isIntset) {
      const blob = 8 + n * this.intsetWidth;
      return rdbLenBytes(blob) + blob;
    }
    return rdbLenBytes(n) + this.rdbMemberBytes;
  }
}

/** The collection types, each a CollectionValue. */
export type Collection = SetValue | HashValue | ListValue | ZSetValue | StreamValue;
export type Value = string | number | PopulatedValue | Collection;

/** TYPE's answer for a value. */
export function typeName(v: Value): 'string' | CollectionType {
  return v instanceof CollectionValue ? v.redisType : 'string';
}

export function isStringValue(v: Value): v is string | number | PopulatedValue {
  return !(v instanceof CollectionValue);
}

/** The text of a string-typed value stored under `key`. */
export function stringText(v: string | number | PopulatedValue, key: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return v.textFor(key);
}

/** Byte length of a string-typed value stored under `key` (STRLEN). */
export function stringByteLength(v: string | number | PopulatedValue, key: string): number {
  if (typeof v === 'string') return utf8ByteLength(v);
  if (typeof v === 'number') return String(v).length;
  return v.byteLength(key);
}

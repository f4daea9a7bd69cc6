/**
 * A Redis hash (t_hash.c at 7.0.15). Fields keep insertion order, which is what a
 * listpack-encoded hash (up to 512 fields of at most 64 bytes) replies in; a hashtable's
 * order depends on the process's random dict seed, so no single order is "right" there.
 *
 * Besides the fields it tracks what Redis would use to store it — a listpack until a
 * field or value longer than hash-max-listpack-value (64) is written or the hash grows
 * beyond hash-max-listpack-entries (512), then a hashtable; 7.0 never converts back — so
 * memory and RDB estimates are O(1). The defaults are assumed (the model has no
 * hash-max-* config). Rough where noted: listpacks are priced incompressible in the RDB.
 */
import { CollectionValue } from './collection-value.js';
import { utf8ByteLength } from '../protocol/resp.js';
import { sdsAllocBytes, jemallocSize, dictBucketBytes } from './memory-model.js';
import { rdbStringBytes, rdbLenBytes } from './rdb-size.js';
import { lpEntryBytes, LISTPACK_EMPTY_BYTES } from './listpack-size.js';

const HASH_MAX_LISTPACK_ENTRIES = 512;
const HASH_MAX_LISTPACK_VALUE = 64;
const ROBJ_BYTES = 16;
const DICT_ENTRY_BYTES = 32;
const DICT_STRUCT_BYTES = 64;

export class HashValue extends CollectionValue {
  readonly redisType = 'hash' as const;
  readonly fields = new Map<string, string>();
  isListpack = true;
  /** Σ over fields of the listpack entries of field and value. */
  private lpBytes = 0;
  /** Σ over fields of dictEntry + field sds + value sds, as if hashtable-encoded. */
  private htBytes = 0;
  /** Σ over fields of the RDB strings of field and value. */
  private rdbFieldBytes = 0;

  get size(): number {
    return this.fields.size;
  }

  get(field: string): string | undefined {
    return this.fields.get(field);
  }

  /** hashTypeSet: returns true if the field was updated, false if it was new. */
  set(field: string, value: string): boolean {
    const old = this.fields.get(field);
    if (old !== undefined) this.account(field, old, -1);
    this.fields.set(field, value);
    this.account(field, value, 1);
    if (this.isListpack && this.fields.size > HASH_MAX_LISTPACK_ENTRIES) this.isListpack = false;
    return old !== undefined;
  }

  delete(field: string): boolean {
    const old = this.fields.get(field);
    if (old === undefined) return false;
    this.account(field, old, -1);
    this.fields.delete(field);
    return true;
  }

  private account(field: string, value: string, sign: 1 | -1): void {
    const fl = utf8ByteLength(field);
    const vl = utf8ByteLength(value);
    if (sign === 1 && (fl > HASH_MAX_LISTPACK_VALUE || vl > HASH_MAX_LISTPACK_VALUE)) this.isListpack = false;
    this.lpBytes += sign * (lpEntryBytes(field) + lpEntryBytes(value));
    this.htBytes += sign * (DICT_ENTRY_BYTES + sdsAllocBytes(fl) + sdsAllocBytes(vl));
    this.rdbFieldBytes += sign * (rdbStringBytes(field) + rdbStringBytes(value));
  }

  clone(): this {
    const c = new HashValue();
    for (const [f, v] of this.fields) c.fields.set(f, v);
    c.isListpack = this.isListpack;
    c.lpBytes = this.lpBytes;
    c.htBytes = this.htBytes;
    c.rdbFieldBytes = this.rdbFieldBytes;
    return c as this;
  }

  memoryBytes(): number {
    if (this.isListpack) return ROBJ_BYTES + jemallocSize(LISTPACK_EMPTY_BYTES + this.lpBytes);
    return ROBJ_BYTES + DICT_STRUCT_BYTES + dictBucketBytes(this.fields.size) + this.htBytes;
  }

  /** RDB_TYPE_HASH_LISTPACK saves the listpack as one string; RDB_TYPE_HASH len + pairs. */
  rdbBytes(): number {
    if (this.isListpack) {
      const blob = LISTPACK_EMPTY_BYTES + this.lpBytes;
      return rdbLenBytes(blob) + blob;
    }
    return rdbLenBytes(this.fields.size) + this.rdbFieldBytes;
  }
}

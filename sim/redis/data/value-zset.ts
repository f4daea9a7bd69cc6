/**
 * A Redis sorted set (t_zset.c at 7.0.15): members ordered by score, then by member bytes
 * (zslInsert's order; sdscmp is memcmp, which JS string comparison matches except for
 * characters beyond U+FFFF against U+E000–U+FFFF). Held as a Map member → score plus the
 * members in order; inserts and removals splice the array (O(n), fine at simulation sizes).
 *
 * Storage tracked for the estimates: a listpack (member, score pairs, the score as
 * d2string text) while at most 128 members of at most 64 bytes (zset-max-listpack-*
 * defaults), else skiplist + dict; zsetAdd converts, ZREM never converts back. Rough: the
 * skiplist node is priced at its mean level, listpacks as incompressible in the RDB.
 */
import { CollectionValue } from './collection-value.js';
import { utf8ByteLength } from '../protocol/resp.js';
import { sdsAllocBytes, jemallocSize, dictBucketBytes } from './memory-model.js';
import { rdbStringBytes, rdbLenBytes } from './rdb-size.js';
import { lpEntryBytes, LISTPACK_EMPTY_BYTES } from './listpack-size.js';
import { d2string } from '../protocol/double-text.js';

const ZSET_MAX_LISTPACK_ENTRIES = 128;
const ZSET_MAX_LISTPACK_VALUE = 64;
const ROBJ_BYTES = 16;
/** struct zset (2 pointers) + dict struct + zskiplist struct + header node of 32 levels. */
const SKIPLIST_FIXED_BYTES = 16 + 64 + 32 + 640;
/** dictEntry + a skiplist node at the mean level 1.33 (24 + 16·level bytes, size-classed). */
const SKIPLIST_PER_MEMBER_BYTES = 32 + 48;
/** RDB_TYPE_ZSET_2 saves each score as an 8-byte binary double. */
const RDB_SCORE_BYTES = 8;

export class ZSetValue extends CollectionValue {
  readonly redisType = 'zset' as const;
  readonly scores = new Map<string, number>();
  /** Members by ascending (score, member). */
  private order: string[] = [];
  isListpack = true;
  private lpBytes = 0;
  private skiplistBytes = 0;
  private rdbMemberBytes = 0;

  get size(): number {
    return this.order.length;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** The member at rank `i` (0 = lowest score). */
  at(i: number): string {
    return this.order[i]!;
  }

  /**
   * A listpack stores a score as d2string text and reads "-0" back as the integer 0, so
   * there -0 becomes 0; a skiplist keeps -0 (checked on 7.0.15: ZSCORE says "0" or "-0").
   */
  private stored(score: number): number {
    return this.isListpack && score === 0 ? 0 : score;
  }

  /** zsetAdd for a member that is not present yet. */
  insert(member: string, score: number): void {
    if (this.isListpack && (this.order.length + 1 > ZSET_MAX_LISTPACK_ENTRIES || utf8ByteLength(member) > ZSET_MAX_LISTPACK_VALUE)) {
      this.isListpack = false;
    }
    score = this.stored(score);
    this.scores.set(member, score);
    this.order.splice(this.lowerBound(score, member), 0, member);
    this.account(member, score, 1);
  }

  /** A present member's new score (zslUpdateScore). */
  update(member: string, score: number): void {
    const old = this.scores.get(member)!;
    this.order.splice(this.rank(member), 1);
    this.account(member, old, -1);
    score = this.stored(score);
    this.scores.set(member, score);
    this.order.splice(this.lowerBound(score, member), 0, member);
    this.account(member, score, 1);
  }

  delete(member: string): boolean {
    const old = this.scores.get(member);
    if (old === undefined) return false;
    this.order.splice(this.rank(member), 1);
    this.scores.delete(member);
    this.account(member, old, -1);
    return true;
  }

  /** 0-based ascending rank of a present member. */
  rank(member: string): number {
    return this.lowerBound(this.scores.get(member)!, member);
  }

  /** Rank of the first member with a score ≥ `score` (> with `exclusive`). */
  firstRankFrom(score: number, exclusive: boolean): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.scores.get(this.order[mid]!)!;
      if (s < score || (exclusive && s === score)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rank of the last member with a score ≤ `score` (< with `exclusive`), -1 if none. */
  lastRankUpTo(score: number, exclusive: boolean): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.scores.get(this.order[mid]!)!;
      if (s < score || (!exclusive && s === score)) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Position where (score, member) belongs among the ordered members. */
  private lowerBound(score: number, member: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.order[mid]!;
      const s = this.scores.get(m)!;
      if (s < score || (s === score && m < member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private account(member: string, score: number, sign: 1 | -1): void {
    this.lpBytes += sign * (lpEntryBytes(member) + lpEntryBytes(d2string(score)));
    this.skiplistBytes += sign * (SKIPLIST_PER_MEMBER_BYTES + sdsAllocBytes(utf8ByteLength(member)));
    this.rdbMemberBytes += sign * (rdbStringBytes(member) + RDB_SCORE_BYTES);
  }

  clone(): this {
    const c = new ZSetValue();
    for (const [m, s] of this.scores) c.scores.set(m, s);
    c.order = this.order.slice();
    c.isListpack = this.isListpack;
    c.lpBytes = this.lpBytes;
    c.skiplistBytes = this.skiplistBytes;
    c.rdbMemberBytes = this.rdbMemberBytes;
    return c as this;
  }

  memoryBytes(): number {
    if (this.isListpack) return ROBJ_BYTES + jemallocSize(LISTPACK_EMPTY_BYTES + this.lpBytes);
    return ROBJ_BYTES + SKIPLIST_FIXED_BYTES + dictBucketBytes(this.order.length) + this.skiplistBytes;
  }

  /** RDB_TYPE_ZSET_LISTPACK: the listpack as one string; RDB_TYPE_ZSET_2: len + (member, score). */
  rdbBytes(): number {
    if (this.isListpack) {
      const blob = LISTPACK_EMPTY_BYTES + this.lpBytes;
      return rdbLenBytes(blob) + blob;
    }
    return rdbLenBytes(this.order.length) + this.rdbMemberBytes;
  }
}

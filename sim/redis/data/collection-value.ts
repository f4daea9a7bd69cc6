/**
 * What the mutable value types (set, hash, list, sorted set) have in common, so the
 * keyspace, snapshots, digests and cost sums treat them alike:
 *
 *  - they are mutated in place, so a value a snapshot may still read must be cloned
 *    first (Keyspace.mutableValue / settleValue, snapshot.ts ownedCopy);
 *  - they keep running cost figures so used_memory and RDB-size estimates stay O(1) per
 *    write (value-cost.ts);
 *  - an empty one is never stored: the command that empties it deletes the key, as
 *    Redis does (settleValue).
 */
export type CollectionType = 'set' | 'hash' | 'list' | 'zset' | 'stream';

export abstract class CollectionValue {
  /** TYPE's answer (not `type`: a Reply is recognised by its `type` field). */
  abstract readonly redisType: CollectionType;
  /** Elements (members, fields, entries). */
  abstract get size(): number;
  /** A deep copy for a new owner (a snapshot's reader or the live keyspace). */
  abstract clone(): this;
  /** used_memory bytes of the value (its robj and everything it points to, not the key). */
  abstract memoryBytes(): number;
  /** RDB payload bytes of the value (after the type byte and the key). */
  abstract rdbBytes(): number;
}

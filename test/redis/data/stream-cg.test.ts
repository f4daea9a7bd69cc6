/**
 * Consumer-group data (stream-cg.ts, stream-lag.ts, stream-rax.ts and the group part of
 * value-stream.ts): PEL order and NACK sharing through a clone, the read counter and lag
 * of t_stream.c, rax->numnodes, and the RDB bytes of groups — the sizes were read from a
 * real 7.0.15 with DEBUG OBJECT's serializedlength for the same commands.
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run } from '../../helpers/exec.js';
import { StreamValue } from '../../../sim/redis/data/value-stream.js';
import { Pel, cloneGroup, createConsumer, createGroup, sortedNames } from '../../../sim/redis/data/stream-cg.js';
import { groupLag, estimateDistanceFromFirstEverEntry } from '../../../sim/redis/data/stream-lag.js';
import { raxNodeCount } from '../../../sim/redis/data/stream-rax.js';

const id = (ms: number, seq = 0) => ({ ms: BigInt(ms), seq: BigInt(seq) });

describe('PEL and groups', () => {
  test('a PEL iterates in ID order whatever the insertion order; a second insert of an ID is refused', () => {
    const pel = new Pel();
    const nack = { deliveryTime: 0, deliveryCount: 1, consumer: null };
    for (const ms of [5, 1, 3]) expect(pel.insert(id(ms), nack)).toBe(true);
    expect(pel.insert(id(3), nack)).toBe(false);
    expect(pel.ids.map((i) => Number(i.ms))).toEqual([1, 3, 5]);
    expect(pel.remove(id(3))).toBe(true);
    expect(pel.find(id(3))).toBeUndefined();
  });

  test('a clone keeps each NACK shared by the group PEL and its owner PEL, and owns its copies', () => {
    const cg = createGroup(id(0), -1);
    const alice = createConsumer(cg, 'alice', 1)!;
    const nack = { deliveryTime: 7, deliveryCount: 1, consumer: alice };
    cg.pel.insert(id(1), nack);
    alice.pel.insert(id(1), nack);
    const copy = cloneGroup(cg);
    const copied = copy.pel.find(id(1))!;
    expect(copied).toBe(copy.consumers.get('alice')!.pel.find(id(1)));
    expect(copied.consumer).toBe(copy.consumers.get('alice'));
    copied.deliveryCount = 9;
    expect(nack.deliveryCount).toBe(1);
  });

  test('names sort by bytes, as a radix tree iterates: upper case before lower case', () => {
    expect(sortedNames(['bob', 'Carol', 'alice', 'al'])).toEqual(['Carol', 'al', 'alice', 'bob']);
  });
});

describe('read counter and lag (streamEstimateDistanceFromFirstEverEntry)', () => {
  test('exact before, on the first and on the last entry; unknown after a deletion in the middle', () => {
    const ctx = makeCtx();
    for (let i = 1; i <= 4; i++) run(ctx, 'XADD', 's', `${i}-0`, 'f', 'v');
    const s = () => ctx.keyspace.get(0, 's') as StreamValue;
    expect(estimateDistanceFromFirstEverEntry(s(), id(0))).toBe(0);
    expect(estimateDistanceFromFirstEverEntry(s(), id(1))).toBe(1);
    expect(estimateDistanceFromFirstEverEntry(s(), id(4))).toBe(4);
    expect(estimateDistanceFromFirstEverEntry(s(), id(2))).toBe(-1);
    expect(estimateDistanceFromFirstEverEntry(s(), id(9))).toBe(-1);
    run(ctx, 'XGROUP', 'CREATE', 's', 'g', '0');
    expect(groupLag(s(), s().cgroups!.get('g')!)).toBe(4);
    run(ctx, 'XDEL', 's', '3-0');
    run(ctx, 'XGROUP', 'SETID', 's', 'g', '1-0');
    expect(groupLag(s(), s().cgroups!.get('g')!)).toBeNull();
  });
});

describe('radix-tree-nodes (rax->numnodes)', () => {
  test('empty: the head; one key: a compressed node and the key; a branch earlier: two compressed tails', () => {
    expect(raxNodeCount([])).toBe(1);
    expect(raxNodeCount([id(1, 1)])).toBe(2);
    expect(raxNodeCount([id(1, 1), id(1, 2)])).toBe(4);
    expect(raxNodeCount([id(1), id(256)])).toBe(6); // real 7.0.15: XADD 1-0 … 100-0, 256-0: 6
  });
});

describe('RDB bytes of a stream with groups (DEBUG OBJECT serializedlength of a real 7.0.15)', () => {
  test('79 bytes bare, 94 with an empty group, 242 with a PEL, a 41-byte group name and ENTRIESREAD', () => {
    const ctx = makeCtx();
    const sz = () => (ctx.keyspace.get(0, 's') as StreamValue).rdbBytes();
    for (const [i, v] of [['1-1', 'a'], ['2-1', 'b'], ['3-1', 'c']]) run(ctx, 'XADD', 's', i!, 'f', v!);
    expect(sz()).toBe(79);
    run(ctx, 'XGROUP', 'CREATE', 's', 'g', '0');
    expect(sz()).toBe(94);
    run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>');
    run(ctx, 'XGROUP', 'CREATE', 's', 'longgroupname-with-more-than-twenty-chars', '$', 'ENTRIESREAD', '5');
    run(ctx, 'XGROUP', 'CREATECONSUMER', 's', 'longgroupname-with-more-than-twenty-chars', '12345');
    expect(sz()).toBe(242);
  });
});

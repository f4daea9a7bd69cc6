/**
 * What the collection types (collection-value.ts: value-hash.ts, value-list.ts,
 * value-zset.ts, and sets) share: copy-on-write under snapshots, the dataset digest, and
 * the used_memory / RDB estimates. Estimates are compared with a real redis-server 7.0.15
 * (MEMORY USAGE key SAMPLES 0 minus the key's own 32 bytes, DEBUG OBJECT serializedlength).
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run } from '../../helpers/exec.js';
import { Keyspace } from '../../../sim/redis/data/keyspace.js';
import { HashValue } from '../../../sim/redis/data/value-hash.js';
import { ListValue } from '../../../sim/redis/data/value-list.js';
import { ZSetValue } from '../../../sim/redis/data/value-zset.js';
import { redisValueDigest } from '../../../sim/redis/data/redis-digest.js';

describe('copy-on-write: a snapshot keeps the contents it was taken with', () => {
  test('in-place writes to a hash, a list and a sorted set after snapshot() do not show in it', () => {
    const ctx = makeCtx();
    const ks = ctx.keyspace;
    run(ctx, 'HSET', 'h', 'a', '1');
    run(ctx, 'RPUSH', 'l', 'x', 'y');
    run(ctx, 'ZADD', 'z', '1', 'a', '2', 'b');
    run(ctx, 'HSET', 'gone', 'f', 'v');
    const before = ks.digest();
    const rdbBefore = ks.rdbSizeBytes();
    const snap = ks.snapshot();
    run(ctx, 'HINCRBY', 'h', 'a', '5');
    run(ctx, 'HSET', 'h', 'b', '2');
    run(ctx, 'LPUSH', 'l', 'w');
    run(ctx, 'LSET', 'l', '-1', 'Y');
    run(ctx, 'ZINCRBY', 'z', '10', 'a');
    run(ctx, 'ZPOPMIN', 'z');
    run(ctx, 'HDEL', 'gone', 'f');
    expect(ks.digest()).not.toBe(before);
    expect(snap.digest()).toBe(before);
    expect([...(snap.get(0, 'h') as HashValue).fields]).toEqual([['a', '1']]);
    expect((snap.get(0, 'l') as ListValue).items).toEqual(['x', 'y']);
    expect([...(snap.get(0, 'z') as ZSetValue).scores]).toEqual([['a', 1], ['b', 2]]);
    expect(snap.get(0, 'gone')).toBeInstanceOf(HashValue);
    expect(snap.rdbSizeBytes).toBe(rdbBefore);
    expect(Keyspace.fromSnapshot(snap).digest()).toBe(before);
    // A second write to the same key needs no second copy, and stays out of the snapshot.
    run(ctx, 'RPUSH', 'l', 'again');
    expect((snap.get(0, 'l') as ListValue).items).toEqual(['x', 'y']);
    snap.release();
    expect(ks.activeSnapshots).toBe(0);
  });
  test('a keyspace loaded from a snapshot owns its collections', () => {
    const ctx = makeCtx();
    run(ctx, 'RPUSH', 'l', 'a');
    run(ctx, 'HSET', 'h', 'f', '1');
    run(ctx, 'ZADD', 'z', '1', 'm');
    const snap = ctx.keyspace.snapshot();
    const replica = makeCtx({ keyspace: Keyspace.fromSnapshot(snap) });
    run(replica, 'RPUSH', 'l', 'b');
    run(replica, 'HSET', 'h', 'f', '2');
    run(replica, 'ZADD', 'z', '5', 'm');
    expect(run(ctx, 'LLEN', 'l')).toBe('(integer) 1');
    expect(run(ctx, 'HGET', 'h', 'f')).toBe('"1"');
    expect(run(ctx, 'ZSCORE', 'z', 'm')).toBe('"1"');
    expect(snap.digest()).toBe(ctx.keyspace.digest());
  });
  test('running memory and RDB sums stay exact through mutations and deletions', () => {
    const ctx = makeCtx();
    const ks = ctx.keyspace;
    const empty = [ks.usedMemoryBytes(), ks.rdbSizeBytes()];
    run(ctx, 'HSET', 'h', 'a', '1', 'b', 'x'.repeat(100));
    run(ctx, 'RPUSH', 'l', ...Array.from({ length: 2000 }, (_, i) => `e${i}`));
    run(ctx, 'ZADD', 'z', ...Array.from({ length: 200 }, (_, i) => [String(i / 3), `m${i}`]).flat());
    run(ctx, 'LTRIM', 'l', '5', '-5');
    run(ctx, 'HDEL', 'h', 'a');
    run(ctx, 'ZREM', 'z', 'm1', 'm2');
    const fresh = Keyspace.fromSnapshot(ks.snapshot());
    expect(fresh.usedMemoryBytes()).toBe(ks.usedMemoryBytes());
    run(ctx, 'DEL', 'h', 'l', 'z');
    expect([ks.usedMemoryBytes(), ks.rdbSizeBytes()]).toEqual(empty);
  });
});

describe('digest', () => {
  test('hash fields and sorted-set members in any order digest the same; list order matters', () => {
    const a = makeCtx();
    const b = makeCtx();
    run(a, 'HSET', 'h', 'x', '1', 'y', '2');
    run(b, 'HSET', 'h', 'y', '2', 'x', '1');
    run(a, 'ZADD', 'z', '1', 'p', '2', 'q');
    run(b, 'ZADD', 'z', '2', 'q', '1', 'p');
    expect(a.keyspace.digest()).toBe(b.keyspace.digest());
    run(a, 'RPUSH', 'l', '1', '2');
    run(b, 'RPUSH', 'l', '2', '1');
    expect(a.keyspace.digest()).not.toBe(b.keyspace.digest());
  });
  test('the same elements under another type digest differently', () => {
    const a = makeCtx();
    const b = makeCtx();
    run(a, 'SADD', 'k', 'x');
    run(b, 'RPUSH', 'k', 'x');
    expect(a.keyspace.digest()).not.toBe(b.keyspace.digest());
  });
  test('DEBUG DIGEST-VALUE of each type matches a real 7.0.15', () => {
    const ctx = makeCtx();
    run(ctx, 'HSET', 'h', 'a', '1', 'b', '2');
    run(ctx, 'RPUSH', 'l', 'a', 'b');
    run(ctx, 'ZADD', 'z', '1.5', 'a', '2', 'b');
    const dv = (key: string): string => redisValueDigest(key, ctx.keyspace.get(0, key), false);
    // real: DEBUG DIGEST-VALUE h l z after the same three commands
    expect(dv('h')).toBe(REAL_DIGEST_VALUE.h);
    expect(dv('l')).toBe(REAL_DIGEST_VALUE.l);
    expect(dv('z')).toBe(REAL_DIGEST_VALUE.z);
  });
});

describe('used_memory and RDB estimates (real 7.0.15: MEMORY USAGE − 32, serializedlength)', () => {
  const hash = (n: number): HashValue => {
    const v = new HashValue();
    for (let i = 0; i < n; i++) v.set(`field${i}`, `value${i}`);
    return v;
  };
  const list = (n: number): ListValue => {
    const v = new ListValue();
    for (let i = 0; i < n; i++) v.pushTail(`element-${i}`);
    return v;
  };
  const zset = (n: number): ZSetValue => {
    const v = new ZSetValue();
    for (let i = 0; i < n; i++) v.insert(`member${i}`, i * 1.5);
    return v;
  };
  test('listpack hashes and sorted sets: exact', () => {
    expect(hash(50).memoryBytes()).toBe(944 - 32);
    expect(hash(300).memoryBytes()).toBe(6192 - 32); // still a listpack: hash-max-listpack-entries is 512
    expect(hash(300).isListpack).toBe(true);
    expect(zset(100).memoryBytes()).toBe(1584 - 32);
  });
  test('a skiplist sorted set within 3%, its RDB exact', () => {
    const z = zset(1000);
    expect(z.isListpack).toBe(false);
    expect(Math.abs(z.memoryBytes() / (102472 - 32) - 1)).toBeLessThan(0.03);
    expect(z.rdbBytes()).toBe(17892);
  });
  test('quicklists within 10% (Redis nodes are less full than the model assumes)', () => {
    expect(Math.abs(list(1000).memoryBytes() / (13480 - 32) - 1)).toBeLessThan(0.1);
    expect(Math.abs(list(20000).memoryBytes() / (291320 - 32) - 1)).toBeLessThan(0.03);
  });
  test('RDB listpacks are priced incompressible: at or above what LZF makes of them', () => {
    expect(hash(50).rdbBytes()).toBeGreaterThanOrEqual(421);
    expect(list(1000).rdbBytes()).toBeGreaterThanOrEqual(5063);
    expect(zset(100).rdbBytes()).toBeGreaterThanOrEqual(817);
  });
});

const REAL_DIGEST_VALUE = {
  h: '6c8f22b3bf510fdcfd6122dd0f908a80e88243bf',
  l: '62f55a532623cf6c3d81081db480b6fd8461eb3f',
  z: '445b877af3c3ec83af30529ddbbdda3185172254',
};

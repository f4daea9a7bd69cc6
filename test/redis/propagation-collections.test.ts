/**
 * What the hash, list and sorted-set commands propagate. Each expected stream was recorded
 * from a real redis-server 7.0.15 by a fake replica (test/differential/collections-fuzz.test.ts
 * runs the same commands against it): call() propagates a command only when it changed
 * server.dirty, and a few commands are rewritten.
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run, opsOf, EPOCH_MS } from '../helpers/exec.js';

describe('collection commands: what goes down the stream (real 7.0.15)', () => {
  const ctx = makeCtx();
  // [argv, expected ops], run in order on one keyspace.
  const cases: Array<[string[], string[][]]> = [
    [['HSET', 'h', 'a', '1'], [['HSET', 'h', 'a', '1']]],
    [['HSET', 'h', 'a', '1'], [['HSET', 'h', 'a', '1']]], // unchanged, still dirty++
    [['hmset', 'h', 'b', '2'], [['hmset', 'h', 'b', '2']]],
    [['HSETNX', 'h', 'a', '9'], []],
    [['HINCRBY', 'h', 'n', '0'], [['HINCRBY', 'h', 'n', '0']]],
    [['HINCRBYFLOAT', 'h', 'f', '0.1'], [['HSET', 'h', 'f', '0.1']]],
    [['HINCRBYFLOAT', 'h', 'f', '1e2'], [['HSET', 'h', 'f', '100.1']]],
    [['HINCRBYFLOAT', 'h', 'a', 'x'], []],
    [['HDEL', 'h', 'zz'], []],
    [['HDEL', 'h', 'a', 'b', 'n', 'f'], [['HDEL', 'h', 'a', 'b', 'n', 'f']]],
    [['LPOP', 'l'], []],
    [['LPOP', 'l', '3'], []],
    [['RPUSH', 'l', 'a', 'b', 'c', 'd'], [['RPUSH', 'l', 'a', 'b', 'c', 'd']]],
    [['LPOP', 'l', '0'], []],
    [['LPOP', 'l', '1'], [['LPOP', 'l', '1']]],
    [['LPUSHX', 'nokey', 'a'], []],
    [['LREM', 'l', '0', 'zz'], []],
    [['LTRIM', 'l', '0', '-1'], []], // nothing trimmed: dirty += 0
    [['LTRIM', 'l', '0', '1'], [['LTRIM', 'l', '0', '1']]],
    [['LINSERT', 'l', 'BEFORE', 'zz', 'x'], []],
    [['LSET', 'l', '0', 'B'], [['LSET', 'l', '0', 'B']]],
    [['BLPOP', 'nokey', 'l', '5'], [['LPOP', 'l']]],
    [['RPUSH', 'l', 'x', 'y'], [['RPUSH', 'l', 'x', 'y']]],
    [['BRPOP', 'l', '0'], [['RPOP', 'l']]],
    [['BLMOVE', 'l', 'm', 'left', 'RIGHT', '0'], [['LMOVE', 'l', 'm', 'left', 'RIGHT']]],
    [['BRPOPLPUSH', 'l', 'm', '0'], [['RPOPLPUSH', 'l', 'm']]],
    [['RPOPLPUSH', 'l', 'm'], []], // l is gone
    [['lmove', 'm', 'm', 'LEFT', 'LEFT'], [['lmove', 'm', 'm', 'LEFT', 'LEFT']]],
    [['ZADD', 'z', '1', 'a'], [['ZADD', 'z', '1', 'a']]],
    [['ZADD', 'z', '1', 'a'], []], // same score: neither added nor updated
    [['ZADD', 'z', 'GT', '0', 'a'], []],
    [['ZINCRBY', 'z', '0', 'a'], []],
    [['ZINCRBY', 'z', '0.5', 'a'], [['ZINCRBY', 'z', '0.5', 'a']]],
    [['ZADD', 'z', 'XX', '3', 'b'], []],
    [['ZREM', 'z', 'b'], []],
    [['ZPOPMIN', 'z', '0'], []],
    [['ZPOPMAX', 'z', '5'], [['ZPOPMAX', 'z', '5']]],
    [['ZPOPMIN', 'z'], []],
  ];
  test.each(cases.map((c, i) => [i, ...c] as const))('%i: %j → %j', (_i, argv, ops) => {
    expect(opsOf(ctx, ...argv)).toEqual(ops);
  });
});

describe('expired keys', () => {
  test('a master deletes an expired key first (DEL propagated), then the write re-creates it', () => {
    const ctx = makeCtx();
    run(ctx, 'RPUSH', 'l', 'old');
    run(ctx, 'PEXPIRE', 'l', '10');
    ctx.nowMs = EPOCH_MS + 11;
    expect(opsOf(ctx, 'RPUSH', 'l', 'new')).toEqual([['DEL', 'l'], ['RPUSH', 'l', 'new']]);
    expect(run(ctx, 'LRANGE', 'l', '0', '-1')).toBe('1) "new"');
    expect(run(ctx, 'TTL', 'l')).toBe('(integer) -1');
  });
  test('a replica hides a logically expired hash from reads but keeps it', () => {
    const ctx = makeCtx({ isMaster: false });
    run(ctx, 'HSET', 'h', 'f', 'v');
    run(ctx, 'PEXPIREAT', 'h', String(EPOCH_MS + 5));
    ctx.nowMs = EPOCH_MS + 6;
    expect(run(ctx, 'HGET', 'h', 'f')).toBe('(nil)');
    expect(run(ctx, 'DBSIZE')).toBe('(integer) 1');
    ctx.fromMaster = true; // the master's stream still sees it
    expect(run(ctx, 'HGET', 'h', 'f')).toBe('"v"');
  });
  test('a write that keeps a collection keeps its TTL', () => {
    const ctx = makeCtx();
    run(ctx, 'ZADD', 'z', '1', 'a');
    run(ctx, 'PEXPIRE', 'z', '1000');
    run(ctx, 'ZADD', 'z', '2', 'b');
    run(ctx, 'HSET', 'h', 'a', '1');
    run(ctx, 'PEXPIRE', 'h', '1000');
    run(ctx, 'HINCRBYFLOAT', 'h', 'a', '1');
    expect(run(ctx, 'PTTL', 'z')).toBe('(integer) 1000');
    expect(run(ctx, 'PTTL', 'h')).toBe('(integer) 1000');
  });
});

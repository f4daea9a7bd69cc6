/**
 * Hash commands (sim/redis/commands/commands-hash.ts): replies and error texts. Every expected reply was
 * produced by a redis-server 7.0.15 on this machine for the same sequence, from an empty
 * db (the sequences also run against the real server in
 * test/differential/collections-fuzz.test.ts, which checks the stream and DEBUG DIGEST too).
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run } from '../../helpers/exec.js';

describe('hash commands (real 7.0.15 replies)', () => {
  test('HSET/HMSET/HGET/HMGET/HGETALL/HKEYS/HVALS/HLEN/HEXISTS/HSTRLEN', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'HSET', 'h', 'a', '1', 'b', '2')).toBe('(integer) 2');
    expect(run(ctx, 'HSET', 'h', 'a', '1')).toBe('(integer) 0');
    expect(run(ctx, 'HSET', 'h', 'a')).toBe('(error) ERR wrong number of arguments for \'hset\' command');
    expect(run(ctx, 'HMSET', 'h', 'c', '3')).toBe('OK');
    expect(run(ctx, 'HGETALL', 'h')).toBe('1) "a"\n2) "1"\n3) "b"\n4) "2"\n5) "c"\n6) "3"');
    expect(run(ctx, 'HKEYS', 'h')).toBe('1) "a"\n2) "b"\n3) "c"');
    expect(run(ctx, 'HVALS', 'h')).toBe('1) "1"\n2) "2"\n3) "3"');
    expect(run(ctx, 'HLEN', 'h')).toBe('(integer) 3');
    expect(run(ctx, 'HGET', 'h', 'b')).toBe('"2"');
    expect(run(ctx, 'HGET', 'h', 'zz')).toBe('(nil)');
    expect(run(ctx, 'HMGET', 'h', 'a', 'zz', 'c')).toBe('1) "1"\n2) (nil)\n3) "3"');
    expect(run(ctx, 'HMGET', 'nokey', 'a')).toBe('1) (nil)');
    expect(run(ctx, 'HEXISTS', 'h', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'HEXISTS', 'h', 'q')).toBe('(integer) 0');
    expect(run(ctx, 'HSTRLEN', 'h', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'HSTRLEN', 'h', 'q')).toBe('(integer) 0');
    expect(run(ctx, 'TYPE', 'h')).toBe('hash');
  });
  test('HSETNX and HDEL; the emptied hash is deleted', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'HSETNX', 'h', 'f', 'v')).toBe('(integer) 1');
    expect(run(ctx, 'HSETNX', 'h', 'f', 'w')).toBe('(integer) 0');
    expect(run(ctx, 'HGET', 'h', 'f')).toBe('"v"');
    expect(run(ctx, 'HDEL', 'h', 'zz')).toBe('(integer) 0');
    expect(run(ctx, 'HDEL', 'h', 'f', 'f')).toBe('(integer) 1');
    expect(run(ctx, 'EXISTS', 'h')).toBe('(integer) 0');
    expect(run(ctx, 'HDEL', 'h', 'f')).toBe('(integer) 0');
    expect(run(ctx, 'HLEN', 'h')).toBe('(integer) 0');
    expect(run(ctx, 'HGETALL', 'h')).toBe('(empty array)');
  });
  test('HINCRBY: errors and overflow', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'HINCRBY', 'h', 'n', '5')).toBe('(integer) 5');
    expect(run(ctx, 'HINCRBY', 'h', 'n', '-7')).toBe('(integer) -2');
    expect(run(ctx, 'HINCRBY', 'h', 'n', '0')).toBe('(integer) -2');
    expect(run(ctx, 'HINCRBY', 'h', 'n', 'x')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'HSET', 'h', 's', 'abc')).toBe('(integer) 1');
    expect(run(ctx, 'HINCRBY', 'h', 's', '1')).toBe('(error) ERR hash value is not an integer');
    expect(run(ctx, 'HSET', 'h', 'big', '9223372036854775806')).toBe('(integer) 1');
    expect(run(ctx, 'HINCRBY', 'h', 'big', '1')).toBe('(integer) 9223372036854775807');
    expect(run(ctx, 'HINCRBY', 'h', 'big', '1')).toBe('(error) ERR increment or decrement would overflow');
    expect(run(ctx, 'HGET', 'h', 'big')).toBe('"9223372036854775807"');
  });
  test('HINCRBYFLOAT: long-double results, errors', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'HINCRBYFLOAT', 'h', 'f', '0.1')).toBe('"0.1"');
    expect(run(ctx, 'HINCRBYFLOAT', 'h', 'f', '0.2')).toBe('"0.3"');
    expect(run(ctx, 'HINCRBYFLOAT', 'h', 'f', '1e3')).toBe('"1000.29999999999999999"');
    expect(run(ctx, 'HINCRBYFLOAT', 'h', 'f', 'inf')).toBe('(error) ERR value is NaN or Infinity');
    expect(run(ctx, 'HINCRBYFLOAT', 'h', 'f', 'abc')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'HSET', 'h', 's', 'x')).toBe('(integer) 1');
    expect(run(ctx, 'HINCRBYFLOAT', 'h', 's', '1')).toBe('(error) ERR hash value is not a float');
    expect(run(ctx, 'HINCRBYFLOAT', 'h', 'i', '-3')).toBe('"-3"');
    expect(run(ctx, 'HINCRBYFLOAT', 'h', 'f', '-1000.3')).toBe('"0"');
    expect(run(ctx, 'HGETALL', 'h')).toBe('1) "f"\n2) "0"\n3) "s"\n4) "x"\n5) "i"\n6) "-3"');
  });
  test('WRONGTYPE for every hash command', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'SET', 's', 'x')).toBe('OK');
    expect(run(ctx, 'HSET', 's', 'a', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'HGET', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'HMGET', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'HGETALL', 's')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'HINCRBY', 's', 'a', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'HDEL', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'HLEN', 's')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'HSETNX', 's', 'a', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'HINCRBYFLOAT', 's', 'a', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
  });
});

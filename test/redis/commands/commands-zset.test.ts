/**
 * Sorted-set commands (sim/redis/commands/commands-zset.ts): replies and error texts. Every expected reply was
 * produced by a redis-server 7.0.15 on this machine for the same sequence, from an empty
 * db (the sequences also run against the real server in
 * test/differential/collections-fuzz.test.ts, which checks the stream and DEBUG DIGEST too).
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run } from '../../helpers/exec.js';

describe('zset commands (real 7.0.15 replies)', () => {
  test('ZADD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCARD', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'ZADD', 'z', '1', 'a', '2', 'b', '2', 'c', '-1.5', 'd')).toBe('(integer) 4');
    expect(run(ctx, 'ZADD', 'z', '1', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'ZADD', 'z', 'CH', '5', 'a', '7', 'e')).toBe('(integer) 2');
    expect(run(ctx, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(' 1) "d"\n 2) "-1.5"\n 3) "b"\n 4) "2"\n 5) "c"\n 6) "2"\n 7) "a"\n 8) "5"\n 9) "e"\n10) "7"');
    expect(run(ctx, 'ZCARD', 'z')).toBe('(integer) 5');
    expect(run(ctx, 'ZSCORE', 'z', 'd')).toBe('"-1.5"');
    expect(run(ctx, 'ZSCORE', 'z', 'zz')).toBe('(nil)');
    expect(run(ctx, 'ZMSCORE', 'z', 'a', 'zz')).toBe('1) "5"\n2) (nil)');
    expect(run(ctx, 'ZRANK', 'z', 'c')).toBe('(integer) 2');
    expect(run(ctx, 'ZREVRANK', 'z', 'c')).toBe('(integer) 2');
    expect(run(ctx, 'ZRANK', 'z', 'zz')).toBe('(nil)');
    expect(run(ctx, 'TYPE', 'z')).toBe('zset');
  });
  test('ZADD NX/XX/GT/LT/CH and their errors', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'ZADD', 'z', 'NX', '1', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'ZADD', 'z', 'NX', '2', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'ZADD', 'z', 'XX', '3', 'b')).toBe('(integer) 0');
    expect(run(ctx, 'ZADD', 'z', 'XX', 'CH', '3', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'ZADD', 'z', 'GT', 'CH', '2', 'a', '4', 'b')).toBe('(integer) 1');
    expect(run(ctx, 'ZADD', 'z', 'LT', 'CH', '5', 'a', '1', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'ZADD', 'z', 'NX', 'XX', '1', 'a')).toBe('(error) ERR XX and NX options at the same time are not compatible');
    expect(run(ctx, 'ZADD', 'z', 'GT', 'LT', '1', 'a')).toBe('(error) ERR GT, LT, and/or NX options at the same time are not compatible');
    expect(run(ctx, 'ZADD', 'z', 'NX', 'GT', '1', 'a')).toBe('(error) ERR GT, LT, and/or NX options at the same time are not compatible');
    expect(run(ctx, 'ZADD', 'z', '1')).toBe('(error) ERR wrong number of arguments for \'zadd\' command');
    expect(run(ctx, 'ZADD', 'z', 'x', 'a')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'ZADD', 'z', 'nan', 'a')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'ZADD', 'nokey', 'XX', '1', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'ZADD', 'nokey', 'XX', 'INCR', '1', 'a')).toBe('(nil)');
    expect(run(ctx, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe('1) "a"\n2) "1"\n3) "b"\n4) "4"');
  });
  test('ZADD INCR, ZINCRBY, infinities, float parsing and %.17g replies', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'ZADD', 'z', 'INCR', '1.5', 'a')).toBe('"1.5"');
    expect(run(ctx, 'ZADD', 'z', 'INCR', '1', 'a', '2', 'b')).toBe('(error) ERR INCR option supports a single increment-element pair');
    expect(run(ctx, 'ZINCRBY', 'z', '0.1', 'a')).toBe('"1.6000000000000001"');
    expect(run(ctx, 'ZINCRBY', 'z', '0', 'a')).toBe('"1.6000000000000001"');
    expect(run(ctx, 'ZINCRBY', 'z', 'x', 'a')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'ZADD', 'z', 'GT', 'INCR', '-1', 'a')).toBe('(nil)');
    expect(run(ctx, 'ZADD', 'z', 'inf', 'i')).toBe('(integer) 1');
    expect(run(ctx, 'ZINCRBY', 'z', '-inf', 'i')).toBe('(error) ERR resulting score is not a number (NaN)');
    expect(run(ctx, 'ZADD', 'z', '+inf', 'j', '-INF', 'k', '1e400', 'l')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'ZINCRBY', 'z', '1e-400', 'a')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'ZADD', 'z', '0x10', 'h')).toBe('(integer) 1');
    expect(run(ctx, 'ZADD', 'z', ' 1', 'q')).toBe('(error) ERR value is not a valid float');
    expect(run(ctx, 'ZADD', 'z', '-0', 'm')).toBe('(integer) 1');
    expect(run(ctx, 'ZSCORE', 'z', 'm')).toBe('"0"');
    expect(run(ctx, 'ZADD', 'z', '1e17', 'n', '123456789.125', 'o', '1e-5', 'p', '0.0001', 'r')).toBe('(integer) 4');
    expect(run(ctx, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(' 1) "m"\n 2) "0"\n 3) "p"\n 4) "1.0000000000000001e-05"\n 5) "r"\n 6) "0.0001"\n 7) "a"\n 8) "1.6000000000000001"\n 9) "h"\n10) "16"\n11) "o"\n12) "123456789.125"\n13) "n"\n14) "1e+17"\n15) "i"\n16) "inf"');
  });
  test('ZRANGE by rank and BYSCORE, REV, LIMIT, WITHSCORES', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e')).toBe('(integer) 5');
    expect(run(ctx, 'ZRANGE', 'z', '1', '3')).toBe('1) "b"\n2) "c"\n3) "d"');
    expect(run(ctx, 'ZRANGE', 'z', '-2', '-1', 'WITHSCORES')).toBe('1) "d"\n2) "4"\n3) "e"\n4) "5"');
    expect(run(ctx, 'ZRANGE', 'z', '0', '-1', 'REV')).toBe('1) "e"\n2) "d"\n3) "c"\n4) "b"\n5) "a"');
    expect(run(ctx, 'ZREVRANGE', 'z', '0', '1', 'withscores')).toBe('1) "e"\n2) "5"\n3) "d"\n4) "4"');
    expect(run(ctx, 'ZRANGE', 'z', '2', '(4', 'BYSCORE')).toBe('1) "b"\n2) "c"');
    expect(run(ctx, 'ZRANGE', 'z', '(4', '2', 'BYSCORE', 'REV', 'WITHSCORES')).toBe('1) "c"\n2) "3"\n3) "b"\n4) "2"');
    expect(run(ctx, 'ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '2')).toBe('1) "b"\n2) "c"');
    expect(run(ctx, 'ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '0', '-1')).toBe('1) "e"\n2) "d"\n3) "c"\n4) "b"\n5) "a"');
    expect(run(ctx, 'ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '1')).toBe('(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    expect(run(ctx, 'ZRANGE', 'z', 'x', '1', 'BYSCORE')).toBe('(error) ERR min or max is not a float');
    expect(run(ctx, 'ZRANGE', 'z', '0', '1', 'FOO')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'ZRANGE', 'z', '1', '5', 'BYSCORE', 'LIMIT', '-1', '2')).toBe('(empty array)');
    expect(run(ctx, 'ZRANGE', 'z', '1', '5', 'BYSCORE', 'LIMIT', '5', '2')).toBe('(empty array)');
    expect(run(ctx, 'ZRANGE', 'z', '1', '5', 'BYSCORE', 'LIMIT', '1', '0')).toBe('(empty array)');
  });
  test('ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZCOUNT, range bounds', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e')).toBe('(integer) 5');
    expect(run(ctx, 'ZRANGEBYSCORE', 'z', '2', '4')).toBe('1) "b"\n2) "c"\n3) "d"');
    expect(run(ctx, 'ZRANGEBYSCORE', 'z', '(2', '(4', 'WITHSCORES')).toBe('1) "c"\n2) "3"');
    expect(run(ctx, 'ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '2', '10')).toBe('1) "c"\n2) "d"\n3) "e"');
    expect(run(ctx, 'ZRANGEBYSCORE', 'z', '4', '2')).toBe('(empty array)');
    expect(run(ctx, 'ZRANGEBYSCORE', 'z', '1', '5', 'REV')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'ZREVRANGEBYSCORE', 'z', '4', '2', 'WITHSCORES')).toBe('1) "d"\n2) "4"\n3) "c"\n4) "3"\n5) "b"\n6) "2"');
    expect(run(ctx, 'ZREVRANGEBYSCORE', 'z', '+inf', '(3', 'LIMIT', '1', '1')).toBe('1) "d"');
    expect(run(ctx, 'ZCOUNT', 'z', '2', '4')).toBe('(integer) 3');
    expect(run(ctx, 'ZCOUNT', 'z', '(2', '+inf')).toBe('(integer) 3');
    expect(run(ctx, 'ZCOUNT', 'z', '5', '1')).toBe('(integer) 0');
    expect(run(ctx, 'ZCOUNT', 'z', 'a', '1')).toBe('(error) ERR min or max is not a float');
    expect(run(ctx, 'ZCOUNT', 'nokey', '0', '1')).toBe('(integer) 0');
    expect(run(ctx, 'ZRANGEBYSCORE', 'z', '', '3')).toBe('1) "a"\n2) "b"\n3) "c"');
    expect(run(ctx, 'ZRANGEBYSCORE', 'z', ' 2', '3')).toBe('1) "b"\n2) "c"');
  });
  test('ZREM, ZPOPMIN, ZPOPMAX', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c')).toBe('(integer) 3');
    expect(run(ctx, 'ZREM', 'z', 'zz')).toBe('(integer) 0');
    expect(run(ctx, 'ZREM', 'z', 'a', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'ZPOPMIN', 'z')).toBe('1) "b"\n2) "2"');
    expect(run(ctx, 'ZPOPMAX', 'z', '0')).toBe('(empty array)');
    expect(run(ctx, 'ZPOPMAX', 'z', '5')).toBe('1) "c"\n2) "3"');
    expect(run(ctx, 'EXISTS', 'z')).toBe('(integer) 0');
    expect(run(ctx, 'ZPOPMIN', 'z')).toBe('(empty array)');
    expect(run(ctx, 'ZPOPMIN', 'z', '-1')).toBe('(error) ERR value is out of range, must be positive');
    expect(run(ctx, 'ZPOPMIN', 'z', '1', '2')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'ZADD', 'z', '1', 'x', '1', 'y', '1', 'w')).toBe('(integer) 3');
    expect(run(ctx, 'ZPOPMAX', 'z', '2')).toBe('1) "y"\n2) "1"\n3) "x"\n4) "1"');
    expect(run(ctx, 'ZREM', 'z', 'w')).toBe('(integer) 1');
  });
  test('-0: a listpack stores 0, a skiplist keeps -0', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'ZADD', 'big', '1', 'x'.repeat(70))).toBe('(integer) 1');
    expect(run(ctx, 'ZADD', 'big', '-0', 'm', '0', 'n')).toBe('(integer) 2');
    expect(run(ctx, 'ZSCORE', 'big', 'm')).toBe('"-0"');
    expect(run(ctx, 'ZADD', 'small', '-0', 'm')).toBe('(integer) 1');
    expect(run(ctx, 'ZINCRBY', 'small', '-0', 'm')).toBe('"0"');
    expect(run(ctx, 'ZSCORE', 'small', 'm')).toBe('"0"');
    expect(run(ctx, 'ZRANGE', 'big', '0', '-1', 'WITHSCORES')).toBe('1) "m"\n2) "-0"\n3) "n"\n4) "0"\n5) "' + 'x'.repeat(70) + '"\n6) "1"');
  });
  test('WRONGTYPE for every sorted-set command, and string commands on collections', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'SET', 's', 'x')).toBe('OK');
    expect(run(ctx, 'ZADD', 's', '1', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZINCRBY', 's', '1', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZREM', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZSCORE', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZCARD', 's')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZRANGE', 's', '0', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZRANK', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZCOUNT', 's', '0', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZPOPMIN', 's')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'ZMSCORE', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'GET', 'nokey')).toBe('(nil)');
    expect(run(ctx, 'HSET', 'h', 'a', '1')).toBe('(integer) 1');
    expect(run(ctx, 'GET', 'h')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'INCR', 'h')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'SADD', 'h', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'APPEND', 'h', 'x')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  test('BYLEX is not modelled: a clear error rather than a wrong answer', () => {
    const ctx = makeCtx();
    run(ctx, 'ZADD', 'z', '0', 'a');
    expect(run(ctx, 'ZRANGE', 'z', '[a', '[b', 'BYLEX')).toBe('(error) ERR replsim does not model ZRANGE BYLEX');
  });
});

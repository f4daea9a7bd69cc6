/**
 * List commands (sim/redis/commands/commands-list.ts): replies and error texts. Every expected reply was
 * produced by a redis-server 7.0.15 on this machine for the same sequence, from an empty
 * db (the sequences also run against the real server in
 * test/differential/collections-fuzz.test.ts, which checks the stream and DEBUG DIGEST too).
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run } from '../../helpers/exec.js';
import { formatReply } from '../../../sim/redis/protocol/reply.js';
import { executeCommand } from '../../../sim/redis/commands/commands.js';

describe('list commands (real 7.0.15 replies)', () => {
  test('LPUSH/RPUSH, LRANGE, LLEN, LINDEX', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'LPUSH', 'l', 'a', 'b', 'c')).toBe('(integer) 3');
    expect(run(ctx, 'RPUSH', 'l', 'd', '1', '2')).toBe('(integer) 6');
    expect(run(ctx, 'LRANGE', 'l', '0', '-1')).toBe('1) "c"\n2) "b"\n3) "a"\n4) "d"\n5) "1"\n6) "2"');
    expect(run(ctx, 'LRANGE', 'l', '-2', '100')).toBe('1) "1"\n2) "2"');
    expect(run(ctx, 'LRANGE', 'l', '3', '1')).toBe('(empty array)');
    expect(run(ctx, 'LRANGE', 'l', 'x', '1')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'LLEN', 'l')).toBe('(integer) 6');
    expect(run(ctx, 'LINDEX', 'l', '0')).toBe('"c"');
    expect(run(ctx, 'LINDEX', 'l', '-1')).toBe('"2"');
    expect(run(ctx, 'LINDEX', 'l', '99')).toBe('(nil)');
    expect(run(ctx, 'LINDEX', 'l', 'x')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'TYPE', 'l')).toBe('list');
  });
  test('LPUSHX/RPUSHX only onto an existing list', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'LPUSHX', 'l', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'RPUSHX', 'l', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'EXISTS', 'l')).toBe('(integer) 0');
    expect(run(ctx, 'RPUSH', 'l', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'LPUSHX', 'l', 'b', 'c')).toBe('(integer) 3');
    expect(run(ctx, 'RPUSHX', 'l', 'z')).toBe('(integer) 4');
    expect(run(ctx, 'LRANGE', 'l', '0', '-1')).toBe('1) "c"\n2) "b"\n3) "a"\n4) "z"');
  });
  test('LPOP/RPOP with and without count; the emptied list is deleted', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'LPOP', 'nokey')).toBe('(nil)');
    expect(run(ctx, 'LPOP', 'nokey', '2')).toBe('(nil)');
    expect(run(ctx, 'RPUSH', 'l', 'a', 'b', 'c', 'd', 'e')).toBe('(integer) 5');
    expect(run(ctx, 'LPOP', 'l')).toBe('"a"');
    expect(run(ctx, 'RPOP', 'l')).toBe('"e"');
    expect(run(ctx, 'LPOP', 'l', '0')).toBe('(empty array)');
    expect(run(ctx, 'LPOP', 'l', '-1')).toBe('(error) ERR value is out of range, must be positive');
    expect(run(ctx, 'LPOP', 'l', 'x')).toBe('(error) ERR value is out of range, must be positive');
    expect(run(ctx, 'LPOP', 'l', '1', '2')).toBe('(error) ERR wrong number of arguments for \'lpop\' command');
    expect(run(ctx, 'RPOP', 'l', '2')).toBe('1) "d"\n2) "c"');
    expect(run(ctx, 'LPOP', 'l', '5')).toBe('1) "b"');
    expect(run(ctx, 'EXISTS', 'l')).toBe('(integer) 0');
    expect(run(ctx, 'RPOP', 'l')).toBe('(nil)');
  });
  test('LSET', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'LSET', 'nokey', '0', 'x')).toBe('(error) ERR no such key');
    expect(run(ctx, 'RPUSH', 'l', 'a', 'b', 'c')).toBe('(integer) 3');
    expect(run(ctx, 'LSET', 'l', '1', 'B')).toBe('OK');
    expect(run(ctx, 'LSET', 'l', '-1', 'C')).toBe('OK');
    expect(run(ctx, 'LSET', 'l', '3', 'x')).toBe('(error) ERR index out of range');
    expect(run(ctx, 'LSET', 'l', 'x', 'y')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'LRANGE', 'l', '0', '-1')).toBe('1) "a"\n2) "B"\n3) "C"');
  });
  test('LREM from the head, from the tail, all', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a')).toBe('(integer) 7');
    expect(run(ctx, 'LREM', 'l', '2', 'a')).toBe('(integer) 2');
    expect(run(ctx, 'LRANGE', 'l', '0', '-1')).toBe('1) "b"\n2) "c"\n3) "a"\n4) "b"\n5) "a"');
    expect(run(ctx, 'LREM', 'l', '-1', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'LRANGE', 'l', '0', '-1')).toBe('1) "b"\n2) "c"\n3) "a"\n4) "b"');
    expect(run(ctx, 'LREM', 'l', '0', 'b')).toBe('(integer) 2');
    expect(run(ctx, 'LREM', 'l', '0', 'zz')).toBe('(integer) 0');
    expect(run(ctx, 'LREM', 'l', 'x', 'a')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'LREM', 'nokey', '0', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'LREM', 'l', '0', 'c')).toBe('(integer) 1');
    expect(run(ctx, 'LREM', 'l', '0', 'a')).toBe('(integer) 1');
    expect(run(ctx, 'EXISTS', 'l')).toBe('(integer) 0');
  });
  test('LTRIM', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'LTRIM', 'nokey', '0', '1')).toBe('OK');
    expect(run(ctx, 'RPUSH', 'l', '1', '2', '3', '4', '5')).toBe('(integer) 5');
    expect(run(ctx, 'LTRIM', 'l', '0', '-1')).toBe('OK');
    expect(run(ctx, 'LTRIM', 'l', '1', '-2')).toBe('OK');
    expect(run(ctx, 'LRANGE', 'l', '0', '-1')).toBe('1) "2"\n2) "3"\n3) "4"');
    expect(run(ctx, 'LTRIM', 'l', '0', '100')).toBe('OK');
    expect(run(ctx, 'LTRIM', 'l', '5', '10')).toBe('OK');
    expect(run(ctx, 'EXISTS', 'l')).toBe('(integer) 0');
    expect(run(ctx, 'RPUSH', 'm', 'a', 'b')).toBe('(integer) 2');
    expect(run(ctx, 'LTRIM', 'm', '-1', '-1')).toBe('OK');
    expect(run(ctx, 'LRANGE', 'm', '0', '-1')).toBe('1) "b"');
  });
  test('LINSERT', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'LINSERT', 'nokey', 'BEFORE', 'a', 'x')).toBe('(integer) 0');
    expect(run(ctx, 'RPUSH', 'l', 'a', 'b')).toBe('(integer) 2');
    expect(run(ctx, 'LINSERT', 'l', 'before', 'b', 'x')).toBe('(integer) 3');
    expect(run(ctx, 'LINSERT', 'l', 'AFTER', 'b', 'y')).toBe('(integer) 4');
    expect(run(ctx, 'LINSERT', 'l', 'after', 'zz', 'y')).toBe('(integer) -1');
    expect(run(ctx, 'LINSERT', 'l', 'middle', 'a', 'y')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'LRANGE', 'l', '0', '-1')).toBe('1) "a"\n2) "x"\n3) "b"\n4) "y"');
  });
  test('LMOVE and RPOPLPUSH, onto itself and onto a wrong type', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'LMOVE', 'nokey', 'd', 'LEFT', 'RIGHT')).toBe('(nil)');
    expect(run(ctx, 'RPUSH', 's', 'a', 'b', 'c')).toBe('(integer) 3');
    expect(run(ctx, 'LMOVE', 's', 'd', 'LEFT', 'RIGHT')).toBe('"a"');
    expect(run(ctx, 'LMOVE', 's', 'd', 'right', 'left')).toBe('"c"');
    expect(run(ctx, 'LMOVE', 's', 's', 'LEFT', 'RIGHT')).toBe('"b"');
    expect(run(ctx, 'LRANGE', 's', '0', '-1')).toBe('1) "b"');
    expect(run(ctx, 'LMOVE', 's', 'd', 'UP', 'LEFT')).toBe('(error) ERR syntax error');
    expect(run(ctx, 'RPOPLPUSH', 's', 'd')).toBe('"b"');
    expect(run(ctx, 'EXISTS', 's')).toBe('(integer) 0');
    expect(run(ctx, 'LRANGE', 'd', '0', '-1')).toBe('1) "b"\n2) "c"\n3) "a"');
    expect(run(ctx, 'RPOPLPUSH', 'd', 'd')).toBe('"a"');
    expect(run(ctx, 'LRANGE', 'd', '0', '-1')).toBe('1) "a"\n2) "b"\n3) "c"');
    expect(run(ctx, 'SET', 'str', 'x')).toBe('OK');
    expect(run(ctx, 'LMOVE', 'd', 'str', 'LEFT', 'LEFT')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LRANGE', 'd', '0', '-1')).toBe('1) "a"\n2) "b"\n3) "c"');
  });
  test('BLPOP/BRPOP/BLMOVE/BRPOPLPUSH when there is something to pop; timeout errors', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'RPUSH', 'l', 'a', 'b', 'c')).toBe('(integer) 3');
    expect(run(ctx, 'BLPOP', 'nokey', 'l', '0')).toBe('1) "l"\n2) "a"');
    expect(run(ctx, 'BRPOP', 'l', '1')).toBe('1) "l"\n2) "c"');
    expect(run(ctx, 'BLMOVE', 'l', 'd', 'LEFT', 'LEFT', '0')).toBe('"b"');
    expect(run(ctx, 'RPUSH', 'l', 'x')).toBe('(integer) 1');
    expect(run(ctx, 'BRPOPLPUSH', 'l', 'd', '0')).toBe('"x"');
    expect(run(ctx, 'BLPOP', 'l', '-1')).toBe('(error) ERR timeout is negative');
    expect(run(ctx, 'BLPOP', 'l', 'abc')).toBe('(error) ERR timeout is not a float or out of range');
    expect(run(ctx, 'LRANGE', 'd', '0', '-1')).toBe('1) "x"\n2) "b"');
  });
  test('WRONGTYPE for every list command', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'SET', 's', 'x')).toBe('OK');
    expect(run(ctx, 'LPUSH', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LPUSHX', 's', 'a')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LPOP', 's')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LLEN', 's')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LRANGE', 's', '0', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LINDEX', 's', '0')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LSET', 's', '0', 'x')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LREM', 's', '0', 'x')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LTRIM', 's', '0', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'LINSERT', 's', 'BEFORE', 'a', 'b')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'RPOPLPUSH', 's', 'd')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(run(ctx, 'BLPOP', 's', '0')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  test('a blocking pop with nothing to pop asks to block (blocking.ts); inside MULTI it answers nil at once', () => {
    const ctx = makeCtx();
    run(ctx, 'BLPOP', 'nokey', 'other', '0.25');
    expect(ctx.blockOn).toEqual({ keys: ['nokey', 'other'], timeoutMs: 250, onTimeout: { type: 'array', items: null } });
    ctx.blockOn = null;
    run(ctx, 'BRPOPLPUSH', 'nokey', 'd', '1');
    expect(ctx.blockOn).toEqual({ keys: ['nokey'], timeoutMs: 1000, onTimeout: { type: 'bulk', value: null } });
    expect(ctx.ops).toEqual([]);
    const tx = makeCtx({ inMulti: true });
    expect(run(tx, 'BLPOP', 'nokey', '0')).toBe('(nil)');
    expect(run(tx, 'BLMOVE', 'nokey', 'd', 'LEFT', 'RIGHT', '0')).toBe('(nil)');
    expect(tx.blockOn ?? null).toBeNull();
  });
  test('one executeCommand per argv: the handlers are registered with their arity', () => {
    const ctx = makeCtx();
    expect(formatReply(executeCommand(ctx, ['LMOVE', 'a', 'b', 'LEFT']))).toBe("(error) ERR wrong number of arguments for 'lmove' command");
    expect(formatReply(executeCommand(ctx, ['BLPOP', 'a']))).toBe("(error) ERR wrong number of arguments for 'blpop' command");
  });
});

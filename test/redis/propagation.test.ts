/**
 * What each command propagates (redis-replication.md §3.5–3.6, §9).
 *
 * Every case marked "real" was observed on a redis-server 7.0.15 on this machine: a
 * `redis-cli --replica` attached to the master printed the stream, and the byte count is
 * the master_repl_offset delta of INFO replication around the command (same db, so no
 * SELECT; more than one op arrives wrapped in MULTI/EXEC, 15 + 14 bytes).
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run, opsOf, EPOCH_MS } from '../helpers/exec.js';
import { respCommandBytes } from '../../sim/redis/protocol/resp.js';
import type { ExecContext } from '../../sim/redis/commands/exec-context.js';
import { activeExpire, expireSlaveKeys } from '../../sim/redis/commands/expire-cycle.js';

/** The stream bytes of one execution unit on the same db, as the server will emit them. */
function unitBytes(ops: string[][]): number {
  const body = ops.reduce((n, argv) => n + respCommandBytes(argv), 0);
  return ops.length > 1 ? body + respCommandBytes(['MULTI']) + respCommandBytes(['EXEC']) : body;
}

const T = String(EPOCH_MS);

describe('rewrites (real 7.0.15 stream and offset deltas)', () => {
  const ctx = makeCtx();
  const at = (deltaMs: number): string => String(EPOCH_MS + deltaMs);
  // [argv, expected ops, real offset delta]
  const cases: Array<[string[], string[][], number]> = [
    [['set', 'k', 'v', 'NX', 'EX', '100'], [['SET', 'k', 'v', 'PXAT', at(100_000)]], 57],
    [['set', 'k', 'v2', 'xx', 'get', 'ex', '10'], [['SET', 'k', 'v2', 'PXAT', at(10_000)]], 58],
    [['set', 'k', 'v3', 'get'], [['set', 'k', 'v3']], 28],
    [['set', 'k2', 'v', 'Get', 'nx'], [['set', 'k2', 'v', 'nx']], 36],
    [['getset', 'k', 'v4'], [['SET', 'k', 'v4']], 28],
    [['expire', 'k', '100', 'nx'], [['PEXPIREAT', 'k', at(100_000), 'nx']], 54],
    [['expire', 'k', '100', 'xx'], [['PEXPIREAT', 'k', at(100_000), 'xx']], 54],
    [['pexpireat', 'k', '1900000000000'], [['pexpireat', 'k', '1900000000000']], 46],
    [['PExpireAt', 'k', '1900000000001', 'gt'], [['PExpireAt', 'k', '1900000000001', 'gt']], 54],
    [['expire', 'k', '-1'], [['DEL', 'k']], 20],
    [['set', 'k', '1'], [['set', 'k', '1']], 27],
    [['incrbyfloat', 'k', '0.1'], [['SET', 'k', '1.1', 'KEEPTTL']], 42],
    [['incrbyfloat', 'k', '1e2'], [['SET', 'k', '101.1', 'KEEPTTL']], 44],
    [['debug', 'populate', '3'], [], 0],
    [['publish', 'ch', 'hi'], [['publish', 'ch', 'hi']], 33],
    [['flushdb'], [['flushdb']], 17],
    [['flushall'], [['flushall']], 18],
    [['Flushall', 'async'], [['Flushall', 'async']], 29],
    [['set', 'g', 'v'], [['set', 'g', 'v']], 27],
    [['getex', 'g'], [], 0],
    [['getex', 'g', 'px', '5000'], [['PEXPIREAT', 'g', at(5000)]], 46],
    [['getex', 'g', 'persist'], [['PERSIST', 'g']], 24],
    [['getex', 'g', 'persist'], [], 0],
    [['getex', 'g', 'exat', '1000'], [['DEL', 'g']], 20],
    [['set', 'g', 'v'], [['set', 'g', 'v']], 27],
    [['getdel', 'g'], [['DEL', 'g']], 20],
    [['getdel', 'g'], [], 0],
    [['setex', 's', '10', 'v'], [['SET', 's', 'v', 'PXAT', at(10_000)]], 57],
    [['psetex', 's', '10000', 'v'], [['SET', 's', 'v', 'PXAT', at(10_000)]], 57],
    [['mset', 'a', '1', 'b', '2'], [['mset', 'a', '1', 'b', '2']], 42],
    [['msetnx', 'a', '1', 'c', '3'], [], 0],
    [['msetnx', 'c', '3', 'd', '4'], [['msetnx', 'c', '3', 'd', '4']], 44],
    [['append', 'a', ''], [['append', 'a', '']], 29],
    [['setnx', 'a', '1'], [], 0],
    [['setnx', 'z', '1'], [['setnx', 'z', '1']], 29],
    [['sadd', 'st', 'a', 'b'], [['sadd', 'st', 'a', 'b']], 36],
    [['sadd', 'st', 'a'], [], 0],
    [['srem', 'st', 'zz'], [], 0],
    [['srem', 'st', 'a', 'zz'], [['srem', 'st', 'a', 'zz']], 37],
    [['persist', 'st'], [], 0],
    [['expire', 'nokey', '10'], [], 0],
    [['expireat', 'a', '1000'], [['DEL', 'a']], 20],
    [['set', 'foo', 'bar'], [['set', 'foo', 'bar']], 31],
    [['del', 'foo'], [['del', 'foo']], 22],
    [['del', 'foo'], [], 0],
  ];
  for (const [argv, ops, bytes] of cases) {
    test(`${argv.join(' ')} → ${ops.map((o) => o.join(' ')).join(' ; ') || 'nothing'} (${bytes} bytes)`, () => {
      const got = opsOf(ctx, ...argv);
      expect(got).toEqual(ops);
      expect(unitBytes(got)).toBe(bytes);
      for (const op of ctx.ops) expect(op.db).toBe(0);
    });
  }
});

describe('SPOP (real 7.0.15)', () => {
  test('single pop → SREM, count < size → one SREM each (MULTI-wrapped), count ≥ size → DEL', () => {
    const ctx = makeCtx();
    run(ctx, 'sadd', 'st', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
    const one = opsOf(ctx, 'spop', 'st');
    expect(one).toHaveLength(1);
    expect(one[0]!.slice(0, 2)).toEqual(['SREM', 'st']);
    expect(unitBytes(one)).toBe(29);
    const two = opsOf(ctx, 'spop', 'st', '2');
    expect(two.map((o) => o.slice(0, 2))).toEqual([['SREM', 'st'], ['SREM', 'st']]);
    expect(unitBytes(two)).toBe(87);
    const six = opsOf(ctx, 'spop', 'st', '6'); // 7 members: the survivor-picking strategy
    expect(six).toHaveLength(6);
    expect(unitBytes(six)).toBe(203);
    expect(opsOf(ctx, 'spop', 'st', '1')).toEqual([['DEL', 'st']]); // 1 ≥ size 1
    expect(opsOf(ctx, 'spop', 'st', '5')).toEqual([]);
    expect(opsOf(ctx, 'spop', 'st', '0')).toEqual([]);
    expect(opsOf(ctx, 'spop', 'nokey')).toEqual([]);
    run(ctx, 'sadd', 'one', 'x');
    expect(opsOf(ctx, 'spop', 'one')).toEqual([['SREM', 'one', 'x']]); // no DEL: the replica's SREM deletes the emptied set
    run(ctx, 'sadd', 'one', 'x');
    expect(opsOf(ctx, 'spop', 'one', '1')).toEqual([['DEL', 'one']]);
  });
  test('the SREMs of SPOP replay to the same set on a replica', () => {
    const master = makeCtx();
    const replica = makeCtx({ isMaster: false, fromMaster: true });
    const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
    for (const c of [master, replica]) run(c, 'sadd', 's', ...members);
    for (const argv of [['spop', 's'], ['spop', 's', '3'], ['spop', 's', '40'], ['spop', 's', '2']]) {
      for (const op of opsOf(master, ...argv)) run(replica, ...op);
      expect(replica.keyspace.digest()).toBe(master.keyspace.digest());
    }
  });
});

describe('lazyfree settings (real 7.0.15)', () => {
  test('lazyfree-lazy-user-del: GETDEL → UNLINK, but DEL stays "del" (not rewritten)', () => {
    const ctx = makeCtx({ lazyfreeLazyUserDel: true });
    run(ctx, 'set', 'g', 'v');
    expect(opsOf(ctx, 'getdel', 'g')).toEqual([['UNLINK', 'g']]);
    run(ctx, 'set', 'g', 'v');
    expect(opsOf(ctx, 'del', 'g')).toEqual([['del', 'g']]);
  });
  test('lazyfree-lazy-expire: past EXPIRE and lazy expiry → UNLINK (23 bytes)', () => {
    const ctx = makeCtx({ lazyfreeLazyExpire: true });
    run(ctx, 'set', 'g', 'v');
    const ops = opsOf(ctx, 'expire', 'g', '-5');
    expect(ops).toEqual([['UNLINK', 'g']]);
    expect(unitBytes(ops)).toBe(23);
    run(ctx, 'set', 'g', '1', 'px', '10');
    ctx.nowMs += 11;
    expect(opsOf(ctx, 'get', 'g')).toEqual([['UNLINK', 'g']]);
  });
});

describe('lazy expiry on a master (real 7.0.15, active expire disabled)', () => {
  function expiredKey(): ExecContext {
    const ctx = makeCtx();
    run(ctx, 'set', 'e', '5', 'px', '50');
    ctx.nowMs += 51;
    ctx.ops.length = 0;
    return ctx;
  }
  test('a read propagates a bare DEL and counts expired_keys', () => {
    const ctx = expiredKey();
    expect(opsOf(ctx, 'get', 'e')).toEqual([['DEL', 'e']]);
    expect(ctx.stats.expiredKeys).toBe(1);
    expect(ctx.keyspace.has(0, 'e')).toBe(false);
  });
  test('EXISTS / TTL on an expired key: 0 / -2 and a DEL (21 bytes for e2)', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'e2', '5', 'px', '50');
    ctx.nowMs += 51;
    const ops = opsOf(ctx, 'exists', 'e2');
    expect(ops).toEqual([['DEL', 'e2']]);
    expect(unitBytes(ops)).toBe(21);
  });
  test('a write: the DEL comes first, then the command (MULTI, DEL, incr, EXEC = 70 bytes)', () => {
    const ctx = expiredKey();
    const ops = opsOf(ctx, 'incr', 'e');
    expect(ops).toEqual([['DEL', 'e'], ['incr', 'e']]);
    expect(unitBytes(ops)).toBe(70);
    expect(run(ctx, 'get', 'e')).toBe('"1"');
    expect(run(ctx, 'ttl', 'e')).toBe('(integer) -1');
  });
  test('SET NX on an expired key succeeds: DEL, set e 6 nx (84 bytes)', () => {
    const ctx = expiredKey();
    const ops = opsOf(ctx, 'set', 'e', '6', 'nx');
    expect(ops).toEqual([['DEL', 'e'], ['set', 'e', '6', 'nx']]);
    expect(unitBytes(ops)).toBe(84);
  });
  test('DEL of an expired key: only the expiry DEL goes out, and the reply is 0', () => {
    const ctx = expiredKey();
    expect(run(ctx, 'del', 'e')).toBe('(integer) 0');
    const c2 = expiredKey();
    expect(opsOf(c2, 'del', 'e')).toEqual([['DEL', 'e']]);
  });
  test('a key is expired only once its TTL is strictly in the past (now > when)', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'k', 'v', 'pxat', String(EPOCH_MS + 100));
    ctx.nowMs = EPOCH_MS + 100;
    expect(run(ctx, 'get', 'k')).toBe('"v"');
    ctx.nowMs++;
    expect(run(ctx, 'get', 'k')).toBe('(nil)');
  });
  test('but EXPIREAT at exactly now deletes (checkAlreadyExpired: when <= now)', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'k', 'v');
    expect(opsOf(ctx, 'pexpireat', 'k', T)).toEqual([['DEL', 'k']]);
  });
  test('KEYS hides expired keys without deleting them; DBSIZE still counts them', () => {
    const ctx = expiredKey();
    run(ctx, 'set', 'live', '1');
    expect(run(ctx, 'keys', '*')).toBe('1) "live"');
    expect(run(ctx, 'dbsize')).toBe('(integer) 2');
    expect(ctx.ops).toEqual([{ db: 0, argv: ['set', 'live', '1'] }]);
  });
  test('clients paused: expired keys are hidden but kept, nothing propagated', () => {
    const ctx = expiredKey();
    ctx.clientsPaused = true;
    expect(opsOf(ctx, 'get', 'e')).toEqual([]);
    expect(run(ctx, 'get', 'e')).toBe('(nil)');
    expect(ctx.keyspace.has(0, 'e')).toBe(true);
    expect(activeExpire(ctx, 100)).toEqual([]);
  });
  test('DEBUG POPULATE over an expired prefix key re-creates it after a DEL', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'key:1', 'x', 'px', '10');
    ctx.nowMs += 11;
    expect(opsOf(ctx, 'debug', 'populate', '3')).toEqual([['DEL', 'key:1']]);
    expect(run(ctx, 'get', 'key:1')).toBe('"value:1"');
  });
});

describe('expiry on replicas (real 7.0.15 writable replica, master active expire off)', () => {
  /** A replica holding r1, r2 and s1, all logically expired by its own clock. */
  function replica(): ExecContext {
    const ctx = makeCtx({ isMaster: false, fromMaster: true });
    run(ctx, 'set', 'r1', '10', 'PXAT', String(EPOCH_MS + 100));
    run(ctx, 'set', 'r2', '10', 'PXAT', String(EPOCH_MS + 100));
    run(ctx, 'sadd', 's1', 'a', 'b', 'c');
    run(ctx, 'pexpireat', 's1', String(EPOCH_MS + 100));
    ctx.fromMaster = false;
    ctx.nowMs += 300;
    ctx.ops.length = 0;
    return ctx;
  }
  test('normal clients see them as missing; they are not deleted', () => {
    const ctx = replica();
    expect(run(ctx, 'get', 'r1')).toBe('(nil)');
    expect(run(ctx, 'exists', 'r1')).toBe('(integer) 0');
    expect(run(ctx, 'ttl', 'r1')).toBe('(integer) -2');
    expect(run(ctx, 'pttl', 'r1')).toBe('(integer) -2');
    expect(run(ctx, 'type', 'r1')).toBe('none');
    expect(run(ctx, 'scard', 's1')).toBe('(integer) 0');
    expect(run(ctx, 'sismember', 's1', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'smembers', 's1')).toBe('(empty array)');
    expect(run(ctx, 'keys', '*')).toBe('(empty array)');
    expect(run(ctx, 'dbsize')).toBe('(integer) 3');
    expect(run(ctx, 'debug', 'digest-value', 'r1')).not.toBe('1) 0000000000000000000000000000000000000000');
    expect(ctx.stats.expiredKeys).toBe(0);
    expect(ctx.keyspace.totalKeys()).toBe(3);
  });
  test('a write on a writable replica re-creates the key without a TTL', () => {
    const ctx = replica();
    expect(run(ctx, 'incr', 'r1')).toBe('(integer) 1');
    expect(run(ctx, 'ttl', 'r1')).toBe('(integer) -1');
    expect(run(ctx, 'dbsize')).toBe('(integer) 3');
    expect(run(ctx, 'sadd', 's1', 'z')).toBe('(integer) 1');
    expect(run(ctx, 'smembers', 's1')).toBe('1) "z"');
  });
  test('DEL of a logically expired key on a replica deletes it and replies 1', () => {
    const ctx = replica();
    expect(run(ctx, 'del', 'r2')).toBe('(integer) 1');
    expect(run(ctx, 'dbsize')).toBe('(integer) 2');
  });
  test('commands from the master never see keys as expired: INCR applies to the stored value', () => {
    const ctx = replica();
    ctx.fromMaster = true;
    expect(run(ctx, 'incr', 'r1')).toBe('(integer) 11');
    expect(ctx.keyspace.getExpire(0, 'r1')).toBe(EPOCH_MS + 100); // TTL kept
    expect(run(ctx, 'exists', 'r1')).toBe('(integer) 1');
    ctx.fromMaster = false;
    expect(run(ctx, 'exists', 'r1')).toBe('(integer) 0');
    expect(ctx.stats.expiredKeys).toBe(0);
  });
  test('the master\'s DEL removes it', () => {
    const ctx = replica();
    ctx.fromMaster = true;
    expect(run(ctx, 'DEL', 'r1')).toBe('(integer) 1');
    expect(run(ctx, 'dbsize')).toBe('(integer) 2');
  });
  test('a replica stores a TTL in the past instead of deleting (checkAlreadyExpired)', () => {
    const ctx = makeCtx({ isMaster: false, fromMaster: true });
    run(ctx, 'set', 'k', 'v');
    expect(opsOf(ctx, 'pexpireat', 'k', '1000')).toEqual([['pexpireat', 'k', '1000']]);
    expect(ctx.keyspace.has(0, 'k')).toBe(true);
    expect(ctx.keyspace.getExpire(0, 'k')).toBe(1000);
  });
  test('a writable replica expires the TTLs it set itself, not the master\'s', () => {
    const ctx = makeCtx({ isMaster: false, fromMaster: true });
    run(ctx, 'set', 'm', 'v', 'PXAT', String(EPOCH_MS + 1000));
    ctx.fromMaster = false;
    run(ctx, 'set', 'own', 'v', 'EX', '5');
    ctx.nowMs += 6000;
    const ops = expireSlaveKeys(ctx);
    expect(ops).toEqual([{ db: 0, argv: ['DEL', 'own'] }]);
    expect(ctx.keyspace.has(0, 'own')).toBe(false);
    expect(ctx.keyspace.has(0, 'm')).toBe(true);
    expect(ctx.stats.expiredKeys).toBe(1);
  });
});

describe('active expire cycle', () => {
  test('bare DEL per key, earliest first, in the key\'s db, expired_keys counted', () => {
    const ctx = makeCtx();
    run(ctx, 'set', 'b', '1', 'px', '200');
    run(ctx, 'set', 'a', '1', 'px', '100');
    run(ctx, 'select', '5');
    run(ctx, 'set', 'c', '1', 'px', '150');
    run(ctx, 'set', 'keep', '1', 'px', '10000');
    ctx.nowMs += 300;
    ctx.ops.length = 0;
    expect(activeExpire(ctx, 100)).toEqual([
      { db: 0, argv: ['DEL', 'a'] },
      { db: 5, argv: ['DEL', 'c'] },
      { db: 0, argv: ['DEL', 'b'] },
    ]);
    expect(ctx.stats.expiredKeys).toBe(3);
    expect(ctx.keyspace.totalKeys()).toBe(1);
  });
  test('UNLINK with lazyfree-lazy-expire, and at most maxKeys per call', () => {
    const ctx = makeCtx({ lazyfreeLazyExpire: true });
    for (let i = 0; i < 10; i++) run(ctx, 'set', `k${i}`, '1', 'px', String(10 + i));
    ctx.nowMs += 100;
    expect(activeExpire(ctx, 4).map((o) => o.argv)).toEqual([0, 1, 2, 3].map((i) => ['UNLINK', `k${i}`]));
    expect(activeExpire(ctx, 100)).toHaveLength(6);
  });
});

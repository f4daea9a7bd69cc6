/**
 * SCAN family and OBJECT. Replies for compact encodings and OBJECT were printed by a real
 * redis-server 7.0.15 (redis-cli); the hash-table walk's guarantees (every element that
 * stays is returned, exactly once here; cursor 0 ends) are Redis's documented contract,
 * checked on random key sets since the real order is seeded per process.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { makeCtx, run, exec } from '../../helpers/exec.js';
import type { Reply } from '../../../sim/redis/protocol/reply.js';

function page(r: Reply): { cursor: string; items: string[] } {
  if (r.type !== 'array' || !r.items) throw new Error('not a scan reply');
  const [c, list] = r.items;
  const items = list!.type === 'array' ? list!.items!.map((x) => (x.type === 'bulk' ? x.value! : '?')) : [];
  return { cursor: c!.type === 'bulk' ? c!.value! : '?', items };
}

describe('compact encodings come back whole, in their order, cursor 0 (real 7.0.15)', () => {
  const ctx = makeCtx();
  run(ctx, 'SADD', 'si', '5', '1', '3');
  run(ctx, 'HSET', 'h', 'b', '2', 'a', '1');
  run(ctx, 'ZADD', 'z', '2', 'b', '1', 'a', '1.5', 'c', '0.1', 'd');
  run(ctx, 'SET', 's', 'v');
  test.each([
    [['SSCAN', 'si', '0'], { cursor: '0', items: ['1', '3', '5'] }],
    [['HSCAN', 'h', '0', 'COUNT', '1'], { cursor: '0', items: ['b', '2', 'a', '1'] }],
    [['ZSCAN', 'z', '0', 'MATCH', '[abc]'], { cursor: '0', items: ['a', '1', 'c', '1.5', 'b', '2'] }],
    [['SSCAN', 'nokey', '0'], { cursor: '0', items: [] }],
  ])('%j', (argv, expected) => {
    expect(page(exec(ctx, ...argv))).toEqual(expected);
  });
  test.each([
    [['SSCAN', 'si', 'x'], '(error) ERR invalid cursor'],
    [['SSCAN', 'si', '0', 'COUNT', '0'], '(error) ERR syntax error'],
    [['HSCAN', 's', '0'], '(error) WRONGTYPE Operation against a key holding the wrong kind of value'],
    [['SCAN', '0', 'foo', 'bar'], '(error) ERR syntax error'],
  ])('%j', (argv, expected) => {
    expect(run(ctx, ...argv)).toBe(expected);
  });
});

describe('hash-table walks', () => {
  test('SCAN returns every key exactly once and ends at cursor 0, whatever COUNT', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 60 }), fc.integer({ min: 1, max: 15 }), (keys, count) => {
        const ctx = makeCtx();
        for (const k of keys) run(ctx, 'SET', k, 'v');
        const seen: string[] = [];
        let cursor = '0';
        let calls = 0;
        do {
          const p = page(exec(ctx, 'SCAN', cursor, 'COUNT', String(count)));
          seen.push(...p.items);
          cursor = p.cursor;
          calls++;
        } while (cursor !== '0' && calls < 1000);
        expect(cursor).toBe('0');
        expect([...seen].sort()).toEqual([...keys].sort());
      }),
      { numRuns: 100, seed: 1 },
    );
  });

  test('a hashtable-encoded hash is walked the same way; keys deleted meanwhile are not returned', () => {
    const ctx = makeCtx();
    const fields: string[] = [];
    for (let i = 0; i < 600; i++) fields.push(`f${i}`, String(i));
    run(ctx, 'HSET', 'big', ...fields);
    expect(run(ctx, 'OBJECT', 'ENCODING', 'big')).toBe('"hashtable"');
    const seen = new Set<string>();
    let cursor = '0';
    let first = true;
    do {
      const p = page(exec(ctx, 'HSCAN', 'big', cursor, 'COUNT', '50'));
      for (let i = 0; i < p.items.length; i += 2) seen.add(p.items[i]!);
      if (first) {
        run(ctx, 'HDEL', 'big', 'f599');
        first = false;
      }
      cursor = p.cursor;
    } while (cursor !== '0');
    expect(seen.size === 600 || seen.size === 599).toBe(true);
    for (let i = 0; i < 599; i++) expect(seen.has(`f${i}`)).toBe(true);
  });
});

describe('OBJECT (real 7.0.15)', () => {
  test('ENCODING, REFCOUNT, IDLETIME, FREQ and the errors', () => {
    const ctx = makeCtx();
    run(ctx, 'SET', 'i', '123');
    run(ctx, 'SET', 'e', 'abc');
    run(ctx, 'SET', 'r', 'x'.repeat(50));
    run(ctx, 'RPUSH', 'l', 'a');
    run(ctx, 'SADD', 'si', '1');
    run(ctx, 'SADD', 'ss', 'a');
    run(ctx, 'HSET', 'h', 'a', '1');
    run(ctx, 'ZADD', 'z', '1', 'a');
    run(ctx, 'XADD', 'x', '1-1', 'a', '1');
    run(ctx, 'INCR', 'n');
    run(ctx, 'SET', 'big', '12345678901234567890');
    run(ctx, 'SET', 'i3', '10000');
    const enc = Object.fromEntries(['i', 'e', 'r', 'l', 'si', 'ss', 'h', 'z', 'x', 'n', 'big'].map((k) => [k, run(ctx, 'OBJECT', 'ENCODING', k)]));
    expect(enc).toEqual({ i: '"int"', e: '"embstr"', r: '"raw"', l: '"quicklist"', si: '"intset"', ss: '"hashtable"', h: '"listpack"', z: '"listpack"', x: '"stream"', n: '"int"', big: '"embstr"' });
    expect(run(ctx, 'OBJECT', 'ENCODING', 'nokey')).toBe('(nil)');
    expect(run(ctx, 'OBJECT', 'REFCOUNT', 'i')).toBe('(integer) 2147483647');
    expect(run(ctx, 'OBJECT', 'REFCOUNT', 'e')).toBe('(integer) 1');
    expect(run(ctx, 'OBJECT', 'REFCOUNT', 'i3')).toBe('(integer) 1');
    expect(run(ctx, 'OBJECT', 'FREQ', 'e')).toBe(
      '(error) ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
    expect(run(ctx, 'OBJECT', 'foo')).toBe("(error) ERR unknown subcommand 'foo'. Try OBJECT HELP.");
    expect(run(ctx, 'OBJECT', 'ENCODING')).toBe("(error) ERR wrong number of arguments for 'object|encoding' command");
  });
});

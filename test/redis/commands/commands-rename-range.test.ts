/**
 * RENAME, RENAMENX, COPY, GETRANGE, SETRANGE. Every reply below was recorded from
 * redis-server 7.0.15 (redis-cli --no-raw); test/differential/commands-fuzz.test.ts also
 * runs them against a real server, replies, stream and digest.
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, opsOf, run, EPOCH_MS } from '../../helpers/exec.js';

describe('RENAME / RENAMENX / COPY', () => {
  test('replies as 7.0.15', () => {
    const ctx = makeCtx();
    run(ctx, 'SET', 'a', 'hello');
    expect(run(ctx, 'RENAME', 'nokey', 'x')).toBe('(error) ERR no such key');
    expect(run(ctx, 'RENAME', 'a', 'a')).toBe('OK');
    expect(run(ctx, 'RENAMENX', 'a', 'a')).toBe('(integer) 0');
    expect(run(ctx, 'RENAME', 'a', 'c')).toBe('OK');
    expect(run(ctx, 'COPY', 'c', 'c')).toBe('(error) ERR source and destination objects are the same');
    expect(run(ctx, 'COPY', 'c', 'd', 'DB', '99')).toBe('(error) ERR DB index is out of range');
    expect(run(ctx, 'COPY', 'c', 'd', 'DB', '1')).toBe('(integer) 1');
    expect(run(ctx, 'COPY', 'c', 'd', 'DB', 'x')).toBe('(error) ERR value is not an integer or out of range');
    expect(run(ctx, 'COPY', 'c', 'd', 'FOO')).toBe('(error) ERR syntax error');
    run(ctx, 'SET', 'b', 'other');
    expect(run(ctx, 'COPY', 'c', 'b')).toBe('(integer) 0');
    expect(run(ctx, 'COPY', 'c', 'b', 'REPLACE')).toBe('(integer) 1');
    expect(run(ctx, 'GET', 'b')).toBe('"hello"');
    expect(run(ctx, 'SET', 'n', 'x')).toBe('OK');
    expect(run(ctx, 'RENAMENX', 'b', 'n')).toBe('(integer) 0');
  });

  test('the TTL moves with RENAME and is copied by COPY; propagated as typed, and only when something changed', () => {
    const ctx = makeCtx();
    run(ctx, 'SET', 'a', 'v', 'PXAT', String(EPOCH_MS + 50_000));
    expect(opsOf(ctx, 'RENAME', 'a', 'b')).toEqual([['RENAME', 'a', 'b']]);
    expect(run(ctx, 'PTTL', 'b')).toBe('(integer) 50000');
    expect(opsOf(ctx, 'COPY', 'b', 'c')).toEqual([['COPY', 'b', 'c']]);
    expect(run(ctx, 'PTTL', 'c')).toBe('(integer) 50000');
    expect(opsOf(ctx, 'RENAMENX', 'b', 'c')).toEqual([]);
    expect(opsOf(ctx, 'COPY', 'nokey', 'z')).toEqual([]);
  });

  test('COPY clones a collection: changing the copy leaves the source alone', () => {
    const ctx = makeCtx();
    run(ctx, 'SADD', 's', 'a', 'b');
    run(ctx, 'COPY', 's', 't');
    run(ctx, 'SADD', 't', 'c');
    expect(run(ctx, 'SCARD', 's')).toBe('(integer) 2');
    expect(run(ctx, 'SCARD', 't')).toBe('(integer) 3');
  });
});

describe('GETRANGE / SETRANGE', () => {
  test('replies as 7.0.15', () => {
    const ctx = makeCtx();
    run(ctx, 'SET', 'a', 'hello');
    expect(run(ctx, 'GETRANGE', 'a', '1', '-2')).toBe('"ell"');
    expect(run(ctx, 'GETRANGE', 'a', '-100', '100')).toBe('"hello"');
    expect(run(ctx, 'GETRANGE', 'a', '5', '2')).toBe('""');
    expect(run(ctx, 'GETRANGE', 'nokey', '0', '-1')).toBe('""');
    expect(run(ctx, 'SETRANGE', 'b', '3', 'xy')).toBe('(integer) 5');
    expect(run(ctx, 'GET', 'b')).toBe('"\\x00\\x00\\x00xy"');
    expect(run(ctx, 'SETRANGE', 'a', '0', '')).toBe('(integer) 5');
    expect(run(ctx, 'SETRANGE', 'a', '-1', 'x')).toBe('(error) ERR offset is out of range');
    run(ctx, 'SADD', 's', 'm');
    expect(run(ctx, 'GETRANGE', 's', '0', '1')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  test('SETRANGE keeps the TTL; with an empty value it changes nothing and propagates nothing', () => {
    const ctx = makeCtx();
    run(ctx, 'SET', 'a', 'hello', 'PXAT', String(EPOCH_MS + 9000));
    expect(opsOf(ctx, 'SETRANGE', 'a', '0', '')).toEqual([]);
    expect(opsOf(ctx, 'SETRANGE', 'nokey', '4', '')).toEqual([]);
    expect(run(ctx, 'EXISTS', 'nokey')).toBe('(integer) 0');
    expect(opsOf(ctx, 'SETRANGE', 'a', '1', 'EL')).toEqual([['SETRANGE', 'a', '1', 'EL']]);
    expect(run(ctx, 'GET', 'a')).toBe('"hELlo"');
    expect(run(ctx, 'PTTL', 'a')).toBe('(integer) 9000');
    run(ctx, 'INCR', 'n');
    expect(run(ctx, 'GETRANGE', 'n', '0', '-1')).toBe('"1"');
  });
});

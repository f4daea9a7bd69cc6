/**
 * Consumer groups with the clock under control (commands-stream-read.ts, -groups.ts,
 * -claim.ts after t_stream.c 7.0.15): idle times, min-idle thresholds, delivery counts and
 * the TIME a propagated XCLAIM carries — what the differential fuzz has to mask because a
 * real server's clock cannot be stopped. Replies and propagated forms there were checked
 * against a real 7.0.15 (test/differential/stream-groups-fuzz.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run, opsOf, EPOCH_MS } from '../../helpers/exec.js';

const T = EPOCH_MS;

function setup(): ReturnType<typeof makeCtx> {
  const ctx = makeCtx();
  for (const id of ['1-1', '2-1', '3-1']) run(ctx, 'XADD', 's', id, 'f', id);
  run(ctx, 'XGROUP', 'CREATE', 's', 'g', '0');
  return ctx;
}

describe('idle times and min-idle', () => {
  test('XPENDING shows the idle time since delivery and IDLE filters on it', () => {
    const ctx = setup();
    run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>');
    ctx.nowMs = T + 5000;
    expect(run(ctx, 'XPENDING', 's', 'g', '-', '+', '10')).toBe('1) 1) "1-1"\n   2) "alice"\n   3) (integer) 5000\n   4) (integer) 1');
    expect(run(ctx, 'XPENDING', 's', 'g', 'IDLE', '6000', '-', '+', '10')).toBe('(empty array)');
    expect(run(ctx, 'XINFO', 'CONSUMERS', 's', 'g')).toBe('1) 1) "name"\n   2) "alice"\n   3) "pending"\n   4) (integer) 1\n   5) "idle"\n   6) (integer) 5000');
  });

  test('XCLAIM takes only entries idle at least min-idle; the propagated XCLAIM carries the new delivery time and count', () => {
    const ctx = setup();
    run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>');
    ctx.nowMs = T + 5000;
    expect(opsOf(ctx, 'XCLAIM', 's', 'g', 'bob', '6000', '1-1')).toEqual([]);
    expect(opsOf(ctx, 'XCLAIM', 's', 'g', 'bob', '4000', '1-1')).toEqual([['XCLAIM', 's', 'g', 'bob', '0', '1-1', 'TIME', String(T + 5000), 'RETRYCOUNT', '2', 'FORCE', 'JUSTID', 'LASTID', '1-1']]);
    expect(run(ctx, 'XPENDING', 's', 'g', '-', '+', '10', 'bob')).toBe('1) 1) "1-1"\n   2) "bob"\n   3) (integer) 0\n   4) (integer) 2');
  });

  test('a FORCE claim makes the PEL entry; the propagated XCLAIM spells the ID as the command did (real 7.0.15: "6")', () => {
    const ctx = setup();
    run(ctx, 'XADD', 's', '6-0', 'f', 'v');
    expect(opsOf(ctx, 'XCLAIM', 's', 'g', 'bob', '0', '6', 'FORCE', 'JUSTID')).toEqual([['XCLAIM', 's', 'g', 'bob', '0', '6', 'TIME', String(T), 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '0-0']]);
  });

  test('a TIME in the future of the node (a replica whose clock is behind) means now', () => {
    const ctx = setup();
    ctx.nowMs = T + 100;
    run(ctx, 'XCLAIM', 's', 'g', 'bob', '0', '2-1', 'TIME', String(T + 60_000), 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '2-1');
    ctx.nowMs = T + 1100;
    expect(run(ctx, 'XPENDING', 's', 'g', '-', '+', '10')).toBe('1) 1) "2-1"\n   2) "bob"\n   3) (integer) 1000\n   4) (integer) 1');
    expect(run(ctx, 'XINFO', 'GROUPS', 's')).toContain('"2-1"');
  });

  test('XAUTOCLAIM returns the next pending ID as its cursor and skips entries not idle enough', () => {
    const ctx = setup();
    run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    ctx.nowMs = T + 3000;
    expect(run(ctx, 'XAUTOCLAIM', 's', 'g', 'bob', '1000', '0', 'COUNT', '1', 'JUSTID')).toBe('1) "2-1"\n2) 1) "1-1"\n3) (empty array)');
    expect(run(ctx, 'XAUTOCLAIM', 's', 'g', 'carol', '1000', '0', 'JUSTID')).toBe('1) "0-0"\n2) 1) "2-1"\n   2) "3-1"\n3) (empty array)');
  });
});

describe('delivery and ownership', () => {
  test('after XGROUP SETID back, an entry pending for alice is delivered to bob: his now, count 1', () => {
    const ctx = setup();
    run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0');
    run(ctx, 'XGROUP', 'SETID', 's', 'g', '2-1');
    const ops = opsOf(ctx, 'XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>');
    expect(ops).toEqual([['XCLAIM', 's', 'g', 'bob', '0', '3-1', 'TIME', String(T), 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '3-1']]);
    expect(run(ctx, 'XPENDING', 's', 'g')).toBe('1) (integer) 3\n2) "1-1"\n3) "3-1"\n4) 1) 1) "alice"\n      2) "2"\n   2) 1) "bob"\n      2) "1"');
  });

  test('a history read bumps delivery counts and propagates nothing; a deleted pending entry reads as its ID and nil', () => {
    const ctx = setup();
    run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    run(ctx, 'XDEL', 's', '2-1');
    expect(opsOf(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0')).toEqual([]);
    expect(run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '0')).toBe(
      '1) 1) "s"\n   2) 1) 1) "1-1"\n         2) 1) "f"\n            2) "1-1"\n      2) 1) "2-1"\n         2) (nil)',
    );
    expect(run(ctx, 'XPENDING', 's', 'g', '-', '+', '1')).toBe('1) 1) "1-1"\n   2) "alice"\n   3) (integer) 0\n   4) (integer) 3');
  });

  test('XCLAIM of a pending entry deleted from the stream drops it and propagates the drop as an XCLAIM of the old owner', () => {
    const ctx = setup();
    run(ctx, 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    run(ctx, 'XDEL', 's', '2-1');
    ctx.nowMs = T + 10;
    expect(opsOf(ctx, 'XCLAIM', 's', 'g', 'bob', '0', '2-1')).toEqual([['XCLAIM', 's', 'g', 'alice', '0', '2-1', 'TIME', String(T), 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '3-1']]);
    expect(run(ctx, 'XPENDING', 's', 'g')).toBe('1) (integer) 2\n2) "1-1"\n3) "3-1"\n4) 1) 1) "alice"\n      2) "2"');
  });
});

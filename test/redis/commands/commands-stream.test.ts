/**
 * Stream IDs from the node's clock and what XADD propagates (t_stream.c streamNextID /
 * xaddCommand at 7.0.15): `*` is the node's unix ms with sequence 0, or the last ID's
 * sequence + 1 when the clock has not moved past it (also when it went backwards); the
 * propagated XADD carries the generated ID instead of `*`. Cases without a clock were
 * checked against a real 7.0.15 (see test/differential/streams-fuzz.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run, EPOCH_MS } from '../../helpers/exec.js';
import { TestCluster, runUntilTrue, linkUp } from '../../helpers/replication.js';

function opsOf(ctx: ReturnType<typeof makeCtx>, ...argv: string[]): string[][] {
  ctx.ops.length = 0;
  run(ctx, ...argv);
  return ctx.ops.map((o) => o.argv);
}

describe('XADD * takes its ID from the node clock', () => {
  test('new ms: seq 0; same ms: seq + 1; clock behind the last ID: last ms, seq + 1', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'XADD', 's', '*', 'a', '1')).toBe(`"${EPOCH_MS}-0"`);
    expect(run(ctx, 'XADD', 's', '*', 'a', '2')).toBe(`"${EPOCH_MS}-1"`);
    ctx.nowMs = EPOCH_MS + 5;
    expect(run(ctx, 'XADD', 's', '*', 'a', '3')).toBe(`"${EPOCH_MS + 5}-0"`);
    ctx.nowMs = EPOCH_MS - 1000; // an NTP step backwards
    expect(run(ctx, 'XADD', 's', '*', 'a', '4')).toBe(`"${EPOCH_MS + 5}-1"`);
  });

  test('the propagated XADD names the ID it generated; an approximate trim goes out exact', () => {
    const ctx = makeCtx();
    expect(opsOf(ctx, 'XADD', 's', '*', 'a', '1')).toEqual([['XADD', 's', `${EPOCH_MS}-0`, 'a', '1']]);
    expect(opsOf(ctx, 'XADD', 's', '7-*', 'a', '1')).toEqual([]); // smaller than the top item: an error, nothing propagated
    // MAXLEN ~ 0 frees the whole node, the new entry with it (real 7.0.15: XLEN 0 after it).
    expect(opsOf(ctx, 'XADD', 's', 'MAXLEN', '~', '0', '*', 'b', '2')).toEqual([['XADD', 's', 'MAXLEN', '=', '0', `${EPOCH_MS}-1`, 'b', '2']]);
    expect(run(ctx, 'XLEN', 's')).toBe('(integer) 0');
    run(ctx, 'XADD', 's', '*', 'c', '3');
    run(ctx, 'XADD', 's', '*', 'c', '4');
    expect(opsOf(ctx, 'XADD', 's', 'MAXLEN', '~', '1', '*', 'c', '5')).toEqual([['XADD', 's', 'MAXLEN', '=', '3', `${EPOCH_MS}-4`, 'c', '5']]);
    expect(opsOf(ctx, 'XADD', 's', 'MAXLEN', '1', '*', 'c', '6')).toEqual([['XADD', 's', 'MAXLEN', '1', `${EPOCH_MS}-5`, 'c', '6']]);
    expect(run(ctx, 'XLEN', 's')).toBe('(integer) 1');
  });

  test('an emptied stream stays a key; XREAD BLOCK that would wait asks to block, past the last ID', () => {
    const ctx = makeCtx();
    run(ctx, 'XADD', 's', '1-1', 'a', '1');
    expect(run(ctx, 'XDEL', 's', '1-1')).toBe('(integer) 1');
    expect(run(ctx, 'TYPE', 's')).toBe('stream');
    expect(run(ctx, 'XLEN', 's')).toBe('(integer) 0');
    expect(run(ctx, 'XADD', 's', '1-1', 'a', '1')).toBe('(error) ERR The ID specified in XADD is equal or smaller than the target stream top item');
    expect(run(ctx, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')).toBe('(nil)');
    expect(ctx.blockOn?.retryArgv?.()).toEqual(['XREAD', 'COUNT', '1000', 'BLOCK', '0', 'STREAMS', 's', '1-1']);
  });
});

describe('a skewed master writes its own clock into its replicas', () => {
  test('the replica holds the ID the master generated', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 10);
    c.act({ kind: 'clock', node: 'm1', skewUs: 3_600_000_000, jumpUs: null, driftPpm: null } as never);
    const id = c.text('m1', 'XADD', 's', '*', 'a', '1').slice(1, -1);
    expect(Number(id.split('-')[0])).toBe(c.node('m1').nowMs());
    expect(Number(id.split('-')[0]) - c.node('r1').nowMs()).toBeGreaterThanOrEqual(3_599_000);
    c.runFor(1);
    expect(c.text('r1', 'XRANGE', 's', '-', '+')).toBe(`1) 1) "${id}"\n   2) 1) "a"\n      2) "1"`);
  });
});

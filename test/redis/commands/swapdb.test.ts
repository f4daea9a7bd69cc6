/**
 * SWAPDB (db.c swapdbCommand / dbSwapDatabases at 7.0.15). Error texts from a real
 * redis-server 7.0.15; the rest is what swapping two dbs means: keys and TTLs trade
 * places, the command propagates as sent, a snapshot taken before it (a BGSAVE's fork)
 * still sees the dbs as they were.
 */
import { describe, expect, test } from 'vitest';
import { makeCtx, run, EPOCH_MS } from '../../helpers/exec.js';
import { masterWithReplica, offset, respBytes, runUntilTrue } from '../../helpers/replication.js';

describe('SWAPDB', () => {
  test('errors (real 7.0.15)', () => {
    const ctx = makeCtx();
    expect(run(ctx, 'SWAPDB', '0', 'x')).toBe('(error) ERR invalid second DB index');
    expect(run(ctx, 'SWAPDB', 'x', '0')).toBe('(error) ERR invalid first DB index');
    expect(run(ctx, 'SWAPDB', '0', '16')).toBe('(error) ERR DB index is out of range');
    expect(run(ctx, 'SWAPDB', '0', '-1')).toBe('(error) ERR DB index is out of range');
    expect(run(ctx, 'SWAPDB', '1', '1')).toBe('OK');
  });

  test('keys and TTLs trade places; it propagates as sent; a snapshot keeps the old layout', () => {
    const ctx = makeCtx();
    run(ctx, 'SET', 'a', '0', 'PX', '5000');
    run(ctx, 'SELECT', '1');
    run(ctx, 'SET', 'b', '1');
    const snap = ctx.keyspace.snapshot();
    ctx.ops.length = 0;
    expect(run(ctx, 'SWAPDB', '0', '1')).toBe('OK');
    expect(ctx.ops.map((o) => o.argv)).toEqual([['SWAPDB', '0', '1']]);
    expect(run(ctx, 'GET', 'a')).toBe('"0"');
    expect(run(ctx, 'PTTL', 'a')).toBe('(integer) 5000');
    ctx.db = 0;
    expect(run(ctx, 'GET', 'b')).toBe('"1"');
    expect(run(ctx, 'EXISTS', 'a')).toBe('(integer) 0');
    run(ctx, 'SET', 'b', 'changed');
    expect(snap.dbsize(0)).toBe(1);
    const seen: string[] = [];
    snap.forEachStoredEntry(0, (key, value) => seen.push(`${key}=${String(value)}`));
    expect(seen).toEqual(['a=0']);
    snap.release();
    // The TTL index followed the key to db 1: it expires there.
    ctx.nowMs = EPOCH_MS + 6000;
    expect(ctx.keyspace.activeExpireCycle(ctx.nowMs, 10)).toEqual([{ db: 1, key: 'a' }]);
  });

  test('the replica swaps too', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'SET', 'x', 'in0');
    c.runFor(1);
    const before = offset(c, 'm1');
    c.cmd('m1', 'SWAPDB', '0', '3');
    expect(offset(c, 'm1') - before).toBe(respBytes('SWAPDB', '0', '3'));
    runUntilTrue(c, () => offset(c, 'r1') === offset(c, 'm1'), 'caught up', 10);
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 0');
    expect(c.node('r1').keyspace.get(3, 'x')).toBe('in0');
  });
});

describe('SWAPDB and WATCH', () => {
  test('a key watched in either db aborts the EXEC (touchAllWatchedKeysInDb)', () => {
    const c = masterWithReplica();
    const m = c.node('m1');
    const s = m.commands.newSession('w', true);
    let reply = '';
    const send = (...argv: string[]): void => m.commands.call(s, argv, (r) => (reply = JSON.stringify(r)));
    c.cmd('m1', 'SET', 'k', 'v'); // db 0; nothing in db 1
    send('SELECT', '1');
    send('WATCH', 'k'); // k does not exist in db 1 yet
    send('MULTI');
    send('SET', 'other', '1');
    c.cmd('m1', 'SWAPDB', '0', '1'); // k now exists in db 1
    send('EXEC');
    expect(reply).toBe(JSON.stringify({ type: 'array', items: null }));
  });
});

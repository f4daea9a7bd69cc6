/**
 * CLIENT PAUSE (networking.c pauseClients, processCommand's BLOCKED_POSTPONE) and the
 * pauses FAILOVER and SHUTDOWN take. Checked on a real redis-server 7.0.15:
 *  - errors: `CLIENT PAUSE abc` → "ERR timeout is not an integer or out of range",
 *    `-1` → "ERR timeout is negative", `100 foo` → "ERR CLIENT PAUSE mode must be WRITE
 *    or ALL"; `CLIENT PAUSE 0` → OK and pauses nothing;
 *  - PAUSE WRITE: GET answers, SET waits; inside MULTI the SET itself waits (the pause is
 *    checked before queueing) while a queued GET answers QUEUED;
 *  - a key whose TTL passed during a pause: GET nil, EXISTS 0, but DBSIZE still 1 and
 *    expired_keys 0; after CLIENT UNPAUSE the active cycle deletes it (expired_keys 1).
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../sim/redis/protocol/reply.js';
import { dbsize, linkUp, offset, runUntilTrue, stat, masterWithReplica, sendAsync } from '../helpers/replication.js';

describe('CLIENT PAUSE', () => {
  it('answers with the 7.0.15 error texts, and a 0 timeout pauses nothing', () => {
    const c = masterWithReplica();
    expect(c.text('m1', 'CLIENT', 'PAUSE', 'abc')).toBe('(error) ERR timeout is not an integer or out of range');
    expect(c.text('m1', 'CLIENT', 'PAUSE', '1.5')).toBe('(error) ERR timeout is not an integer or out of range');
    expect(c.text('m1', 'CLIENT', 'PAUSE', '-1')).toBe('(error) ERR timeout is negative');
    expect(c.text('m1', 'CLIENT', 'PAUSE', '100', 'foo')).toBe('(error) ERR CLIENT PAUSE mode must be WRITE or ALL');
    expect(c.text('m1', 'CLIENT', 'PAUSE', '0')).toBe('OK');
    expect(c.text('m1', 'SET', 'a', '1')).toBe('OK');
  });

  it('WRITE: reads go on, writes wait until the timeout, then run in order; nothing moves the offset meanwhile', () => {
    const c = masterWithReplica();
    const o = offset(c, 'm1');
    expect(c.text('m1', 'CLIENT', 'PAUSE', '500', 'WRITE')).toBe('OK');
    const first = sendAsync(c, 'm1', 'SET', 'k', '1');
    const second = sendAsync(c, 'm1', 'INCR', 'n');
    expect(c.text('m1', 'GET', 'k')).toBe('(nil)');
    c.runFor(0.45);
    expect(first()).toBeNull();
    expect(second()).toBeNull();
    expect(offset(c, 'm1')).toBe(o);
    c.runFor(0.2); // the end is noticed by serverCron (10 Hz) or the next command
    expect(first()).toEqual({ type: 'status', text: 'OK' });
    expect(second()).toEqual({ type: 'int', value: 1 });
    expect(offset(c, 'm1')).toBeGreaterThan(o);
  });

  it('ALL: every client command waits — CLIENT UNPAUSE too (checked on 7.0.15: it took the full 2 s) — but not the replica link', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'SET', 'k', 'v');
    expect(c.text('m1', 'CLIENT', 'PAUSE', '2000')).toBe('OK');
    const get = sendAsync(c, 'm1', 'GET', 'k');
    const unpause = sendAsync(c, 'm1', 'CLIENT', 'UNPAUSE');
    c.runFor(1.5);
    expect(get()).toBeNull();
    expect(unpause()).toBeNull();
    expect(linkUp(c, 'r1')).toBe(true);
    c.runFor(0.7);
    expect(get()).toEqual({ type: 'bulk', value: 'v' });
    expect(unpause()).toEqual({ type: 'status', text: 'OK' });
  });

  it('CLIENT UNPAUSE ends a WRITE pause at once', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'CLIENT', 'PAUSE', '60000', 'WRITE');
    const set = sendAsync(c, 'm1', 'SET', 'k', 'v');
    c.runFor(1);
    expect(set()).toBeNull();
    expect(c.text('m1', 'CLIENT', 'UNPAUSE')).toBe('OK');
    c.runFor(0.001);
    expect(set()).toEqual({ type: 'status', text: 'OK' });
  });

  it('WRITE inside MULTI: the queued write itself waits, a queued read answers QUEUED', () => {
    const c = masterWithReplica();
    const s = c.node('m1');
    const session = s.commands.newSession('tx');
    const replies: Reply[] = [];
    const call = (...argv: string[]) => s.commands.call(session, argv, (r) => replies.push(r));
    c.cmd('m1', 'CLIENT', 'PAUSE', '300', 'WRITE');
    call('MULTI');
    call('GET', 'a');
    call('SET', 'a', '1');
    c.runFor(0.1);
    expect(replies).toEqual([{ type: 'status', text: 'OK' }, { type: 'status', text: 'QUEUED' }]);
    c.runFor(0.4);
    expect(replies[2]).toEqual({ type: 'status', text: 'QUEUED' });
  });

  it('a TTL that passes during a pause hides the key but keeps it; the deletion (and its DEL in the stream) comes after', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'SET', 'k', 'v', 'PX', '100');
    c.runFor(0.05);
    expect(c.text('m1', 'CLIENT', 'PAUSE', '2000', 'WRITE')).toBe('OK');
    const o = offset(c, 'm1');
    c.runFor(0.5);
    expect(c.text('m1', 'GET', 'k')).toBe('(nil)');
    expect(c.text('m1', 'EXISTS', 'k')).toBe('(integer) 0');
    expect(dbsize(c, 'm1')).toBe(1);
    expect(stat(c, 'm1', 'expired_keys')).toBe(0);
    expect(offset(c, 'm1')).toBe(o);
    expect(c.text('m1', 'CLIENT', 'UNPAUSE')).toBe('OK');
    c.runFor(0.5);
    expect(dbsize(c, 'm1')).toBe(0);
    expect(stat(c, 'm1', 'expired_keys')).toBe(1);
    expect(offset(c, 'm1')).toBeGreaterThan(o);
    expect(dbsize(c, 'r1')).toBe(0);
  });

  it('WAIT during a pause sends no GETACK until the pause ends', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'SET', 'k', '1');
    c.cmd('m1', 'CLIENT', 'PAUSE', '1000', 'WRITE');
    const o = offset(c, 'm1');
    const wait = sendAsync(c, 'm1', 'WAIT', '1', '0');
    c.runFor(0.005);
    expect(offset(c, 'm1')).toBe(o); // no REPLCONF GETACK * (37 bytes) fed
    runUntilTrue(c, () => wait() !== null, 'WAIT answered', 5);
    expect(wait()).toEqual({ type: 'int', value: 1 });
  });

  it('the manual failover recipe: pause writes, let the replica catch up, promote it — partial resyncs only', () => {
    const c = masterWithReplica();
    for (let i = 0; i < 20; i++) c.cmd('m1', 'SET', `k${i}`, 'v');
    c.cmd('m1', 'CLIENT', 'PAUSE', '10000', 'WRITE');
    const late = sendAsync(c, 'm1', 'SET', 'late', '1');
    runUntilTrue(c, () => offset(c, 'r1') === offset(c, 'm1'), 'replica caught up', 5);
    expect(c.text('r1', 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(c.text('m1', 'REPLICAOF', 'r1', '6379')).toBe('OK');
    c.cmd('m1', 'CLIENT', 'UNPAUSE');
    runUntilTrue(c, () => linkUp(c, 'm1'), 'old master follows', 10);
    c.runFor(0.01);
    // The write postponed by the pause ran on what is now a replica: refused.
    expect(late()).toEqual({ type: 'error', text: "READONLY You can't write against a read only replica." });
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'r1', 'sync_full')).toBe(0);
  });
});

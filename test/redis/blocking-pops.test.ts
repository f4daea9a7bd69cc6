/**
 * Blocked list pops (blocked.c / t_list.c at 7.0.15): BLPOP, BRPOP, BLMOVE and BRPOPLPUSH
 * block until a push or their timeout, are served first-blocked first, and the served pop
 * goes down the stream as its own command right after the push that readied the key — as in
 * Redis's own "BRPOPLPUSH replication, when blocking against empty list" test, master and
 * replica end with the same data.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../sim/redis/protocol/reply.js';
import { TestCluster, digest, offset, masterWithReplica, sendAsync } from '../helpers/replication.js';

/** The commands m1 fed to its stream since offset `from`. */
function streamSince(c: TestCluster, from: number): string[] {
  const b = c.node('m1').backlog!;
  return b.unitsFrom(from + 1).flatMap((u) => u.cmds.map((argv) => argv.join(' '))).filter((t) => t !== 'ping');
}

describe('blocking list pops', () => {
  it('BRPOPLPUSH against an empty list blocks; the LPUSH serves it and the stream carries LPUSH then RPOPLPUSH', () => {
    const c = masterWithReplica();
    const from = offset(c, 'm1');
    const popped = sendAsync(c, 'm1', 'BRPOPLPUSH', 'a', 'b', '5');
    c.runFor(0.1);
    expect(popped()).toBeNull();
    expect(streamSince(c, from)).toEqual([]);
    c.cmd('m1', 'LPUSH', 'a', 'foo');
    c.runFor(0.001);
    expect(popped()).toEqual({ type: 'bulk', value: 'foo' });
    expect(streamSince(c, from)).toEqual(['SELECT 0', 'LPUSH a foo', 'RPOPLPUSH a b']);
    c.runFor(0.5);
    expect(c.text('r1', 'LRANGE', 'b', '0', '-1')).toBe('1) "foo"');
    expect(c.text('r1', 'EXISTS', 'a')).toBe('(integer) 0');
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('BLMOVE served later propagates LMOVE with LEFT/RIGHT spelled out', () => {
    const c = masterWithReplica();
    const from = offset(c, 'm1');
    const moved = sendAsync(c, 'm1', 'BLMOVE', 'src', 'dst', 'left', 'right', '0');
    c.cmd('m1', 'RPUSH', 'src', 'x', 'y');
    c.runFor(0.001);
    expect(moved()).toEqual({ type: 'bulk', value: 'x' });
    expect(streamSince(c, from)).toEqual(['SELECT 0', 'RPUSH src x y', 'LMOVE src dst LEFT RIGHT']);
  });

  it('waiters are served first-blocked first, one element each; BLPOP on several keys answers with the key that got data', () => {
    const c = masterWithReplica();
    const first = sendAsync(c, 'm1', 'BLPOP', 'q', '0');
    const second = sendAsync(c, 'm1', 'BLPOP', 'other', 'q', '0');
    c.cmd('m1', 'RPUSH', 'q', 'one');
    c.runFor(0.001);
    expect(first()).toEqual({ type: 'array', items: [{ type: 'bulk', value: 'q' }, { type: 'bulk', value: 'one' }] });
    expect(second()).toBeNull();
    c.cmd('m1', 'RPUSH', 'q', 'two');
    c.runFor(0.001);
    expect(second()).toEqual({ type: 'array', items: [{ type: 'bulk', value: 'q' }, { type: 'bulk', value: 'two' }] });
  });

  it('the timeout answers a null reply and propagates nothing; inside MULTI nothing blocks', () => {
    const c = masterWithReplica();
    const from = offset(c, 'm1');
    const pop = sendAsync(c, 'm1', 'BLPOP', 'none', '0.2');
    const move = sendAsync(c, 'm1', 'BLMOVE', 'none', 'x', 'LEFT', 'LEFT', '0.2');
    c.runFor(0.19);
    expect(pop()).toBeNull();
    c.runFor(0.02);
    expect(pop()).toEqual({ type: 'array', items: null });
    expect(move()).toEqual({ type: 'bulk', value: null });
    expect(streamSince(c, from)).toEqual([]);

    const s = c.node('m1');
    const session = s.commands.newSession('tx');
    const replies: Reply[] = [];
    for (const argv of [['MULTI'], ['BLPOP', 'none', '0'], ['EXEC']]) s.commands.call(session, argv, (r) => replies.push(r));
    expect(replies[2]).toEqual({ type: 'array', items: [{ type: 'array', items: null }] });
  });

  it('REPLICAOF on the master answers its blocked clients -UNBLOCKED', () => {
    const c = masterWithReplica();
    const pop = sendAsync(c, 'm1', 'BLPOP', 'q', '0');
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.cmd('m1', 'REPLICAOF', 'r1', '6379');
    expect(pop()).toEqual({ type: 'error', text: 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)' });
  });
});

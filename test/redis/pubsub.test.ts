/**
 * Pub/sub over the simulated network (sim/redis/pubsub.ts). Every expected reply, push and
 * offset below was read from redis-server 7.0.15 over a raw socket:
 *  - `SUBSCRIBE a b` → `*3 subscribe a :1`, `*3 subscribe b :2`; PING in that context →
 *    `*2 pong ""`, `PING hi` → `*2 pong hi`; GET → "ERR Can't execute 'get': only (P|S)SUBSCRIBE /
 *    (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"; `PSUBSCRIBE p*` → :3;
 *    UNSUBSCRIBE with nothing left → `*3 unsubscribe $-1 :0`; then PING → +PONG again.
 *  - A client on `ch` and `c*`: `PUBLISH ch hello` → :2 (message, then pmessage), `PUBLISH cx y`
 *    → :1, `PUBLISH zz q` → :0; subscribing twice to the same name does not count twice.
 *  - MULTI / SUBSCRIBE a / EXEC → `*1 [subscribe a 1]`; subscribed, MULTI is refused and EXEC
 *    answers "EXECABORT Transaction discarded because of: Can't execute 'exec': …".
 *  - RESET → +RESET and out of the subscribed context.
 *  - With a replica attached, PUBLISH moves master_repl_offset by SELECT 0 + PUBLISH (23 + 33 =
 *    56 bytes for `PUBLISH ch hi`), then 33, and 56 again from db 3; rdb_changes_since_last_save
 *    stays 0. A subscriber on the replica receives the propagated message (message, pmessage).
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, linkUp, masterWithReplica, offset, runUntilTrue } from '../helpers/replication.js';
import { NetClient, flat } from '../helpers/net-client.js';

function single(): TestCluster {
  return new TestCluster(`
nodes:
  m1: {}
`);
}

const CONTEXT_ERR = (cmd: string) =>
  `(error) ERR Can't execute '${cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;

describe('pub/sub', () => {
  it('SUBSCRIBE confirms each channel, restricts the context, and PING answers [pong, ""]', () => {
    const c = single();
    const sub = new NetClient(c, 'app1', 'm1');
    sub.send('SUBSCRIBE', 'a', 'b');
    expect(flat(sub.next())).toEqual(['subscribe', 'a', 1]);
    expect(flat(sub.next())).toEqual(['subscribe', 'b', 2]);
    sub.send('PING');
    expect(flat(sub.next())).toEqual(['pong', '']);
    sub.send('PING', 'hi');
    expect(flat(sub.next())).toEqual(['pong', 'hi']);
    expect(sub.run('GET', 'x')).toBe(CONTEXT_ERR('get'));
    sub.send('PSUBSCRIBE', 'p*');
    expect(flat(sub.next())).toEqual(['psubscribe', 'p*', 3]);
    sub.send('UNSUBSCRIBE');
    const two = [flat(sub.next()), flat(sub.next())];
    // Redis walks a dict here (hash order); the counts go 2 then 1 either way.
    expect(two.map((r) => (r as unknown[])[2])).toEqual([2, 1]);
    expect(two.map((r) => (r as unknown[])[1]).sort()).toEqual(['a', 'b']);
    sub.send('PUNSUBSCRIBE');
    expect(flat(sub.next())).toEqual(['punsubscribe', 'p*', 0]);
    sub.send('UNSUBSCRIBE');
    expect(flat(sub.next())).toEqual(['unsubscribe', null, 0]);
    expect(sub.run('PING')).toBe('PONG');
    expect(sub.run('GET', 'x')).toBe('(nil)');
  });

  it('PUBLISH delivers to channel subscribers, then to matching patterns, and counts deliveries', () => {
    const c = single();
    const sub = new NetClient(c, 'app1', 'm1');
    const pub = new NetClient(c, 'app2', 'm1');
    for (const argv of [['SUBSCRIBE', 'ch'], ['PSUBSCRIBE', 'c*'], ['PSUBSCRIBE', 'c*'], ['SUBSCRIBE', 'ch']]) {
      sub.send(...argv);
      sub.next();
    }
    expect(flat(sub.received.at(-1)!)).toEqual(['subscribe', 'ch', 2]);
    expect(pub.run('PUBLISH', 'ch', 'hello')).toBe('(integer) 2');
    expect(pub.run('PUBLISH', 'cx', 'y')).toBe('(integer) 1');
    expect(pub.run('PUBLISH', 'zz', 'q')).toBe('(integer) 0');
    expect(flat(sub.next())).toEqual(['message', 'ch', 'hello']);
    expect(flat(sub.next())).toEqual(['pmessage', 'c*', 'ch', 'hello']);
    expect(flat(sub.next())).toEqual(['pmessage', 'c*', 'cx', 'y']);
    c.runFor(1);
    expect(sub.unread()).toEqual([]);
  });

  it('pushes carry their exact RESP length on the wire', () => {
    const c = single();
    const sub = new NetClient(c, 'app1', 'm1');
    sub.send('SUBSCRIBE', 'ch');
    sub.next();
    new NetClient(c, 'app2', 'm1').run('PUBLISH', 'ch', 'hello');
    sub.next();
    expect(sub.receivedBytes).toEqual(['*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n'.length, '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n'.length]);
  });

  it('SUBSCRIBE inside MULTI runs at EXEC; a subscribed client cannot open a transaction', () => {
    const c = single();
    const cl = new NetClient(c, 'app1', 'm1');
    expect(cl.run('MULTI')).toBe('OK');
    expect(cl.run('SUBSCRIBE', 'a')).toBe('QUEUED');
    cl.send('EXEC');
    expect(flat(cl.next())).toEqual([['subscribe', 'a', 1]]);
    expect(cl.run('GET', 'a')).toBe(CONTEXT_ERR('get'));
  });

  it('a subscribed client: MULTI and PUBLISH refused, EXEC aborts, RESET leaves the context', () => {
    const c = single();
    const cl = new NetClient(c, 'app1', 'm1');
    cl.send('SUBSCRIBE', 'a');
    cl.next();
    expect(cl.run('MULTI')).toBe(CONTEXT_ERR('multi'));
    expect(cl.run('PUBLISH', 'a', 'b')).toBe(CONTEXT_ERR('publish'));
    expect(cl.run('EXEC')).toBe(
      "(error) EXECABORT Transaction discarded because of: Can't execute 'exec': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    );
    expect(cl.run('RESET')).toBe('RESET');
    expect(cl.run('GET', 'a')).toBe('(nil)');
    expect(new NetClient(c, 'app2', 'm1').run('PUBLISH', 'a', 'x')).toBe('(integer) 0');
  });

  it('PUBLISH is propagated to replicas (with a SELECT), not counted as a change, and delivered on the replica', () => {
    const c = masterWithReplica();
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up');
    const onReplica = new NetClient(c, 'app1', 'r1');
    onReplica.send('SUBSCRIBE', 'ch');
    onReplica.next();
    onReplica.send('PSUBSCRIBE', 'c*');
    onReplica.next();
    const pub = new NetClient(c, 'app2', 'm1');
    const dirty = c.infoNum('m1', 'rdb_changes_since_last_save');
    // The first command after the sync carries a SELECT: 23 + 33 bytes.
    const o0 = offset(c, 'm1');
    pub.run('PUBLISH', 'ch', 'hi');
    const o1 = offset(c, 'm1');
    pub.run('PUBLISH', 'ch', 'hi');
    const o2 = offset(c, 'm1');
    pub.run('SELECT', '3');
    pub.run('PUBLISH', 'ch', 'hi');
    const o3 = offset(c, 'm1');
    expect([o1 - o0, o2 - o1, o3 - o2]).toEqual([56, 33, 56]);
    expect(c.infoNum('m1', 'rdb_changes_since_last_save')).toBe(dirty);
    expect(flat(onReplica.next())).toEqual(['message', 'ch', 'hi']);
    expect(flat(onReplica.next())).toEqual(['pmessage', 'c*', 'ch', 'hi']);
    runUntilTrue(c, () => offset(c, 'r1') === o3, 'replica caught up');
    expect(c.infoNum('r1', 'slave_repl_offset')).toBe(o3);
  });

  it('an in-process session subscribes with a push callback', () => {
    const c = single();
    const s = c.node('m1');
    const session = s.commands.newSession('listener');
    const pushed: unknown[] = [];
    session.push = (r) => pushed.push(flat(r));
    let confirmation: unknown = null;
    s.commands.call(session, ['SUBSCRIBE', 'x', 'y'], (r) => (confirmation = flat(r)));
    expect(pushed).toEqual([['subscribe', 'x', 1]]);
    expect(confirmation).toEqual(['subscribe', 'y', 2]);
    expect(c.text('m1', 'PUBLISH', 'y', 'm')).toBe('(integer) 1');
    expect(pushed.at(-1)).toEqual(['message', 'y', 'm']);
  });
});

/**
 * Consumer groups across replication (t_stream.c / blocked.c at 7.0.15): what XREADGROUP
 * puts in the stream (an XCLAIM … FORCE JUSTID LASTID per delivered entry, in MULTI/EXEC
 * when more than one), that a replica rebuilds the same PEL from it and from a full sync's
 * RDB, and that blocked XREAD / XREADGROUP are served by the XADD that readies their key,
 * their XCLAIM going out as a unit of its own right after the XADD. Cases were checked
 * against a real 7.0.15 master and replica (entries-read stays nil on the replica after an
 * acknowledged read: only NOACK reads propagate it).
 */
import { describe, expect, it } from 'vitest';
import { Client, TestCluster, digest, offset, masterWithReplica, runUntilTrue, linkUp, sendAsync } from '../helpers/replication.js';
import { formatReply } from '../../sim/redis/protocol/reply.js';

/** The commands m1 fed to its stream since offset `from`, with XCLAIM's TIME masked. */
function streamSince(c: TestCluster, from: number): string[] {
  const b = c.node('m1').backlog!;
  return b
    .unitsFrom(from + 1)
    .flatMap((u) => u.cmds.map((argv) => (argv[0] === 'XCLAIM' ? [...argv.slice(0, 7), 'T', ...argv.slice(8)] : argv).join(' ')))
    .filter((t) => t !== 'ping');
}

function fill(c: TestCluster): void {
  for (const [id, v] of [['1-1', 'a'], ['2-1', 'b'], ['3-1', 'c']]) c.cmd('m1', 'XADD', 's', id!, 'f', v!);
  c.cmd('m1', 'XGROUP', 'CREATE', 's', 'g', '0');
}

/** XPENDING's extended form without the idle times (the nodes' clocks differ). */
function pending(c: TestCluster, node: string): string {
  return c.text(node, 'XPENDING', 's', 'g', '-', '+', '100').replace(/3\) \(integer\) \d+/g, '3) idle');
}

describe('consumer groups on a replica', () => {
  it('XREADGROUP propagates one XCLAIM per entry in MULTI/EXEC; the replica holds the same PEL, entries-read nil', () => {
    const c = masterWithReplica();
    fill(c);
    const from = offset(c, 'm1');
    c.cmd('m1', 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>');
    expect(streamSince(c, from)).toEqual([
      'MULTI',
      'XCLAIM s g alice 0 1-1 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 1-1',
      'XCLAIM s g alice 0 2-1 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 2-1',
      'EXEC',
    ]);
    c.runFor(0.5);
    expect(pending(c, 'r1')).toBe(pending(c, 'm1'));
    expect(c.text('m1', 'XINFO', 'GROUPS', 's')).toMatch(/10\) \(integer\) 2\n +11\) "lag"\n +12\) \(integer\) 1/);
    // 7.0.15: the XCLAIMs move the replica's last ID, not its read counter, so lag is unknown there.
    expect(c.text('r1', 'XINFO', 'GROUPS', 's')).toMatch(/9\) "entries-read"\n +10\) \(nil\)\n +11\) "lag"\n +12\) \(nil\)/);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('a NOACK read propagates the consumer and XGROUP SETID … ENTRIESREAD; XACK and XCLAIM follow', () => {
    const c = masterWithReplica();
    fill(c);
    const from = offset(c, 'm1');
    c.cmd('m1', 'XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'STREAMS', 's', '>');
    expect(streamSince(c, from)).toEqual(['MULTI', 'XGROUP CREATECONSUMER s g bob', 'XGROUP SETID s g 3-1 ENTRIESREAD 3', 'EXEC']);
    c.cmd('m1', 'XGROUP', 'SETID', 's', 'g', '0');
    c.cmd('m1', 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    c.cmd('m1', 'XACK', 's', 'g', '2-1');
    c.cmd('m1', 'XCLAIM', 's', 'g', 'bob', '0', '3-1');
    c.runFor(0.5);
    expect(pending(c, 'r1')).toBe(pending(c, 'm1'));
    expect(c.text('r1', 'XINFO', 'CONSUMERS', 's', 'g').replace(/\(integer\) \d+$/gm, 'n')).toBe(c.text('m1', 'XINFO', 'CONSUMERS', 's', 'g').replace(/\(integer\) \d+$/gm, 'n'));
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('a replica that full-syncs later gets the groups, consumers and PEL in the RDB', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: {}
`);
    fill(c);
    c.cmd('m1', 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    c.cmd('m1', 'XCLAIM', 's', 'g', 'bob', '0', '2-1', 'RETRYCOUNT', '7');
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 10);
    expect(pending(c, 'r1')).toBe(pending(c, 'm1'));
    expect(c.text('r1', 'XINFO', 'GROUPS', 's')).toBe(c.text('m1', 'XINFO', 'GROUPS', 's'));
  });

  it('after a failover the promoted replica serves the same PEL: history reads and XAUTOCLAIM', () => {
    const c = masterWithReplica();
    fill(c);
    c.cmd('m1', 'XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    c.runFor(0.5);
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    expect(c.text('r1', 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '0')).toBe('1) 1) "s"\n   2) 1) 1) "1-1"\n         2) 1) "f"\n            2) "a"');
    expect(c.text('r1', 'XAUTOCLAIM', 's', 'g', 'bob', '0', '0', 'COUNT', '2', 'JUSTID')).toBe('1) "3-1"\n2) 1) "1-1"\n   2) "2-1"\n3) (empty array)');
    expect(c.text('r1', 'XPENDING', 's', 'g')).toBe('1) (integer) 3\n2) "1-1"\n3) "3-1"\n4) 1) 1) "alice"\n      2) "1"\n   2) 1) "bob"\n      2) "2"');
  });
});

describe('blocked stream reads', () => {
  it('XREADGROUP BLOCK is served by the XADD; its XCLAIM is a unit of its own after the XADD', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const from = offset(c, 'm1');
    const read = sendAsync(c, 'm1', 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    c.runFor(0.1);
    expect(read()).toBeNull();
    c.cmd('m1', 'XADD', 's', '5-1', 'f', 'v');
    c.runFor(0.001);
    expect(formatReply(read()!)).toBe('1) 1) "s"\n   2) 1) 1) "5-1"\n         2) 1) "f"\n            2) "v"');
    expect(streamSince(c, from)).toEqual(['XADD s 5-1 f v', 'XCLAIM s g alice 0 5-1 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 5-1']);
    c.runFor(0.5);
    expect(pending(c, 'r1')).toBe(pending(c, 'm1'));
  });

  it('XREAD BLOCK $ on a replica is served when the master XADD arrives; the timeout answers nil', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'XADD', 's', '1-1', 'f', 'old');
    c.runFor(0.5);
    const read = sendAsync(c, 'r1', 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    const timed = sendAsync(c, 'r1', 'XREAD', 'BLOCK', '200', 'STREAMS', 'other', '$');
    c.runFor(0.1);
    expect(read()).toBeNull();
    c.cmd('m1', 'XADD', 's', '2-1', 'f', 'new');
    c.runFor(0.5);
    expect(formatReply(read()!)).toBe('1) 1) "s"\n   2) 1) 1) "2-1"\n         2) 1) "f"\n            2) "new"');
    expect(timed()).toEqual({ type: 'array', items: null });
  });

  it('a waiter whose new entry was deleted in the same transaction is still served, with an empty list (real 7.0.15)', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'XADD', 's', '1-1', 'f', 'a');
    const read = sendAsync(c, 'm1', 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    const tx = new Client(c, 'm1');
    tx.pipeline([['MULTI'], ['XADD', 's', '2-1', 'f', 'b'], ['XDEL', 's', '2-1'], ['EXEC']]);
    c.runFor(0.001);
    expect(formatReply(read()!)).toBe('1) 1) "s"\n   2) (empty array)');
  });

  it('a waiter on several keys is served from one key, as real 7.0.15 answers', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'XADD', 'a', '1-1', 'f', 'a');
    c.cmd('m1', 'XADD', 'b', '1-1', 'f', 'a');
    const first = sendAsync(c, 'm1', 'XREAD', 'BLOCK', '0', 'STREAMS', 'a', 'b', '$', '$');
    new Client(c, 'm1').pipeline([['MULTI'], ['XADD', 'a', '2-1', 'f', 'x'], ['XADD', 'b', '2-1', 'f', 'y'], ['EXEC']]);
    c.runFor(0.001);
    expect(formatReply(first()!)).toBe('1) 1) "a"\n   2) 1) 1) "2-1"\n         2) 1) "f"\n            2) "x"');
    const second = sendAsync(c, 'm1', 'XREAD', 'BLOCK', '0', 'STREAMS', 'a', 'b', '$', '$');
    c.cmd('m1', 'XADD', 'b', '3-1', 'f', 'z');
    c.runFor(0.001);
    expect(formatReply(second()!)).toBe('1) 1) "b"\n   2) 1) 1) "3-1"\n         2) 1) "f"\n            2) "z"');
  });

  it('a blocked XREADGROUP gets -NOGROUP when its group is destroyed and -UNBLOCKED when its key is deleted; MULTI never blocks, a script may not', () => {
    const c = masterWithReplica();
    c.cmd('m1', 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    c.cmd('m1', 'XGROUP', 'CREATE', 's', 'h', '$');
    const a = sendAsync(c, 'm1', 'XREADGROUP', 'GROUP', 'g', 'x', 'BLOCK', '0', 'STREAMS', 's', '>');
    const b = sendAsync(c, 'm1', 'XREADGROUP', 'GROUP', 'h', 'x', 'BLOCK', '0', 'STREAMS', 's', '>');
    c.cmd('m1', 'XGROUP', 'DESTROY', 's', 'g');
    c.runFor(0.001);
    expect(formatReply(a()!)).toBe('(error) NOGROUP the consumer group this client was blocked on no longer exists');
    expect(b()).toBeNull();
    c.cmd('m1', 'DEL', 's');
    c.runFor(0.001);
    expect(formatReply(b()!)).toBe('(error) UNBLOCKED the stream key no longer exists');
    expect(c.node('m1').commands.blocked.count).toBe(0);
    const tx = new Client(c, 'm1');
    expect(tx.pipeline([['MULTI'], ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'], ['EXEC']])).toEqual(['OK', 'QUEUED', '1) (nil)']);
    // Real 7.0.15, same script: the command's own error, with the script's location.
    expect(c.text('m1', 'EVAL', "return redis.call('xread','BLOCK','0','STREAMS','s','$')", '0')).toBe(
      '(error) ERR xread command is not allowed with BLOCK option from scripts script: 172974610bd4ae26edc6abd8c78f3d6ee3f56de0, on @user_script:1.',
    );
  });
});

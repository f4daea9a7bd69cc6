/**
 * Chained replication A → B → C (redis-replication.md §3.4, §3.7, §7.2, §12.8): B proxies
 * exactly the bytes it applied, so the whole chain shares one replid and one offset; B never
 * PINGs on its own; B's partial resync leaves C alone; B's full resync and B's promotion
 * disconnect C; an ID change at the top travels down through +CONTINUE <new id>.
 */
import { describe, expect, it } from 'vitest';
import { Client, TestCluster, burst, digest, linkUp, offset, replid, runUntilConverged, runUntilTrue, stat, traceTimes } from '../helpers/replication.js';

function chain(extraConfig = '', network = ''): TestCluster {
  const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
${extraConfig}
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: r1 }
dataset: { node: m1, keys: 300, value-size: 20 }
${network}`);
  runUntilTrue(c, () => linkUp(c, 'r1') && linkUp(c, 'r2'), 'chain up', 10);
  c.runFor(1);
  return c;
}

describe('chained replicas', () => {
  it('every node of a chain has the same replid and byte-identical offsets, and the bottom has the top dataset', () => {
    const c = chain('  repl-ping-replica-period: 1');
    const cl = new Client(c, 'm1');
    cl.pipeline([['SET', 'a', '1'], ['SELECT', '3'], ['INCR', 'b'], ['MULTI'], ['SET', 'c', '1'], ['SADD', 's', 'x', 'y'], ['EXEC'], ['SPOP', 's']]);
    c.runFor(2.5);
    const o = offset(c, 'm1');
    expect(offset(c, 'r1')).toBe(o);
    expect(offset(c, 'r2')).toBe(o);
    expect(c.infoNum('r2', 'slave_repl_offset')).toBe(o);
    expect(replid(c, 'r1')).toBe(replid(c, 'm1'));
    expect(replid(c, 'r2')).toBe(replid(c, 'm1'));
    expect(digest(c, 'r2')).toBe(digest(c, 'm1'));
    // The intermediate's backlog holds the same bytes as the master's.
    expect(c.infoNum('r1', 'repl_backlog_histlen')).toBeGreaterThan(0);
  });

  it('the intermediate replica feeds no PINGs of its own: cut off from the top, the chain below it stands still', () => {
    const c = chain('  repl-ping-replica-period: 1');
    c.act({ kind: 'partition', groups: [['m1'], ['r1', 'r2']] });
    const o = offset(c, 'r1');
    c.runFor(4);
    expect(offset(c, 'm1')).toBeGreaterThanOrEqual(o + 3 * 14);
    expect(offset(c, 'r1')).toBe(o);
    expect(offset(c, 'r2')).toBe(o);
    c.act({ kind: 'heal', target: 'all' });
    // The first PING stalled within 1 s of the cut; its retransmissions (0.2, 0.6, 1.4, 3.0,
    // 6.2 s after it) put the first one after the 4 s heal at most 7.2 s after the cut.
    c.runFor(3.5);
    expect(offset(c, 'r2')).toBe(offset(c, 'm1'));
  });

  it("the intermediate's partial resync with its master leaves the sub-replica connected and untouched", () => {
    const c = chain();
    burst(c, 'm1', 50);
    c.act({ kind: 'kill-link', node: 'r1' });
    c.runFor(1);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(0);
    expect(stat(c, 'r1', 'sync_full')).toBe(1);
    expect(c.traceKinds('replica.link-down', 'r2')).toHaveLength(0);
    c.cmd('m1', 'SET', 'after', 'kill');
    c.runFor(0.5);
    expect(c.text('r2', 'GET', 'after')).toBe('"kill"');
    expect(c.text('r2', 'EXISTS', 'burst:49')).toBe('(integer) 1');
    expect(offset(c, 'r2')).toBe(offset(c, 'm1'));
  });

  it("the intermediate's full resync disconnects the sub-replica, which then needs a full sync from it", () => {
    // As in replication-full-resync: 20 ms links, a 16 KB backlog overrun while r1 reconnects.
    const c = chain('  repl-backlog-size: 16kb\n  repl-ping-replica-period: 3600', 'network: { latency: 20ms }');
    c.act({ kind: 'kill-link', node: 'r1' });
    c.runFor(0.03);
    burst(c, 'm1', 2000);
    runUntilConverged(c, 20);
    expect(stat(c, 'm1', 'sync_full')).toBe(2);
    expect(c.traceKinds('replica.link-down', 'r2').length).toBeGreaterThanOrEqual(1);
    // r1 freed its backlog when its load started: r2's PSYNC cannot be served.
    expect(stat(c, 'r1', 'sync_full')).toBe(2);
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(0);
    expect(digest(c, 'r2')).toBe(digest(c, 'm1'));
    expect(offset(c, 'r2')).toBe(offset(c, 'm1'));
  });

  it('when the intermediate loses its master the sub-replica times out too, is refused with -NOMASTERLINK until the intermediate is back, then all resync partially', () => {
    const c = chain('  repl-ping-replica-period: 1\n  repl-timeout: 5');
    const t0 = c.now;
    c.act({ kind: 'partition', groups: [['m1'], ['r1', 'r2']] });
    c.runFor(12);
    const r2t = traceTimes(c, 'replica.timeout', 'r2');
    expect(r2t.length).toBeGreaterThanOrEqual(1);
    expect(r2t[0]!).toBeGreaterThan(t0 + 4_000_000);
    expect(r2t[0]!).toBeLessThanOrEqual(t0 + 7_005_000);
    const errors = c.traceKinds('replica.psync-error', 'r2').map((r) => String(r['reply']));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    for (const e of errors) expect(e.startsWith('NOMASTERLINK')).toBe(true);
    c.act({ kind: 'heal', target: 'all' });
    runUntilConverged(c, 20);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(stat(c, 'r1', 'sync_full')).toBe(1);
  });

  it('promoting the intermediate disconnects its sub-replica, which resyncs partially through replid2', () => {
    const c = chain('  repl-ping-replica-period: 3600');
    const oldId = replid(c, 'm1');
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    runUntilTrue(c, () => linkUp(c, 'r2') && replid(c, 'r2') === replid(c, 'r1'), 'r2 back on r1', 10);
    expect(c.traceKinds('replica.link-down', 'r2').length).toBe(1);
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'r1', 'sync_full')).toBe(1);
    expect(c.info('r2', 'master_replid2')).toBe(oldId);
  });

  it('a replid change at the top travels down: B gets +CONTINUE <new id>, shifts, drops C, and C continues through replid2', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no", repl-ping-replica-period: 3600 }
nodes:
  m1: {}
  a: { replicaof: m1 }
  b: { replicaof: a }
  cc: { replicaof: b }
dataset: { node: m1, keys: 100, value-size: 20 }
`);
    runUntilTrue(c, () => linkUp(c, 'a') && linkUp(c, 'b') && linkUp(c, 'cc'), 'chain up', 10);
    c.cmd('m1', 'SET', 'foo', 'bar');
    c.runFor(1);
    const oldId = replid(c, 'm1');
    c.cmd('a', 'REPLICAOF', 'NO', 'ONE');
    const newId = replid(c, 'a');
    runUntilTrue(c, () => linkUp(c, 'b') && linkUp(c, 'cc') && replid(c, 'cc') === newId, 'chain on the new id', 10);
    expect(c.traceKinds('replica.continue', 'b').at(-1)!['replid']).toBe(newId);
    expect(stat(c, 'a', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'b', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'a', 'sync_full')).toBe(1);
    expect(stat(c, 'b', 'sync_full')).toBe(1);
    for (const n of ['b', 'cc']) {
      expect(c.info(n, 'master_replid2')).toBe(oldId);
      expect(offset(c, n)).toBe(offset(c, 'a'));
    }
    c.cmd('a', 'SET', 'new', 'top');
    c.runFor(0.5);
    expect(c.text('cc', 'GET', 'new')).toBe('"top"');
  });
});

/**
 * PSYNC2 across a manual failover (REPLICAOF NO ONE + REPLICAOF), redis-replication.md §1
 * step 11, §2.2, §7.1, §12.4, §12.6. Expected values follow the spec's rules: promotion
 * shifts the IDs (replid2 = old replid, second_repl_offset = offset + 1); a PSYNC under the old
 * ID is accepted up to second_repl_offset and rejected beyond it ("Requested offset for
 * second ID was N, but I can reply up to M") → full sync.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../sim/redis/reply.js';
import { TestCluster, digest, linkUp, offset, replid, runUntilConverged, runUntilTrue, stat } from '../helpers/replication.js';

const ZERO = '0'.repeat(40);

function trio(pingPeriod = 3600): TestCluster {
  const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
  repl-ping-replica-period: ${pingPeriod}
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: m1 }
dataset: { node: m1, keys: 200, value-size: 20 }
`);
  runUntilTrue(c, () => linkUp(c, 'r1') && linkUp(c, 'r2'), 'links up', 10);
  c.cmd('m1', 'SET', 'foo', 'bar');
  c.cmd('m1', 'INCR', 'n');
  c.runFor(1.5);
  return c;
}

describe('failover and PSYNC2', () => {
  it('REPLICAOF NO ONE shifts the replication IDs: replid2 = old replid, second_repl_offset = offset + 1, offset unchanged', () => {
    const c = trio();
    const oldId = replid(c, 'm1');
    const o = offset(c, 'r1');
    expect(o).toBe(offset(c, 'm1'));
    expect(c.text('r1', 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(c.info('r1', 'role')).toBe('master');
    expect(c.info('r1', 'master_replid2')).toBe(oldId);
    expect(c.infoNum('r1', 'second_repl_offset')).toBe(o + 1);
    expect(replid(c, 'r1')).not.toBe(oldId);
    expect(replid(c, 'r1')).not.toBe(ZERO);
    expect(offset(c, 'r1')).toBe(o);
    // The backlog is kept, so former siblings can PSYNC from it.
    expect(c.infoNum('r1', 'repl_backlog_active')).toBe(1);
    expect(c.text('r1', 'SET', 'now', 'writable')).toBe('OK');
  });

  it('a sibling pointed at the promoted replica resyncs partially: +CONTINUE <new replid>, and it shifts its own IDs', () => {
    const c = trio();
    const oldId = replid(c, 'm1');
    const o = offset(c, 'r2');
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    const newId = replid(c, 'r1');
    c.cmd('r2', 'REPLICAOF', 'r1', '6379');
    runUntilTrue(c, () => linkUp(c, 'r2'), 'r2 link up', 10);
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'r1', 'sync_full')).toBe(0);
    const psync = c.traceKinds('replica.psync', 'r2').at(-1)!;
    expect([psync['replid'], psync['offset']]).toEqual([oldId, o + 1]);
    expect(c.traceKinds('replica.continue', 'r2').at(-1)!['replid']).toBe(newId);
    // §1 step 8: replid2 = old id, second_repl_offset = master_repl_offset + 1, replid = new id.
    expect(replid(c, 'r2')).toBe(newId);
    expect(c.info('r2', 'master_replid2')).toBe(oldId);
    expect(c.infoNum('r2', 'second_repl_offset')).toBe(o + 1);
    c.cmd('r1', 'SET', 'after', 'promotion');
    c.runFor(0.5);
    expect(c.text('r2', 'GET', 'after')).toBe('"promotion"');
    expect(offset(c, 'r2')).toBe(offset(c, 'r1'));
    expect(digest(c, 'r2')).toBe(digest(c, 'r1'));
  });

  it('the old master demoted without extra writes resyncs partially with the promoted replica', () => {
    const c = trio();
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.cmd('m1', 'REPLICAOF', 'r1', '6379');
    runUntilTrue(c, () => linkUp(c, 'm1'), 'm1 link up', 10);
    // replicationCacheMasterUsingMyself: m1 PSYNCs with its own id and offset + 1.
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'r1', 'sync_full')).toBe(0);
    expect(c.info('m1', 'role')).toBe('slave');
    expect(replid(c, 'm1')).toBe(replid(c, 'r1'));
  });

  it('the old master demoted after extra writes needs a full sync, and its extra writes are lost', () => {
    const c = trio();
    const o = offset(c, 'r1');
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    expect(c.text('m1', 'SET', 'extra', 'write')).toBe('OK');
    expect(offset(c, 'm1')).toBeGreaterThan(o);
    c.cmd('m1', 'REPLICAOF', 'r1', '6379');
    runUntilTrue(c, () => linkUp(c, 'm1'), 'm1 link up', 10);
    expect(stat(c, 'r1', 'sync_full')).toBe(1);
    expect(stat(c, 'r1', 'sync_partial_err')).toBe(1);
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(0);
    const rejected = c.traceKinds('master.psync-rejected', 'r1').at(-1)!;
    expect(String(rejected['reason'])).toMatch(/second id/);
    expect(c.text('m1', 'GET', 'extra')).toBe('(nil)');
    expect(digest(c, 'm1')).toBe(digest(c, 'r1'));
  });

  it('even one stray PING fed by the old master after the promotion point forces its full sync', () => {
    // repl-ping-replica-period 1: m1 still has r2, so it PINGs (14 bytes) every second.
    const c = trio(1);
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    const o = offset(c, 'r1');
    c.runFor(2.5);
    expect(offset(c, 'm1')).toBeGreaterThanOrEqual(o + 14);
    c.cmd('m1', 'REPLICAOF', 'r1', '6379');
    runUntilTrue(c, () => linkUp(c, 'm1'), 'm1 link up', 10);
    expect(stat(c, 'r1', 'sync_full')).toBe(1);
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(0);
  });

  it('a sibling that received more than the promoted replica cannot continue under the old ID: full sync, its extra data lost', () => {
    const c = trio();
    // Stall m1 → r1 only: r2 gets the next write, r1 does not.
    c.act({ kind: 'partition', groups: [['m1'], ['r1']] });
    c.cmd('m1', 'SET', 'only', 'r2');
    c.runFor(0.5);
    expect(c.text('r2', 'GET', 'only')).toBe('"r2"');
    expect(c.text('r1', 'GET', 'only')).toBe('(nil)');
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.act({ kind: 'heal', target: 'all' });
    c.cmd('r2', 'REPLICAOF', 'r1', '6379');
    runUntilTrue(c, () => linkUp(c, 'r2'), 'r2 link up', 10);
    expect(stat(c, 'r1', 'sync_full')).toBe(1);
    expect(stat(c, 'r1', 'sync_partial_err')).toBe(1);
    expect(String(c.traceKinds('master.psync-rejected', 'r1').at(-1)!['reason'])).toMatch(/second id/);
    expect(c.text('r2', 'GET', 'only')).toBe('(nil)');
    expect(digest(c, 'r2')).toBe(digest(c, 'r1'));
  });

  it('after a failover the whole group converges on the new master with partial resyncs only', () => {
    const c = trio();
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.cmd('r2', 'REPLICAOF', 'r1', '6379');
    c.cmd('m1', 'REPLICAOF', 'r1', '6379');
    c.cmd('r1', 'SET', 'x', '1');
    runUntilConverged(c, 10);
    expect(stat(c, 'r1', 'sync_partial_ok')).toBe(2);
    expect(stat(c, 'r1', 'sync_full')).toBe(0);
    for (const n of ['m1', 'r2']) expect(digest(c, n)).toBe(digest(c, 'r1'));
  });

  it('a client blocked in WAIT on a master gets -UNBLOCKED when REPLICAOF turns the master into a replica', () => {
    const c = trio();
    const m1 = c.node('m1');
    let reply: Reply | null = null;
    m1.commands.call(m1.commands.newSession('waiter'), ['WAIT', '5', '0'], (r) => (reply = r));
    c.runFor(0.5);
    expect(reply).toBeNull();
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.cmd('m1', 'REPLICAOF', 'r1', '6379');
    expect(reply).not.toBeNull();
    expect(reply!.type).toBe('error');
    expect((reply as { text: string } | null)!.text.startsWith('UNBLOCKED')).toBe(true);
  });
});

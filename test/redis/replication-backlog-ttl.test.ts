/**
 * repl-backlog-ttl (redis-replication.md §4 "Freeing on a master", §12.3, upstream test 25).
 * Cron frees a master's backlog once `unixtime - repl_no_slaves_since > ttl` (whole seconds,
 * 1 Hz): with the last replica gone at D the backlog goes at a tick T with T − D ∈ (ttl, ttl+2].
 * Checked on a real redis-server 7.0.15 with ttl 2: still active 3 s after the replica left,
 * freed at 4 s ("Replication backlog freed after 2 seconds without connected replicas."), a new
 * master_replid, master_repl_offset unchanged, repl_backlog_first_byte_offset 0, histlen 0.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, digest, linkUp, offset, replid, runUntilConverged, runUntilTrue, stat } from '../helpers/replication.js';
import { sec } from '../../sim/engine/time.js';

const ZERO = '0'.repeat(40);

function pair(ttl: number, extra = ''): TestCluster {
  const c = new TestCluster(`
config: { repl-diskless-sync: "no", repl-backlog-ttl: ${ttl} }
nodes:
  m1: {}
  r1: { replicaof: m1 }
${extra}`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
  c.cmd('m1', 'SET', 'foo', 'bar');
  c.runFor(1);
  return c;
}

describe('repl-backlog-ttl', () => {
  it('the backlog is freed within (ttl, ttl+2] s after the last replica left, under a new replid; the offset stays and stops moving', () => {
    const ttl = 5;
    const c = pair(ttl);
    const id = replid(c, 'm1');
    const off = offset(c, 'm1');
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.runFor(0.01);
    expect(c.infoNum('m1', 'connected_slaves')).toBe(0);
    const d = c.traceKinds('master.replica-lost', 'm1')[0]!.t;
    c.runUntil(d + sec(ttl));
    expect(c.infoNum('m1', 'repl_backlog_active')).toBe(1);
    c.runUntil(d + sec(ttl + 2) + 1000);
    const freed = c.traceKinds('master.backlog-freed', 'm1');
    expect(freed).toHaveLength(1);
    expect(freed[0]!.t - d).toBeGreaterThan(sec(ttl));
    expect(c.infoNum('m1', 'repl_backlog_active')).toBe(0);
    expect(c.infoNum('m1', 'repl_backlog_first_byte_offset')).toBe(0);
    expect(c.infoNum('m1', 'repl_backlog_histlen')).toBe(0);
    expect(replid(c, 'm1')).not.toBe(id);
    expect(c.info('m1', 'master_replid2')).toBe(ZERO);
    expect(offset(c, 'm1')).toBe(off);
    // Without a backlog nothing is fed: writes leave master_repl_offset alone (§3.2).
    c.cmd('m1', 'SET', 'a', '1');
    expect(offset(c, 'm1')).toBe(off);
  });

  it('a replica coming back after its master freed the backlog cannot continue (replid mismatch) and full-syncs', () => {
    const c = pair(5, '');
    c.cmd('m1', 'CONFIG', 'SET', 'repl-timeout', '2');
    c.cmd('r1', 'CONFIG', 'SET', 'repl-timeout', '2');
    const id = replid(c, 'm1');
    c.act({ kind: 'partition', groups: [['m1'], ['r1']] });
    c.runFor(12);
    expect(c.traceKinds('master.backlog-freed', 'm1')).toHaveLength(1);
    const idWhileAlone = replid(c, 'm1');
    expect(idWhileAlone).not.toBe(id);
    c.act({ kind: 'heal', target: 'all' });
    runUntilConverged(c, 15);
    expect(stat(c, 'm1', 'sync_partial_err')).toBe(1);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(0);
    expect(stat(c, 'm1', 'sync_full')).toBe(2);
    // The first replica of a master without a backlog changes the replid once more (§2.1 step 8).
    expect(replid(c, 'm1')).not.toBe(idWhileAlone);
    expect(replid(c, 'r1')).toBe(replid(c, 'm1'));
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('the backlog is kept as long as a replica stays connected, however long that is', () => {
    const c = pair(2);
    const id = replid(c, 'm1');
    c.runFor(10);
    expect(c.infoNum('m1', 'repl_backlog_active')).toBe(1);
    expect(replid(c, 'm1')).toBe(id);
    expect(c.traceKinds('master.backlog-freed', 'm1')).toHaveLength(0);
  });

  it('replicas never free their backlog for ttl reasons', () => {
    const c = pair(2);
    c.runFor(10);
    expect(c.infoNum('r1', 'connected_slaves')).toBe(0);
    expect(c.infoNum('r1', 'repl_backlog_active')).toBe(1);
    expect(c.traceKinds('master.backlog-freed', 'r1')).toHaveLength(0);
  });

  it("a promoted replica's idle clock starts at the promotion, not when it last had replicas", () => {
    const ttl = 3;
    const c = pair(ttl);
    c.runFor(10); // r1 has had no replicas of its own all along
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    const p = c.now;
    c.runFor(ttl);
    expect(c.infoNum('r1', 'repl_backlog_active')).toBe(1);
    c.runFor(2.01);
    const freed = c.traceKinds('master.backlog-freed', 'r1');
    expect(freed).toHaveLength(1);
    expect(freed[0]!.t - p).toBeGreaterThan(sec(ttl));
    expect(freed[0]!.t - p).toBeLessThanOrEqual(sec(ttl + 2));
  });

  it('repl-backlog-ttl 0 never frees the backlog', () => {
    const c = pair(0);
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.runFor(20);
    expect(c.infoNum('m1', 'repl_backlog_active')).toBe(1);
  });
});

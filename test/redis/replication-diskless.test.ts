/**
 * Diskless (socket target) full sync, the 7.0 default (redis-replication.md §2.1 CASE 2/3,
 * §2.3 socket target, §2.4, §5.1 step 9).
 *
 * The delay: cron (1 Hz) starts the fork once the longest-waiting replica has waited
 * `now - lastinteraction >= repl-diskless-sync-delay`, both in whole seconds (server.unixtime).
 * With the PSYNC read at P: ⌊T⌋ − ⌊P⌋ ≥ 5 ⇒ T − P > 4, and the first cron tick after ⌊P⌋ + 5
 * comes before ⌊P⌋ + 6 ≤ P + 6, so the fork starts in (4 s, 6 s] after the PSYNC. A real
 * redis-server 7.0.15 measured over 8 runs (log "Replica … asks for synchronization" →
 * "Starting BGSAVE for SYNC with target: replicas sockets"): 4.899, 5.344, 5.415, 5.067,
 * 5.672, 4.386, 4.854, 4.288 s — so not "5–6 s" as redis-replication.md §2.4 says, but (4, 6].
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, digest, infoField, linkUp, offset, runUntilConverged, runUntilTrue, stat } from '../helpers/replication.js';

function forkTimes(c: TestCluster): number[] {
  return c.traceKinds('rdb.fork', 'm1').map((r) => r.t);
}

describe('diskless sync', () => {
  for (const seed of ['1', '2', '3', '4', '5', '6']) {
    it(`with the default repl-diskless-sync-delay 5 the fork starts between 4 and 6 s after the replica's PSYNC (seed ${seed})`, () => {
      const c = new TestCluster(
        `
nodes:
  m1: {}
  r1: {}
dataset: { node: m1, keys: 1000, value-size: 100 }
`,
        seed,
      );
      // A sub-second phase of its own for the REPLICAOF, so the PSYNC lands anywhere in a second.
      c.runFor(1 + Number(seed) * 0.137);
      c.cmd('r1', 'REPLICAOF', 'm1', '6379');
      runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
      const psyncAt = c.traceKinds('master.sync-request', 'm1')[0]!.t;
      const forks = forkTimes(c);
      expect(forks).toHaveLength(1);
      expect(forks[0]! - psyncAt).toBeGreaterThan(4_000_000);
      expect(forks[0]! - psyncAt).toBeLessThanOrEqual(6_000_000);
      expect(c.traceKinds('master.bgsave-for-sync', 'm1')[0]!['target']).toBe('socket');
      expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
    });
  }

  it('while it waits for the delayed fork the replica is in handshake (ROLE handshake, master_sync_in_progress 0), the master shows wait_bgsave', () => {
    const c = new TestCluster(`
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
    c.runFor(2);
    expect(forkTimes(c)).toHaveLength(0);
    expect(c.text('r1', 'ROLE').split('\n')[3]).toBe('4) "handshake"');
    expect(infoField(c, 'r1', 'master_sync_in_progress')).toBe('0');
    expect(infoField(c, 'm1', 'slave0')).toMatch(/state=wait_bgsave/);
  });

  it('repl-diskless-sync-max-replicas 2: the fork starts at the first cron tick after the second replica arrives, well before the delay', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-max-replicas: 2 }
nodes:
  m1: {}
  r1: {}
  r2: {}
dataset: { node: m1, keys: 1000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    c.runFor(1.5);
    expect(forkTimes(c)).toHaveLength(0);
    c.cmd('r2', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => linkUp(c, 'r1') && linkUp(c, 'r2'), 'both links up', 10);
    const second = c.traceKinds('master.sync-request', 'm1')[1]!.t;
    const forks = forkTimes(c);
    expect(forks).toHaveLength(1);
    expect(forks[0]! - second).toBeLessThanOrEqual(1_000_000);
    expect(c.traceKinds('master.bgsave-for-sync', 'm1')[0]!['replicas']).toBe(2);
    expect(stat(c, 'm1', 'sync_full')).toBe(2);
  });

  it('with fewer replicas than repl-diskless-sync-max-replicas the fork still waits for the delay', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-max-replicas: 2, repl-diskless-sync-delay: 3 }
nodes:
  m1: {}
  r1: {}
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    const psyncAt = c.traceKinds('master.sync-request', 'm1')[0]!.t;
    expect(forkTimes(c)[0]! - psyncAt).toBeGreaterThan(2_000_000);
    expect(forkTimes(c)[0]! - psyncAt).toBeLessThanOrEqual(4_000_000);
  });

  it('with repl-diskless-sync-delay 0 the fork starts at once, and the EOF-streamed transfer reports master_sync_total_bytes 0', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: {}
dataset: { node: m1, keys: 100000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => infoField(c, 'r1', 'master_sync_in_progress') === '1', 'transfer', 2, 1);
    const psyncAt = c.traceKinds('master.sync-request', 'm1')[0]!.t;
    expect(forkTimes(c)[0]! - psyncAt).toBeLessThan(1000);
    expect(infoField(c, 'r1', 'master_sync_total_bytes')).toBe('0');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
  });

  it('a replica arriving during a diskless transfer cannot join it and waits for the next fork', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0, repl-ping-replica-period: 3600 }
nodes:
  m1: {}
  r1: {}
  r2: {}
dataset: { node: m1, keys: 100000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => infoField(c, 'r1', 'master_sync_in_progress') === '1', 'r1 transfer', 2, 1);
    c.cmd('m1', 'SET', 'between', '1');
    const at = offset(c, 'm1');
    c.cmd('r2', 'REPLICAOF', 'm1', '6379');
    c.runFor(0.01);
    // "Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC": no +FULLRESYNC yet.
    expect(c.traceKinds('replica.fullresync', 'r2')).toHaveLength(0);
    expect(infoField(c, 'r2', 'master_sync_in_progress')).toBe('0');
    runUntilTrue(c, () => linkUp(c, 'r1') && linkUp(c, 'r2'), 'both links up', 10);
    expect(forkTimes(c)).toHaveLength(2);
    expect(c.traceKinds('replica.fullresync', 'r1')[0]!['offset']).toBe(0);
    expect(c.traceKinds('replica.fullresync', 'r2')[0]!['offset']).toBe(at);
    runUntilConverged(c, 5);
  });

  it('writes made during a diskless transfer reach the replica after its load (the stream starts on its first ACK)', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: {}
dataset: { node: m1, keys: 50000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => infoField(c, 'r1', 'master_sync_in_progress') === '1', 'transfer', 2, 1);
    c.cmd('m1', 'SET', 'during', 'transfer');
    c.cmd('m1', 'DEL', 'key:3');
    runUntilConverged(c, 10);
    expect(c.text('r1', 'GET', 'during')).toBe('"transfer"');
    expect(c.text('r1', 'EXISTS', 'key:3')).toBe('(integer) 0');
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  // In Redis the parent stops reading the child's pipe while a replica socket is blocked, so the
  // child blocks too and the replica stays in WAIT_BGSAVE_END until cron drops it. Real
  // redis-server 7.0.15 (1M keys, diskless delay 0, repl-timeout 2, replica SIGSTOPped 50 ms
  // after REPLICAOF) logged 2.6 s after the fork: "Disconnecting timedout replica (full sync)",
  // then "Diskless rdb transfer, last replica dropped, killing fork child". (A model
  // discrepancy — the child ran to completion and the stopped replica was put ONLINE, then
  // dropped as "streaming sync" — fixed in e584ae9.)
  it('a replica that stops reading a diskless transfer is dropped after repl-timeout ("Disconnecting timedout replica (full sync)") and the child is killed', () => {
    // The RDB (≈ 7 MB) is larger than what the kernel buffers absorb (4 MB), so the pipe
    // blocks on the stopped replica and the master's last-partial-write clock stops.
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0, repl-timeout: 2 }
nodes:
  m1: {}
  r1: {}
dataset: { node: m1, keys: 200000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => infoField(c, 'r1', 'master_sync_in_progress') === '1', 'transfer', 2, 1);
    c.act({ kind: 'pause', node: 'r1', forUs: 8_000_000 });
    c.runFor(7);
    const t = c.traceKinds('master.replica-timeout', 'm1');
    expect(t).toHaveLength(1);
    expect(t[0]!['mode']).toBe('full sync');
    expect(c.traceKinds('rdb.child-killed', 'm1')).toHaveLength(1);
    expect(c.traceKinds('master.replica-online', 'm1')).toHaveLength(0);
  });
});

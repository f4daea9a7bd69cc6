/**
 * Full resynchronization (+FULLRESYNC, RDB transfer, flush + load): syncCommand and the
 * replica's readSyncBulkPayload (redis-replication.md §2.1, §2.2, §2.3, §6). Expected values
 * come from the spec; the backlog-overrun case is the "Backlog too small" failure mode (§12.3).
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, burst, infoField, dbsize, digest, linkUp, offset, replid, runUntilConverged, runUntilTrue, slaveField, stat } from '../helpers/replication.js';

describe('full resync', () => {
  it('the first sync is a full resync requested with PSYNC ? -1: sync_full 1, not counted as a partial error', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { replicaof: m1 }
dataset: { node: m1, keys: 2000, value-size: 100 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    const psync = c.traceKinds('replica.psync', 'r1')[0]!;
    expect([psync['replid'], psync['offset']]).toEqual(['?', -1]);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(stat(c, 'm1', 'sync_partial_err')).toBe(0);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(0);
    expect(dbsize(c, 'r1')).toBe(2000);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
    expect(replid(c, 'r1')).toBe(replid(c, 'm1'));
  });

  it('writes during an outage that exceed the backlog force a full resync: sync_full += 1, sync_partial_err += 1, datasets equal', () => {
    // 20 ms one-way latency: after CLIENT KILL TYPE master the replica needs several round
    // trips (connect, PING, REPLCONF ×2, PSYNC) before its PSYNC reaches the master, and the
    // 2000 writes (≈ 270 KB) land in that window, far beyond a 16 KB backlog.
    const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
  repl-backlog-size: 16kb
  repl-ping-replica-period: 3600
nodes:
  m1: {}
  r1: { replicaof: m1 }
network: { latency: 20ms }
dataset: { node: m1, keys: 500, value-size: 100 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(1);
    c.cmd('m1', 'SET', 'foo', 'bar');
    c.runFor(1);
    c.act({ kind: 'kill-link', node: 'r1' });
    c.runFor(0.03);
    burst(c, 'm1', 2000);
    runUntilConverged(c, 20);
    // The replid matches, but the requested byte is no longer in the backlog (§2.2 "for lack of backlog").
    expect(stat(c, 'm1', 'sync_full')).toBe(2);
    expect(stat(c, 'm1', 'sync_partial_err')).toBe(1);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(0);
    const rejected = c.traceKinds('master.psync-rejected', 'm1').at(-1)!;
    expect(rejected['reason']).toBe('lack of backlog');
    expect(rejected['request']).toBe(55);
    expect(dbsize(c, 'r1')).toBe(500 + 1 + 2000);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
    expect(offset(c, 'r1')).toBe(offset(c, 'm1'));
    // A 16 KB window: the backlog keeps at least its size and no more than one extra block.
    expect(c.infoNum('m1', 'repl_backlog_histlen')).toBeGreaterThanOrEqual(16 * 1024);
    // Whole 16 KiB blocks are trimmed only while the rest still holds ≥ 16 KiB (§4).
    expect(c.infoNum('m1', 'repl_backlog_histlen')).toBeLessThan(16 * 1024 + 16 * 1024);
    expect(c.infoNum('m1', 'repl_backlog_first_byte_offset')).toBe(offset(c, 'm1') - c.infoNum('m1', 'repl_backlog_histlen') + 1);
  });

  it('while the RDB is produced and transferred the replica shows link down, and the master shows state=wait_bgsave', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: {}
dataset: { node: m1, keys: 100000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => Number(infoField(c, 'm1', 'connected_slaves')) === 1, 'the replica registered', 2, 1);
    expect(slaveField(c, 'm1', 0, 'state')).toBe('wait_bgsave');
    expect(c.infoNum('m1', 'rdb_bgsave_in_progress')).toBe(1);
    expect(c.info('r1', 'master_link_status')).toBe('down');
    // TRANSFER: master_sync_in_progress:1 (§10) while the disk BGSAVE runs (the replica got +FULLRESYNC).
    runUntilTrue(c, () => Number(infoField(c, 'r1', 'master_sync_in_progress')) === 1, 'transfer state', 2, 1);
    expect(c.info('r1', 'master_link_status')).toBe('down');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10, 1);
    expect(Number(infoField(c, 'r1', 'master_sync_in_progress'))).toBe(0);
    expect(dbsize(c, 'r1')).toBe(100000);
  });

  it('writes made while the BGSAVE runs are buffered from the fork offset and applied after the RDB', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no", repl-ping-replica-period: 3600 }
nodes:
  m1: {}
  r1: {}
dataset: { node: m1, keys: 20000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => Number(infoField(c, 'r1', 'master_sync_in_progress')) === 1, 'transfer state', 2, 1);
    expect(c.text('m1', 'SET', 'during', 'bgsave')).toBe('OK');
    expect(c.text('m1', 'DEL', 'key:7')).toBe('(integer) 1');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10, 1);
    c.runFor(0.5);
    // +FULLRESYNC <id> 0: the RDB holds the state up to byte 0, the buffer holds the rest.
    expect(c.traceKinds('replica.fullresync', 'r1')[0]!['offset']).toBe(0);
    expect(c.text('r1', 'GET', 'during')).toBe('"bgsave"');
    expect(c.text('r1', 'EXISTS', 'key:7')).toBe('(integer) 0');
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
    expect(offset(c, 'r1')).toBe(offset(c, 'm1'));
  });

  it("a full resync replaces the replica's own keys with the master's dataset", () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: {}
dataset:
  - { node: m1, keys: 300, value-size: 10 }
  - { node: r1, keys: 700, value-size: 10, prefix: own }
`);
    c.runFor(1);
    expect(dbsize(c, 'r1')).toBe(700);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    expect(dbsize(c, 'r1')).toBe(300);
    expect(c.text('r1', 'GET', 'own:1')).toBe('(nil)');
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('PSYNC with a replid the new master never had is a full resync counted in sync_partial_err', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  m2: {}
  r1: { replicaof: m1 }
dataset:
  - { node: m1, keys: 100, value-size: 10, prefix: one }
  - { node: m2, keys: 200, value-size: 10, prefix: two }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    const oldId = replid(c, 'm1');
    c.cmd('r1', 'REPLICAOF', 'm2', '6379');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up on m2', 10);
    // The replica PSYNCs with its cached master (m1's id); m2 answers "Replication ID mismatch".
    const psync = c.traceKinds('replica.psync', 'r1').at(-1)!;
    expect(psync['replid']).toBe(oldId);
    expect(stat(c, 'm2', 'sync_full')).toBe(1);
    expect(stat(c, 'm2', 'sync_partial_err')).toBe(1);
    expect(dbsize(c, 'r1')).toBe(200);
    expect(digest(c, 'r1')).toBe(digest(c, 'm2'));
    expect(replid(c, 'r1')).toBe(replid(c, 'm2'));
  });
});

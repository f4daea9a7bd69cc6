/**
 * The AOF rewrite is a background child, not an instant (rewriteAppendOnlyFileBackground):
 *  - a replica with appendonly yes restarts its AOF after a full sync's load through a
 *    rewrite (restartAOFAfterSYNC → startAppendOnly): aof_rewrite_in_progress:1 while the
 *    child writes the dataset, total_forks and aof_rewrites count it;
 *  - while it runs, no other fork: a sub-replica's full sync waits for it ("another child is
 *    active") and starts when it is reaped;
 *  - until it is done the AOF on disk is the old one (7.0's temporary incremental file is not
 *    in the manifest): a crash in between restarts the replica with its pre-sync data;
 *  - BGREWRITEAOF answers as redis-server 7.0.15 did here: "started", then "ERR Background
 *    append only file rewriting already in progress"; during a BGSAVE, "scheduled".
 */
import { describe, expect, it } from 'vitest';
import { infoField, linkUp, runUntilTrue, TestCluster } from '../helpers/replication.js';

const KEYS = 400_000;

function cluster(extra = ''): TestCluster {
  return new TestCluster(`
config:
  repl-diskless-sync-delay: 0
nodes:
  m1: {}
  r1: { replicaof: m1, config: { appendonly: "yes" } }
${extra}
dataset: { node: m1, keys: ${KEYS}, value-size: 20 }
`);
}

describe('AOF rewrite after a full sync', () => {
  it('runs as a background child on the replica, counted in INFO', () => {
    const c = cluster();
    runUntilTrue(c, () => infoField(c, 'r1', 'aof_rewrite_in_progress', 'persistence') === '1', 'rewrite starts', 30);
    expect(infoField(c, 'r1', 'aof_rewrites', 'persistence')).toBe('0');
    const startedAt = c.now;
    runUntilTrue(c, () => infoField(c, 'r1', 'aof_rewrite_in_progress', 'persistence') === '0', 'rewrite ends', 30);
    // 400k keys at the RDB save rate of 1.5 µs a key: at least 0.6 s of child time.
    expect(c.now - startedAt).toBeGreaterThanOrEqual(600_000);
    expect(infoField(c, 'r1', 'aof_rewrites', 'persistence')).toBe('1');
    expect(infoField(c, 'r1', 'total_forks', 'stats')).toBe('1');
    expect(infoField(c, 'r1', 'aof_last_bgrewrite_status', 'persistence')).toBe('ok');
  });

  it("holds back a sub-replica's full sync until the rewrite child is reaped", () => {
    const c = cluster('  r2: {}');
    runUntilTrue(c, () => infoField(c, 'r1', 'aof_rewrite_in_progress', 'persistence') === '1', 'rewrite starts', 30);
    expect(c.text('r2', 'REPLICAOF', 'r1', '6379')).toBe('OK');
    c.runFor(0.3);
    expect(infoField(c, 'r1', 'aof_rewrite_in_progress', 'persistence')).toBe('1');
    expect(infoField(c, 'r2', 'master_link_status')).toBe('down');
    runUntilTrue(c, () => infoField(c, 'r1', 'aof_rewrite_in_progress', 'persistence') === '0', 'rewrite ends', 30);
    runUntilTrue(c, () => linkUp(c, 'r2'), 'r2 synced after the rewrite', 30);
    expect(infoField(c, 'r1', 'total_forks', 'stats')).toBe('2');
  });

  it('a crash before the rewrite is done restarts the replica with its old AOF', () => {
    const c = new TestCluster(`
config:
  repl-diskless-sync-delay: 0
nodes:
  m1: {}
  r1: { config: { appendonly: "yes" } }
dataset: { node: m1, keys: ${KEYS}, value-size: 20 }
`);
    expect(c.text('r1', 'SET', 'own', 'data')).toBe('OK');
    c.runFor(1.5); // appendfsync everysec: on disk
    expect(c.text('r1', 'REPLICAOF', 'm1', '6379')).toBe('OK');
    runUntilTrue(c, () => infoField(c, 'r1', 'aof_rewrite_in_progress', 'persistence') === '1', 'rewrite starts', 30);
    c.node('r1').crash();
    c.node('r1').boot();
    c.runFor(0.1);
    // The AOF still holds the data from before the sync; the loaded keys came from the old file.
    expect(c.node('r1').keyspace.totalKeys()).toBe(1);
    expect(infoField(c, 'r1', 'rdb_last_load_keys_loaded', 'persistence')).toBe('0');
  });
});

describe('BGREWRITEAOF', () => {
  it('answers started, already in progress, and scheduled during a BGSAVE', () => {
    const c = new TestCluster(`
nodes:
  m1: { config: { appendonly: "yes", save: "1 1" } }
dataset: { node: m1, keys: ${KEYS}, value-size: 20 }
`);
    expect(c.text('m1', 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
    expect(c.text('m1', 'BGREWRITEAOF')).toBe('(error) ERR Background append only file rewriting already in progress');
    runUntilTrue(c, () => infoField(c, 'm1', 'aof_rewrite_in_progress', 'persistence') === '0', 'rewrite ends', 30);
    expect(c.text('m1', 'SET', 'k', 'v')).toBe('OK');
    runUntilTrue(c, () => infoField(c, 'm1', 'rdb_bgsave_in_progress', 'persistence') === '1', 'save point fires', 30);
    expect(c.text('m1', 'BGREWRITEAOF')).toBe('Background append only file rewriting scheduled');
    expect(infoField(c, 'm1', 'aof_rewrite_scheduled', 'persistence')).toBe('1');
    runUntilTrue(c, () => infoField(c, 'm1', 'aof_rewrites', 'persistence') === '2', 'the scheduled rewrite ran', 30);
  });
});

/**
 * Which BGSAVE a full-syncing replica gets (syncCommand's CASE 1–3, redis-replication.md
 * §2.1, §2.3, §2.4): a disk BGSAVE in progress is shared with a replica that arrives while
 * another replica waits for it (same +FULLRESYNC offset, same buffer position); a replica
 * that cannot attach waits for the next one; a replication-only child with no save points
 * is killed when its last replica leaves (upstream test 13).
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, digest, infoField, linkUp, offset, runUntilConverged, runUntilTrue, stat } from '../helpers/replication.js';

const KEYS = 50000;

function cluster(save = '""'): TestCluster {
  const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
  repl-ping-replica-period: 3600
  save: ${save}
nodes:
  m1: {}
  r1: {}
  r2: {}
  r3: {}
dataset: { node: m1, keys: ${KEYS}, value-size: 100 }
`);
  c.runFor(1);
  return c;
}

function inTransfer(c: TestCluster, node: string): boolean {
  return infoField(c, node, 'master_sync_in_progress') === '1';
}

function fullresyncOffset(c: TestCluster, node: string): number {
  return c.traceKinds('replica.fullresync', node).at(-1)!['offset'] as number;
}

describe('sharing the BGSAVE between full syncs', () => {
  it('two replicas attaching during one disk BGSAVE share it: one fork, the same +FULLRESYNC offset; a third arriving later gets the next BGSAVE', () => {
    const c = cluster();
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => inTransfer(c, 'r1'), 'r1 got +FULLRESYNC', 2, 1);
    expect(c.infoNum('m1', 'rdb_bgsave_in_progress')).toBe(1);
    // The stream moves on while the BGSAVE runs …
    c.cmd('m1', 'SET', 'between', '1');
    expect(offset(c, 'm1')).toBeGreaterThan(0);
    c.cmd('r2', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => inTransfer(c, 'r2'), 'r2 got +FULLRESYNC', 2, 1);
    // … but r2 attaches to r1's BGSAVE: it copies r1's position, +FULLRESYNC <id> 0 (CASE 1).
    expect(c.infoNum('m1', 'rdb_bgsave_in_progress')).toBe(1);
    expect(fullresyncOffset(c, 'r1')).toBe(0);
    expect(fullresyncOffset(c, 'r2')).toBe(0);
    runUntilTrue(c, () => linkUp(c, 'r1') && linkUp(c, 'r2'), 'both links up', 10);
    expect(c.traceKinds('rdb.fork', 'm1')).toHaveLength(1);
    expect(c.text('r2', 'GET', 'between')).toBe('"1"');
    // r3 comes after the BGSAVE finished: a new fork at the current offset (CASE 3).
    c.cmd('m1', 'SET', 'later', '2');
    const at = offset(c, 'm1');
    c.cmd('r3', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => linkUp(c, 'r3'), 'r3 link up', 10);
    expect(fullresyncOffset(c, 'r3')).toBe(at);
    expect(c.traceKinds('rdb.fork', 'm1')).toHaveLength(2);
    expect(stat(c, 'm1', 'sync_full')).toBe(3);
    runUntilConverged(c, 5);
    for (const r of ['r1', 'r2', 'r3']) expect(digest(c, r)).toBe(digest(c, 'm1'));
  });

  it('a replica arriving during a user BGSAVE cannot attach and waits for the next BGSAVE, started when that one ends', () => {
    const c = cluster();
    expect(c.text('m1', 'BGSAVE')).toBe('Background saving started');
    c.cmd('m1', 'SET', 'after-bgsave', '1');
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => Number(infoField(c, 'm1', 'connected_slaves')) === 1, 'r1 registered', 1, 1);
    // "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC": it
    // stays in WAIT_BGSAVE_START, i.e. in handshake from its own point of view (§2.1 step 10).
    expect(infoField(c, 'm1', 'slave0').includes('state=wait_bgsave')).toBe(true);
    expect(infoField(c, 'r1', 'master_sync_in_progress')).toBe('0');
    expect(c.traceKinds('replica.fullresync', 'r1')).toHaveLength(0);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    const forks = c.traceKinds('rdb.fork', 'm1');
    expect(forks).toHaveLength(2);
    const userDone = c.traceKinds('rdb.bgsave-done', 'm1')[0]!.t;
    expect(c.traceKinds('master.fullresync', 'm1')[0]!.t).toBeGreaterThanOrEqual(userDone);
    expect(fullresyncOffset(c, 'r1')).toBe(offset(c, 'm1'));
    expect(c.text('r1', 'GET', 'after-bgsave')).toBe('"1"');
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('the last replica leaving a replication-only disk BGSAVE kills the child when no save points are set', () => {
    const c = cluster('""');
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => inTransfer(c, 'r1'), 'r1 got +FULLRESYNC', 2, 1);
    expect(c.infoNum('m1', 'rdb_bgsave_in_progress')).toBe(1);
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.runFor(0.005);
    expect(c.infoNum('m1', 'connected_slaves')).toBe(0);
    expect(c.traceKinds('rdb.child-killed', 'm1')).toHaveLength(1);
    // killRDBChild only signals; the child counts as in progress until serverCron reaps it.
    c.runFor(0.2);
    expect(c.infoNum('m1', 'rdb_bgsave_in_progress')).toBe(0);
  });

  it('with save points configured the child survives its last replica leaving', () => {
    const c = cluster('"900 1"');
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => inTransfer(c, 'r1'), 'r1 got +FULLRESYNC', 2, 1);
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    c.runFor(0.005);
    expect(c.infoNum('m1', 'connected_slaves')).toBe(0);
    expect(c.infoNum('m1', 'rdb_bgsave_in_progress')).toBe(1);
  });

  it('FLUSHALL on the master kills the replication BGSAVE; the waiting replica is dropped and redoes its full sync, to the empty dataset', () => {
    const c = cluster();
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => inTransfer(c, 'r1'), 'r1 got +FULLRESYNC', 2, 1);
    expect(c.text('m1', 'FLUSHALL')).toBe('OK');
    expect(c.traceKinds('rdb.child-killed', 'm1')).toHaveLength(1);
    runUntilConverged(c, 10);
    expect(stat(c, 'm1', 'sync_full')).toBe(2);
    expect(c.traceKinds('rdb.fork', 'm1')).toHaveLength(2);
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 0');
  });
});

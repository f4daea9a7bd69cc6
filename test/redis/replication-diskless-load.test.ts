/**
 * How a replica loads a full-sync RDB (repl-diskless-load, redis-replication.md §6, upstream
 * replication.tcl tests 7–8): `disabled` downloads to a file and keeps serving the old data
 * until the download is complete, then flushes and loads (blocking, -LOADING); `on-empty-db`
 * parses straight from the socket when the replica is empty; `swapdb` parses into a temporary
 * DB — with the same replication history it loads asynchronously (async_loading:1, old data
 * served, commands flagged no-async-loading refused with -LOADING), otherwise it blocks with
 * loading:1 — and keeps the old data if the transfer breaks.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, burst, dbsize, infoField, linkUp, runUntilConverged, runUntilTrue, stat } from '../helpers/replication.js';

const LOADING = '(error) LOADING Redis is loading the dataset in memory';

function persistenceField(c: TestCluster, node: string, field: string): string {
  return infoField(c, node, field, 'persistence');
}

describe('repl-diskless-load', () => {
  it('swapdb with the same replication history loads asynchronously: async_loading:1, old data served, REPLICAOF refused with -LOADING', () => {
    // A full sync under the same replid: the 16 KB backlog is overrun while the replica
    // reconnects over 20 ms links (as in upstream test 8).
    const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
  repl-backlog-size: 16kb
  repl-ping-replica-period: 3600
nodes:
  m1: {}
  r1: { replicaof: m1, config: { repl-diskless-load: swapdb } }
network: { latency: 20ms }
dataset: { node: m1, keys: 100000, value-size: 100 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.cmd('m1', 'SET', 'marker', 'old');
    c.runFor(1);
    expect(c.text('r1', 'GET', 'marker')).toBe('"old"');
    c.act({ kind: 'kill-link', node: 'r1' });
    c.runFor(0.03);
    c.cmd('m1', 'SET', 'marker', 'new');
    burst(c, 'm1', 2000);
    runUntilTrue(c, () => persistenceField(c, 'r1', 'async_loading') === '1', 'async loading', 10, 1);
    expect(persistenceField(c, 'r1', 'loading')).toBe('0');
    expect(c.text('r1', 'GET', 'marker')).toBe('"old"');
    expect(c.text('r1', 'REPLICAOF', 'NO', 'ONE')).toBe(LOADING);
    runUntilConverged(c, 10);
    expect(persistenceField(c, 'r1', 'async_loading')).toBe('0');
    expect(c.text('r1', 'GET', 'marker')).toBe('"new"');
    expect(stat(c, 'm1', 'sync_full')).toBe(2);
  });

  it('swapdb with a different history blocks (loading:1, -LOADING) but keeps the old data when the transfer breaks', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { config: { repl-diskless-load: swapdb } }
network: { bandwidth: 1MB/s }
dataset:
  - { node: m1, keys: 100000, value-size: 100 }
  - { node: r1, keys: 201, value-size: 10, prefix: own }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => persistenceField(c, 'r1', 'loading') === '1', 'loading', 10, 5);
    expect(persistenceField(c, 'r1', 'async_loading')).toBe('0');
    expect(c.text('r1', 'GET', 'own:1')).toBe(LOADING);
    c.runFor(0.5);
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(0.5);
    expect(persistenceField(c, 'r1', 'loading')).toBe('0');
    expect(dbsize(c, 'r1')).toBe(201);
    expect(c.text('r1', 'GET', 'own:1')).not.toBe('(nil)');
  });

  it('disabled (the default) keeps serving the old data while the RDB downloads, and keeps it if the download breaks', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: {}
network: { bandwidth: 1MB/s }
dataset:
  - { node: m1, keys: 100000, value-size: 100 }
  - { node: r1, keys: 201, value-size: 10, prefix: own }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => infoField(c, 'r1', 'master_sync_in_progress') === '1' && Number(infoField(c, 'r1', 'master_sync_read_bytes')) > 0, 'downloading', 10, 10);
    expect(persistenceField(c, 'r1', 'loading')).toBe('0');
    expect(dbsize(c, 'r1')).toBe(201);
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(0.5);
    expect(dbsize(c, 'r1')).toBe(201);
  });

  it('on-empty-db on an empty replica parses from the socket: the load (loading:1) runs during the transfer', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { config: { repl-diskless-load: on-empty-db } }
network: { bandwidth: 1MB/s }
dataset: { node: m1, keys: 100000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => infoField(c, 'r1', 'master_sync_in_progress') === '1' && Number(infoField(c, 'r1', 'master_sync_read_bytes')) > 0, 'downloading', 10, 10);
    expect(persistenceField(c, 'r1', 'loading')).toBe('1');
    expect(c.text('r1', 'PING')).toBe(LOADING);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 20);
    expect(dbsize(c, 'r1')).toBe(100000);
  });
});

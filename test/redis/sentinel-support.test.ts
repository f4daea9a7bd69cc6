/**
 * What Sentinel reads from and does to a Redis instance (redis-sentinel.md §5, §12, §19),
 * over the simulated network. Expected values from redis-server 7.0.15:
 *  - INFO server has `run_id:<40 hex>` (the line is 47 bytes: Sentinel requires ≥ 47), new at
 *    every process start.
 *  - `master_link_down_since_seconds:-1` on a master told REPLICAOF an unreachable address
 *    (the link never came up since it became a replica); after a link that was up goes down
 *    it counts seconds from then; switching masters while connected shows 0 at once.
 *  - `slave_priority:100` by default (replica-priority), `replica_announced:1` (0 with
 *    replica-announced no); replica-announce-ip/port are what the master shows in
 *    `slave0:ip=…,port=…` and ROLE.
 *  - PING: `-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.`
 *    on a replica whose link is down with replica-serve-stale-data no (subscribed or not);
 *    `-MISCONF Redis is configured to save RDB snapshots, …` after a failed BGSAVE with save
 *    points and stop-writes-on-bgsave-error yes; `-LOADING Redis is loading the dataset in memory`.
 *  - CONFIG REWRITE without a config file: "ERR The server is running without a config file".
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, infoField, linkUp, masterWithReplica, runUntilTrue, slaveField } from '../helpers/replication.js';
import { NetClient, flat } from '../helpers/net-client.js';

const MASTERDOWN = "(error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

describe('what Sentinel reads', () => {
  it('run_id: 40 hex digits, stable while the process runs, new after a restart, per node', () => {
    const c = masterWithReplica();
    const a = new NetClient(c, 's1', 'm1');
    const info = flat((a.send('INFO'), a.next())) as string;
    const line = info.split('\r\n').find((l) => l.startsWith('run_id:'))!;
    expect(line).toMatch(/^run_id:[0-9a-f]{40}$/);
    expect(line.length).toBe(47);
    expect(info.startsWith('# Server\r\nredis_version:7.0.15\r\n')).toBe(true);
    const first = infoField(c, 'm1', 'run_id', 'server');
    expect(infoField(c, 'm1', 'run_id', 'server')).toBe(first);
    expect(infoField(c, 'r1', 'run_id', 'server')).not.toBe(first);
    c.act({ kind: 'crash', node: 'm1' });
    c.act({ kind: 'restart', node: 'm1' });
    c.runFor(1);
    expect(infoField(c, 'm1', 'run_id', 'server')).not.toBe(first);
    // The seed fixes it: the same cluster built again draws the same id.
    expect(infoField(masterWithReplica(), 'm1', 'run_id', 'server')).toBe(first);
  });

  it('master_link_down_since_seconds: -1 before the link ever came up, then seconds since it went down', () => {
    const c = masterWithReplica();
    expect(c.text('m1', 'REPLICAOF', 'nowhere', '6379')).toBe('OK');
    c.runFor(3);
    expect(infoField(c, 'm1', 'master_link_down_since_seconds')).toBe('-1');
    expect(infoField(c, 'r1', 'master_link_status')).toBe('up');
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(5);
    expect(infoField(c, 'r1', 'master_link_status')).toBe('down');
    const down = Number(infoField(c, 'r1', 'master_link_down_since_seconds'));
    expect(down).toBeGreaterThanOrEqual(4);
    expect(down).toBeLessThanOrEqual(6);
  });

  it('switching masters while connected: down since now (0), not -1', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  m2: {}
  r1: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up');
    c.text('r1', 'REPLICAOF', 'm2', '6379');
    expect(infoField(c, 'r1', 'master_link_down_since_seconds')).toBe('0');
  });

  it('replica-priority, replica-announced and replica-announce-ip/port as Sentinel sees them', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1, config: { replica-priority: 10, replica-announced: "no", replica-announce-ip: 10.0.0.7, replica-announce-port: 7000 } }
  r2: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1') && linkUp(c, 'r2'), 'links up');
    expect(infoField(c, 'r1', 'slave_priority')).toBe('10');
    expect(infoField(c, 'r1', 'replica_announced')).toBe('0');
    expect(infoField(c, 'r2', 'slave_priority')).toBe('100');
    expect(infoField(c, 'r2', 'replica_announced')).toBe('1');
    const slaves = [0, 1].map((i) => `${slaveField(c, 'm1', i, 'ip')}:${slaveField(c, 'm1', i, 'port')}`).sort();
    expect(slaves).toEqual(['10.0.0.7:7000', 'r2:6379']);
    expect(c.text('r2', 'CONFIG', 'SET', 'replica-priority', '0')).toBe('OK');
    expect(infoField(c, 'r2', 'slave_priority')).toBe('0');
    const role = flat(c.cmd('m1', 'ROLE')) as [string, number, string[][]];
    expect(role[2].map((r) => `${r[0]}:${r[1]}`).sort()).toEqual(['10.0.0.7:7000', 'r2:6379']);
  });
});

describe('PING as Sentinel sees it', () => {
  it('-MASTERDOWN on a disconnected replica with replica-serve-stale-data no, subscribed or not', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1, config: { replica-serve-stale-data: "no" } }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up');
    const cc = new NetClient(c, 's1', 'r1');
    const pc = new NetClient(c, 's1p', 'r1');
    pc.send('SUBSCRIBE', '__sentinel__:hello');
    pc.next();
    expect(cc.run('PING')).toBe('PONG');
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(1);
    expect(cc.run('PING')).toBe(MASTERDOWN);
    expect(pc.run('PING')).toBe(MASTERDOWN);
    // INFO is allowed (stale flag): Sentinel still learns the role.
    expect(cc.run('INFO', 'replication')).toContain('master_link_status:down');
  });

  it('-MISCONF after a failed BGSAVE with save points (stop-writes-on-bgsave-error yes)', () => {
    const c = new TestCluster(`
config: { save: "3600 1" }
nodes:
  m1: {}
`);
    const cc = new NetClient(c, 's1', 'm1');
    expect(cc.run('PING')).toBe('PONG');
    c.act({ kind: 'disk', node: 'm1', full: null, failBgsaves: 1, bytesPerSec: null });
    cc.run('BGSAVE');
    runUntilTrue(c, () => infoField(c, 'm1', 'rdb_bgsave_in_progress', 'persistence') === '0', 'bgsave over');
    expect(cc.run('PING')).toMatch(/^\(error\) MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk\./);
  });

  it('-LOADING while the dataset loads (in-process callers; networked ones: test/redis/loading-events.test.ts)', () => {
    const c = new TestCluster(`
config: { save: "3600 1" }
nodes:
  m1: {}
dataset: { node: m1, keys: 200000, value-size: 100 }
`);
    c.text('m1', 'SAVE');
    c.act({ kind: 'crash', node: 'm1' });
    c.act({ kind: 'restart', node: 'm1' });
    expect(infoField(c, 'm1', 'loading', 'persistence')).toBe('1');
    expect(c.text('m1', 'PING')).toBe('(error) LOADING Redis is loading the dataset in memory');
  });
});

describe('CONFIG REWRITE', () => {
  it('without a config file: the error 7.0.15 gives (what the differential harness sees)', () => {
    const c = masterWithReplica();
    expect(new NetClient(c, 's1', 'r1').run('CONFIG', 'REWRITE')).toBe('(error) ERR The server is running without a config file');
  });

  it('with a config file: +OK, and a restart comes back with the role Sentinel gave', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  m2: {}
  r1: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up');
    c.node('r1').configFile = 'redis.conf';
    const cc = new NetClient(c, 's1', 'r1');
    for (const argv of [['MULTI'], ['SLAVEOF', 'm2', '6379'], ['CONFIG', 'REWRITE'], ['CLIENT', 'KILL', 'TYPE', 'normal'], ['CLIENT', 'KILL', 'TYPE', 'pubsub']]) cc.send(...argv);
    for (let i = 0; i < 5; i++) cc.next();
    cc.send('EXEC');
    expect(flat(cc.next())).toEqual(['+OK', '+OK', 0, 0]);
    c.act({ kind: 'crash', node: 'r1' });
    c.act({ kind: 'restart', node: 'r1' });
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up after restart');
    expect(infoField(c, 'r1', 'master_host')).toBe('m2');
  });
});

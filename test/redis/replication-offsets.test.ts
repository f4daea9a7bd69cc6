/**
 * Byte-exact replication offsets (redis-replication.md §3). The stream is kept under
 * control: disk sync (no diskless delay) and `repl-ping-replica-period 3600` so no PING
 * lands in the window unless a test asks for it.
 *
 * Expected numbers are RESP arithmetic by hand (§3.1: `*<argc>\r\n` + Σ `$<len>\r\n<arg>\r\n`)
 * and were checked against a real redis-server 7.0.15 (ports 7100/7101, `--save ''
 * --repl-diskless-sync no --repl-ping-replica-period 3600`), which printed the same
 * master_repl_offset after each step: 54, 202, 285, 285, 363, then 432 after SET foo2 bar +
 * WAIT, and 482 after a second replica's full sync + SET k v.
 */
import { describe, expect, it } from 'vitest';
import { Client, TestCluster, offset, replid, runUntilTrue, slaveField, linkUp, respBytes } from '../helpers/replication.js';

const QUIET = `
config:
  repl-diskless-sync: "no"
  repl-ping-replica-period: 3600
`;

function synced(extraNodes = ''): TestCluster {
  const c = new TestCluster(`${QUIET}
nodes:
  m1: {}
  r1: { replicaof: m1 }
${extraNodes}`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
  return c;
}

describe('replication offsets (byte-exact RESP accounting)', () => {
  it('the RESP sizes used below follow the §3.1 formula', () => {
    expect(respBytes('SELECT', '0')).toBe(23);
    expect(respBytes('SET', 'foo', 'bar')).toBe(31);
    expect(respBytes('ping')).toBe(14);
    expect(respBytes('REPLCONF', 'GETACK', '*')).toBe(37);
    expect(respBytes('MULTI')).toBe(15);
    expect(respBytes('EXEC')).toBe(14);
    expect(respBytes('DEL', 'foo')).toBe(22);
    expect(respBytes('SELECT', '10')).toBe(24);
  });

  it('a master that never had a replica keeps master_repl_offset 0 and no backlog, whatever it writes', () => {
    const c = new TestCluster(`${QUIET}
nodes:
  m1: {}
`);
    c.runFor(1);
    c.cmd('m1', 'SET', 'foo', 'bar');
    c.cmd('m1', 'INCR', 'n');
    c.runFor(1);
    // §3.2: bytes are only fed when a backlog exists; the backlog appears with the first replica.
    expect(offset(c, 'm1')).toBe(0);
    expect(c.infoNum('m1', 'repl_backlog_active')).toBe(0);
    expect(c.infoNum('m1', 'repl_backlog_first_byte_offset')).toBe(0);
  });

  it('the first replica creates the backlog at offset 0 (first byte 1, histlen 0) under a new replid', () => {
    const c = new TestCluster(`${QUIET}
nodes:
  m1: {}
  r1: {}
`);
    c.runFor(1);
    const before = replid(c, 'm1');
    expect(c.text('r1', 'REPLICAOF', 'm1', '6379')).toBe('OK');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    // §2.1 step 8 (changeReplicationId + createReplicationBacklog); the real 7.0.15 master
    // showed a new master_replid, repl_backlog_first_byte_offset:1, histlen 0.
    expect(replid(c, 'm1')).not.toBe(before);
    expect(c.info('m1', 'master_replid2')).toBe('0'.repeat(40));
    expect(offset(c, 'm1')).toBe(0);
    expect(c.infoNum('m1', 'repl_backlog_active')).toBe(1);
    expect(c.infoNum('m1', 'repl_backlog_first_byte_offset')).toBe(1);
    expect(c.infoNum('m1', 'repl_backlog_histlen')).toBe(0);
    expect(replid(c, 'r1')).toBe(replid(c, 'm1'));
  });

  it('SET foo bar after the first sync makes master_repl_offset 54 (SELECT 0 = 23 + SET = 31) on master and replica', () => {
    const c = synced();
    expect(c.text('m1', 'SET', 'foo', 'bar')).toBe('OK');
    expect(offset(c, 'm1')).toBe(54);
    expect(c.infoNum('m1', 'repl_backlog_histlen')).toBe(54);
    expect(c.infoNum('m1', 'repl_backlog_first_byte_offset')).toBe(1);
    c.runFor(1.5); // one 1 Hz REPLCONF ACK
    expect(offset(c, 'r1')).toBe(54);
    expect(c.infoNum('r1', 'slave_repl_offset')).toBe(54);
    expect(c.infoNum('r1', 'slave_read_repl_offset')).toBe(54);
    expect(c.infoNum('r1', 'repl_backlog_histlen')).toBe(54);
    // §10 typical values: slave0:…,state=online,offset=54 after the next ACK.
    expect(slaveField(c, 'm1', 0, 'state')).toBe('online');
    expect(Number(slaveField(c, 'm1', 0, 'offset'))).toBe(54);
    expect(c.text('r1', 'GET', 'foo')).toBe('"bar"');
  });

  it('a fixed command sequence moves the offset exactly as real Redis 7.0.15 does (54, 202, 285, 285, 363)', () => {
    const c = synced();
    const cl = new Client(c, 'm1');
    cl.run('SET', 'foo', 'bar');
    expect(offset(c, 'm1')).toBe(54);
    // INCR counter (27) → 81; SELECT 1 (23) + SET a b (27) → 131; DEL missing and SET NX on an
    // existing key change nothing and are not propagated (§3.5); SELECT 0 (23) + EXPIRE foo 100
    // rewritten to PEXPIREAT foo <13-digit ms> (48) → 202.
    cl.pipeline([['INCR', 'counter'], ['SELECT', '1'], ['SET', 'a', 'b'], ['DEL', 'missing'], ['SET', 'a', 'c', 'NX'], ['SELECT', '0'], ['EXPIRE', 'foo', '100']]);
    expect(offset(c, 'm1')).toBe(202);
    // MULTI (15) + SET x 1 (27) + SET y 2 (27) + EXEC (14) = 83 → 285.
    expect(cl.pipeline([['MULTI'], ['SET', 'x', '1'], ['SET', 'y', '2'], ['EXEC']])[3]).toBe('1) OK\n2) OK');
    expect(offset(c, 'm1')).toBe(285);
    // A transaction of reads only propagates nothing.
    cl.pipeline([['MULTI'], ['GET', 'x'], ['EXEC']]);
    expect(offset(c, 'm1')).toBe(285);
    // SADD s a (28) → 313; SPOP s propagated as SREM s a (28) → 341; DEL foo (22) → 363.
    cl.pipeline([['SADD', 's', 'a'], ['SPOP', 's'], ['DEL', 'foo']]);
    expect(offset(c, 'm1')).toBe(363);
    c.runFor(1.5);
    expect(offset(c, 'r1')).toBe(363);
    expect(c.infoNum('r1', 'slave_repl_offset')).toBe(363);
    expect(Number(slaveField(c, 'm1', 0, 'offset'))).toBe(363);
    expect(c.text('r1', 'DEBUG', 'DIGEST')).toBe(c.text('m1', 'DEBUG', 'DIGEST'));
    expect(c.text('r1', 'PTTL', 'foo')).toBe('(integer) -2');
  });

  it('a write to db 10 is preceded by a 24-byte SELECT 10', () => {
    const c = synced();
    const cl = new Client(c, 'm1');
    cl.run('SELECT', '10');
    cl.run('SET', 'foo', 'bar');
    expect(offset(c, 'm1')).toBe(24 + 31);
    c.runFor(1);
    const r = new Client(c, 'r1');
    r.run('SELECT', '10');
    expect(r.run('GET', 'foo')).toBe('"bar"');
    expect(offset(c, 'r1')).toBe(55);
  });

  it('WAIT feeds REPLCONF GETACK * into the stream: 37 bytes counted in master_repl_offset', () => {
    const c = synced();
    const cl = new Client(c, 'm1');
    cl.run('SET', 'foo', 'bar'); // 54
    c.runFor(1.5);
    cl.run('SET', 'foo2', 'bar'); // 32 bytes → 86
    // The replica has not ACKed 86 yet, so WAIT blocks and GETACK is fed (§8): 86 + 37 = 123.
    expect(cl.run('WAIT', '1', '1000')).toBe('(integer) 1');
    expect(offset(c, 'm1')).toBe(54 + 32 + 37);
    c.runFor(1.5);
    expect(offset(c, 'r1')).toBe(123);
  });

  it("a second replica's full sync resets the stream's DB: the next write carries SELECT 0 again, also for the online replica", () => {
    const c = synced('  r2: {}');
    c.cmd('m1', 'SET', 'foo', 'bar'); // 54
    expect(c.text('r2', 'REPLICAOF', 'm1', '6379')).toBe('OK');
    runUntilTrue(c, () => linkUp(c, 'r2'), 'r2 link up', 10);
    expect(offset(c, 'r2')).toBe(54);
    // replicationSetupSlaveForFullResync sets slaveseldb = -1 (§2.4): SELECT 0 (23) + SET k v (27).
    c.cmd('m1', 'SET', 'k', 'v');
    expect(offset(c, 'm1')).toBe(54 + 23 + 27);
    c.runFor(1.5);
    expect(offset(c, 'r1')).toBe(104);
    expect(offset(c, 'r2')).toBe(104);
    expect(c.text('r1', 'DEBUG', 'DIGEST')).toBe(c.text('m1', 'DEBUG', 'DIGEST'));
    expect(c.text('r2', 'DEBUG', 'DIGEST')).toBe(c.text('m1', 'DEBUG', 'DIGEST'));
  });

  it('the master feeds a 14-byte PING every repl-ping-replica-period seconds, and only while it has replicas', () => {
    const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
  repl-ping-replica-period: 1
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(0.5);
    const start = offset(c, 'm1');
    c.runFor(10);
    // replicationCron runs at 1 Hz: ten ticks in any 10 s window, one `ping` each (§3.4).
    expect(offset(c, 'm1') - start).toBe(10 * 14);
    expect(offset(c, 'r1')).toBe(offset(c, 'm1'));
  });

  it('with the default period of 10 s an idle stream grows by 14 bytes every 10 s', () => {
    const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(0.5);
    const start = offset(c, 'm1');
    c.runFor(30);
    expect(offset(c, 'm1') - start).toBe(3 * 14);
  });
});

describe('INFO replication fields of a replica (checked on a real 7.0.15 replica pointed at a dead port)', () => {
  it('a replica that never connected shows last_io -1, offsets 1, link_down_since -1, no backlog', () => {
    const c = new TestCluster(`${QUIET}
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(3);
    expect(c.info('r1', 'role')).toBe('slave');
    expect(c.info('r1', 'master_link_status')).toBe('down');
    expect(c.infoNum('r1', 'master_last_io_seconds_ago')).toBe(-1);
    expect(c.infoNum('r1', 'master_sync_in_progress')).toBe(0);
    expect(c.infoNum('r1', 'slave_read_repl_offset')).toBe(1);
    expect(c.infoNum('r1', 'slave_repl_offset')).toBe(1);
    expect(c.infoNum('r1', 'master_link_down_since_seconds')).toBe(-1);
    expect(c.infoNum('r1', 'master_repl_offset')).toBe(0);
    expect(c.infoNum('r1', 'second_repl_offset')).toBe(-1);
    expect(c.infoNum('r1', 'repl_backlog_active')).toBe(0);
    expect(c.infoNum('r1', 'repl_backlog_first_byte_offset')).toBe(0);
  });

  it('after a connected link drops, master_link_down_since_seconds counts the seconds since, and the offsets come from the cached master', () => {
    const c = synced();
    c.cmd('m1', 'SET', 'foo', 'bar');
    c.runFor(1);
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(5.5);
    expect(c.info('r1', 'master_link_status')).toBe('down');
    const down = c.infoNum('r1', 'master_link_down_since_seconds');
    expect(down).toBeGreaterThanOrEqual(5);
    expect(down).toBeLessThanOrEqual(6);
    expect(c.infoNum('r1', 'slave_repl_offset')).toBe(54);
    expect(c.infoNum('r1', 'master_last_io_seconds_ago')).toBe(-1);
    // REPLICAOF NO ONE resets repl_down_since; as a master the field is not shown at all.
    c.cmd('r1', 'REPLICAOF', 'NO', 'ONE');
    expect(() => c.info('r1', 'master_link_down_since_seconds')).toThrow();
  });

  it('ROLE: a master lists its online replicas with their ACK offsets; a replica shows host, port, link state and offset', () => {
    const c = synced();
    c.cmd('m1', 'SET', 'foo', 'bar');
    c.runFor(1.5);
    expect(c.text('m1', 'ROLE')).toBe('1) "master"\n2) (integer) 54\n3) 1) 1) "r1"\n      2) "6379"\n      3) "54"');
    expect(c.text('r1', 'ROLE')).toBe('1) "slave"\n2) "m1"\n3) (integer) 6379\n4) "connected"\n5) (integer) 54');
  });
});

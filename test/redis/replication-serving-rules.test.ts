/**
 * What a replica answers its own clients (processCommand's gates, redis-replication.md §5.3,
 * §7.2, §12.7, §12.9). The error texts and the gate order (READONLY before MASTERDOWN; ECHO,
 * SELECT, TIME, ROLE, CONFIG GET, INFO, MULTI allowed while the link is down; GET, EXISTS,
 * DBSIZE, PING, WAIT refused) were checked on a real redis-server 7.0.15 replica with
 * `replica-serve-stale-data no` pointed at a dead port.
 */
import { describe, expect, it } from 'vitest';
import { Client, TestCluster, infoField, linkUp, offset, runUntilTrue } from '../helpers/replication.js';

const READONLY = "(error) READONLY You can't write against a read only replica.";
const MASTERDOWN = "(error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
const LOADING = '(error) LOADING Redis is loading the dataset in memory';

function pair(replicaConfig = '{}', extra = ''): TestCluster {
  const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { replicaof: m1, config: ${replicaConfig} }
${extra}`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
  c.cmd('m1', 'SET', 'foo', 'bar');
  c.runFor(1);
  return c;
}

describe('replica serving rules', () => {
  it('writes to a read-only replica fail with -READONLY, reads are served, and nothing enters the stream', () => {
    const c = pair();
    const before = offset(c, 'r1');
    expect(c.text('r1', 'SET', 'foo', 'other')).toBe(READONLY);
    expect(c.text('r1', 'INCR', 'n')).toBe(READONLY);
    expect(c.text('r1', 'DEL', 'foo')).toBe(READONLY);
    expect(c.text('r1', 'GET', 'foo')).toBe('"bar"');
    expect(offset(c, 'r1')).toBe(before);
    expect(offset(c, 'm1')).toBe(before);
  });

  it('a write queued in MULTI on a read-only replica is refused at once and EXEC aborts the transaction', () => {
    const c = pair();
    const cl = new Client(c, 'r1');
    expect(cl.pipeline([['MULTI'], ['SET', 'a', 'b'], ['GET', 'a'], ['EXEC']])).toEqual([
      'OK',
      READONLY,
      'QUEUED',
      '(error) EXECABORT Transaction discarded because of previous errors.',
    ]);
  });

  it("the master's writes are applied on a read-only replica (commands from the master are always obeyed)", () => {
    const c = pair();
    c.cmd('m1', 'INCR', 'n');
    c.cmd('m1', 'DEL', 'foo');
    c.runFor(0.1);
    expect(c.text('r1', 'GET', 'n')).toBe('"1"');
    expect(c.text('r1', 'EXISTS', 'foo')).toBe('(integer) 0');
  });

  it('a writable replica (replica-read-only no) accepts local writes that enter neither its offset nor its sub-replicas', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { replicaof: m1, config: { replica-read-only: "no" } }
  r2: { replicaof: r1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1') && linkUp(c, 'r2'), 'links up', 10);
    c.runFor(1);
    const before = offset(c, 'r1');
    expect(c.text('r1', 'SET', 'local', '1')).toBe('OK');
    c.runFor(1);
    expect(offset(c, 'r1')).toBe(before);
    expect(c.text('r1', 'GET', 'local')).toBe('"1"');
    expect(c.text('r2', 'GET', 'local')).toBe('(nil)');
    expect(c.text('m1', 'GET', 'local')).toBe('(nil)');
  });

  it('reads during a blocking RDB load get -LOADING (PING included), while INFO answers loading:1', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: {}
dataset: { node: m1, keys: 200000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => infoField(c, 'r1', 'loading', 'persistence') === '1', 'r1 loading', 10, 1);
    expect(c.text('r1', 'GET', 'key:1')).toBe(LOADING);
    expect(c.text('r1', 'PING')).toBe(LOADING);
    expect(c.text('r1', 'DBSIZE')).toBe(LOADING);
    expect(c.info('r1', 'master_link_status')).toBe('down');
    runUntilTrue(c, () => infoField(c, 'r1', 'loading', 'persistence') === '0', 'load done', 10, 1);
    expect(c.text('r1', 'PING')).toBe('PONG');
    expect(c.text('r1', 'GET', 'key:1')).not.toBe(LOADING);
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 200000');
  });

  it('with replica-serve-stale-data no, a replica whose link is down answers -MASTERDOWN except to commands flagged stale', () => {
    const c = pair('{ replica-serve-stale-data: "no" }');
    expect(c.text('r1', 'GET', 'foo')).toBe('"bar"');
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(0.1);
    expect(c.info('r1', 'master_link_status')).toBe('down');
    expect(c.text('r1', 'GET', 'foo')).toBe(MASTERDOWN);
    expect(c.text('r1', 'PING')).toBe(MASTERDOWN);
    expect(c.text('r1', 'DBSIZE')).toBe(MASTERDOWN);
    expect(c.text('r1', 'EXISTS', 'foo')).toBe(MASTERDOWN);
    expect(c.text('r1', 'WAIT', '0', '0')).toBe(MASTERDOWN);
    // READONLY is checked before MASTERDOWN.
    expect(c.text('r1', 'SET', 'a', 'b')).toBe(READONLY);
    expect(c.text('r1', 'ECHO', 'hi')).toBe('"hi"');
    expect(c.text('r1', 'SELECT', '1')).toBe('OK');
    expect(c.text('r1', 'ROLE').split('\n')[0]).toBe('1) "slave"');
    expect(c.info('r1', 'role')).toBe('slave');
    // Once the master is back (empty: no persistence) the replica serves again.
    c.act({ kind: 'restart', node: 'm1' });
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up again', 10);
    expect(c.text('r1', 'PING')).toBe('PONG');
    expect(c.text('r1', 'GET', 'foo')).toBe('(nil)');
  });

  // The gate reads the flags of the subcommand CONFIG|GET (loading stale), not of the container
  // CONFIG (none): the real 7.0.15 replica above (dead master, stale-data no) answered
  // CONFIG GET repl-timeout with "repl-timeout" / "60". (A model discrepancy, fixed in e584ae9.)
  it('with replica-serve-stale-data no, CONFIG GET (a subcommand flagged stale) is still answered while the link is down', () => {
    const c = pair('{ replica-serve-stale-data: "no" }');
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(0.1);
    expect(c.text('r1', 'GET', 'foo')).toBe(MASTERDOWN);
    expect(c.text('r1', 'CONFIG', 'GET', 'repl-timeout')).toBe('1) "repl-timeout"\n2) "60"');
  });

  it('with replica-serve-stale-data no, a replica that has not finished its first sync answers -MASTERDOWN', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { replicaof: m1, config: { replica-serve-stale-data: "no" } }
`);
    expect(c.info('r1', 'master_link_status')).toBe('down');
    expect(c.text('r1', 'GET', 'foo')).toBe(MASTERDOWN);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    expect(c.text('r1', 'GET', 'foo')).toBe('(nil)');
  });

  it('with replica-serve-stale-data yes (the default) a replica whose link is down serves its old data', () => {
    const c = pair();
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(0.1);
    expect(c.info('r1', 'master_link_status')).toBe('down');
    expect(c.text('r1', 'GET', 'foo')).toBe('"bar"');
    expect(c.text('r1', 'PING')).toBe('PONG');
  });

  it('a chained replica whose intermediate lost its own master keeps serving stale data', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: r1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1') && linkUp(c, 'r2'), 'links up', 10);
    c.cmd('m1', 'SET', 'foo', 'bar');
    c.runFor(1);
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(1);
    expect(c.info('r1', 'master_link_status')).toBe('down');
    expect(c.text('r2', 'GET', 'foo')).toBe('"bar"');
  });
});

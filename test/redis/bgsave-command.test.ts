/**
 * BGSAVE and SAVE as rdb.c's bgsaveCommand and saveCommand in 7.0.15 (checked on
 * redis-server 7.0.15 here: BGSAVE inside MULTI replies "Background saving scheduled",
 * BGSAVE foo a syntax error), and serverCron's CONFIG_BGSAVE_RETRY_DELAY: after a failed
 * BGSAVE a save point fires again only 5 s (of the node's clock) after the last try.
 * These decide how a master leaves MISCONF: only a save that succeeds clears it.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/cluster.js';
import { NetClient } from '../helpers/net-client.js';
import { infoField, runUntilTrue } from '../helpers/replication.js';

function master(config = '{ save: "3600 1" }'): TestCluster {
  return new TestCluster(`
config: ${config}
nodes:
  m1: {}
`);
}

const bgsaveOver = (c: TestCluster): boolean => infoField(c, 'm1', 'rdb_bgsave_in_progress', 'persistence') === '0';

describe('BGSAVE [SCHEDULE] and SAVE', () => {
  it('parses its argument: SCHEDULE only', () => {
    const c = master();
    expect(c.text('m1', 'BGSAVE', 'foo')).toBe('(error) ERR syntax error');
    expect(c.text('m1', 'BGSAVE', 'schedule', 'x')).toBe('(error) ERR syntax error');
    expect(c.text('m1', 'BGSAVE', 'SCHEDULE')).toBe('Background saving started');
    expect(c.text('m1', 'BGSAVE')).toBe('(error) ERR Background save already in progress');
    expect(c.text('m1', 'SAVE')).toBe('(error) ERR Background save already in progress');
  });

  it('is scheduled inside EXEC and starts at the next serverCron', () => {
    const c = master();
    const saves = Number(infoField(c, 'm1', 'rdb_saves', 'persistence'));
    const cc = new NetClient(c, 'app', 'm1');
    expect(cc.run('MULTI')).toBe('OK');
    expect(cc.run('BGSAVE')).toBe('QUEUED');
    expect(cc.run('EXEC')).toBe('1) Background saving scheduled');
    expect(infoField(c, 'm1', 'rdb_saves', 'persistence')).toBe(String(saves));
    c.runFor(0.2);
    expect(infoField(c, 'm1', 'rdb_saves', 'persistence')).toBe(String(saves + 1));
  });

  it('waits for an AOF rewrite only with SCHEDULE', () => {
    const c = master('{ save: "3600 1", appendonly: "yes" }');
    c.runFor(1);
    expect(c.text('m1', 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
    expect(c.text('m1', 'BGSAVE')).toMatch(/^\(error\) ERR Another child process is active \(AOF\?\): can't BGSAVE right now\. Use BGSAVE SCHEDULE/);
    expect(c.text('m1', 'BGSAVE', 'SCHEDULE')).toBe('Background saving scheduled');
    runUntilTrue(c, () => c.traceKinds('rdb.bgsave-done', 'm1').length === 1, 'the scheduled BGSAVE ran', 10);
  });

  it('SAVE that succeeds clears MISCONF; a failed BGSAVE is retried by a save point only after 5 s', () => {
    const c = master('{ save: "1 1" }');
    c.act({ kind: 'disk', node: 'm1', full: null, failBgsaves: 2, bytesPerSec: null });
    expect(c.text('m1', 'SET', 'k', 'v')).toBe('OK');
    runUntilTrue(c, () => c.traceKinds('rdb.bgsave-error', 'm1').length === 1, 'the save point fails', 10);
    const firstFail = c.traceKinds('rdb.bgsave-error', 'm1')[0]!.t;
    runUntilTrue(c, () => c.traceKinds('rdb.bgsave-error', 'm1').length === 2, 'the retry fails', 20);
    const forks = c.traceKinds('rdb.fork', 'm1').map((r) => r.t);
    expect(forks[1]! - forks[0]!).toBeGreaterThan(5_000_000);
    expect(forks[1]! - firstFail).toBeGreaterThan(4_000_000);
    expect(c.text('m1', 'SET', 'k', 'w')).toMatch(/^\(error\) MISCONF/);
    expect(c.text('m1', 'SAVE')).toBe('OK');
    expect(infoField(c, 'm1', 'rdb_last_bgsave_status', 'persistence')).toBe('ok');
    expect(c.text('m1', 'SET', 'k', 'w')).toBe('OK');
  });

  it('SAVE fails on a full disk and leaves the error in place', () => {
    const c = master('{ save: "3600 1" }');
    c.act({ kind: 'disk', node: 'm1', full: true, failBgsaves: null, bytesPerSec: null });
    expect(c.text('m1', 'BGSAVE')).toBe('Background saving started');
    runUntilTrue(c, () => bgsaveOver(c), 'bgsave over', 10);
    c.runFor(0.2);
    expect(c.text('m1', 'SAVE')).toBe('(error) ERR');
    expect(c.text('m1', 'PING')).toMatch(/^\(error\) MISCONF/);
    c.act({ kind: 'disk', node: 'm1', full: false, failBgsaves: null, bytesPerSec: null });
    expect(c.text('m1', 'SAVE')).toBe('OK');
    expect(c.text('m1', 'PING')).toBe('PONG');
  });
});

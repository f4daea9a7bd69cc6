/**
 * Clock faults: a node's wall clock feeds key expiry and repl-timeout arithmetic
 * (server.unixtime), while the event loop's timers stay on virtual (monotonic) time.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/cluster.js';

const pair = (extra = '') => new TestCluster(`
name: clocks
duration: 120s
config: { repl-diskless-sync-delay: 0${extra} }
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);

describe('clock faults', () => {
  it('a replica whose clock is ahead hides a key the master still serves', () => {
    const c = pair();
    c.runFor(1);
    c.act({ kind: 'clock', node: 'r1', skewUs: 2_000_000, jumpUs: null, driftPpm: null });
    expect(c.text('m1', 'SET', 'k', 'v', 'PX', '3000')).toBe('OK');
    c.runFor(1.5);
    expect(c.text('m1', 'GET', 'k')).toBe('"v"');
    expect(c.text('r1', 'GET', 'k')).toBe('(nil)');
    expect(c.text('r1', 'DBSIZE')).toBe('(integer) 1');
  });

  it('the TTL written into the stream is absolute: PEXPIREAT carries the master clock, skew included', () => {
    const c = pair();
    c.runFor(1);
    c.act({ kind: 'clock', node: 'm1', skewUs: -5_000_000, jumpUs: null, driftPpm: null });
    const before = c.node('m1').nowMs();
    c.cmd('m1', 'SET', 'k', 'v', 'EX', '10');
    c.runFor(0.1);
    // r1's clock is 5 s ahead of m1's, so of the 10 s TTL it sees about 5 s left.
    const pttl = Number(c.text('r1', 'PTTL', 'k').replace('(integer) ', ''));
    expect(pttl).toBeLessThanOrEqual(10_000 - 5_000);
    expect(pttl).toBeGreaterThan(10_000 - 5_000 - 500);
    expect(c.node('m1').nowMs()).toBeGreaterThanOrEqual(before);
  });

  it('a clock jump forward beyond repl-timeout makes the replica time out its master at the next cron', () => {
    const c = pair(', repl-timeout: 10');
    c.runFor(2);
    expect(c.traceKinds('replica.timeout', 'r1')).toHaveLength(0);
    c.act({ kind: 'clock', node: 'r1', skewUs: null, jumpUs: 30_000_000, driftPpm: null });
    c.runFor(1.5);
    expect(c.traceKinds('replica.timeout', 'r1').length).toBeGreaterThanOrEqual(1);
    // It reconnects and continues where it was: a partial resync, no data lost.
    c.runFor(2);
    expect(c.info('r1', 'master_link_status')).toBe('up');
    expect(c.infoNum('m1', 'sync_partial_ok')).toBe(1);
  });

  it('a clock jump backwards delays timeouts: nothing times out while the clock catches up', () => {
    const c = pair(', repl-timeout: 5');
    c.runFor(2);
    c.act({ kind: 'clock', node: 'r1', skewUs: null, jumpUs: -30_000_000, driftPpm: null });
    c.act({ kind: 'partition', groups: [['m1'], ['r1']] });
    c.runFor(10);
    // Virtual 10 s without data, but r1's unixtime went back 30 s: no replica-side timeout yet.
    expect(c.traceKinds('replica.timeout', 'r1')).toHaveLength(0);
    // The master's clock did not move: it dropped the silent replica.
    expect(c.traceKinds('master.replica-timeout', 'm1').length).toBeGreaterThanOrEqual(1);
  });

  it('drift: a clock 1000 ppm fast gains 100 ms in 100 s', () => {
    const c = pair();
    const start = c.node('r1').nowMs() - c.node('m1').nowMs();
    c.act({ kind: 'clock', node: 'r1', skewUs: null, jumpUs: null, driftPpm: 1000 });
    c.runFor(100);
    const gained = c.node('r1').nowMs() - c.node('m1').nowMs() - start;
    expect(gained).toBeGreaterThanOrEqual(99);
    expect(gained).toBeLessThanOrEqual(101);
  });
});

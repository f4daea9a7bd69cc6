/**
 * What peers see of a power loss: nothing. A killed process's kernel resets its
 * connections, so a replica learns of a master's `crash` within a latency; a host that
 * loses power sends nothing, so its peers find out from repl-timeout — or, once it is back,
 * from the RST its fresh stack answers their next segment with (a replica's 1 Hz ACK, a
 * master's PING or stream).
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, infoField, linkUp, runUntilTrue, stat } from '../helpers/replication.js';

function pair(): TestCluster {
  const c = new TestCluster(`
config:
  repl-diskless-sync-delay: 0
  repl-timeout: 5
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 10);
  c.cmd('m1', 'SET', 'k', 'v');
  c.runFor(1);
  return c;
}

describe('power loss on the wire', () => {
  it('a crashed master is noticed at once; one that lost power only after repl-timeout', () => {
    const crashed = pair();
    crashed.act({ kind: 'crash', node: 'm1' });
    crashed.runFor(0.01);
    expect(infoField(crashed, 'r1', 'master_link_status')).toBe('down');

    const powerless = pair();
    const t0 = powerless.now;
    powerless.act({ kind: 'power-loss', node: 'm1' });
    powerless.runFor(3);
    expect(infoField(powerless, 'r1', 'master_link_status')).toBe('up');
    const downAfter = runUntilTrue(powerless, () => !linkUp(powerless, 'r1'), 'replica times out', 10) - t0;
    // repl-timeout 5: the replica gives up when its last interaction is more than 5 s old.
    // Whole seconds of unixtime: more than 5 s of them since the last interaction.
    expect(downAfter).toBeGreaterThanOrEqual(4_500_000);
    expect(downAfter).toBeLessThanOrEqual(7_000_000);
    expect(powerless.traceKinds('replica.timeout', 'r1').length).toBeGreaterThan(0);
  });

  it('a master back from a power loss resets the replica link at the replica\'s next ACK, then the replica full-syncs', () => {
    const c = pair();
    c.act({ kind: 'power-loss', node: 'm1' });
    c.runFor(2);
    expect(infoField(c, 'r1', 'master_link_status')).toBe('up');
    c.act({ kind: 'restart', node: 'm1' });
    const back = c.now;
    c.runFor(1.1); // one ACK period
    // (The link is back up within milliseconds, so look at the trace, not at INFO.)
    const down = c.traceKinds('replica.link-down', 'r1').filter((r) => r.t >= back);
    expect(down.length).toBe(1);
    expect(down[0]!.t - back).toBeLessThanOrEqual(1_100_000);
    expect(c.traceKinds('net.reset').some((r) => r['cause'] === 'unknown-connection')).toBe(true);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'resynced', 10);
    expect(stat(c, 'm1', 'sync_full')).toBe(1); // no persistence: a new history
  });

  it('a replica that lost power stays in the master\'s list until repl-timeout', () => {
    const c = pair();
    const t0 = c.now;
    c.act({ kind: 'power-loss', node: 'r1' });
    c.runFor(3);
    expect(infoField(c, 'm1', 'connected_slaves')).toBe('1');
    const gone = runUntilTrue(c, () => infoField(c, 'm1', 'connected_slaves') === '0', 'replica dropped', 10) - t0;
    expect(gone).toBeGreaterThanOrEqual(4_500_000);
    expect(c.traceKinds('master.replica-timeout', 'm1').length).toBe(1);
  });
});

/**
 * What Redis sees of bounded TCP buffers (issue 19 item 1; docs/model.md "The network"):
 * the kernels take at most the master's send buffer (4 MiB) plus, for a replica that is up
 * but not reading, its receive buffer (512 KiB). Everything else the master wrote is still
 * in its output buffer: that is what client-output-buffer-limit replica measures, and what
 * freeClient discards — the replica then receives only what the kernels held and asks
 * PSYNC from there.
 */
import { describe, expect, it } from 'vitest';
import { sec } from '../../sim/engine/time.js';
import { TCP_RECEIVE_BUFFER_BYTES, TCP_SEND_BUFFER_BYTES } from '../../sim/net/network.js';
import { TestCluster, burst, linkUp, runUntilConverged, runUntilTrue, stat } from '../helpers/replication.js';

const MiB = 1024 * 1024;
const KERNEL = TCP_SEND_BUFFER_BYTES + TCP_RECEIVE_BUFFER_BYTES;

function cluster(extra = ''): TestCluster {
  const c = new TestCluster(`
config:
  repl-diskless-sync-delay: 0
  client-output-buffer-limit: "replica 6mb 0 0"
${extra}
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 10);
  c.runFor(1);
  return c;
}

const offsetOf = (c: TestCluster, node: string): number => c.world.servers.get(node)!.masterReplOffset;

describe('a paused replica and the output-buffer limit', () => {
  it('the master drops it once what the kernels did not take passes the hard limit, not what was written', () => {
    const c = cluster();
    c.act({ kind: 'pause', node: 'r1', forUs: null });
    const start = offsetOf(c, 'm1');
    // Write in steps of 256 KiB (256 SETs of 1000 B + RESP); note when the master lets go.
    let droppedAt = -1;
    for (let i = 0; i < 80 && droppedAt < 0; i++) {
      burst(c, 'm1', 256, 1000);
      c.runFor(0.05);
      if (c.traceKinds('master.cob-disconnect', 'm1').length > 0) droppedAt = offsetOf(c, 'm1') - start;
    }
    // Dropped once written − (send buffer + receive buffer) ≥ 6 MiB: after 10.5 MiB, within a step.
    expect(droppedAt).toBeGreaterThanOrEqual(6 * MiB + KERNEL);
    expect(droppedAt).toBeLessThan(6 * MiB + KERNEL + 300 * 1024);
  });

  it('after the drop the resumed replica gets only what the kernels held, then PSYNCs from there: a full resync', () => {
    const c = cluster();
    c.act({ kind: 'pause', node: 'r1', forUs: null });
    const start = offsetOf(c, 'r1');
    for (let i = 0; i < 80 && c.traceKinds('master.cob-disconnect', 'm1').length === 0; i++) {
      burst(c, 'm1', 256, 1000);
      c.runFor(0.05);
    }
    expect(c.traceKinds('master.cob-disconnect', 'm1')).toHaveLength(1);
    let appliedBeforeFin = -1;
    const r1 = c.world.servers.get('r1')!;
    // The replica's offset when its link closes: what it applied from the kernels' bytes.
    const onClosed = (): void => {
      if (appliedBeforeFin < 0 && r1.replica.state !== 'connected') appliedBeforeFin = r1.masterReplOffset;
    };
    c.act({ kind: 'resume', node: 'r1' });
    runUntilTrue(c, () => (onClosed(), appliedBeforeFin >= 0), 'link closed', 10, 1);
    // Whole messages only: at most the kernels' bytes, at least that less one stream message (256 KiB).
    expect(appliedBeforeFin - start).toBeLessThanOrEqual(KERNEL);
    expect(appliedBeforeFin - start).toBeGreaterThan(KERNEL - 256 * 1024);
    runUntilConverged(c, 30);
    // 6 MiB more than the 1 MB backlog behind: the PSYNC cannot continue.
    expect(stat(c, 'm1', 'sync_full')).toBe(2);
    expect(stat(c, 'm1', 'sync_partial_err')).toBe(1);
  });
});

describe('ETIMEDOUT: tcp_retries2 under a long partition', () => {
  it('with repl-timeout beyond 924.6 s the kernel gives up first: both ends lose the link, and after the heal the replica resyncs', () => {
    const c = cluster('  repl-timeout: 3600');
    const t0 = c.now;
    c.act({ kind: 'partition', groups: [['m1'], ['r1']] });
    c.runFor(900);
    expect(linkUp(c, 'r1')).toBe(true); // nothing notices before the budget
    c.runFor(40);
    // The master's PINGs (every 10 s) and the replica's ACKs (every 1 s) were unacknowledged
    // since just after the cut: each socket gave up at its 924.6 s (+ backoff rounding) expiry.
    const timeouts = c.world.sim.trace.records().filter((r) => r.kind === 'net.timeout');
    expect(timeouts.map((r) => r.node).sort()).toEqual(['m1', 'r1']);
    for (const r of timeouts) {
      expect(r.t - t0).toBeGreaterThanOrEqual(sec(924.6));
      expect(r.t - t0).toBeLessThan(sec(924.6) + sec(11));
    }
    expect(linkUp(c, 'r1')).toBe(false);
    expect(c.traceKinds('master.replica-lost', 'm1')).toHaveLength(1);
    c.act({ kind: 'heal', target: 'all' });
    runUntilConverged(c, 30);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
  });
});

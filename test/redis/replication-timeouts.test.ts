/**
 * repl-timeout on both ends of the link, partitions (TCP stalls, not resets) and paused
 * processes (redis-replication.md §5.1, §5.2; DESIGN.md "a partition does not close a
 * connection").
 *
 * Timing bounds are derived by hand: replicationCron runs at 1 Hz and compares whole seconds
 * (`now - last > repl-timeout` with `now`, `last` = server.unixtime). If the last byte
 * (or ACK) arrived at L, the check first fails at a cron tick T with ⌊T⌋ − ⌊L⌋ ≥ timeout + 1,
 * so T − L ∈ (timeout, timeout + 2]. With a PING (or ACK) every second before a fault at t0,
 * L ∈ (t0 − 1, t0], hence T − t0 ∈ (timeout − 1, timeout + 2].
 *
 * Checked on real redis-server 7.0.15 pairs (`--repl-timeout 3`, replica SIGSTOPped for 6 s,
 * 6 runs): the master logged "Disconnecting timedout replica (streaming sync)" 3.10, 3.15,
 * 3.42, 3.49, 3.79 and 3.84 s after the SIGSTOP, and every replica came back after SIGCONT with
 * a partial resync (sync_full 1, sync_partial_ok 1).
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, burst, digest, infoField, linkUp, offset, runUntilConverged, runUntilTrue, slaveField, stat, traceTimes } from '../helpers/replication.js';
import { sec } from '../../sim/engine/time.js';

const TIMEOUT = 5;

function cluster(seed = 'test', extra = ''): TestCluster {
  const c = new TestCluster(
    `
config:
  repl-diskless-sync: "no"
  repl-timeout: ${TIMEOUT}
  repl-ping-replica-period: 1
nodes:
  m1: {}
  r1: { replicaof: m1 }
dataset: { node: m1, keys: 500, value-size: 50 }
${extra}`,
    seed,
  );
  runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
  c.runFor(2.3);
  return c;
}

function within(t: number, t0: number, lowSec: number, highSec: number): void {
  expect(t).toBeGreaterThan(t0 + sec(lowSec));
  expect(t).toBeLessThanOrEqual(t0 + sec(highSec) + 5_000); // + a few link latencies
}

describe('repl-timeout', () => {
  for (const seed of ['a', 'b', 'c']) {
    it(`a partition longer than repl-timeout times out both ends within (timeout-1, timeout+2] s, then the replica resyncs partially (seed ${seed})`, () => {
      const c = cluster(seed);
      const t0 = c.now;
      c.act({ kind: 'partition', groups: [['m1'], ['r1']] });
      burst(c, 'm1', 50); // small: the backlog (1 MB) covers it
      c.runFor(TIMEOUT + 3);
      const rt = traceTimes(c, 'replica.timeout', 'r1');
      const mt = traceTimes(c, 'master.replica-timeout', 'm1');
      expect(rt.length).toBe(1);
      expect(mt.length).toBe(1);
      within(rt[0]!, t0, TIMEOUT - 1, TIMEOUT + 2);
      within(mt[0]!, t0, TIMEOUT - 1, TIMEOUT + 2);
      expect(c.traceKinds('replica.timeout', 'r1')[0]!['phase']).toBe('connected');
      expect(c.traceKinds('master.replica-timeout', 'm1')[0]!['mode']).toBe('streaming sync');
      expect(c.info('r1', 'master_link_status')).toBe('down');
      expect(c.infoNum('m1', 'connected_slaves')).toBe(0);
      // Stale data is still served (replica-serve-stale-data yes) and the writes are missing.
      expect(c.text('r1', 'EXISTS', 'burst:0')).toBe('(integer) 0');
      c.act({ kind: 'heal', target: 'all' });
      runUntilConverged(c, TIMEOUT * 3);
      expect(stat(c, 'm1', 'sync_full')).toBe(1);
      expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
      expect(c.text('r1', 'EXISTS', 'burst:49')).toBe('(integer) 1');
      expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
    });
  }

  it('a partition shorter than repl-timeout goes unnoticed: no reconnection, and the stalled bytes arrive at the first retransmission after the heal', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(1.5);
    c.act({ kind: 'partition', groups: [['m1'], ['r1']] });
    expect(c.text('m1', 'SET', 'during', 'partition')).toBe('OK');
    c.runFor(4.5);
    // TCP retransmits; Redis sees nothing but silence (60 s repl-timeout).
    expect(c.info('r1', 'master_link_status')).toBe('up');
    expect(c.text('r1', 'GET', 'during')).toBe('(nil)');
    expect(Number(infoField(c, 'r1', 'master_last_io_seconds_ago'))).toBeGreaterThanOrEqual(4);
    expect(offset(c, 'r1')).toBeLessThan(offset(c, 'm1'));
    c.act({ kind: 'heal', target: 'all' });
    // Linux retransmits the SET at 0.2, 0.6, 1.4, 3.0 and 6.2 s after sending it (RTO 200 ms
    // doubling): healed at 4.5 s, nothing moves until 6.2 s.
    c.runFor(1);
    expect(c.text('r1', 'GET', 'during')).toBe('(nil)');
    c.runFor(1);
    expect(c.text('r1', 'GET', 'during')).toBe('"partition"');
    expect(offset(c, 'r1')).toBe(offset(c, 'm1'));
    expect(c.traceKinds('replica.link-down', 'r1')).toHaveLength(0);
    expect(c.traceKinds('master.replica-lost', 'm1')).toHaveLength(0);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(0);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
  });

  it("a one-way partition master→replica times out only the replica: its ACKs keep the master's view fresh", () => {
    const c = cluster();
    const t0 = c.now;
    c.act({ kind: 'partition-one-way', from: ['m1'], to: ['r1'] });
    c.runFor(TIMEOUT + 3);
    const rt = traceTimes(c, 'replica.timeout', 'r1');
    expect(rt.length).toBeGreaterThanOrEqual(1);
    within(rt[0]!, t0, TIMEOUT - 1, TIMEOUT + 2);
    // REPLCONF ACK every second refreshes repl_ack_time: the master never times the replica out.
    expect(c.traceKinds('master.replica-timeout', 'm1')).toHaveLength(0);
    c.act({ kind: 'heal', target: 'all' });
    runUntilConverged(c, TIMEOUT * 3);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBeGreaterThanOrEqual(1);
  });

  it('a replica paused (SIGSTOP) beyond repl-timeout is dropped by the master (streaming sync) and resyncs partially after SIGCONT', () => {
    const c = cluster();
    const t0 = c.now;
    c.act({ kind: 'pause', node: 'r1', forUs: sec(2 * TIMEOUT) });
    burst(c, 'm1', 20);
    c.runFor(TIMEOUT + 3);
    const mt = traceTimes(c, 'master.replica-timeout', 'm1');
    expect(mt.length).toBe(1);
    within(mt[0]!, t0, TIMEOUT - 1, TIMEOUT + 2);
    runUntilConverged(c, 3 * TIMEOUT);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('a replica paused for less than repl-timeout just catches up: no timeout, no resync', () => {
    const c = cluster();
    c.act({ kind: 'pause', node: 'r1', forUs: sec(TIMEOUT - 2) });
    burst(c, 'm1', 20);
    c.runFor(TIMEOUT + 2);
    expect(c.traceKinds('master.replica-timeout', 'm1')).toHaveLength(0);
    expect(c.traceKinds('replica.timeout', 'r1')).toHaveLength(0);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(0);
    runUntilConverged(c, 2);
  });

  it('a master paused beyond repl-timeout is timed out by the replica; after SIGCONT the replica resyncs partially', () => {
    const c = cluster();
    const t0 = c.now;
    c.act({ kind: 'pause', node: 'm1', forUs: sec(2 * TIMEOUT + 1) });
    c.runFor(TIMEOUT + 3);
    const rt = traceTimes(c, 'replica.timeout', 'r1');
    expect(rt.length).toBeGreaterThanOrEqual(1);
    within(rt[0]!, t0, TIMEOUT - 1, TIMEOUT + 2);
    expect(c.traceKinds('replica.timeout', 'r1')[0]!['phase']).toBe('connected');
    runUntilConverged(c, 3 * TIMEOUT);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
  });

  it('a replica waiting for a delayed diskless BGSAVE stays in handshake on keepalive newlines, and times out when they stop (DEBUG SLEEP)', () => {
    // replication.tcl: master diskless delay 1000 s, replica repl-timeout 5 → ROLE handshake;
    // the master's DEBUG SLEEP stops the "\n" keepalives → "Timeout connecting to the MASTER".
    const c = new TestCluster(`
nodes:
  m1: { config: { repl-diskless-sync: "yes", repl-diskless-sync-delay: 1000 } }
  r1: { replicaof: m1, config: { repl-timeout: 5 } }
`);
    c.runFor(12);
    expect(c.text('r1', 'ROLE').split('\n')[3]).toBe('4) "handshake"');
    expect(c.info('r1', 'master_link_status')).toBe('down');
    expect(c.infoNum('r1', 'master_sync_in_progress')).toBe(0);
    expect(c.traceKinds('replica.timeout', 'r1')).toHaveLength(0);
    const t0 = c.now;
    c.cmd('m1', 'DEBUG', 'SLEEP', '10'); // returns after 10 s of virtual time
    const rt = traceTimes(c, 'replica.timeout', 'r1');
    expect(rt.length).toBeGreaterThanOrEqual(1);
    within(rt[0]!, t0, 5 - 1, 5 + 2);
    expect(c.traceKinds('replica.timeout', 'r1')[0]!['phase']).toBe('connecting');
  });

  it('an RDB transfer stalled for longer than repl-timeout is abandoned by the replica, which then needs a new full sync', () => {
    // Disk target, a 1 MB/s link: the ≈3 MB payload takes seconds to send; a partition in
    // the middle stops every byte (no keepalives in SEND_BULK) → "Timeout receiving bulk data".
    const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
  repl-timeout: ${TIMEOUT}
nodes:
  m1: {}
  r1: {}
network: { bandwidth: 1MB/s }
dataset: { node: m1, keys: 100000, value-size: 100 }
`);
    c.runFor(1);
    c.cmd('r1', 'REPLICAOF', 'm1', '6379');
    runUntilTrue(c, () => infoField(c, 'r1', 'master_sync_in_progress') === '1' && Number(infoField(c, 'r1', 'master_sync_read_bytes')) > 0, 'RDB bytes arriving', 10, 50);
    expect(Number(infoField(c, 'r1', 'master_sync_left_bytes'))).toBeGreaterThan(0);
    c.act({ kind: 'partition', groups: [['m1'], ['r1']] });
    const t0 = c.now;
    c.runFor(TIMEOUT + 3);
    const timeouts = c.traceKinds('replica.timeout', 'r1');
    expect(timeouts.length).toBeGreaterThanOrEqual(1);
    expect(timeouts[0]!['phase']).toBe('transfer');
    expect(timeouts[0]!.t).toBeGreaterThan(t0 + sec(TIMEOUT - 1));
    c.act({ kind: 'heal', target: 'all' });
    runUntilConverged(c, 60);
    expect(stat(c, 'm1', 'sync_full')).toBe(2);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(0);
  });

  it("INFO slave lag is 0 or 1 while the replica ACKs every second, and grows while it is stopped", () => {
    const c = cluster();
    for (let i = 0; i < 3; i++) {
      c.runFor(0.37);
      expect(Number(slaveField(c, 'm1', 0, 'lag'))).toBeLessThanOrEqual(1);
    }
    c.act({ kind: 'pause', node: 'r1', forUs: sec(TIMEOUT - 1) });
    c.runFor(TIMEOUT - 1.5);
    expect(Number(slaveField(c, 'm1', 0, 'lag'))).toBeGreaterThanOrEqual(TIMEOUT - 3);
    c.runFor(1.5);
    expect(Number(slaveField(c, 'm1', 0, 'lag'))).toBeLessThanOrEqual(1);
  });
});

/**
 * Partial resynchronization (PSYNC → +CONTINUE) after a lost link, as
 * masterTryPartialResynchronization decides it (redis-replication.md §2.2, §1 step 8,
 * §3.7). Expected values come from the spec and RESP arithmetic; the "request <id>:<off>"
 * and "Sending N bytes of backlog starting from offset M" shapes were seen on a real
 * redis-server 7.0.15 (a replica restarted from its RDB asked for `<id>:1` and was sent the
 * whole 6509-byte history).
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, burst, digest, dbsize, linkUp, offset, replid, respBytes, runUntilConverged, runUntilTrue, startWrites, stat } from '../helpers/replication.js';

function cluster(extra = ''): TestCluster {
  const c = new TestCluster(`
config:
  repl-diskless-sync: "no"
  repl-ping-replica-period: 3600
nodes:
  m1: {}
  r1: { replicaof: m1 }
dataset: { node: m1, keys: 1000, value-size: 100 }
${extra}`);
  runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
  c.runFor(1);
  return c;
}

function burstBytes(from: number, count: number, valueSize = 100): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n += respBytes('SET', `burst:${i}`, 'w'.repeat(valueSize));
  return n;
}

describe('partial resync after a lost link', () => {
  it('a link killed while the backlog covers the gap resyncs partially: sync_partial_ok += 1, no data lost', () => {
    const c = cluster();
    c.cmd('m1', 'SET', 'foo', 'bar'); // 54
    c.runFor(1);
    const id = replid(c, 'm1');
    // 100 writes, and the link dies in the same instant: what was on the wire is lost with it
    // and must come back from the backlog.
    burst(c, 'm1', 100);
    c.act({ kind: 'kill-link', node: 'r1' });
    c.runFor(2);
    expect(linkUp(c, 'r1')).toBe(true);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'm1', 'sync_partial_err')).toBe(0);
    // The replica asks for byte applied+1 = 55 under the master's replid (§1 step 7) …
    const psync = c.traceKinds('replica.psync', 'r1').at(-1)!;
    expect(psync['replid']).toBe(id);
    expect(psync['offset']).toBe(55);
    // … and gets master_repl_offset + 1 - 55 bytes: the 100 SETs (§2.2).
    const accepted = c.traceKinds('master.psync-accepted', 'm1').at(-1)!;
    expect(accepted['offset']).toBe(55);
    expect(accepted['bytes']).toBe(burstBytes(0, 100));
    expect(offset(c, 'm1')).toBe(54 + burstBytes(0, 100));
    expect(offset(c, 'r1')).toBe(offset(c, 'm1'));
    expect(dbsize(c, 'r1')).toBe(1000 + 1 + 100);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
    // Same history on both sides: no ID shift.
    expect(replid(c, 'm1')).toBe(id);
    expect(replid(c, 'r1')).toBe(id);
    expect(c.info('r1', 'master_replid2')).toBe('0'.repeat(40));
  });

  it('a partial resync keeps the replica dataset: no flush and no RDB load on the replica', () => {
    const c = cluster();
    const loadsBefore = c.traceKinds('replica.load-start', 'r1').length;
    c.act({ kind: 'kill-link', node: 'r1' });
    c.runFor(2);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(c.traceKinds('replica.load-start', 'r1').length).toBe(loadsBefore);
    expect(c.traceKinds('replica.flush', 'r1').length).toBe(loadsBefore);
    expect(dbsize(c, 'r1')).toBe(1000);
  });

  it('a PSYNC for exactly master_repl_offset + 1 is accepted and sends 0 bytes', () => {
    const c = cluster();
    c.cmd('m1', 'SET', 'foo', 'bar');
    c.runFor(1);
    c.act({ kind: 'kill-link', node: 'r1' });
    c.runFor(1);
    const accepted = c.traceKinds('master.psync-accepted', 'm1').at(-1)!;
    expect(accepted['offset']).toBe(55);
    expect(accepted['bytes']).toBe(0);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(offset(c, 'r1')).toBe(54);
  });

  it('repeated link kills under steady writes are all partial resyncs, and the replica converges', () => {
    // replication-psync.tcl: links killed every second under load with a large backlog ⇒
    // sync_partial_ok > 0 and equal digests. Here every kill must be partial.
    const c = cluster('');
    startWrites(c, 'm1', { rateHz: 500, seconds: 8, ops: { set: 0.7, incr: 0.3 } });
    for (let i = 0; i < 6; i++) {
      c.runFor(1);
      c.act({ kind: 'kill-link', node: 'r1' });
    }
    c.runFor(4);
    runUntilConverged(c, 10);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(6);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('a replica that reconnects to the same master after REPLICAOF of the same host answers "Already connected" and keeps its link', () => {
    const c = cluster();
    expect(c.text('r1', 'REPLICAOF', 'm1', '6379')).toBe('OK Already connected to specified master');
    c.runFor(1);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(0);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(linkUp(c, 'r1')).toBe(true);
  });

  it('killing the replica connections on the master (CLIENT KILL TYPE replica) is also healed by a partial resync', () => {
    const c = cluster();
    burst(c, 'm1', 30);
    expect(c.text('m1', 'CLIENT', 'KILL', 'TYPE', 'replica')).toBe('(integer) 1');
    c.runFor(1);
    expect(linkUp(c, 'r1')).toBe(true);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });
});

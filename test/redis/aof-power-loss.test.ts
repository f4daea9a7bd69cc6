/**
 * appendfsync and power loss (aof.ts). Expected behaviour from aof.c 7.0.15
 * flushAppendOnlyFile: everysec fsyncs at the end of an event-loop iteration when
 * `server.unixtime > server.aof_last_fsync` (also with an empty buffer when the last write
 * was never synced), always fsyncs before any reply, no leaves it to the kernel (dirty pages
 * written back after 30 s). A kill -9 loses nothing of the AOF (the page cache survives the
 * process); a power loss loses what was not fsynced.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { sec } from '../../sim/engine/time.js';
import { Client, TestCluster, dbsize, digest, linkUp, runUntilConverged, runUntilTrue } from '../helpers/replication.js';

const WRITE_EVERY_MS = 50;

/** One master with an AOF; keys w:0… written every 50 ms from 1 s on, until the node's clock reads x.900. */
function writeUntilLateInASecond(fsync: string): { c: TestCluster; written: Array<{ key: string; atUs: number }> } {
  const c = new TestCluster(`
config: { appendonly: "yes", appendfsync: ${fsync} }
nodes: { m1: {} }
`);
  c.runUntil(sec(1));
  const m1 = c.node('m1');
  const written: Array<{ key: string; atUs: number }> = [];
  // At least 4 s of writes, then stop 900 ms into a second of m1's wall clock, so the last
  // everysec fsync (at the first write of that second) is ~850 ms old.
  while (c.now < sec(5) || m1.nowMs() % 1000 < 900) {
    const key = `w:${written.length}`;
    expect(c.text('m1', 'SET', key, 'v')).toBe('OK');
    written.push({ key, atUs: c.now });
    c.runUntil(c.now + WRITE_EVERY_MS * 1000);
  }
  return { c, written };
}

function restartAndLoad(c: TestCluster, node: string): void {
  c.runFor(0.5);
  c.act({ kind: 'restart', node });
  runUntilTrue(c, () => !c.node(node).loading, `${node} loaded`, 10);
}

function present(c: TestCluster, keys: string[]): boolean[] {
  return keys.map((k) => c.text('m1', 'EXISTS', k) === '(integer) 1');
}

describe('appendfsync everysec', () => {
  it('a power loss loses the writes since the last fsync — less than a second of them, a suffix', () => {
    const { c, written } = writeUntilLateInASecond('everysec');
    const powerLossAt = c.now;
    c.act({ kind: 'power-loss', node: 'm1' });
    const lost = Number(c.traceKinds('server.power-loss', 'm1')[0]!['aof_ops_lost']);
    restartAndLoad(c, 'm1');
    const has = present(c, written.map((w) => w.key));
    const kept = has.indexOf(false) === -1 ? has.length : has.indexOf(false);
    expect(has.slice(kept).every((h) => !h)).toBe(true); // what survives is a prefix
    expect(written.length - kept).toBe(lost);
    expect(lost).toBeGreaterThan(0);
    // Everything lost was written within the last second (plus one write interval).
    for (const w of written.slice(kept)) expect(powerLossAt - w.atUs).toBeLessThanOrEqual(sec(1) + WRITE_EVERY_MS * 1000);
    expect(c.traceKinds('server.load-aof', 'm1')[0]!['keys']).toBe(kept);
  });

  it('a plain crash (kill -9) loses nothing: the page cache survives the process', () => {
    const { c, written } = writeUntilLateInASecond('everysec');
    c.act({ kind: 'crash', node: 'm1' });
    restartAndLoad(c, 'm1');
    expect(dbsize(c, 'm1')).toBe(written.length);
  });

  it('after the writes stop, the fsync still comes within about a second (7.0.15 fsyncs with an empty buffer)', () => {
    const { c, written } = writeUntilLateInASecond('everysec');
    c.runFor(1.2);
    c.act({ kind: 'power-loss', node: 'm1' });
    expect(c.traceKinds('server.power-loss', 'm1')[0]!['aof_ops_lost']).toBe(0);
    restartAndLoad(c, 'm1');
    expect(dbsize(c, 'm1')).toBe(written.length);
  });

  it('a paused process does not fsync: SIGSTOP holds the unsynced writes in the page cache', () => {
    const { c } = writeUntilLateInASecond('everysec');
    c.act({ kind: 'pause', node: 'm1', forUs: null });
    c.runFor(3);
    c.act({ kind: 'power-loss', node: 'm1' });
    expect(Number(c.traceKinds('server.power-loss', 'm1')[0]!['aof_ops_lost'])).toBeGreaterThan(0);
  });
});

describe('appendfsync always and no', () => {
  it('always: a power loss loses nothing acknowledged', () => {
    const { c, written } = writeUntilLateInASecond('always');
    c.act({ kind: 'power-loss', node: 'm1' });
    expect(c.traceKinds('server.power-loss', 'm1')[0]!['aof_ops_lost']).toBe(0);
    restartAndLoad(c, 'm1');
    expect(dbsize(c, 'm1')).toBe(written.length);
  });

  it('no: what the kernel has not written back (younger than 30 s) is lost; older pages survive', () => {
    const early = writeUntilLateInASecond('no');
    early.c.runFor(10);
    early.c.act({ kind: 'power-loss', node: 'm1' });
    restartAndLoad(early.c, 'm1');
    expect(dbsize(early.c, 'm1')).toBe(0);

    const late = writeUntilLateInASecond('no');
    late.c.runFor(31);
    late.c.act({ kind: 'power-loss', node: 'm1' });
    restartAndLoad(late.c, 'm1');
    expect(dbsize(late.c, 'm1')).toBe(late.written.length);
  });

  it('a power loss of a host whose process already crashed still takes the unsynced tail', () => {
    const { c, written } = writeUntilLateInASecond('everysec');
    c.act({ kind: 'crash', node: 'm1' });
    c.runFor(2);
    c.act({ kind: 'power-loss', node: 'm1' });
    restartAndLoad(c, 'm1');
    expect(dbsize(c, 'm1')).toBeLessThan(written.length);
  });
});

describe('power loss and replication', () => {
  it('a replica restarted from a truncated AOF full-syncs back to its master', () => {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1, config: { appendonly: "yes" } }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    const r1 = c.node('r1');
    let n = 0;
    while (c.now < sec(5) || r1.nowMs() % 1000 < 900) {
      c.cmd('m1', 'SET', `k:${n++}`, 'v');
      c.runUntil(c.now + WRITE_EVERY_MS * 1000);
    }
    c.runFor(0.01); // the last write reaches r1
    expect(dbsize(c, 'r1')).toBe(n);
    c.act({ kind: 'power-loss', node: 'r1' });
    const lost = Number(c.traceKinds('server.power-loss', 'r1')[0]!['aof_ops_lost']);
    expect(lost).toBeGreaterThan(0);
    c.act({ kind: 'restart', node: 'r1' });
    expect(c.traceKinds('server.load-aof', 'r1').at(-1)!['keys']).toBe(n - lost);
    runUntilConverged(c, 30);
    expect(dbsize(c, 'r1')).toBe(n);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
  });

  it('a write WAIT saw acknowledged by a replica survives the master losing power if that replica is promoted', () => {
    const c = new TestCluster(`
config: { appendonly: "yes" }
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(0.95);
    const client = new Client(c, 'm1');
    expect(client.run('SET', 'acked', 'yes')).toBe('OK');
    expect(client.run('WAIT', '1', '1000')).toBe('(integer) 1');
    c.act({ kind: 'power-loss', node: 'm1' });
    expect(c.text('r1', 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(c.text('r1', 'GET', 'acked')).toBe('"yes"');
    // And the promoted node's own AOF has it: it survives r1 crashing too.
    c.act({ kind: 'crash', node: 'r1' });
    c.act({ kind: 'restart', node: 'r1' });
    runUntilTrue(c, () => !c.node('r1').loading, 'r1 loaded', 10);
    expect(c.text('r1', 'GET', 'acked')).toBe('"yes"');
  });

  it('the durability checker calls a write lost with every holder\'s power an explained anomaly, not a model bug', () => {
    const scenario = parseScenario(`
name: power-loss-everywhere
seed: 3
duration: 40s
config: { appendonly: "yes", repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
workload:
  - { node: m1, rate: 50/s, from: 1s, until: 4s, wait: { replicas: 1, timeout: 500ms } }
timeline:
  - { at: 3900ms, power-loss: m1 }
  - { at: 3900ms, power-loss: r1 }
  - { at: 5s, restart: m1 }
  - { at: 5s, restart: r1 }
expect:
  - { invariant: durability }
  - { converged: true }
`, 'power-loss-everywhere.yaml');
    const result = runScenario(scenario);
    const durability = result.check!.results.find((r) => r.checker === 'durability')!;
    expect(durability.violations).toEqual([]);
    expect(durability.anomalies.length).toBeGreaterThan(0);
    expect(durability.anomalies[0]!.message).toMatch(/after a power loss/);
    expect(result.ok).toBe(true);
  });
});

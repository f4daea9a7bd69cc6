/**
 * min-replicas-to-write / min-replicas-max-lag and WAIT (redis-replication.md §8, §12.4,
 * §12.6, upstream replication-2.tcl and unit/wait.tcl).
 *
 * Detection delay, derived: the good-replica count is recomputed by the 1 Hz cron as
 * `unixtime - repl_ack_time <= max-lag` (whole seconds). With the last ACK at A (ACKs every
 * second, so A ∈ (t0 − 1, t0] for a replica stopped at t0), writes are refused from the first
 * cron tick T with ⌊T⌋ − ⌊A⌋ ≥ max-lag + 1, i.e. T − A ∈ (max-lag, max-lag + 2], hence
 * T − t0 ∈ (max-lag − 1, max-lag + 2]. A real redis-server 7.0.15 pair with max-lag 2
 * (8 runs, SET probed every 10 ms after SIGSTOP) refused writes after 2.44, 2.09, 2.71, 1.82,
 * 2.49, 2.15, 2.46, 2.77 s, and accepted them again 0.50–1.53 s after SIGCONT.
 *
 * WAIT facts checked on the real server: a fresh connection's `WAIT 1 0` answers 1 at once
 * (its woff is 0); right after a SET, `WAIT 0 0` answers 0 (not ACKed yet), and 1 a second
 * later; WAIT on a replica is an error with the text below.
 */
import { describe, expect, it } from 'vitest';
import { Client, TestCluster, linkUp, runUntilTrue } from '../helpers/replication.js';
import { sec } from '../../sim/engine/time.js';

const NOREPLICAS = '(error) NOREPLICAS Not enough good replicas to write.';

function pair(masterConfig = '{}', seed = 'test', replicaConfig = '{}'): TestCluster {
  const c = new TestCluster(
    `
config: { repl-diskless-sync: "no" }
nodes:
  m1: { config: ${masterConfig} }
  r1: { replicaof: m1, config: ${replicaConfig} }
`,
    seed,
  );
  runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
  c.runFor(1.5);
  return c;
}

/** Probes SET every 50 ms; returns the virtual time of the first reply equal/unequal to `want`. */
function probeUntil(c: TestCluster, want: (reply: string) => boolean, maxSeconds: number): number {
  const cl = new Client(c, 'm1');
  return runUntilTrue(c, () => want(cl.run('SET', 'probe', '1')), 'probe', maxSeconds, 50);
}

describe('min-replicas-to-write', () => {
  it('min-replicas-to-write 1 with one online replica accepts writes and shows min_slaves_good_slaves:1', () => {
    const c = pair('{ min-replicas-to-write: 1, min-replicas-max-lag: 10 }');
    expect(c.text('m1', 'SET', 'a', '1')).toBe('OK');
    expect(c.infoNum('m1', 'min_slaves_good_slaves')).toBe(1);
  });

  it('min-replicas-to-write 2 with one replica refuses writes with -NOREPLICAS at once, reads still served', () => {
    const c = pair('{ min-replicas-to-write: 2, min-replicas-max-lag: 10 }');
    expect(c.text('m1', 'SET', 'a', '1')).toBe(NOREPLICAS);
    expect(c.text('m1', 'GET', 'a')).toBe('(nil)');
    // A write queued in MULTI is refused at queue time and the transaction aborted.
    const cl = new Client(c, 'm1');
    expect(cl.pipeline([['MULTI'], ['SET', 'a', '1'], ['EXEC']])).toEqual([
      'OK',
      NOREPLICAS,
      '(error) EXECABORT Transaction discarded because of previous errors.',
    ]);
  });

  for (const seed of ['a', 'b', 'c', 'd']) {
    it(`a stopped replica makes writes fail with -NOREPLICAS within (max-lag−1, max-lag+2] s, and accepted again within 2 s of SIGCONT (seed ${seed})`, () => {
      const maxLag = 2;
      const c = pair(`{ min-replicas-to-write: 1, min-replicas-max-lag: ${maxLag} }`, seed);
      c.runFor(Number.parseInt(seed, 36) * 0.113); // a different phase against the 1 Hz ACKs
      expect(c.text('m1', 'SET', 'a', '1')).toBe('OK');
      const t0 = c.now;
      c.act({ kind: 'pause', node: 'r1', forUs: null });
      const refused = probeUntil(c, (r) => r === NOREPLICAS, 10);
      expect(refused - t0).toBeGreaterThan(sec(maxLag - 1));
      expect(refused - t0).toBeLessThanOrEqual(sec(maxLag + 2) + 50_000);
      expect(c.infoNum('m1', 'min_slaves_good_slaves')).toBe(0);
      c.runFor(2);
      const t1 = c.now;
      c.act({ kind: 'resume', node: 'r1' });
      const accepted = probeUntil(c, (r) => r === 'OK', 5);
      expect(accepted - t1).toBeLessThanOrEqual(sec(2));
    });
  }

  it('an isolated master (partition) with min-replicas-to-write 1, max-lag 10 refuses writes within (9, 12] s: the split-brain window is bounded', () => {
    const c = pair('{ min-replicas-to-write: 1, min-replicas-max-lag: 10 }');
    const t0 = c.now;
    c.act({ kind: 'partition', groups: [['m1'], ['r1']] });
    const refused = probeUntil(c, (r) => r === NOREPLICAS, 20);
    expect(refused - t0).toBeGreaterThan(sec(9));
    expect(refused - t0).toBeLessThanOrEqual(sec(12) + 50_000);
  });

  it('a replica still waiting for its full sync does not count as good: writes are refused until it is online', () => {
    // Diskless with the default 5 s delay: the replica sits in wait_bgsave for 4–6 s.
    const c = new TestCluster(`
nodes:
  m1: { config: { min-replicas-to-write: 1, min-replicas-max-lag: 10 } }
  r1: { replicaof: m1 }
`);
    c.runFor(2);
    expect(c.infoNum('m1', 'connected_slaves')).toBe(1);
    expect(c.text('m1', 'SET', 'a', '1')).toBe(NOREPLICAS);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(1.1);
    expect(c.text('m1', 'SET', 'a', '1')).toBe('OK');
  });

  it('min-replicas settings on a (writable) replica are ignored', () => {
    const c = pair('{}', 'test', '{ replica-read-only: "no", min-replicas-to-write: 5, min-replicas-max-lag: 10 }');
    expect(c.text('r1', 'SET', 'x', '1')).toBe('OK');
  });
});

describe('WAIT', () => {
  it('WAIT 1 1000 after a write with a live replica answers 1 within milliseconds (GETACK makes the replica ACK at once)', () => {
    const c = pair();
    const cl = new Client(c, 'm1');
    cl.run('SET', 'a', '1');
    const t0 = c.now;
    expect(cl.run('WAIT', '1', '1000')).toBe('(integer) 1');
    expect(c.now - t0).toBeLessThan(10_000);
  });

  it('WAIT 2 1000 with one replica waits for the whole timeout and answers the count at that moment, 1', () => {
    const c = pair();
    const cl = new Client(c, 'm1');
    cl.run('SET', 'a', '1');
    const t0 = c.now;
    expect(cl.run('WAIT', '2', '1000')).toBe('(integer) 1');
    expect(c.now - t0).toBeGreaterThanOrEqual(1_000_000);
    expect(c.now - t0).toBeLessThan(1_100_000);
  });

  it('WAIT 1 1000 with a stopped replica answers 0 after the full timeout; WAIT 1 0 answers 1 once it runs again', () => {
    const c = pair();
    c.act({ kind: 'pause', node: 'r1', forUs: sec(3) });
    const cl = new Client(c, 'm1');
    cl.run('SET', 'a', '1');
    const t0 = c.now;
    expect(cl.run('WAIT', '1', '1000')).toBe('(integer) 0');
    expect(c.now - t0).toBeGreaterThanOrEqual(1_000_000);
    // Timeout 0 = wait forever: it is answered after SIGCONT (at t0 + 3 s), with 1.
    expect(cl.run('WAIT', '1', '0')).toBe('(integer) 1');
    expect(c.now - t0).toBeGreaterThanOrEqual(sec(2));
    expect(c.now - t0).toBeLessThan(sec(3) + 100_000);
  });

  it("WAIT 0 0 answers at once with the number of replicas that ACKed the client's last write: 0 right after it, 1 a second later", () => {
    const c = pair();
    const cl = new Client(c, 'm1');
    cl.run('SET', 'a', '1');
    expect(cl.run('WAIT', '0', '0')).toBe('(integer) 0');
    expect(cl.run('WAIT', '0', '0')).toBe('(integer) 0');
    c.runFor(1.5);
    expect(cl.run('WAIT', '0', '0')).toBe('(integer) 1');
  });

  it("WAIT targets the calling client's own offset: a fresh connection's WAIT 1 0 answers 1 at once after another client's write", () => {
    const c = pair();
    c.cmd('m1', 'SET', 'a', '1');
    const fresh = new Client(c, 'm1');
    const t0 = c.now;
    expect(fresh.run('WAIT', '1', '0')).toBe('(integer) 1');
    expect(c.now).toBe(t0);
  });

  it('WAIT on a replica is an error', () => {
    const c = pair();
    expect(c.text('r1', 'WAIT', '1', '100')).toBe(
      '(error) ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
    );
  });
});

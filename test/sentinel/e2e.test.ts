/**
 * Sentinels against real simulated RedisServers (sim/redis over the simulated network):
 * the 00-base failover with the spec's timing windows, the old master's conversion, and
 * determinism of the whole run.
 */
import { describe, expect, it } from 'vitest';
import { sec } from '../../sim/engine/time.js';
import { SentinelCluster } from '../helpers/sentinel-cluster.js';

const YAML = `
name: sentinel-e2e
duration: 120s
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: m1 }
network:
  latency: 1ms
  bandwidth: 1gbit
`;

const DOWN_AFTER_MS = 5000;


function cluster(seed?: string) {
  return new SentinelCluster(YAML, { master: { downAfterMs: DOWN_AFTER_MS, failoverTimeoutMs: 60000 }, ...(seed ? { seed } : {}) });
}

describe('00-base with real Redis servers', () => {
  it('discovers both replicas and the other Sentinels (init tests)', () => {
    const c = cluster();
    c.runFor(4);
    for (const s of c.sentinels) {
      const st = s.masterState('mymaster')!;
      expect(st['num-slaves']).toBe('2');
      expect(st['num-other-sentinels']).toBe('2');
      expect(st.runid).toBe(c.info('m1', 'run_id'));
      expect(st.flags).toBe('master');
    }
  });

  it('master crash → SDOWN ≈ down-after (+0..1 s), ODOWN ≤ 1 s later, election next tick, promotion ≤ 1.1 s after SLAVEOF NO ONE, +switch-master everywhere', () => {
    const c = cluster();
    c.runFor(10);
    const crashAt = c.now;
    c.node('m1').crash();
    c.runFor(20);
    const sdown = c.of('+sdown').filter((e) => e.msg === 'master mymaster m1 6379');
    expect(sdown).toHaveLength(3);
    for (const e of sdown) {
      expect(e.t - crashAt).toBeGreaterThan(sec(DOWN_AFTER_MS / 1000 - 1.2));
      expect(e.t - crashAt).toBeLessThanOrEqual(sec(DOWN_AFTER_MS / 1000 + 1.2));
    }
    const secondSdown = sdown.map((e) => e.t).sort((a, b) => a - b)[1]!;
    const odown = c.of('+odown')[0]!;
    expect(odown.t - secondSdown).toBeLessThanOrEqual(sec(1.1));
    const elected = c.of('+elected-leader');
    expect(elected).toHaveLength(1);
    const L = elected[0]!.sentinel;
    expect(elected[0]!.t - c.of('+try-failover', L)[0]!.t).toBeLessThanOrEqual(100_000);
    const promoted = c.of('+promoted-slave', L)[0]!;
    expect(promoted.t - c.of('+failover-state-wait-promotion', L)[0]!.t).toBeLessThanOrEqual(sec(1.1));
    const newMaster = promoted.msg.split(' ')[2]!;
    expect(['r1', 'r2']).toContain(newMaster);
    const other = newMaster === 'r1' ? 'r2' : 'r1';
    // 00-base: the promoted instance reports role:master, the other replica master_port/host = new master, link up.
    expect(c.info(newMaster, 'role')).toBe('master');
    expect(c.info(other, 'master_host')).toBe(newMaster);
    expect(c.info(other, 'master_link_status')).toBe('up');
    const sw = c.of('+switch-master');
    expect(sw.map((e) => e.sentinel).sort()).toEqual(['s1', 's2', 's3']);
    for (const e of sw) expect(e.msg).toBe(`mymaster m1 6379 ${newMaster} 6379`);
    for (const s of c.sentinels) expect(s.masterAddress('mymaster')).toEqual({ host: newMaster, port: 6379 });
    // After the switch the new master's INFO lists the other replica; the old master is a replica entry (down).
    for (const s of c.sentinels) expect(s.masterState('mymaster')!['num-slaves']).toBe('2');
  });

  it('the restarted old master is converted ≈10 s after it returns (+convert-to-slave) and resyncs from the new master', () => {
    const c = cluster();
    c.runFor(10);
    c.node('m1').crash();
    expect(c.runUntilTrue(() => c.sentinels.every((s) => s.masterAddress('mymaster')!.host !== 'm1'), 30)).toBe(true);
    const newMaster = c.sentinels[0]!.masterAddress('mymaster')!.host;
    c.runFor(2);
    c.node('m1').boot();
    const back = c.now;
    c.runFor(35);
    const conv = c.of('+convert-to-slave');
    expect(conv.length).toBeGreaterThanOrEqual(1);
    expect(conv[0]!.t - back).toBeGreaterThan(sec(8));
    expect(conv[0]!.t - back).toBeLessThanOrEqual(sec(30));
    expect(c.info('m1', 'role')).toBe('slave');
    expect(c.info('m1', 'master_host')).toBe(newMaster);
    expect(c.info('m1', 'master_link_status')).toBe('up');
  });

  it('a partitioned master on the minority side: the majority fails over; after the heal the old master is demoted', () => {
    const c = cluster();
    c.runFor(10);
    c.world.net.partition([['m1', 's1'], ['r1', 'r2', 's2', 's3']]);
    c.runFor(15);
    const newMaster = c.sentinel('s2').masterAddress('mymaster')!.host;
    expect(newMaster).not.toBe('m1');
    expect(c.sentinel('s1').masterAddress('mymaster')!.host).toBe('m1');
    // The isolated old master still is a master during the partition (the split-brain window).
    expect(c.info('m1', 'role')).toBe('master');
    c.world.net.healAll();
    c.runFor(40);
    expect(c.sentinel('s1').masterAddress('mymaster')!.host).toBe(newMaster);
    expect(c.info('m1', 'role')).toBe('slave');
    expect(c.info('m1', 'master_host')).toBe(newMaster);
  });
});

describe('07-down-conditions with real Redis servers (quorum above the Sentinel count, so nothing fails over)', () => {
  const noFailover = () => new SentinelCluster(YAML, { quorum: 4, master: { downAfterMs: DOWN_AFTER_MS } });

  it('SIGSTOP of the master → SDOWN ≈ down-after after the first unanswered PING; SIGCONT → -sdown, flags back to master', () => {
    const c = noFailover();
    c.runFor(10);
    const stopAt = c.now;
    c.node('m1').freeze('sigstop');
    c.runFor(10);
    const sd = c.of('+sdown').filter((e) => e.msg === 'master mymaster m1 6379');
    expect(sd).toHaveLength(3);
    for (const e of sd) {
      expect(e.t - stopAt).toBeGreaterThan(sec(DOWN_AFTER_MS / 1000 - 1));
      expect(e.t - stopAt).toBeLessThanOrEqual(sec(DOWN_AFTER_MS / 1000 + 1.2));
    }
    c.node('m1').thaw('sigstop');
    c.runFor(3);
    expect(c.of('-sdown').filter((e) => e.msg === 'master mymaster m1 6379')).toHaveLength(3);
    for (const s of c.sentinels) expect(s.masterState('mymaster')!['flags']).toBe('master');
    expect(c.of('+odown')).toHaveLength(0);
  });

  it('master turned into a replica → SDOWN after down-after + 2 × info-period; SLAVEOF NO ONE → cleared', () => {
    const c = noFailover();
    c.runFor(5);
    c.cmd('m1', 'SLAVEOF', 'nowhere', '6379');
    c.runFor(50);
    expect(c.of('+sdown').filter((e) => e.msg === 'master mymaster m1 6379')).toHaveLength(3);
    c.cmd('m1', 'SLAVEOF', 'NO', 'ONE');
    c.runFor(12);
    for (const s of c.sentinels) expect(s.masterState('mymaster')!['flags']).toBe('master');
  });
});

describe('05-manual with real Redis servers', () => {
  it('SENTINEL FAILOVER: the replica is promoted, the other follows, every Sentinel reconnects after CLIENT KILL and switches; the healthy old master is converted later', () => {
    const c = cluster();
    c.runFor(6);
    let reply: unknown = null;
    c.sentinel('s1').sentinelCall(['SENTINEL', 'failover', 'mymaster'], (r) => (reply = r));
    expect(reply).toEqual({ type: 'status', text: 'OK' });
    c.runFor(8);
    const newMaster = c.sentinel('s1').masterAddress('mymaster')!.host;
    expect(newMaster).not.toBe('m1');
    expect(c.info(newMaster, 'role')).toBe('master');
    const other = newMaster === 'r1' ? 'r2' : 'r1';
    expect(c.info(other, 'master_host')).toBe(newMaster);
    // The SLAVEOF transaction's CLIENT KILL TYPE normal/pubsub cut the other Sentinels' links
    // (and the sender's own pub/sub link); all are back within a second or two.
    for (const s of c.sentinels) {
      expect(s.masterAddress('mymaster')!.host).toBe(newMaster);
      expect(s.masterState('mymaster')!['flags']).toBe('master');
    }
    // Nobody told the old master: it stays a writable master until converted (redis/redis#6062).
    expect(c.info('m1', 'role')).toBe('master');
    c.runFor(25);
    expect(c.of('+convert-to-slave').length).toBeGreaterThanOrEqual(1);
    expect(c.info('m1', 'role')).toBe('slave');
    expect(c.info('m1', 'master_host')).toBe(newMaster);
  });
});

describe('determinism with Sentinels', () => {
  it('same seed ⇒ same trace hash over a failover; different seeds differ', () => {
    const run = (seed: string) => {
      const c = cluster(seed);
      c.runFor(8);
      c.node('m1').crash();
      c.runFor(20);
      return c.world.sim.trace.hash();
    };
    const a = run('seed-a');
    expect(run('seed-a')).toBe(a);
    expect(run('seed-b')).not.toBe(a);
  });
});

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const quiet = [
  'name: quiet',
  'duration: 5s',
  'nodes: { m1: {}, r1: { replicaof: m1 } }',
  'sentinels: { s1: {}, s2: {}, s3: {} }',
  'sentinel:',
  '  monitor: { name: mymaster, master: m1, quorum: 2 }',
  'expect:',
  '  - { sentinel: all, master: mymaster, address: m1 }',
  '  - { sentinel: all, flags: master }',
  '  - { sentinel: s1, config-epoch: 0 }',
  '  - { sentinel: s1, event: +switch-master, count: 0 }',
].join('\n');

describe('a scenario with Sentinels', () => {
  it('with no fault, every Sentinel still gives the configured master, flags master, epoch 0, no switch', () => {
    const r = runScenario(parseScenario(quiet), { seed: '1' });
    expect(r.error).toBeUndefined();
    expect(r.expectations.map((e) => [e.description, e.ok])).toEqual(r.expectations.map((e) => [e.description, true]));
  });

  it('reports each Sentinel under nodes.<name> with the SENTINEL MASTER fields, next to the Redis nodes', () => {
    const r = runScenario(parseScenario(quiet), { seed: '1' });
    expect(Object.keys(r.nodes)).toEqual(['m1', 'r1', 's1', 's2', 's3']);
    const s1 = r.nodes['s1']!;
    expect(s1.info['role']).toBe('sentinel');
    expect(s1.sentinel!.alive).toBe(true);
    expect(s1.sentinel!.myid).toMatch(/^[0-9a-f]{40}$/);
    expect(s1.sentinel!.masters['mymaster']).toMatchObject({ name: 'mymaster', ip: 'm1', port: '6379', quorum: '2', address: 'm1:6379' });
  });

  it('a crashed Sentinel has no view: its expectations fail rather than pass on stale state', () => {
    const r = runScenario(parseScenario(quiet.replace('expect:', 'timeline:\n  - { at: 1s, crash: s2 }\nexpect:')), { seed: '1' });
    const addr = r.expectations.find((e) => e.description.startsWith('all mymaster address'))!;
    expect(addr.ok).toBe(false);
    expect(String(addr.actual)).toMatch(/s2: n\/a/);
  });
});

describe('determinism with Sentinels (DESIGN.md rule: same seed ⇒ same trace hash)', () => {
  const jepsen = new URL('../../scenarios/sentinel-jepsen-partition.yaml', import.meta.url);
  it('the same seed gives the same trace hash, failovers and lost writes; other seeds give other runs', async () => {
    const { loadScenarioFile } = await import('../../sim/scenario/load.js');
    const s = loadScenarioFile(jepsen.pathname);
    const runs = ['a', 'a', 'b', 'c'].map((seed) => runScenario(s, { seed }));
    const [a1, a2, b, c] = runs;
    expect(a1!.traceHash).toBe(a2!.traceHash);
    expect(a1!.failovers).toEqual(a2!.failovers);
    expect(a1!.clientWrites).toEqual(a2!.clientWrites);
    // Each Sentinel's tick period and myid come from its own seeded stream.
    expect(new Set([a1!.traceHash, b!.traceHash, c!.traceHash]).size).toBe(3);
    expect(a1!.nodes['s1']!.sentinel!.myid).not.toBe(b!.nodes['s1']!.sentinel!.myid);
  });
});

describe('a failover section follows the timing rules of redis-sentinel.md §7–§13', () => {
  const file = new URL('../../scenarios/sentinel-master-crash.yaml', import.meta.url);
  it('master killed at 10 s (down-after 5000): SDOWN after D..D+1 s, ODOWN within ≈1 s, elected on the next ticks, promotion seen ≤ 1.1 s after SLAVEOF NO ONE, restarted old master converted ≈10 s after it answers', async () => {
    const { loadScenarioFile } = await import('../../sim/scenario/load.js');
    for (const seed of ['1', '2', '3']) {
      const r = runScenario(loadScenarioFile(file.pathname), { seed });
      const [f] = r.failovers!;
      const at = (step: string): number => f!.steps.find((s) => s.step === step)!.t;
      const ms = 1000;
      expect(f).toMatchObject({ outcome: 'switched', from: 'm1' });
      expect(at('fault')).toBe(10_000 * ms);
      // §7: a killed process → SDOWN ≈ T0 + D, up to T0 + 1 s + D; plus one tick (≤ 100 ms).
      expect(at('+sdown') - at('fault')).toBeGreaterThanOrEqual(5000 * ms);
      expect(at('+sdown') - at('fault')).toBeLessThanOrEqual(6100 * ms);
      // §8: ODOWN within ≈1 s of the first SDOWN; §9: elected on the next tick(s).
      expect(at('+odown') - at('+sdown')).toBeLessThanOrEqual(1100 * ms);
      expect(at('+elected-leader') - at('+try-failover')).toBeLessThanOrEqual(300 * ms);
      // §10.3: SLAVEOF NO ONE is queued the tick after selection; promotion seen 0.1–1.1 s later.
      expect(at('+promoted-slave') - at('+selected-slave')).toBeLessThanOrEqual(1300 * ms);
      // §13: restarted at 30 s; converted at the first INFO more than 8 s after its first role:master (INFO every 10 s).
      expect(at('+convert-to-slave') - 30_000 * ms).toBeGreaterThan(8000 * ms);
      expect(at('+convert-to-slave') - 30_000 * ms).toBeLessThanOrEqual(11_200 * ms);
      expect(f!.why).toMatch(/same priority/);
    }
  });
});

describe('Redis nodes under Sentinel run from a config file', () => {
  // Found by fuzz --profile sentinel (campaign clean1, index 9): without a file CONFIG REWRITE
  // failed, so a promoted replica that restarted came back as a replica of its old master
  // and resynced its acknowledged writes away — not what a deployment under Sentinel does.
  const text = [
    'name: promoted-restart',
    'duration: 30s',
    'nodes: { m1: {}, r1: { replicaof: m1, config: { appendonly: "yes" } }, r2: { replicaof: m1, config: { replica-priority: 0 } } }',
    'sentinels: { s1: {}, s2: {}, s3: {} }',
    'sentinel:',
    '  monitor: { name: mymaster, master: m1, quorum: 2 }',
    '  down-after-milliseconds: 2000',
    '  failover-timeout: 6000',
    'timeline:',
    '  - { at: 5s, crash: m1 }',
    '  - { at: 20s, crash: r1 }',
    '  - { at: 21s, restart: r1 }',
    'expect:',
    '  - { sentinel: s1, event: +switch-master, count: 1 }',
    '  - { node: r1, info: role, equals: master }',
  ].join('\n');
  it('a promoted replica that restarts comes back a master: Sentinel\'s CONFIG REWRITE saved its role', () => {
    const r = runScenario(parseScenario(text), { seed: '1' });
    expect(r.error).toBeUndefined();
    expect(r.expectations.map((e) => [e.description, e.ok, e.actual])).toEqual(r.expectations.map((e) => [e.description, true, e.actual]));
  });
});

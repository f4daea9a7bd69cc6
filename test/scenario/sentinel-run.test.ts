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

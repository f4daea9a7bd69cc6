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

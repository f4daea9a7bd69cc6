/**
 * `value-sizes:` (open-loop.ts nextValue): each written value's size drawn by weight; a
 * workload with one `value-size` makes no draw, so its command sequence is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import type { World } from '../../sim/scenario/world.js';

const scenario = (workload: string): string => `
name: value-sizes
duration: 3s
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
workload:
  - { node: m1, rate: 2000/s, from: 1s, until: 2s, keys: 100000, ${workload} }
expect:
  - { converged: true }
`;

describe('value-sizes', () => {
  it('writes values of each size in proportion to its weight, replicated like any other', () => {
    let world: World | null = null;
    const r = runScenario(parseScenario(scenario('value-sizes: { 100: 3, 1kb: 1 }'), 'v.yaml'), { seed: 'v', observe: { world: (w) => (world = w) } });
    expect(r.ok).toBe(true);
    const m1 = (world as unknown as World).servers.get('m1')!;
    const bySize = new Map<number, number>();
    for (const key of m1.keyspace.keys(0)) {
      const n = (m1.keyspace.get(0, key) as string).length;
      bySize.set(n, (bySize.get(n) ?? 0) + 1);
    }
    expect([...bySize.keys()].sort((a, b) => a - b)).toEqual([100, 1024]);
    const small = bySize.get(100)!;
    const big = bySize.get(1024)!;
    // 2,000 writes to distinct keys (almost all): 3:1 within ≈ 5 standard deviations.
    expect(small + big).toBeGreaterThan(1950);
    expect(Math.abs(small / (small + big) - 0.75)).toBeLessThan(0.05);
    expect(r.nodes['r1']!.digest).toBe(r.nodes['m1']!.digest);
  });

  it('value-size alone makes no draw (its trace is unchanged), and value-sizes with a single size runs', () => {
    const a = runScenario(parseScenario(scenario('value-size: 200'), 'a.yaml'), { seed: 's' });
    const b = runScenario(parseScenario(scenario('ops: { set: 1 }, value-size: 200'), 'b.yaml'), { seed: 's' });
    expect(a.ok).toBe(true);
    expect(a.traceHash).toBe(b.traceHash);
    let world: World | null = null;
    const c = runScenario(parseScenario(scenario('value-sizes: { 200: 1 }'), 'c.yaml'), { seed: 's', observe: { world: (w) => (world = w) } });
    expect(c.ok).toBe(true);
    // One more draw per write: another key sequence, the same value bytes.
    expect(c.traceHash).not.toBe(a.traceHash);
    const m1 = (world as unknown as World).servers.get('m1')!;
    const lengths = new Set([...m1.keyspace.keys(0)].map((k) => (m1.keyspace.get(0, k) as string).length));
    expect([...lengths]).toEqual([200]);
  });

  it('refuses value-sizes beside value-size, a key that is not a size, and no positive weight', () => {
    expect(() => parseScenario(scenario('value-size: 100, value-sizes: { 100: 1 }'), 'x.yaml')).toThrow(/value-sizes and value-size are both given/);
    expect(() => parseScenario(scenario('value-sizes: { lots: 1 }'), 'x.yaml')).toThrow(/value-sizes\.lots.*expected a size/);
    expect(() => parseScenario(scenario('value-sizes: { 100: 0 }'), 'x.yaml')).toThrow(/at least one size with a weight > 0/);
    expect(() => parseScenario(scenario('value-sizes: { 1gb: 1 }'), 'x.yaml')).toThrow(/over the limit/);
  });
});

/** Swizzle-clogging (FoundationDB): links clogged one by one, unclogged in random order. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { recordedRun } from '../../sim/scenario/determinism.js';
import type { TraceRecord } from '../../sim/engine/trace.js';

const yaml = `
name: swizzle
duration: 30s
config: { repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
  r2: { replicaof: m1 }
  r3: { replicaof: r1 }
timeline:
  - { at: 5s, swizzle: { for: 10s, add: 2s } }
`;

describe('swizzle-clogging', () => {
  it('clogs a subset of links one by one in the first half and unclogs each in the second', () => {
    for (const seed of ['a', 'b', 'c', 'd']) {
      const { records } = recordedRun(parseScenario(yaml, 's.yaml'), { seed });
      const clogs = records.filter((r) => r.kind === 'net.clog');
      const on = clogs.filter((r) => Number(r['extraUs']) > 0);
      const off = clogs.filter((r) => Number(r['extraUs']) === 0);
      expect(on.length).toBeGreaterThanOrEqual(1);
      expect(off).toHaveLength(on.length);
      for (const r of on) expect(r.t).toBeGreaterThanOrEqual(5e6);
      for (const r of on) expect(r.t).toBeLessThan(10e6);
      for (const r of off) expect(r.t).toBeGreaterThanOrEqual(10e6);
      for (const r of off) expect(r.t).toBeLessThan(15e6);
      // Every clogged link is unclogged.
      const key = (r: TraceRecord) => `${String(r['a'])}-${String(r['b'])}`;
      expect(new Set(off.map(key))).toEqual(new Set(on.map(key)));
    }
  });

  it('is the same for the same seed and differs across seeds', () => {
    const links = (seed: string) =>
      recordedRun(parseScenario(yaml, 's.yaml'), { seed }).records.find((r) => r.kind === 'fault.swizzle')!['links'];
    expect(links('x')).toBe(links('x'));
    const all = new Set(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'].map(links));
    expect(all.size).toBeGreaterThan(1);
  });
});

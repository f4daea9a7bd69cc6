/**
 * key-distribution.ts: the uniform draw is the client's old one (same random numbers, so
 * scenarios without key-distribution keep their traces), zipf follows 1/(k+1)^s, and the hot
 * set gets its probability. Frequencies are checked against the exact distributions over
 * 200,000 seeded draws (tolerances ≈ 5 standard deviations).
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../sim/engine/index.js';
import { keyDistribution } from '../../sim/workload/key-distribution.js';
import { parseScenario } from '../../sim/scenario/load.js';

const DRAWS = 200_000;

function counts(spec: Parameters<typeof keyDistribution>[0], keys: number, seed = 'kd'): number[] {
  const rng = new RandomStreams(seed).stream('workload');
  const d = keyDistribution(spec, keys);
  const c = new Array<number>(keys).fill(0);
  for (let i = 0; i < DRAWS; i++) {
    const k = d.draw(rng);
    expect(k >= 0 && k < keys).toBe(true);
    c[k]!++;
  }
  return c;
}

describe('key distributions', () => {
  it('uniform draws exactly what rng.int(0, keys-1) draws', () => {
    const a = new RandomStreams('u').stream('workload');
    const b = new RandomStreams('u').stream('workload');
    const d = keyDistribution(undefined, 1000);
    for (let i = 0; i < 1000; i++) expect(d.draw(a)).toBe(b.int(0, 999));
  });

  for (const s of [0.5, 0.99, 1.5]) {
    it(`zipf ${s}: key k drawn with probability (k+1)^-${s} / H(n, ${s})`, () => {
      const n = 1000;
      let hn = 0;
      for (let k = 1; k <= n; k++) hn += k ** -s;
      const c = counts({ kind: 'zipf', exponent: s }, n);
      for (const k of [0, 1, 2, 9, 99, 999]) {
        const p = (k + 1) ** -s / hn;
        const sd = Math.sqrt(DRAWS * p * (1 - p));
        expect(Math.abs(c[k]! - DRAWS * p)).toBeLessThan(5 * sd + 2);
      }
    });
  }

  it('zipf over a million keys needs no table and still puts key 0 first', () => {
    const rng = new RandomStreams('big').stream('workload');
    const d = keyDistribution({ kind: 'zipf', exponent: 0.99 }, 1_000_000);
    let zero = 0;
    for (let i = 0; i < 10_000; i++) if (d.draw(rng) === 0) zero++;
    let hn = 0;
    for (let k = 1; k <= 1_000_000; k++) hn += k ** -0.99;
    expect(Math.abs(zero - 10_000 / hn)).toBeLessThan(5 * Math.sqrt(10_000 / hn) + 2);
  });

  it('hot set: the first 10 % of the keys get 90 % of the draws, uniformly, and the rest the other 10 %', () => {
    const c = counts({ kind: 'hot-set', hotFraction: 0.1, probability: 0.9 }, 100);
    const hot = c.slice(0, 10).reduce((a, b) => a + b, 0);
    const sd = Math.sqrt(DRAWS * 0.9 * 0.1);
    expect(Math.abs(hot - DRAWS * 0.9)).toBeLessThan(5 * sd);
    for (let k = 0; k < 10; k++) expect(Math.abs(c[k]! - DRAWS * 0.09)).toBeLessThan(5 * Math.sqrt(DRAWS * 0.09));
    for (let k = 10; k < 100; k++) expect(Math.abs(c[k]! - (DRAWS * 0.1) / 90)).toBeLessThan(5 * Math.sqrt((DRAWS * 0.1) / 90) + 2);
  });

  it('scenario files: key-distribution is parsed into the client spec, absent or uniform leaves no trace in it, and a wait: workload refuses it', () => {
    const base = (kd: string) => `
nodes: { m1: {} }
workload:
  - { node: m1, rate: 100/s, keys: 100${kd} }
`;
    expect(parseScenario(base(''), 't.yaml').workload[0]!.keyDistribution).toBeUndefined();
    expect(parseScenario(base(', key-distribution: uniform'), 't.yaml').workload[0]!.keyDistribution).toBeUndefined();
    expect(parseScenario(base(', key-distribution: { zipf: 0.99 }'), 't.yaml').workload[0]!.keyDistribution).toEqual({ kind: 'zipf', exponent: 0.99 });
    expect(parseScenario(base(', key-distribution: { hot: 0.01, probability: 0.9 }'), 't.yaml').workload[0]!.keyDistribution).toEqual({ kind: 'hot-set', hotFraction: 0.01, probability: 0.9 });
    expect(() => parseScenario(base(', key-distribution: { zipf: 0 }'), 't.yaml')).toThrow(/key-distribution/);
    expect(() => parseScenario(`
nodes: { m1: {} }
workload:
  - { node: m1, rate: 100/s, wait: {}, key-distribution: { zipf: 1 } }
`, 't.yaml')).toThrow(/key-distribution does not apply to a wait: workload/);
  });
});

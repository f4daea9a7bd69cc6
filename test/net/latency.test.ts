import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../sim/engine/random.js';
import { latencyModelProblem, sampleLatency, type LatencyModel } from '../../sim/net/latency.js';

const draw = (m: LatencyModel, n = 20_000, seed = 'lat'): number[] => {
  const rng = new RandomStreams(seed).stream('net');
  return Array.from({ length: n }, () => sampleLatency(m, rng));
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('sampleLatency', () => {
  it('fixed is exact and draws no randomness', () => {
    const rng = new RandomStreams('x').stream('net');
    expect(sampleLatency({ kind: 'fixed', us: 250 }, rng)).toBe(250);
    expect(rng.next()).toBe(new RandomStreams('x').stream('net').next());
  });

  it('uniform covers [min, max] in integers', () => {
    const xs = draw({ kind: 'uniform', minUs: 10, maxUs: 20 });
    expect(Math.min(...xs)).toBe(10);
    expect(Math.max(...xs)).toBe(20);
    expect(xs.every(Number.isInteger)).toBe(true);
  });

  it('normal has the given mean and never goes below the floor (default 0)', () => {
    const xs = draw({ kind: 'normal', meanUs: 1000, stddevUs: 100 });
    expect(mean(xs)).toBeGreaterThan(990);
    expect(mean(xs)).toBeLessThan(1010);
    const wide = draw({ kind: 'normal', meanUs: 100, stddevUs: 200 });
    expect(Math.min(...wide)).toBe(0);
    const floored = draw({ kind: 'normal', meanUs: 100, stddevUs: 200, floorUs: 50 });
    expect(Math.min(...floored)).toBe(50);
    expect(floored.every(Number.isInteger)).toBe(true);
  });

  it('lognormal has the given median and respects the floor', () => {
    const xs = draw({ kind: 'lognormal', medianUs: 500, sigma: 0.5 });
    expect(median(xs)).toBeGreaterThan(480);
    expect(median(xs)).toBeLessThan(520);
    expect(xs.every(Number.isInteger)).toBe(true);
    const floored = draw({ kind: 'lognormal', medianUs: 500, sigma: 2, floorUs: 200 });
    expect(Math.min(...floored)).toBe(200);
  });
});

describe('latencyModelProblem', () => {
  it('accepts sane models and explains bad ones', () => {
    expect(latencyModelProblem({ kind: 'fixed', us: 0 })).toBeNull();
    expect(latencyModelProblem({ kind: 'lognormal', medianUs: 200, sigma: 0.3, floorUs: 50 })).toBeNull();
    expect(latencyModelProblem({ kind: 'fixed', us: -1 })).toMatch(/non-negative/);
    expect(latencyModelProblem({ kind: 'fixed', us: 1.5 })).toMatch(/integer/);
    expect(latencyModelProblem({ kind: 'uniform', minUs: 5, maxUs: 4 })).toMatch(/minUs/);
    expect(latencyModelProblem({ kind: 'normal', meanUs: 5, stddevUs: -1 })).toMatch(/stddev/);
    expect(latencyModelProblem({ kind: 'lognormal', medianUs: 0, sigma: 1 })).toMatch(/median/);
  });
});

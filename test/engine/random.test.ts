import { describe, expect, it } from 'vitest';
import { Random, RandomStreams } from '../../sim/engine/random.js';

function take(r: Random, n: number): number[] {
  return Array.from({ length: n }, () => r.next());
}

describe('RandomStreams', () => {
  it('same root seed and name give the same sequence', () => {
    expect(take(new RandomStreams('s').stream('net'), 20)).toEqual(take(new RandomStreams('s').stream('net'), 20));
  });

  it('a stream does not depend on which other streams exist or their creation order', () => {
    const a = new RandomStreams('seed');
    const netFirst = take(a.stream('net'), 10);
    const b = new RandomStreams('seed');
    take(b.stream('workload'), 1000);
    b.stream('faults');
    expect(take(b.stream('net'), 10)).toEqual(netFirst);
  });

  it('different names and different roots give different sequences', () => {
    const s = new RandomStreams('seed');
    expect(take(s.stream('a'), 5)).not.toEqual(take(s.stream('b'), 5));
    expect(take(new RandomStreams('seed-1').stream('a'), 5)).not.toEqual(take(new RandomStreams('seed-2').stream('a'), 5));
  });

  it('the same name returns the same stream object', () => {
    const s = new RandomStreams('x');
    expect(s.stream('net')).toBe(s.stream('net'));
  });

  it('fork depends only on names, not on the parent position', () => {
    const p1 = new RandomStreams('x').stream('workload');
    const p2 = new RandomStreams('x').stream('workload');
    take(p2, 50);
    expect(take(p1.fork('client-1'), 5)).toEqual(take(p2.fork('client-1'), 5));
    expect(take(p1.fork('client-1'), 5)).not.toEqual(take(p1.fork('client-2'), 5));
  });
});

describe('Random distributions', () => {
  const r = new RandomStreams('dist').stream('t');

  it('next is in [0, 1)', () => {
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('int covers both ends of the range and nothing outside', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const x = r.int(-3, 3);
      expect(Number.isInteger(x) && x >= -3 && x <= 3).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    const big = r.int(0, 2 ** 40);
    expect(Number.isInteger(big) && big <= 2 ** 40).toBe(true);
    expect(() => r.int(5, 4)).toThrow(RangeError);
    expect(() => r.int(0.5, 4)).toThrow(RangeError);
  });

  it('sample means match the distributions', () => {
    const n = 40_000;
    let u = 0;
    let e = 0;
    let nm = 0;
    let nv = 0;
    let b = 0;
    const logs: number[] = [];
    for (let i = 0; i < n; i++) {
      u += r.uniform(2, 4);
      e += r.exponential(10);
      const g = r.normal(5, 2);
      nm += g;
      nv += (g - 5) ** 2;
      if (r.bernoulli(0.25)) b++;
      logs.push(r.lognormal(1, 0.5));
    }
    expect(u / n).toBeCloseTo(3, 1);
    expect(e / n).toBeGreaterThan(9.6);
    expect(e / n).toBeLessThan(10.4);
    expect(nm / n).toBeCloseTo(5, 1);
    expect(Math.sqrt(nv / n)).toBeCloseTo(2, 1);
    expect(b / n).toBeCloseTo(0.25, 1);
    logs.sort((x, y) => x - y);
    expect(logs[n / 2]!).toBeCloseTo(Math.E, 1); // median of lognormal(mu) is e^mu
    expect(r.bernoulli(0)).toBe(false);
    expect(r.bernoulli(1)).toBe(true);
  });

  it('choice, shuffle and hex', () => {
    const arr = ['a', 'b', 'c'];
    for (let i = 0; i < 50; i++) expect(arr).toContain(r.choice(arr));
    expect(() => r.choice([])).toThrow();
    const xs = [...Array(50).keys()];
    const ys = r.shuffle([...xs]);
    expect([...ys].sort((a, b) => a - b)).toEqual(xs);
    expect(ys).not.toEqual(xs);
    const id = r.hex(40);
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(r.hex(40)).not.toBe(id);
    expect(r.hex(3)).toHaveLength(3);
  });
});

/**
 * Which key of `0..keys-1` an open-loop client's next op touches:
 *
 *  - uniform (the default): every key alike — the draw is the one the client always made,
 *    so scenarios without `key-distribution` run exactly as before;
 *  - zipf with exponent s > 0: key k (0-based) drawn with probability ∝ 1/(k+1)^s, key 0 the
 *    hottest (YCSB's "zipfian", s = 0.99 there). Drawn by rejection-inversion (W. Hörmann and
 *    G. Derflinger, "Rejection-inversion to generate variates from monotone discrete
 *    distributions", 1996): constant time and memory whatever the key count;
 *  - hot set: a `hot` fraction of the keys (the first ones, at least one) gets `probability`
 *    of the draws, uniformly among them; the other keys share the rest uniformly (YCSB's
 *    "hotspot").
 */
import type { Random } from '../engine/index.js';

export type KeyDistributionSpec = { kind: 'uniform' } | { kind: 'zipf'; exponent: number } | { kind: 'hot-set'; hotFraction: number; probability: number };

export interface KeyDistribution {
  /** A key number in 0..keys-1 (0 when there are no keys). */
  draw(rng: Random): number;
}

export function keyDistribution(spec: KeyDistributionSpec | undefined, keys: number): KeyDistribution {
  const last = Math.max(0, keys - 1);
  if (spec === undefined || spec.kind === 'uniform' || keys <= 1) return { draw: (rng) => rng.int(0, last) };
  if (spec.kind === 'zipf') return new ZipfDistribution(keys, spec.exponent);
  const hot = Math.min(keys, Math.max(1, Math.round(spec.hotFraction * keys)));
  const p = spec.probability;
  return {
    draw: (rng) => (hot === keys || rng.next() < p ? rng.int(0, hot - 1) : rng.int(hot, last)),
  };
}

/** log1p(x)/x, continuous at 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** expm1(x)/x, continuous at 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

class ZipfDistribution implements KeyDistribution {
  private readonly hIntegralX1: number;
  private readonly hIntegralN: number;
  private readonly s: number;

  constructor(
    private readonly n: number,
    private readonly exponent: number,
  ) {
    this.hIntegralX1 = this.hIntegral(1.5) - 1;
    this.hIntegralN = this.hIntegral(n + 0.5);
    this.s = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  draw(rng: Random): number {
    for (;;) {
      const u = this.hIntegralN + rng.next() * (this.hIntegralX1 - this.hIntegralN);
      const x = this.hIntegralInverse(u);
      const k = Math.min(this.n, Math.max(1, Math.floor(x + 0.5)));
      if (k - x <= this.s || u >= this.hIntegral(k + 0.5) - this.h(k)) return k - 1;
    }
  }

  /** H(x) = ∫ h, h(x) = x^-s, shifted so that the rejection test is exact. */
  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return helper2((1 - this.exponent) * logX) * logX;
  }

  private h(x: number): number {
    return Math.exp(-this.exponent * Math.log(x));
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.exponent);
    if (t < -1) t = -1; // numerical safety at the lower end
    return Math.exp(helper1(t) * x);
  }
}

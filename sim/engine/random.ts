/**
 * Seeded randomness (docs/layers.md, "Determinism" rule 3). One root seed fans out into named streams, each
 * seeded from rootSeed + '/' + name alone, so a stream's sequence never depends on which
 * other streams exist or in what order they were created: adding a client does not move
 * the fault schedule.
 *
 * Generator: seedrandom's xor4096 (Brent's xorgens; ~146 M int32/s measured on this project's machine),
 * always constructed with an explicit string seed. Unseeded, xor4096 would read `Date`.
 * Its string initialisation mixes every character of the key through xorshift rounds and
 * then discards 512 outputs, which is the hash of the stream key.
 */
import seedrandom from 'seedrandom';

/** The only place in the simulator that constructs a generator. */
function seededGenerator(key: string): seedrandom.PRNG {
  if (typeof key !== 'string') throw new TypeError('random: a generator needs an explicit string seed');
  // Called through the module object (not a destructured import) so a test can observe
  // every construction and check that each one passes a seed.
  return seedrandom.xor4096(key);
}

const TWO_POW_32 = 4294967296;

export class Random {
  /** The full key this stream was seeded with, e.g. "7f3a/net". */
  readonly key: string;
  private readonly gen: seedrandom.PRNG;
  private readonly forks = new Map<string, Random>();

  constructor(key: string) {
    this.key = key;
    this.gen = seededGenerator(key);
  }

  /** Uniform in [0, 1) with 32 bits of resolution (one generator step: fast). */
  next(): number {
    return (this.gen.int32() >>> 0) / TWO_POW_32;
  }

  /** Uniform in [0, 1) with 53 bits of resolution (two generator steps). */
  double(): number {
    return this.gen.double();
  }

  /** Uniform integer in [minInclusive, maxInclusive]. */
  int(minInclusive: number, maxInclusive: number): number {
    if (!Number.isSafeInteger(minInclusive) || !Number.isSafeInteger(maxInclusive) || maxInclusive < minInclusive) {
      throw new RangeError(`random.int: bad range [${minInclusive}, ${maxInclusive}]`);
    }
    const span = maxInclusive - minInclusive + 1;
    // 32 bits suffice for the small ranges the model draws from; wider ranges need 53.
    const u = span <= 0x10000 ? this.next() : this.double();
    return minInclusive + Math.floor(u * span);
  }

  /** Uniform real in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  bernoulli(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  exponential(mean: number): number {
    // 1 - u is in (0, 1], so the log is finite.
    return -mean * Math.log(1 - this.next());
  }

  /** Box–Muller. The second variate is discarded so the stream has no hidden cache state. */
  normal(mean: number, stddev: number): number {
    const u1 = 1 - this.double();
    const u2 = this.next();
    return mean + stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** exp(N(mu, sigma)): median e^mu. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  choice<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new RangeError('random.choice: empty array');
    return arr[Math.floor(this.next() * arr.length)]!;
  }

  /** Fisher–Yates, in place; returns arr. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = tmp;
    }
    return arr;
  }

  /** nChars lowercase hex digits, e.g. a 40-char Redis replication id. */
  hex(nChars: number): string {
    let out = '';
    while (out.length < nChars) out += (this.gen.int32() >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, nChars);
  }

  /**
   * The sub-stream `name` of this stream, seeded from this.key + '/' + name: it neither
   * consumes from nor depends on the position of this stream. The same name returns the
   * same object.
   */
  fork(name: string): Random {
    let r = this.forks.get(name);
    if (r === undefined) {
      r = new Random(`${this.key}/${name}`);
      this.forks.set(name, r);
    }
    return r;
  }
}

export class RandomStreams {
  readonly rootSeed: string;
  private readonly streams = new Map<string, Random>();

  constructor(rootSeed: string) {
    if (typeof rootSeed !== 'string') throw new TypeError('RandomStreams: the root seed must be a string');
    this.rootSeed = rootSeed;
  }

  /** The stream `name` (created on first use; the same name always returns the same stream). */
  stream(name: string): Random {
    let r = this.streams.get(name);
    if (r === undefined) {
      r = new Random(`${this.rootSeed}/${name}`);
      this.streams.set(name, r);
    }
    return r;
  }
}

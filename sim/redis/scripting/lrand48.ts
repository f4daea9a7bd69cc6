/**
 * redisLrand48 / redisSrand48 (rand.c): the 48-bit linear congruential generator behind a
 * script's math.random, the same sequence on every platform. Redis 7.0 keeps ONE state per
 * process, seeded at start (x = 0x1234ABCD330E) and advanced only by math.random; it is not
 * reset before each script (7.0 dropped that with verbatim replication), so two servers fed
 * the same scripts in the same order draw the same numbers, and a restart starts over.
 * math.randomseed(n) sets x = n << 16 | 0x330E.
 *
 * The state is three 16-bit words, as in rand.c, so every product fits a double exactly.
 */
const A0 = 0xe66d;
const A1 = 0xdeec;
const A2 = 0x5;
const C = 0xb;
const MASK = 0xffff;

/** REDIS_LRAND48_MAX (INT32_MAX). */
export const LRAND48_MAX = 0x7fffffff;

export class Lrand48 {
  private x0 = 0x330e;
  private x1 = 0xabcd;
  private x2 = 0x1234;

  /** redisLrand48: the next value in [0, 2^31), step for step as rand.c's next() computes it. */
  next(): number {
    const { x0, x1, x2 } = this;
    // rand.c's next() (a BSD drand48 port) reuses carry0 before the high word is summed,
    // so its sequence is NOT glibc's lrand48: follow its steps, not the textbook formula.
    const p = A0 * x0; // MUL(a[0], x[0], p)
    let p0 = p % 0x10000;
    let p1 = Math.floor(p / 0x10000);
    let carry0 = p0 + C > MASK ? 1 : 0; // ADDEQU(p[0], c, carry0)
    p0 = (p0 + C) % 0x10000;
    const carry1 = p1 + carry0 > MASK ? 1 : 0; // ADDEQU(p[1], carry0, carry1)
    p1 = (p1 + carry0) % 0x10000;
    const q = A0 * x1; // MUL(a[0], x[1], q)
    const q0 = q % 0x10000;
    const q1 = Math.floor(q / 0x10000);
    carry0 = p1 + q0 > MASK ? 1 : 0; // ADDEQU(p[1], q[0], carry0)
    p1 = (p1 + q0) % 0x10000;
    const r = A1 * x0; // MUL(a[1], x[0], r)
    const r0 = r % 0x10000;
    const r1 = Math.floor(r / 0x10000);
    const carry2 = p1 + r0 > MASK ? 1 : 0;
    this.x2 = (carry0 + carry1 + carry2 + q1 + r1 + A0 * x2 + A1 * x1 + A2 * x0) % 0x10000;
    this.x1 = (p1 + r0) % 0x10000;
    this.x0 = p0;
    return this.x2 * 0x8000 + (this.x1 >>> 1);
  }

  /** redisSrand48(seed): the seed's low 32 bits become the high words. */
  seed(seedval: number): void {
    const s = seedval >>> 0;
    this.x0 = 0x330e;
    this.x1 = s & 0xffff;
    this.x2 = s >>> 16;
  }
}

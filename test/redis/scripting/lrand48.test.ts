import { describe, expect, test } from 'vitest';
import { Lrand48 } from '../../../sim/redis/scripting/lrand48.js';

describe('redisLrand48 (rand.c)', () => {
  // Expected values: Redis 7.0.15's src/rand.c compiled and run on its own (not glibc's
  // lrand48, whose sequence differs), and a fresh redis-server's math.random(2147483647).
  test('the unseeded sequence is rand.c\'s', () => {
    const r = new Lrand48();
    expect([r.next(), r.next(), r.next(), r.next(), r.next()]).toEqual([851401618, 1804928587, 758783491, 959030623, 684387517]);
  });
  test('math.randomseed(5) restarts from x = 5 << 16 | 0x330E', () => {
    const r = new Lrand48();
    r.seed(5);
    // redis-cli EVAL "math.randomseed(5); return {math.random(2147483647),math.random(2147483647)}" 0
    // answered 1127084415, 585950152: floor(r * 2147483647) + 1 with r = next / 2147483647.
    expect([r.next() + 1, r.next() + 1]).toEqual([1127084415, 585950152]);
  });
});

/**
 * clientsCron visits server.clients as Redis's list does: each iteration is
 * listRotateTailToHead then the new head; createClient adds at the tail (listAddNodeTail),
 * freeClient unlinks. ServerMemory keeps the list as a ring with a moving head; this checks it
 * against the list itself (an array rotated with pop + unshift) over random attach / detach /
 * cron sequences, client by client.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientMemory } from '../../sim/redis/client-memory.js';
import { ServerMemory } from '../../sim/redis/used-memory.js';
import type { RedisServer } from '../../sim/redis/server.js';

/** server.clients as Redis keeps it, and clientsCron's visits of one call. */
class ReferenceList {
  readonly list: ClientMemory[] = [];
  cron(hz: number): ClientMemory[] {
    const n = this.list.length;
    if (n === 0) return [];
    let iterations = Math.trunc(n / hz);
    if (iterations < 5) iterations = Math.min(n, 5);
    const visited: ClientMemory[] = [];
    for (let i = 0; i < iterations; i++) {
      const c = this.list.pop()!;
      this.list.unshift(c);
      visited.push(c);
    }
    return visited;
  }
}

function lcg(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
}

describe('clientsCron visiting order', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is the rotated list’s, through attaches and detaches anywhere in it', () => {
    const visited: ClientMemory[] = [];
    vi.spyOn(ClientMemory.prototype, 'cronResize').mockImplementation(function (this: ClientMemory) {
      visited.push(this);
    });
    for (const [seed, hz] of [[1, 10], [2, 10], [3, 1], [4, 100], [5, 3]] as const) {
      const fake = { config: { hz }, sim: { now: 0 }, unixtime: () => 0 } as unknown as RedisServer;
      const memory = new ServerMemory(fake);
      const ref = new ReferenceList();
      const rnd = lcg(seed);
      // Compared by identity: fresh clients are deeply equal to one another.
      const ids = new Map<ClientMemory, number>();
      const idsOf = (cs: ClientMemory[]): number[] => cs.map((c) => ids.get(c)!);
      for (let step = 0; step < 3000; step++) {
        const op = rnd(10);
        if (op < 3 || ref.list.length === 0) {
          const c = memory.attach('normal');
          ids.set(c, step);
          ref.list.push(c);
        } else if (op < 5) {
          const c = ref.list[rnd(ref.list.length)]!;
          ref.list.splice(ref.list.indexOf(c), 1);
          memory.detach(c);
        } else {
          visited.length = 0;
          memory.clientsCron();
          expect(idsOf(visited)).toEqual(idsOf(ref.cron(hz)));
        }
        if (ref.list.length > 40) {
          for (const c of ref.list.splice(0, 30)) memory.detach(c);
        }
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { EventQueue } from '../../sim/engine/event-queue.js';

/** Pops everything, returning the args in pop order. */
function drain(q: EventQueue): unknown[] {
  const out: unknown[] = [];
  while (q.nextTime(Infinity) !== Infinity) {
    q.pop();
    out.push(q.poppedArg);
  }
  return out;
}

const noop = (): void => {};

describe('EventQueue', () => {
  it('pops in time order', () => {
    const q = new EventQueue();
    for (const t of [50, 10, 40, 20, 30]) q.push(t, noop, t);
    expect(drain(q)).toEqual([10, 20, 30, 40, 50]);
  });

  it('pops equal times in insertion order', () => {
    const q = new EventQueue();
    for (let i = 0; i < 100; i++) q.push(7, noop, i);
    expect(drain(q)).toEqual([...Array(100).keys()]);
  });

  it('cancel removes exactly that event, once', () => {
    const q = new EventQueue();
    const a = q.push(1, noop, 'a');
    q.push(2, noop, 'b');
    const c = q.push(3, noop, 'c');
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false);
    expect(q.size).toBe(2);
    expect(q.cancel(c)).toBe(true);
    expect(drain(q)).toEqual(['b']);
    expect(q.size).toBe(0);
  });

  it('a stale id cannot cancel the next occupant of a reused slot', () => {
    const q = new EventQueue();
    const first = q.push(1, noop, 'first');
    expect(q.nextTime(Infinity)).toBe(1);
    q.pop(); // releases the slot
    const second = q.push(2, noop, 'second'); // reuses it
    expect(second).not.toBe(first);
    expect(q.cancel(first)).toBe(false);
    expect(drain(q)).toEqual(['second']);
  });

  it('cancel of garbage ids is false', () => {
    const q = new EventQueue();
    q.push(1, noop, 1);
    for (const id of [-1, 1.5, NaN, 2 ** 60, 12345]) expect(q.cancel(id)).toBe(false);
    expect(q.size).toBe(1);
  });

  it('mass cancellation keeps the order of the survivors', () => {
    const q = new EventQueue();
    const ids: number[] = [];
    for (let i = 0; i < 5000; i++) ids.push(q.push(i % 97, noop, i));
    // Cancel all but every 10th, which triggers compaction along the way.
    ids.forEach((id, i) => {
      if (i % 10 !== 0) expect(q.cancel(id)).toBe(true);
    });
    const expected = [...Array(5000).keys()].filter((i) => i % 10 === 0).sort((x, y) => (x % 97) - (y % 97) || x - y);
    expect(q.size).toBe(500);
    expect(drain(q)).toEqual(expected);
  });

  // Model check: the queue behaves like a list sorted by (time, seq), under any interleaving
  // of pushes, pops and cancels.
  test.prop([
    fc.array(
      fc.oneof(
        fc.record({
          op: fc.constant('push' as const),
          dt: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 ** 34 })),
        }),
        fc.record({ op: fc.constant('pop' as const) }),
        fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
      ),
      { maxLength: 400 },
    ),
  ])('matches a sorted-list model', (ops) => {
    const q = new EventQueue();
    const model: { time: number; seq: number; id: number }[] = [];
    let seq = 0;
    let now = 0;
    for (const o of ops) {
      if (o.op === 'push') {
        const time = now + o.dt;
        const id = q.push(time, noop, seq);
        model.push({ time, seq: seq++, id });
      } else if (o.op === 'pop') {
        model.sort((a, b) => a.time - b.time || a.seq - b.seq);
        const head = model.shift();
        expect(q.peekTime()).toBe(head === undefined ? Infinity : head.time);
        expect(q.nextTime(Infinity)).toBe(head === undefined ? Infinity : head.time);
        if (head !== undefined) {
          q.pop();
          expect(q.poppedArg).toBe(head.seq);
          now = head.time;
        }
      } else if (model.length > 0) {
        const [victim] = model.splice(o.pick % model.length, 1);
        expect(q.cancel(victim!.id)).toBe(true);
      }
      expect(q.size).toBe(model.length);
    }
  });
});

describe('EventQueue over wide time ranges', () => {
  const delta = fc.oneof(fc.nat(300), fc.nat(70_000), fc.nat(2 ** 40), fc.constant(2 ** 53));
  // Like Simulator.run({until}): ask for the next event due by a limit; if none is, the clock
  // moves to the limit and later pushes may land anywhere at or after it.
  test.prop([fc.array(fc.tuple(delta, delta), { maxLength: 300 })])(
    'nextTime(limit) with wide keys, limits that stop short, then pushes below the next event',
    (ops) => {
      const q = new EventQueue();
      const model: { time: number; seq: number }[] = [];
      let seq = 0;
      let now = 0;
      const cap = (x: number): number => Math.min(x, 2 ** 53 - 1);
      for (const [k, j] of ops) {
        const time = cap(now + k);
        q.push(time, noop, seq);
        model.push({ time, seq: seq++ });
        model.sort((a, b) => a.time - b.time || a.seq - b.seq);
        expect(q.peekTime()).toBe(model[0]!.time);
        const limit = cap(now + j);
        const t = q.nextTime(limit);
        if (model[0]!.time <= limit) {
          expect(t).toBe(model[0]!.time);
          q.pop();
          const head = model.shift()!;
          expect(q.poppedArg).toBe(head.seq);
          now = head.time;
        } else {
          expect(t).toBeGreaterThan(limit);
          now = limit;
        }
      }
      expect(drain(q)).toEqual(model.map((m) => m.seq));
    },
  );

  it('equal times keep insertion order across the wheel/overflow boundary (65 536 µs)', () => {
    const q = new EventQueue();
    const T = 100_000; // beyond the wheel's window from 0: both go to the overflow
    q.push(T, noop, 'a');
    q.push(T, noop, 'b');
    q.push(40_000, noop, 'tick');
    expect(q.nextTime(Infinity)).toBe(40_000);
    q.pop(); // pos 40 000: T is within the window now, so a and b moved into the wheel
    q.push(T, noop, 'c'); // straight into the wheel, behind them
    q.push(T + 70_000, noop, 'd'); // overflow again
    q.push(T, noop, 'e');
    expect(drain(q)).toEqual(['a', 'b', 'c', 'e', 'd']);
  });

  it('an idle stretch moves the window to the limit: later pushes near it still come out in order', () => {
    const q = new EventQueue();
    q.push(1_000_000, noop, 'far');
    expect(q.nextTime(500_000)).toBeGreaterThan(500_000); // clock goes to 500 000
    q.push(500_010, noop, 'near');
    q.push(1_000_000, noop, 'far2');
    expect(drain(q)).toEqual(['near', 'far', 'far2']);
  });

  it('a push below the floor is refused', () => {
    const q = new EventQueue();
    q.push(1000, noop, 'x');
    expect(q.nextTime(Infinity)).toBe(1000);
    q.pop();
    expect(() => q.push(999, noop, 'y')).toThrow(/floor/);
  });
});

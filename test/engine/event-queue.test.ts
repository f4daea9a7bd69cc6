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

/**
 * The reference of the model checks: a plain list of the pushed events, ordered on demand by
 * (time, insertion). Each event's argument in the queue is its insertion number.
 */
class SortedListModel {
  readonly events: { time: number; seq: number; id: number }[] = [];
  private seq = 0;

  /** Pushes an event at `time` onto the queue and the model. */
  push(q: EventQueue, time: number): void {
    this.events.push({ time, seq: this.seq, id: q.push(time, noop, this.seq) });
    this.seq++;
  }

  /** The event due first, or undefined (the list is sorted for it). */
  head(): { time: number; seq: number; id: number } | undefined {
    this.events.sort((a, b) => a.time - b.time || a.seq - b.seq);
    return this.events[0];
  }

  /** Takes the first event out (after head()). */
  shift(): { time: number; seq: number; id: number } | undefined {
    return this.events.shift();
  }

  /** Takes out the `pick`-th event (modulo the count), to be cancelled; undefined when empty. */
  takePick(pick: number): { time: number; seq: number; id: number } | undefined {
    return this.events.length === 0 ? undefined : this.events.splice(pick % this.events.length, 1)[0];
  }
}

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
    const model = new SortedListModel();
    let now = 0;
    for (const o of ops) {
      if (o.op === 'push') model.push(q, now + o.dt);
      else if (o.op === 'pop') {
        model.head();
        const head = model.shift();
        expect(q.peekTime()).toBe(head === undefined ? Infinity : head.time);
        expect(q.nextTime(Infinity)).toBe(head === undefined ? Infinity : head.time);
        if (head !== undefined) {
          q.pop();
          expect(q.poppedArg).toBe(head.seq);
          now = head.time;
        }
      } else {
        const victim = model.takePick(o.pick);
        if (victim !== undefined) expect(q.cancel(victim.id)).toBe(true);
      }
      expect(q.size).toBe(model.events.length);
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

  it('equal times keep insertion order across the near/coarse wheel boundary (~65 536 µs)', () => {
    const q = new EventQueue();
    const T = 100_000; // beyond the near wheel's window from 0: both go to the coarse wheel
    q.push(T, noop, 'a');
    q.push(T, noop, 'b');
    q.push(40_000, noop, 'tick');
    expect(q.nextTime(Infinity)).toBe(40_000);
    q.pop(); // pos 40 000: T is within the near window now, so a and b moved into it
    q.push(T, noop, 'c'); // straight into the near wheel, behind them
    q.push(T + 70_000, noop, 'd'); // coarse again
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

// The three tiers (near wheel, coarse wheel, overflow radix heap): times chosen on both sides
// of each window end, from pos 0 the near wheel ends at 65 536 µs and the coarse at
// 65 536 + 2^26 = 67 174 400 µs.
describe('EventQueue tiers', () => {
  const NEAR_END = 65_536;
  const COARSE_END = 65_536 + 2 ** 26;
  const tierTimes = [0, 1, NEAR_END - 1, NEAR_END, 100_000, 1_000_000, COARSE_END - 1, COARSE_END, 10 ** 9, 2 ** 40, 2 ** 53 - 1];

  it('pops in (time, seq) order across all tiers', () => {
    const q = new EventQueue();
    const pushed: { time: number; seq: number }[] = [];
    let seq = 0;
    for (const round of [0, 1]) {
      for (const t of round === 0 ? tierTimes : [...tierTimes].reverse()) {
        q.push(t, noop, seq);
        pushed.push({ time: t, seq: seq++ });
      }
    }
    pushed.sort((a, b) => a.time - b.time || a.seq - b.seq);
    expect(drain(q)).toEqual(pushed.map((p) => p.seq));
  });

  it('cancel works in every tier, and again after the event moved down a tier', () => {
    const q = new EventQueue();
    const ids = tierTimes.map((t) => q.push(t, noop, t));
    // Cancel every other event where it was pushed (near, coarse, overflow all included).
    ids.forEach((id, i) => {
      if (i % 2 === 1) expect(q.cancel(id)).toBe(true);
    });
    // Move to 60 000: 100 000 (coarse) is now in the near wheel, 10^9 (overflow) still waits.
    expect(q.nextTime(60_000)).toBe(0);
    q.pop();
    expect(q.nextTime(60_000)).toBeGreaterThan(60_000);
    const late = q.push(100_000, noop, 'late');
    const moved = q.push(COARSE_END + 5, noop, 'moved'); // coarse: the windows moved with pos
    expect(q.cancel(ids[4]!)).toBe(true); // 100 000, moved from the coarse wheel to the near wheel
    expect(q.cancel(ids[4]!)).toBe(false);
    expect(q.cancel(moved)).toBe(true);
    expect(q.cancel(late)).toBe(true);
    const expected = tierTimes.filter((_, i) => i % 2 === 0 && i !== 0 && i !== 4);
    expect(q.size).toBe(expected.length);
    expect(drain(q)).toEqual(expected);
  });

  it('equal times stay FIFO while they move overflow → coarse → near', () => {
    const q = new EventQueue();
    const T = 100_000_000; // overflow from pos 0
    q.push(T, noop, 'a');
    q.push(T - 60_000_000, noop, 'step1'); // 40 000 000: coarse
    expect(q.nextTime(Infinity)).toBe(40_000_000);
    q.pop(); // T is now within the coarse window: a moved there
    q.push(T, noop, 'b');
    q.push(T - 40_000, noop, 'step2');
    expect(q.nextTime(Infinity)).toBe(T - 40_000);
    q.pop(); // T is now within the near window
    q.push(T, noop, 'c');
    expect(drain(q)).toEqual(['a', 'b', 'c']);
  });

  it('an idle jump past occupied coarse blocks brings them into the near wheel', () => {
    const q = new EventQueue();
    q.push(10_000_000, noop, 'x');
    q.push(10_000_100, noop, 'y');
    q.push(30_000_000, noop, 'z');
    expect(q.nextTime(9_990_000)).toBeGreaterThan(9_990_000);
    q.push(10_000_000, noop, 'x2'); // near wheel now, behind x
    q.push(9_990_001, noop, 'first');
    expect(q.peekTime()).toBe(9_990_001);
    expect(drain(q)).toEqual(['first', 'x', 'x2', 'y', 'z']);
  });

  it('a window move carries several consecutive coarse blocks, in order', () => {
    const q = new EventQueue();
    const times: number[] = [];
    for (let b = 17; b < 60; b++) for (const off of [4095, 0, 2048]) times.push(b * 4096 + off);
    times.forEach((t, i) => q.push(t, noop, i));
    const order = times.map((t, i) => ({ t, i })).sort((x, y) => x.t - y.t || x.i - y.i).map((x) => x.i);
    // The near wheel is empty: the first pop jumps to block 17, which brings blocks 17..32 in at once.
    expect(drain(q)).toEqual(order);
  });

  // Model check with delays around every tier's scale, limits that stop short and cancels.
  // 60 000–200 000 µs crowds the first ~35 coarse blocks, so one window move carries several.
  const dt = fc.oneof(fc.nat(300), fc.nat(70_000), fc.integer({ min: 60_000, max: 200_000 }), fc.integer({ min: 60_000, max: 5_000_000 }), fc.nat(2 ** 27), fc.nat(2 ** 34));
  test.prop([
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('push' as const), dt }),
        fc.record({ op: fc.constant('next' as const), dt }),
        fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
      ),
      { maxLength: 400 },
    ),
  ])('matches a sorted-list model with delays at every tier', (ops) => {
    const q = new EventQueue();
    const model = new SortedListModel();
    let now = 0;
    for (const o of ops) {
      if (o.op === 'push') model.push(q, now + o.dt);
      else if (o.op === 'next') {
        const head = model.head();
        const limit = now + o.dt;
        expect(q.peekTime()).toBe(head === undefined ? Infinity : head.time);
        const t = q.nextTime(limit);
        if (head !== undefined && head.time <= limit) {
          expect(t).toBe(head.time);
          q.pop();
          expect(q.poppedArg).toBe(model.shift()!.seq);
          now = t;
        } else {
          expect(t).toBeGreaterThan(limit);
          now = limit;
        }
      } else {
        const victim = model.takePick(o.pick);
        if (victim !== undefined) {
          expect(q.cancel(victim.id)).toBe(true);
          expect(q.cancel(victim.id)).toBe(false);
        }
      }
      expect(q.size).toBe(model.events.length);
    }
    model.head();
    expect(drain(q)).toEqual(model.events.map((m) => m.seq));
  });
});

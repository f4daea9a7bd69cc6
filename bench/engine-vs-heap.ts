/**
 * One workload, two implementations: the engine's Simulator, and a bare typed-array binary
 * heap of (time, seq, id) with nothing around it. Steady state: the queue is pre-filled with
 * `queued` events, then every popped event schedules one more at a random delay, so the
 * queue size stays constant. Both draw delays from the same seeded generator type and seed,
 * so they process the identical event sequence; the ratio isolates the engine's overhead
 * (handler dispatch, slot bookkeeping, cancellation support, time validation).
 */
import { Random } from '../sim/engine/random.js';
import { Simulator } from '../sim/engine/simulator.js';

/** Delays are uniform in [1, MAX_DELAY_US]; <= 2^16 so one generator step per draw. */
const MAX_DELAY_US = 50_000;

export interface Measurement {
  events: number;
  seconds: number;
  eventsPerSec: number;
  /** Virtual time reached: equal for both implementations (a cheap cross-check). */
  finalTime: number;
}

export function measureEngine(queued: number, events: number, seed: string): Measurement {
  const rng = new Random(`bench/${seed}`);
  const sim = new Simulator({ seed });
  const tick = (): void => {
    sim.after(rng.int(1, MAX_DELAY_US), tick);
  };
  for (let i = 0; i < queued; i++) sim.at(rng.int(0, MAX_DELAY_US - 1), tick);
  const start = performance.now();
  const result = sim.run({ maxEvents: events });
  const seconds = (performance.now() - start) / 1000;
  return { events: result.events, seconds, eventsPerSec: result.events / seconds, finalTime: sim.now };
}

export function measureBareHeap(queued: number, events: number, seed: string): Measurement {
  const rng = new Random(`bench/${seed}`);
  let cap = 1024;
  while (cap < queued + 1) cap *= 2;
  const time = new Float64Array(cap);
  const seqs = new Float64Array(cap);
  const ids = new Int32Array(cap);
  let size = 0;
  let nextSeq = 0;

  const push = (t: number, id: number): void => {
    let i = size++;
    const s = nextSeq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p]!;
      if (pt < t || (pt === t && seqs[p]! < s)) break;
      time[i] = pt;
      seqs[i] = seqs[p]!;
      ids[i] = ids[p]!;
      i = p;
    }
    time[i] = t;
    seqs[i] = s;
    ids[i] = id;
  };

  const popInto = (): void => {
    const n = --size;
    if (n === 0) return;
    const t = time[n]!;
    const s = seqs[n]!;
    const id = ids[n]!;
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = time[c]!;
      let cs = seqs[c]!;
      const r = c + 1;
      if (r < n && (time[r]! < ct || (time[r] === ct && seqs[r]! < cs))) {
        c = r;
        ct = time[r]!;
        cs = seqs[r]!;
      }
      if (t < ct || (t === ct && s < cs)) break;
      time[i] = ct;
      seqs[i] = cs;
      ids[i] = ids[c]!;
      i = c;
    }
    time[i] = t;
    seqs[i] = s;
    ids[i] = id;
  };

  for (let i = 0; i < queued; i++) push(rng.int(0, MAX_DELAY_US - 1), i);
  let now = 0;
  let sink = 0;
  const start = performance.now();
  for (let k = 0; k < events; k++) {
    now = time[0]!;
    const id = ids[0]!;
    sink ^= id;
    popInto();
    push(now + rng.int(1, MAX_DELAY_US), id);
  }
  const seconds = (performance.now() - start) / 1000;
  if (sink === 0.5) console.log(sink); // keeps `id` observable so the read is not elided
  return { events, seconds, eventsPerSec: events / seconds, finalTime: now };
}

/**
 * A bare single-level timing wheel: one FIFO list per microsecond of a 2^16 µs window. Legal
 * here because every delay is ≤ MAX_DELAY_US < 2^16, so a slot only ever holds events of one
 * time, in insertion order — the same (time, seq) order as the heap and the engine. The
 * fastest structure of perf-notes.md at 1e5–1e6 queued, and one a general engine cannot use
 * as is (it needs bounded delays).
 */
export function measureTimingWheel(queued: number, events: number, seed: string): Measurement {
  const rng = new Random(`bench/${seed}`);
  const WHEEL = 1 << 16;
  const MASK = WHEEL - 1;
  const head = new Int32Array(WHEEL).fill(-1);
  const tail = new Int32Array(WHEEL).fill(-1);
  const next = new Int32Array(queued);
  const time = new Float64Array(queued);

  const push = (node: number, t: number): void => {
    const s = t & MASK;
    next[node] = -1;
    time[node] = t;
    const last = tail[s]!;
    if (last < 0) head[s] = node;
    else next[last] = node;
    tail[s] = node;
  };

  for (let i = 0; i < queued; i++) push(i, rng.int(0, MAX_DELAY_US - 1));
  let cursor = 0;
  let now = 0;
  let sink = 0;
  const start = performance.now();
  for (let k = 0; k < events; k++) {
    while (head[cursor]! < 0) cursor = (cursor + 1) & MASK;
    const node = head[cursor]!;
    const after = next[node]!;
    head[cursor] = after;
    if (after < 0) tail[cursor] = -1;
    now = time[node]!;
    sink ^= node;
    push(node, now + rng.int(1, MAX_DELAY_US));
  }
  const seconds = (performance.now() - start) / 1000;
  if (sink === 0.5) console.log(sink);
  return { events, seconds, eventsPerSec: events / seconds, finalTime: now };
}

/**
 * The bare timing wheel given the engine's API: `after(delay, fn, arg)` returns a
 * cancellable id (slot + generation, doubly linked lists so a cancel unlinks at once), and
 * the run loop dispatches each event's handler with its argument, as Simulator.run does.
 * What it still lacks against the engine: unbounded delays (no overflow tier: every delay
 * must stay below the 2^16 µs window), time validation and the `until`/`maxEvents`/stop
 * bookkeeping. Engine ÷ this isolates what the engine's generality costs; this ÷ the bare
 * wheel, what dispatch and cancellation cost.
 */
export class ApiWheel {
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly time: Float64Array;
  private readonly gen: Int32Array;
  private readonly fns: Array<((arg: any) => void) | null>;
  private readonly args: unknown[];
  private readonly free: Int32Array;
  private freeCount = 0;
  private slots = 0;
  private cursor = 0;
  now = 0;

  constructor(capacity: number) {
    this.head = new Int32Array(1 << 16).fill(-1);
    this.tail = new Int32Array(1 << 16).fill(-1);
    this.next = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
    this.gen = new Int32Array(capacity);
    this.free = new Int32Array(capacity);
    this.fns = new Array<((arg: any) => void) | null>(capacity).fill(null);
    this.args = new Array<unknown>(capacity).fill(undefined);
  }

  after(delay: number, fn: (arg: any) => void, arg?: unknown): number {
    const t = this.now + delay;
    const node = this.freeCount > 0 ? this.free[--this.freeCount]! : this.slots++;
    const s = t & 0xffff;
    this.time[node] = t;
    this.fns[node] = fn;
    this.args[node] = arg;
    this.next[node] = -1;
    const last = this.tail[s]!;
    this.prev[node] = last;
    if (last < 0) this.head[s] = node;
    else this.next[last] = node;
    this.tail[s] = node;
    return this.gen[node]! * 0x1000000 + node;
  }

  cancel(id: number): boolean {
    const node = id % 0x1000000;
    if (this.fns[node] === null || this.gen[node] !== Math.floor(id / 0x1000000)) return false;
    const s = this.time[node]! & 0xffff;
    const p = this.prev[node]!;
    const n = this.next[node]!;
    if (p < 0) this.head[s] = n;
    else this.next[p] = n;
    if (n < 0) this.tail[s] = p;
    else this.prev[n] = p;
    this.release(node);
    return true;
  }

  run(maxEvents: number): number {
    let k = 0;
    for (; k < maxEvents; k++) {
      while (this.head[this.cursor]! < 0) this.cursor = (this.cursor + 1) & 0xffff;
      const node = this.head[this.cursor]!;
      const after = this.next[node]!;
      this.head[this.cursor] = after;
      if (after < 0) this.tail[this.cursor] = -1;
      else this.prev[after] = -1;
      this.now = this.time[node]!;
      const fn = this.fns[node]!;
      const arg = this.args[node];
      this.release(node);
      fn(arg);
    }
    return k;
  }

  private release(node: number): void {
    this.fns[node] = null;
    this.args[node] = undefined;
    this.gen[node] = (this.gen[node]! + 1) & 0x1fffffff; // gen * 2^24 + slot stays below 2^53
    this.free[this.freeCount++] = node;
  }
}

export function measureApiWheel(queued: number, events: number, seed: string): Measurement {
  const rng = new Random(`bench/${seed}`);
  const wheel = new ApiWheel(queued + 1);
  const tick = (): void => {
    wheel.after(rng.int(1, MAX_DELAY_US), tick);
  };
  for (let i = 0; i < queued; i++) wheel.after(rng.int(0, MAX_DELAY_US - 1), tick);
  const start = performance.now();
  const n = wheel.run(events);
  const seconds = (performance.now() - start) / 1000;
  return { events: n, seconds, eventsPerSec: n / seconds, finalTime: wheel.now };
}

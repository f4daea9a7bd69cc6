/**
 * The pending-event set, ordered by (time, seq) where seq is the insertion order: two events
 * at the same virtual time pop in the order they were scheduled (docs/layers.md, "Determinism" rule 2).
 *
 * Two tiers. Events due within WHEEL µs of the queue's position `pos` (the time of the last
 * pop, a lower bound of every pending time) sit in a timing wheel: one FIFO list per
 * microsecond, slot = time mod WHEEL, found by a two-level bitmap — a push and a pop are a
 * few array writes (the model's events are mostly network latencies, 1 ms workload ticks and
 * 100 ms crons). Later events wait in the overflow, a 256-ary radix heap, and move into the
 * wheel, in (time, seq) order, as soon as `pos` comes within WHEEL of them — before anything
 * can be pushed directly into their slots, so a slot's list is always in seq order.
 *
 * The overflow radix heap: `last` is a lower bound of its pending times; an event lives in
 * bucket (level L, digit d) where L is the highest byte in which its time differs from `last`
 * and d is that byte of its time; events at exactly `last` live in the `current` list, popped
 * head first. When `current` is empty, ovNextTime() takes the lowest non-empty bucket, raises
 * `last` to that bucket's smallest possible time (its base) and replays the bucket's events
 * into lower levels, until some land in `current`. Each event moves at most once per level
 * (7 levels for 53-bit times), and no bucket is ever scanned for its minimum. Ties keep their
 * insertion order: equal times always share a bucket, buckets are FIFO lists, and a descent
 * replays a bucket in order into lower buckets that are empty at that moment.
 *
 * Neither floor may pass the clock, or a later push (at >= now) could fall below it: nextTime
 * (limit) only moves `pos` to an event it returns (<= limit), and the overflow's `last` only to
 * bases <= pos + WHEEL - 1, below any time still pushed into the overflow.
 *
 * Storage: per slot, a record [time, next, prev, bucket] in one Float64Array (one cache line
 * per touch), the generation in an Int32Array, handler and argument in two parallel arrays.
 * Slots are recycled through a free list, so steady-state scheduling allocates nothing.
 * Cancel unlinks the event at once (doubly linked lists): no dead entries accumulate even
 * when a model re-arms a long timer on every message.
 */
/** Opaque handle of a scheduled event; a non-negative integer. */
export type TimerId = number;

export type Handler = (arg: any) => void;

const SLOT_BITS = 24;
/** 2^24 slots: more than 16 million simultaneously pending events is a simulator bug. */
const SLOT_LIMIT = 1 << SLOT_BITS;
/** Generations wrap at 2^28 so that gen * SLOT_LIMIT + slot stays an exact integer. */
const GEN_MASK = (1 << 28) - 1;
const INITIAL_SLOTS = 1024;

/** Wheel span in µs (one slot per µs): 65.5 ms of near future. */
const WHEEL_BITS = 16;
const WHEEL = 1 << WHEEL_BITS;
const WHEEL_MASK = WHEEL - 1;
const WHEEL_WORDS = WHEEL >> 5;

const LEVELS = 7; // 53-bit times: bytes 0..6
const BUCKETS = LEVELS * 256;
/** Pseudo-bucket of overflow events at exactly `last`. */
const CURRENT = BUCKETS;
/** Wheel slot k is bucket WHEEL_BASE + k. */
const WHEEL_BASE = BUCKETS + 1;
const FREE = -2;
const NIL = -1;
const TWO_POW_32 = 4294967296;
/** BYTE_WEIGHT[k] = 2^(8k): the weight of byte k of a time, and the span of a level-(k-1) bucket. */
const BYTE_WEIGHT: readonly number[] = [1, 2 ** 8, 2 ** 16, 2 ** 24, 2 ** 32, 2 ** 40, 2 ** 48, 2 ** 56];

// Record fields within the node array.
const TIME = 0;
const NEXT = 1;
const PREV = 2;
const BUCKET = 3;
const STRIDE = 4;

export class EventQueue {
  private node: Float64Array = new Float64Array(INITIAL_SLOTS * STRIDE);
  private gens: Int32Array = new Int32Array(INITIAL_SLOTS);
  
  /** Handler and argument per slot, in two arrays (a function-only array stays monomorphic). */
  private fns: Array<Handler | null> = [];
  private args: unknown[] = [];
  private freeSlots: Int32Array = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  private slotCount = 0;

  // Overflow buckets 0..BUCKETS-1, CURRENT, then the wheel's slots: heads and tails of
  // doubly linked slot lists.
  private heads: Int32Array = new Int32Array(WHEEL_BASE + WHEEL).fill(NIL);
  private tails: Int32Array = new Int32Array(WHEEL_BASE + WHEEL).fill(NIL);
  /** One bit per non-empty wheel slot, and one per non-empty word of those. */
  private wheelBits: Int32Array = new Int32Array(WHEEL_WORDS);
  private wheelSummary: Int32Array = new Int32Array(WHEEL_WORDS >> 5);
  private wheelCount = 0;
  /** Time of the last pop: every pending event is at or after it; the wheel holds [pos, pos + WHEEL). */
  private pos = 0;
  /** Events per level, to find the lowest non-empty level without scanning bitmaps. */
  private levelCount: Int32Array = new Int32Array(LEVELS);
  /** One bit per non-empty bucket: 8 words per level. */
  private bitmap: Int32Array = new Int32Array(LEVELS * 8);

  // The overflow's floor, split for bucketFor; and its event count.
  private last = 0;
  private lastLo = 0;
  private lastHi = 0;
  private overflowCount = 0;
  private live = 0;

  /** Argument of the event returned by the last pop(). */
  poppedArg: unknown = undefined;

  /** Number of scheduled, not cancelled, not yet popped events. */
  get size(): number {
    return this.live;
  }

  /**
   * Schedules fn(arg) at `time`, an integer no earlier than any event popped so far and no
   * earlier than the last nextTime() limit that was exceeded (the Simulator guarantees both:
   * time >= now).
   */
  push(time: number, fn: Handler, arg: unknown): TimerId {
    if (time < this.pos) throw new Error(`event queue: time ${time} is below the queue's floor ${this.pos}`);
    const slot = this.allocSlot();
    this.fns[slot] = fn;
    this.args[slot] = arg;
    this.node[slot * STRIDE + TIME] = time;
    if (time - this.pos < WHEEL) this.wheelAppend(slot, time);
    else {
      if (time < this.last) throw new Error(`event queue: time ${time} is below the overflow's floor ${this.last}`);
      this.append(this.bucketFor(time), slot);
      this.overflowCount++;
    }
    this.live++;
    return this.gens[slot]! * SLOT_LIMIT + slot;
  }

  /** Cancels a pending event; false if it already ran, was cancelled, or never existed. */
  cancel(id: TimerId): boolean {
    if (!(id >= 0) || !Number.isSafeInteger(id)) return false;
    const slot = id % SLOT_LIMIT;
    const gen = (id - slot) / SLOT_LIMIT;
    if (slot >= this.slotCount || this.gens[slot] !== gen) return false;
    const bucket = this.node[slot * STRIDE + BUCKET]!;
    if (bucket === FREE) return false;
    if (bucket >= WHEEL_BASE) this.wheelUnlink(bucket, slot);
    else {
      this.unlink(bucket, slot);
      this.overflowCount--;
    }
    this.releaseSlot(slot);
    this.live--;
    return true;
  }

  /**
   * Time of the earliest event if it is <= limit, making it the next pop(); otherwise some
   * number > limit (Infinity when nothing is pending). Never raises the queue's floor above
   * limit, so pushes at >= limit stay legal afterwards.
   */
  nextTime(limit: number): number {
    for (;;) {
      if (this.wheelCount > 0) {
        const k = this.firstWheelSlot();
        const t = this.node[this.heads[WHEEL_BASE + k]! * STRIDE + TIME]!;
        if (t > limit) return this.idleUntil(limit);
        if (t !== this.pos) {
          this.pos = t;
          if (this.overflowCount > 0) this.migrate();
        }
        return t;
      }
      if (this.overflowCount === 0) return Infinity;
      // The wheel is empty: jump to the overflow's earliest event and bring its window in.
      const t = this.ovNextTime(limit);
      if (t > limit) return this.idleUntil(limit);
      this.pos = t;
      this.migrate();
    }
  }

  /**
   * Nothing is due by `limit`, where the clock is about to go: move the wheel's window there
   * too (everything pending is later), so that pushes near the new `now` land in the wheel.
   */
  private idleUntil(limit: number): number {
    if (limit > this.pos && limit !== Infinity) {
      this.pos = limit;
      if (this.overflowCount > 0) this.migrate();
    }
    return limit + 1;
  }

  /** Time of the earliest event, or Infinity when none is pending. Moves nothing. */
  peekTime(): number {
    if (this.wheelCount > 0) return this.node[this.heads[WHEEL_BASE + this.firstWheelSlot()]! * STRIDE + TIME]!;
    if (this.overflowCount === 0) return Infinity;
    if (this.heads[CURRENT] !== NIL) return this.last;
    const bucket = this.lowestBucket();
    const node = this.node;
    let min = Infinity;
    for (let s = this.heads[bucket]!; s !== NIL; s = node[s * STRIDE + NEXT]!) {
      const t = node[s * STRIDE + TIME]!;
      if (t < min) min = t;
    }
    return min;
  }

  /**
   * Removes the earliest event and returns its handler; its argument is left in poppedArg.
   * Call only right after nextTime(limit) returned a time <= limit.
   */
  pop(): Handler {
    const bucket = WHEEL_BASE + (this.pos & WHEEL_MASK);
    const slot = this.heads[bucket]!;
    const node = this.node;
    const next = node[slot * STRIDE + NEXT]!;
    this.heads[bucket] = next;
    if (next === NIL) {
      this.tails[bucket] = NIL;
      this.clearWheelBit(bucket - WHEEL_BASE);
    } else node[next * STRIDE + PREV] = NIL;
    this.wheelCount--;
    const fn = this.fns[slot] as Handler;
    this.poppedArg = this.args[slot];
    this.releaseSlot(slot);
    this.live--;
    return fn;
  }

  // ------------------------------------------------------------------ the wheel

  private wheelAppend(slot: number, time: number): void {
    const k = time & WHEEL_MASK; // exact: times are integers below 2^53, & takes the low 32 bits
    if (this.appendToList(WHEEL_BASE + k, slot)) {
      const w = k >> 5;
      if (this.wheelBits[w] === 0) this.wheelSummary[w >> 5] = this.wheelSummary[w >> 5]! | (1 << (w & 31));
      this.wheelBits[w] = this.wheelBits[w]! | (1 << (k & 31));
    }
    this.wheelCount++;
  }

  /** Puts `slot` at the tail of the list of `bucket`; true if the list was empty before. */
  private appendToList(bucket: number, slot: number): boolean {
    const node = this.node;
    const base = slot * STRIDE;
    const tail = this.tails[bucket]!;
    node[base + NEXT] = NIL;
    node[base + PREV] = tail;
    node[base + BUCKET] = bucket;
    this.tails[bucket] = slot;
    if (tail === NIL) {
      this.heads[bucket] = slot;
      return true;
    }
    node[tail * STRIDE + NEXT] = slot;
    return false;
  }

  private wheelUnlink(bucket: number, slot: number): void {
    this.unlinkFromList(bucket, slot);
    if (this.heads[bucket] === NIL) this.clearWheelBit(bucket - WHEEL_BASE);
    this.wheelCount--;
  }

  /** Takes `slot` out of the doubly linked list of `bucket` (wheel slot or overflow bucket). */
  private unlinkFromList(bucket: number, slot: number): void {
    const node = this.node;
    const base = slot * STRIDE;
    const prev = node[base + PREV]!;
    const next = node[base + NEXT]!;
    if (prev === NIL) this.heads[bucket] = next;
    else node[prev * STRIDE + NEXT] = next;
    if (next === NIL) this.tails[bucket] = prev;
    else node[next * STRIDE + PREV] = prev;
  }

  private clearWheelBit(k: number): void {
    const w = k >> 5;
    const bits = this.wheelBits[w]! & ~(1 << (k & 31));
    this.wheelBits[w] = bits;
    if (bits === 0) this.wheelSummary[w >> 5] = this.wheelSummary[w >> 5]! & ~(1 << (w & 31));
  }

  /** The first non-empty wheel slot at or after pos, circularly (the wheel is not empty). */
  private firstWheelSlot(): number {
    const p = this.pos & WHEEL_MASK;
    const w = p >> 5;
    const here = this.wheelBits[w]! & (-1 << (p & 31));
    if (here !== 0) return (w << 5) + lowestBit(here);
    let word = this.firstWordFrom(w + 1);
    if (word < 0) word = this.firstWordFrom(0); // wrapped: slots below p are the later times
    return (word << 5) + lowestBit(this.wheelBits[word]!);
  }

  /** The first non-empty bitmap word at index >= from, or -1. */
  private firstWordFrom(from: number): number {
    if (from >= WHEEL_WORDS) return -1;
    const summary = this.wheelSummary;
    let j = from >> 5;
    let bits = summary[j]! & (-1 << (from & 31));
    while (bits === 0) {
      if (++j === summary.length) return -1;
      bits = summary[j]!;
    }
    return (j << 5) + lowestBit(bits);
  }

  /** Moves every overflow event due before pos + WHEEL into the wheel, in (time, seq) order. */
  private migrate(): void {
    const end = this.pos + WHEEL - 1;
    while (this.overflowCount > 0) {
      const t = this.ovNextTime(end);
      if (t > end) return;
      const slot = this.heads[CURRENT]!;
      const next = this.node[slot * STRIDE + NEXT]!;
      this.heads[CURRENT] = next;
      if (next === NIL) this.tails[CURRENT] = NIL;
      else this.node[next * STRIDE + PREV] = NIL;
      this.overflowCount--;
      this.wheelAppend(slot, t);
    }
  }

  // ------------------------------------------------------------------ the overflow radix heap

  /** Like nextTime, over the overflow only: its earliest time if <= limit (now at the head of CURRENT). */
  private ovNextTime(limit: number): number {
    while (this.heads[CURRENT] === NIL) {
      if (this.overflowCount === 0) return Infinity;
      if (!this.descend(limit)) return limit + 1;
    }
    return this.last;
  }

  /** Bucket of an event at `time` relative to `last`. */
  private bucketFor(time: number): number {
    const lo = time >>> 0; // time mod 2^32, exact for integers below 2^53
    const hi = (time - lo) / TWO_POW_32;
    const dh = hi ^ this.lastHi;
    if (dh !== 0) {
      const level = 4 + ((31 - Math.clz32(dh)) >> 3);
      return level * 256 + ((hi >>> ((level - 4) * 8)) & 255);
    }
    const dl = lo ^ this.lastLo;
    if (dl === 0) return CURRENT;
    const level = (31 - Math.clz32(dl)) >> 3;
    return level * 256 + ((lo >>> (level * 8)) & 255);
  }

  private append(bucket: number, slot: number): void {
    if (this.appendToList(bucket, slot) && bucket !== CURRENT) {
      this.bitmap[bucket >> 5] = this.bitmap[bucket >> 5]! | (1 << (bucket & 31));
    }
    if (bucket !== CURRENT) this.levelCount[bucket >> 8] = this.levelCount[bucket >> 8]! + 1;
  }


  private unlink(bucket: number, slot: number): void {
    this.unlinkFromList(bucket, slot);
    if (bucket !== CURRENT) {
      this.levelCount[bucket >> 8] = this.levelCount[bucket >> 8]! - 1;
      if (this.heads[bucket] === NIL) this.bitmap[bucket >> 5] = this.bitmap[bucket >> 5]! & ~(1 << (bucket & 31));
    }
  }

  /** The lowest non-empty bucket (events are pending and `current` is empty). */
  private lowestBucket(): number {
    let level = 0;
    while (this.levelCount[level] === 0) level++;
    let word = level * 8;
    while (this.bitmap[word] === 0) word++;
    const bits = this.bitmap[word]!;
    return word * 32 + (31 - Math.clz32(bits & -bits));
  }

  /**
   * Raises `last` to the base of the lowest non-empty bucket (its smallest possible time:
   * `last` with byte L set to d and the bytes below cleared) and replays that bucket, in
   * order, relative to it. Buckets above keep their meaning: the base agrees with the old
   * `last` above byte L and is below them at byte L. False, changing nothing, if the base
   * exceeds limit.
   */
  private descend(limit: number): boolean {
    const bucket = this.lowestBucket();
    const level = bucket >> 8;
    const base = this.last - (this.last % BYTE_WEIGHT[level + 1]!) + (bucket & 255) * BYTE_WEIGHT[level]!;
    if (base > limit) return false;
    this.last = base;
    this.lastLo = base >>> 0;
    this.lastHi = (base - this.lastLo) / TWO_POW_32;
    const node = this.node;
    let s = this.heads[bucket]!;
    this.heads[bucket] = NIL;
    this.tails[bucket] = NIL;
    this.bitmap[bucket >> 5] = this.bitmap[bucket >> 5]! & ~(1 << (bucket & 31));
    let moved = 0;
    while (s !== NIL) {
      const next = node[s * STRIDE + NEXT]!;
      this.append(this.bucketFor(node[s * STRIDE + TIME]!), s);
      moved++;
      s = next;
    }
    this.levelCount[level] = this.levelCount[level]! - moved;
    return true;
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    const slot = this.slotCount++;
    if (slot >= SLOT_LIMIT) throw new Error(`event queue: more than ${SLOT_LIMIT} pending events`);
    if (slot === this.gens.length) this.grow(slot * 2);
    this.fns.push(null);
    this.args.push(undefined);
    return slot;
  }

  private releaseSlot(slot: number): void {
    this.fns[slot] = null;
    this.args[slot] = undefined;
    this.node[slot * STRIDE + BUCKET] = FREE;
    this.gens[slot] = (this.gens[slot]! + 1) & GEN_MASK;
    this.freeSlots[this.freeCount++] = slot;
  }

  private grow(slots: number): void {
    const node = new Float64Array(slots * STRIDE);
    node.set(this.node);
    this.node = node;
    const gens = new Int32Array(slots);
    gens.set(this.gens);
    this.gens = gens;
    const free = new Int32Array(slots);
    free.set(this.freeSlots);
    this.freeSlots = free;
  }
}

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

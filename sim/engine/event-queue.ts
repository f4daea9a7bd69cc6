/**
 * The pending-event set, ordered by (time, seq) where seq is the insertion order: two events
 * at the same virtual time pop in the order they were scheduled (DESIGN.md rule 2).
 *
 * Layout: a 256-ary radix heap (perf-notes.md: the fastest structure measured here from 1e3
 * to 1e6 pending events). It replaced a typed-array binary heap that ran at 0.82×, 0.80× and
 * 0.72× of a bare heap loop at 1e3/1e5/1e6 queued; this one runs at about 1× (npm run bench),
 * and a 60-seed chaos workload gave identical trace hashes with both, as (time, seq) order must. It is legal because simulated time never goes backwards: every key
 * inserted is >= `last`, the time of the last event popped. An event lives in bucket
 * (level L, digit d) where L is the highest byte in which its time differs from `last` and
 * d is that byte of its time; events at exactly `last` live in the `current` list. Popping
 * takes the head of `current`; when it is empty, the lowest non-empty bucket is split: its
 * minimum becomes `last` and its events move to lower levels. Each event moves at most 7 times
 * (53-bit times have 7 bytes), typically once or twice.
 *
 * Ties without storing seq: events with equal times are always in the same bucket (the
 * bucket depends only on the time and `last`), buckets are FIFO lists, and a split replays a
 * bucket in order into lower buckets that are empty at that moment. So equal times keep their
 * insertion order.
 *
 * Storage: per slot, a record [time, next, prev, bucket] in one Float64Array (one cache line
 * per touch), the generation in an Int32Array, handler and argument in a parallel array.
 * Slots are recycled through a free list, so steady-state scheduling allocates nothing.
 * Cancel unlinks the event at once (doubly linked buckets): no dead entries accumulate even
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

const LEVELS = 7; // 53-bit times: bytes 0..6
const BUCKETS = LEVELS * 256;
/** Pseudo-bucket of events at exactly `last`. */
const CURRENT = BUCKETS;
const FREE = -2;
const NIL = -1;
const TWO_POW_32 = 4294967296;

// Record fields within the node array.
const TIME = 0;
const NEXT = 1;
const PREV = 2;
const BUCKET = 3;
const STRIDE = 4;

export class EventQueue {
  private node: Float64Array = new Float64Array(INITIAL_SLOTS * STRIDE);
  private gens: Int32Array = new Int32Array(INITIAL_SLOTS);
  /** [handler, arg] at 2 * slot; a null handler marks a free slot. */
  private payload: unknown[] = [];
  private freeSlots: Int32Array = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  private slotCount = 0;

  // Buckets 0..BUCKETS-1 plus CURRENT: heads and tails of doubly linked slot lists.
  private heads: Int32Array = new Int32Array(BUCKETS + 1).fill(NIL);
  private tails: Int32Array = new Int32Array(BUCKETS + 1).fill(NIL);
  /** Events per level, to find the lowest non-empty level without scanning bitmaps. */
  private levelCount: Int32Array = new Int32Array(LEVELS);
  /** One bit per non-empty bucket: 8 words per level. */
  private bitmap: Int32Array = new Int32Array(LEVELS * 8);

  private last = 0;
  private lastLo = 0;
  private lastHi = 0;
  private live = 0;

  // peekTime() finds the next minimum without moving anything (the clock may stop short of it
  // at run({until}), and later pushes may still precede it); pop() then splits that bucket.
  private peekBucket = NIL;
  private peekMin = 0;

  /** Argument of the event returned by the last pop(). */
  poppedArg: unknown = undefined;

  /** Number of scheduled, not cancelled, not yet popped events. */
  get size(): number {
    return this.live;
  }

  /**
   * Schedules fn(arg) at `time`, an integer >= the time of every event popped so far (the
   * Simulator guarantees time >= now).
   */
  push(time: number, fn: Handler, arg: unknown): TimerId {
    if (time < this.last) throw new Error(`event queue: time ${time} is before the last popped event ${this.last}`);
    const slot = this.allocSlot();
    const p = this.payload;
    p[2 * slot] = fn;
    p[2 * slot + 1] = arg;
    this.node[slot * STRIDE + TIME] = time;
    // A later time lands in the same or a later bucket, so only an earlier one can
    // invalidate the peeked minimum.
    if (time < this.peekMin) this.peekBucket = NIL;
    this.append(this.bucketFor(time), slot);
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
    if (bucket === this.peekBucket) this.peekBucket = NIL;
    this.unlink(bucket, slot);
    this.releaseSlot(slot);
    this.live--;
    return true;
  }

  /** Time of the earliest event, or Infinity when none is pending. */
  peekTime(): number {
    if (this.heads[CURRENT] !== NIL) return this.last;
    if (this.live === 0) return Infinity;
    if (this.peekBucket === NIL) this.findMinimum();
    return this.peekMin;
  }

  /**
   * Removes the earliest event and returns its handler; its argument is left in poppedArg.
   * Call only after peekTime() returned a finite time.
   */
  pop(): Handler {
    if (this.heads[CURRENT] === NIL) this.split();
    const slot = this.heads[CURRENT]!;
    const node = this.node;
    const next = node[slot * STRIDE + NEXT]!;
    this.heads[CURRENT] = next;
    if (next === NIL) this.tails[CURRENT] = NIL;
    else node[next * STRIDE + PREV] = NIL;
    const p = this.payload;
    const fn = p[2 * slot] as Handler;
    this.poppedArg = p[2 * slot + 1];
    this.releaseSlot(slot);
    this.live--;
    return fn;
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
    const node = this.node;
    const base = slot * STRIDE;
    const tail = this.tails[bucket]!;
    node[base + NEXT] = NIL;
    node[base + PREV] = tail;
    node[base + BUCKET] = bucket;
    if (tail === NIL) {
      this.heads[bucket] = slot;
      if (bucket !== CURRENT) this.bitmap[bucket >> 5] = this.bitmap[bucket >> 5]! | (1 << (bucket & 31));
    } else {
      node[tail * STRIDE + NEXT] = slot;
    }
    this.tails[bucket] = slot;
    if (bucket !== CURRENT) this.levelCount[bucket >> 8] = this.levelCount[bucket >> 8]! + 1;
  }

  private unlink(bucket: number, slot: number): void {
    const node = this.node;
    const base = slot * STRIDE;
    const prev = node[base + PREV]!;
    const next = node[base + NEXT]!;
    if (prev === NIL) this.heads[bucket] = next;
    else node[prev * STRIDE + NEXT] = next;
    if (next === NIL) this.tails[bucket] = prev;
    else node[next * STRIDE + PREV] = prev;
    if (bucket !== CURRENT) {
      this.levelCount[bucket >> 8] = this.levelCount[bucket >> 8]! - 1;
      if (this.heads[bucket] === NIL) this.bitmap[bucket >> 5] = this.bitmap[bucket >> 5]! & ~(1 << (bucket & 31));
    }
  }

  /** `current` is empty and events are pending: the lowest non-empty bucket holds the minimum. */
  private findMinimum(): void {
    let level = 0;
    while (this.levelCount[level] === 0) level++;
    let word = level * 8;
    while (this.bitmap[word] === 0) word++;
    const bits = this.bitmap[word]!;
    const bucket = word * 32 + (31 - Math.clz32(bits & -bits));
    const node = this.node;
    let min = Infinity;
    for (let s = this.heads[bucket]!; s !== NIL; s = node[s * STRIDE + NEXT]!) {
      const t = node[s * STRIDE + TIME]!;
      if (t < min) min = t;
    }
    this.peekBucket = bucket;
    this.peekMin = min;
  }

  /** The peeked minimum becomes `last`; its bucket's events move, in order, relative to it. */
  private split(): void {
    if (this.peekBucket === NIL) this.findMinimum();
    const bucket = this.peekBucket;
    const min = this.peekMin;
    this.peekBucket = NIL;
    const level = bucket >> 8;
    const word = bucket >> 5;
    const node = this.node;
    this.last = min;
    this.lastLo = min >>> 0;
    this.lastHi = (min - this.lastLo) / TWO_POW_32;
    // Detach the whole list, then replay it in order.
    let s = this.heads[bucket]!;
    this.heads[bucket] = NIL;
    this.tails[bucket] = NIL;
    this.bitmap[word] = this.bitmap[word]! & ~(1 << (bucket & 31));
    let moved = 0;
    while (s !== NIL) {
      const next = node[s * STRIDE + NEXT]!;
      this.append(this.bucketFor(node[s * STRIDE + TIME]!), s);
      moved++;
      s = next;
    }
    this.levelCount[level] = this.levelCount[level]! - moved;
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    const slot = this.slotCount++;
    if (slot >= SLOT_LIMIT) throw new Error(`event queue: more than ${SLOT_LIMIT} pending events`);
    if (slot === this.gens.length) this.grow(slot * 2);
    this.payload.push(null, undefined);
    return slot;
  }

  private releaseSlot(slot: number): void {
    const p = this.payload;
    p[2 * slot] = null;
    p[2 * slot + 1] = undefined;
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

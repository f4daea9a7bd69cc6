/**
 * The pending-event set, ordered by (time, seq) where seq is the insertion order: two events
 * at the same virtual time pop in the order they were scheduled (DESIGN.md rule 2).
 *
 * Layout: a 256-ary radix heap (perf-notes.md: the fastest structure measured here from 1e3
 * to 1e6 pending events). It replaced a typed-array binary heap that ran at 0.82×, 0.80× and
 * 0.72× of a bare heap loop at 1e3/1e5/1e6 queued (npm run bench); a 60-seed chaos workload
 * gave identical trace hashes with both, as (time, seq) order must.
 *
 * It is legal because simulated time never goes backwards. `last` is a lower bound of every
 * pending time; an event lives in bucket (level L, digit d) where L is the highest byte in
 * which its time differs from `last` and d is that byte of its time; events at exactly `last`
 * live in the `current` list, popped head first. When `current` is empty, nextTime() takes the
 * lowest non-empty bucket, raises `last` to that bucket's smallest possible time (its base)
 * and replays the bucket's events into lower levels, until some land in `current`. Each event
 * thus moves at most once per level (7 levels for 53-bit times), and no bucket is ever scanned
 * for its minimum.
 *
 * `last` must never exceed the clock, or a later push (at >= now) could fall below it. So
 * nextTime(limit) only raises `last` to bases <= limit, and the Simulator passes run()'s
 * `until`: if the next event lies beyond it, the descent stops short at a base <= until = now.
 *
 * Ties without storing seq: events with equal times are always in the same bucket (the
 * bucket depends only on the time and `last`), buckets are FIFO lists, and a descent replays a
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
    if (time < this.last) throw new Error(`event queue: time ${time} is below the queue's floor ${this.last}`);
    const slot = this.allocSlot();
    const p = this.payload;
    p[2 * slot] = fn;
    p[2 * slot + 1] = arg;
    this.node[slot * STRIDE + TIME] = time;
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
    this.unlink(bucket, slot);
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
    while (this.heads[CURRENT] === NIL) {
      if (this.live === 0) return Infinity;
      if (!this.descend(limit)) return limit + 1;
    }
    return this.last;
  }

  /** Time of the earliest event, or Infinity when none is pending. Moves nothing. */
  peekTime(): number {
    if (this.heads[CURRENT] !== NIL) return this.last;
    if (this.live === 0) return Infinity;
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

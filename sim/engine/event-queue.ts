/**
 * The pending-event set, ordered by (time, seq) where seq is the insertion order: two events
 * at the same virtual time pop in the order they were scheduled (docs/layers.md, "Determinism" rule 2).
 *
 * Three tiers, by distance from the queue's position `pos` (the time of the last pop, a lower
 * bound of every pending time):
 *
 * - the near wheel: one FIFO list per microsecond, slot = time mod 2^16, for times below
 *   `nearEnd` = the start of pos's 4 096 µs block + 2^16 µs (61.4–65.5 ms ahead): network
 *   latencies, 1 ms workload ticks. A push or a pop is a few array writes;
 * - the coarse wheel: one FIFO list per 4 096 µs block, slot = block mod 2^14, for times below
 *   `coarseEnd` = nearEnd + 2^26 µs (67 s): the 100 ms crons, Sentinel's timers and PINGs,
 *   the 1–60 s protocol timeouts. When nearEnd passes a block, its list moves whole, in order,
 *   into the near wheel;
 * - the overflow: a 256-ary radix heap for anything later (scenario steps hours ahead), moved
 *   into the wheels in (time, seq) order as soon as coarseEnd passes it.
 *
 * Both window ends only move forward, by whole blocks, and each move first drains what they
 * passed into the lower tier — before anything can be pushed straight into it — so all events
 * of one time always sit in one tier, and every list is in seq order: order is the near
 * wheel's slot order, then list order. Both wheels find their next occupied slot through a
 * SlotBitmap; when the near wheel is empty the queue jumps to the first occupied coarse
 * block (or the overflow's earliest time), which brings it into the near wheel.
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
 * (limit) only moves `pos` to an event it returns, to the start of a block holding the next
 * event, or to limit — never above limit nor above the earliest pending time — and the
 * overflow's `last` only to bases below coarseEnd, below any time still pushed into it.
 *
 * Storage, sized for cache misses (at 1e5–1e6 pending events every pop and push misses the
 * cache, so the bytes an event touches decide the speed): per slot a 16-byte int32 record —
 * next, prev, the list it is in (or FREE) and its generation — with handler and argument side
 * by side in one array, and the time in a Float64Array written only for the coarse wheel and
 * the overflow, which need it (a near event's time is its slot's distance from pos, so
 * nextTime reads no record at all). A list's head keeps no valid prev (heads[list] === slot
 * says it is the head), so a pop reads and writes its own record only, never the next
 * event's. Slots are recycled through a LIFO free list, so a handler's push reuses the record
 * its pop just brought into the cache, and steady-state scheduling allocates nothing. Cancel
 * unlinks the event at once (doubly linked lists): no dead entries accumulate even when a
 * model re-arms a long timer on every message.
 */
import { SlotBitmap } from './slot-bitmap.js';

/** Opaque handle of a scheduled event; a non-negative integer. */
export type TimerId = number;

export type Handler = (arg: any) => void;

const SLOT_BITS = 24;
/** 2^24 slots: more than 16 million simultaneously pending events is a simulator bug. */
const SLOT_LIMIT = 1 << SLOT_BITS;
/** Generations wrap at 2^28 so that gen * SLOT_LIMIT + slot stays an exact integer. */
const GEN_MASK = (1 << 28) - 1;
const INITIAL_SLOTS = 1024;

/** Near wheel: one slot per µs, 2^16 slots. */
const NEAR_BITS = 16;
const NEAR = 1 << NEAR_BITS;
const NEAR_MASK = NEAR - 1;
/** Coarse wheel: one slot per 2^12 µs block (4.1 ms), 2^14 slots: 67 s. */
const GRAIN = 1 << 12;
const COARSE = 1 << 14;
const COARSE_MASK = COARSE - 1;
const COARSE_SPAN = COARSE * GRAIN;

const LEVELS = 7; // 53-bit times: bytes 0..6
const BUCKETS = LEVELS * 256;
/** Pseudo-bucket of overflow events at exactly `last`. */
const CURRENT = BUCKETS;
/** Coarse slot k is bucket COARSE_BASE + k, near slot k is NEAR_BASE + k. */
const COARSE_BASE = BUCKETS + 1;
const NEAR_BASE = COARSE_BASE + COARSE;
const LISTS = NEAR_BASE + NEAR;
const NIL = -1;
const TWO_POW_32 = 4294967296;
/** BYTE_WEIGHT[k] = 2^(8k): the weight of byte k of a time, and the span of a level-(k-1) bucket. */
const BYTE_WEIGHT: readonly number[] = [1, 2 ** 8, 2 ** 16, 2 ** 24, 2 ** 32, 2 ** 40, 2 ** 48, 2 ** 56];

// A slot's 16-byte record: int32 fields at (slot << 2) + field.
const NEXT = 0;
const PREV = 1;
/** The list the event is in, or FREE. */
const BUCKET = 2;
const GEN = 3;
const FREE = -2;

export class EventQueue {
  private recs: Int32Array = new Int32Array(INITIAL_SLOTS * 4);
  /** Per slot, the event's time; written only for the coarse wheel and the overflow, which need it. */
  private times: Float64Array = new Float64Array(INITIAL_SLOTS);

  /** Handler at 2 * slot, argument at 2 * slot + 1 (one cache line for both). */
  private items: unknown[] = [];
  private freeSlots: Int32Array = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  private slotCount = 0;

  // Overflow buckets 0..BUCKETS-1, CURRENT, the coarse wheel's slots, then the near wheel's:
  // heads and tails of the slot lists.
  private heads: Int32Array = new Int32Array(LISTS).fill(NIL);
  private tails: Int32Array = new Int32Array(LISTS).fill(NIL);

  private nearBits = new SlotBitmap(NEAR);
  private nearCount = 0;
  private coarseBits = new SlotBitmap(COARSE);
  private coarseCount = 0;
  /**
   * A lower bound of the first occupied coarse block (block = time / GRAIN, rounded down),
   * so that crossing into a new block skips the coarse bitmap while nothing is due there.
   */
  private coarseNext = Infinity;
  /**
   * The queue's floor: the time of the last pop, or where nextTime moved on to (the start of
   * a block holding the next event, or its limit). Every pending event is at or after it.
   */
  private pos = 0;
  /** End of pos's block: until pos reaches it, the windows stay where they are. */
  private blockEnd = GRAIN;
  /** The near wheel holds [pos, nearEnd), the coarse wheel [nearEnd, coarseEnd); both multiples of GRAIN. */
  private nearEnd = NEAR;
  private coarseEnd = NEAR + COARSE_SPAN;

  /** Overflow events per level, to find the lowest non-empty level without scanning bitmaps. */
  private levelCount: Int32Array = new Int32Array(LEVELS);
  /** One bit per non-empty overflow bucket: 8 words per level. */
  private bitmap: Int32Array = new Int32Array(LEVELS * 8);

  // The overflow's floor, split for bucketFor; and its event count.
  private last = 0;
  private lastLo = 0;
  private lastHi = 0;
  private overflowCount = 0;

  /** Argument of the event returned by the last pop(). */
  poppedArg: unknown = undefined;

  /** Number of scheduled, not cancelled, not yet popped events. */
  get size(): number {
    return this.nearCount + this.coarseCount + this.overflowCount;
  }

  /**
   * Schedules fn(arg) at `time`, an integer no earlier than any event popped so far and no
   * earlier than the last nextTime() limit that was exceeded (the Simulator guarantees both:
   * time >= now).
   */
  push(time: number, fn: Handler, arg: unknown): TimerId {
    if (time < this.pos) throw new Error(`event queue: time ${time} is below the queue's floor ${this.pos}`);
    const slot = this.allocSlot();
    this.items[2 * slot] = fn;
    this.items[2 * slot + 1] = arg;
    if (time < this.nearEnd) this.nearAppend(slot, time);
    else if (time < this.coarseEnd) {
      this.times[slot] = time;
      this.coarseAppend(slot, time);
    } else {
      this.times[slot] = time;
      if (time < this.last) throw new Error(`event queue: time ${time} is below the overflow's floor ${this.last}`);
      this.append(this.bucketFor(time), slot);
      this.overflowCount++;
    }
    return this.recs[(slot << 2) + GEN]! * SLOT_LIMIT + slot;
  }

  /** Cancels a pending event; false if it already ran, was cancelled, or never existed. */
  cancel(id: TimerId): boolean {
    if (!(id >= 0) || !Number.isSafeInteger(id)) return false;
    const slot = id % SLOT_LIMIT;
    const gen = (id - slot) / SLOT_LIMIT;
    if (slot >= this.slotCount || this.recs[(slot << 2) + GEN] !== gen) return false;
    const bucket = this.recs[(slot << 2) + BUCKET]!;
    if (bucket === FREE) return false;
    this.unlinkFromList(bucket, slot);
    if (bucket >= NEAR_BASE) {
      if (this.heads[bucket] === NIL) this.nearBits.clear(bucket - NEAR_BASE);
      this.nearCount--;
    } else if (bucket >= COARSE_BASE) {
      if (this.heads[bucket] === NIL) this.coarseBits.clear(bucket - COARSE_BASE);
      this.coarseCount--;
    } else {
      if (bucket !== CURRENT) {
        this.levelCount[bucket >> 8] = this.levelCount[bucket >> 8]! - 1;
        if (this.heads[bucket] === NIL) this.bitmap[bucket >> 5] = this.bitmap[bucket >> 5]! & ~(1 << (bucket & 31));
      }
      this.overflowCount--;
    }
    this.releaseSlot(slot);
    return true;
  }

  /**
   * Time of the earliest event if it is <= limit, making it the next pop(); otherwise some
   * number > limit (Infinity when nothing is pending). Never raises the queue's floor above
   * limit, so pushes at >= limit stay legal afterwards.
   */
  nextTime(limit: number): number {
    for (;;) {
      if (this.nearCount > 0) {
        // The slot's distance from pos is the time's: no need to read the event's record here.
        const p = this.pos & NEAR_MASK;
        const t = this.pos + ((this.nearBits.firstFrom(p) - p) & NEAR_MASK);
        if (t > limit) return this.idleUntil(limit);
        if (t !== this.pos) this.advance(t);
        return t;
      }
      if (this.coarseCount > 0) {
        // The near wheel is empty: jump to the start of the first occupied block, which
        // brings that block (and any overflow events before coarseEnd) in.
        const block = this.firstCoarseBlock(this.nearEnd / GRAIN);
        const start = block * GRAIN;
        if (start > limit) return this.idleUntil(limit);
        this.advance(start);
        continue;
      }
      if (this.overflowCount === 0) return Infinity;
      // Both wheels are empty: jump to the overflow's earliest event.
      const t = this.ovNextTime(limit);
      if (t > limit) return this.idleUntil(limit);
      this.advance(t);
    }
  }

  /**
   * Nothing is due by `limit`, where the clock is about to go: move the windows there too
   * (everything pending is later), so that pushes near the new `now` land in the near wheel.
   */
  private idleUntil(limit: number): number {
    if (limit > this.pos && limit !== Infinity) this.advance(limit);
    return limit + 1;
  }

  /** Time of the earliest event, or Infinity when none is pending. Moves nothing. */
  peekTime(): number {
    if (this.nearCount > 0) {
      const p = this.pos & NEAR_MASK;
      return this.pos + ((this.nearBits.firstFrom(p) - p) & NEAR_MASK);
    }
    if (this.coarseCount > 0) {
      return this.listMin(COARSE_BASE + (this.firstCoarseBlock(this.nearEnd / GRAIN) & COARSE_MASK));
    }
    if (this.overflowCount === 0) return Infinity;
    if (this.heads[CURRENT] !== NIL) return this.last;
    return this.listMin(this.lowestBucket());
  }

  /**
   * Removes the earliest event and returns its handler; its argument is left in poppedArg.
   * Call only right after nextTime(limit) returned a time <= limit.
   */
  pop(): Handler {
    const bucket = NEAR_BASE + (this.pos & NEAR_MASK);
    const slot = this.heads[bucket]!;
    if (slot === this.tails[bucket]) {
      this.heads[bucket] = NIL;
      this.tails[bucket] = NIL;
      this.nearBits.clear(bucket - NEAR_BASE);
    } else this.heads[bucket] = this.recs[(slot << 2) + NEXT]!;
    this.nearCount--;
    const fn = this.items[2 * slot] as Handler;
    this.poppedArg = this.items[2 * slot + 1];
    this.releaseSlot(slot);
    return fn;
  }

  // ------------------------------------------------------------------ the wheels

  /**
   * Moves pos to p (not above any pending time). Crossing into a new block moves both
   * windows: the coarse blocks now below nearEnd go into the near wheel, the overflow events
   * now below coarseEnd into the wheels.
   */
  private advance(p: number): void {
    this.pos = p;
    if (p < this.blockEnd) return;
    const start = Math.floor(p / GRAIN) * GRAIN;
    const oldEnd = this.nearEnd;
    this.blockEnd = start + GRAIN;
    this.nearEnd = start + NEAR;
    this.coarseEnd = this.nearEnd + COARSE_SPAN;
    if (this.coarseCount > 0) this.coarseToNear(oldEnd / GRAIN, this.nearEnd / GRAIN);
    if (this.overflowCount > 0) this.migrate();
  }

  /**
   * Moves the coarse blocks in [from, to) into the near wheel, in block order, each list in
   * order. `from` is the old nearEnd's block, so the coarse wheel holds blocks from + 0..COARSE-1.
   */
  private coarseToNear(from: number, to: number): void {
    if (to <= this.coarseNext) return;
    const times = this.times;
    const recs = this.recs;
    while (this.coarseCount > 0) {
      const block = this.firstCoarseBlock(from);
      if (block >= to) return;
      const k = block & COARSE_MASK;
      const bucket = COARSE_BASE + k;
      let s = this.heads[bucket]!;
      this.heads[bucket] = NIL;
      this.tails[bucket] = NIL;
      this.coarseBits.clear(k);
      while (s !== NIL) {
        const next = recs[(s << 2) + NEXT]!;
        this.nearAppend(s, times[s]!);
        this.coarseCount--;
        s = next;
      }
      this.coarseNext = block + 1;
    }
  }

  /**
   * The first occupied coarse block (the coarse wheel is not empty; it holds blocks from +
   * 0..COARSE-1). Scans from coarseNext, where it is within that window, and tightens it.
   */
  private firstCoarseBlock(from: number): number {
    const start = this.coarseNext > from ? this.coarseNext : from;
    // Blocks from..start-1 are empty, so the circular scan from start's slot meets no alias.
    const k = this.coarseBits.firstFrom(start & COARSE_MASK);
    const block = from + ((k - from) & COARSE_MASK);
    this.coarseNext = block;
    return block;
  }

  private nearAppend(slot: number, time: number): void {
    const k = time & NEAR_MASK; // exact: times are integers below 2^53, & takes the low 32 bits
    if (this.appendToList(NEAR_BASE + k, slot)) this.nearBits.set(k);
    this.nearCount++;
  }

  private coarseAppend(slot: number, time: number): void {
    const block = Math.floor(time / GRAIN);
    const k = block & COARSE_MASK; // the block number's low bits (& truncates to 32 bits)
    if (block < this.coarseNext) this.coarseNext = block;
    if (this.appendToList(COARSE_BASE + k, slot)) this.coarseBits.set(k);
    this.coarseCount++;
  }

  /** Puts `slot` at the tail of the list of `bucket`; true if the list was empty before. */
  private appendToList(bucket: number, slot: number): boolean {
    const recs = this.recs;
    const base = slot << 2;
    const tail = this.tails[bucket]!;
    recs[base + NEXT] = NIL;
    recs[base + PREV] = tail;
    recs[base + BUCKET] = bucket;
    this.tails[bucket] = slot;
    if (tail === NIL) {
      this.heads[bucket] = slot;
      return true;
    }
    recs[(tail << 2) + NEXT] = slot;
    return false;
  }

  /** Takes `slot` out of the doubly linked list of `bucket` (the head's prev is not kept). */
  private unlinkFromList(bucket: number, slot: number): void {
    const recs = this.recs;
    const base = slot << 2;
    const next = recs[base + NEXT]!;
    const isHead = this.heads[bucket] === slot;
    const prev = isHead ? NIL : recs[base + PREV]!;
    if (isHead) this.heads[bucket] = next;
    else recs[(prev << 2) + NEXT] = next;
    if (next === NIL) this.tails[bucket] = prev;
    else recs[(next << 2) + PREV] = prev;
  }

  /** The earliest time in a list (for peekTime: coarse slots and overflow buckets mix times). */
  private listMin(bucket: number): number {
    let min = Infinity;
    for (let s = this.heads[bucket]!; s !== NIL; s = this.recs[(s << 2) + NEXT]!) {
      const t = this.times[s]!;
      if (t < min) min = t;
    }
    return min;
  }

  /** Moves every overflow event due before coarseEnd into the wheels, in (time, seq) order. */
  private migrate(): void {
    const end = this.coarseEnd - 1;
    const recs = this.recs;
    while (this.overflowCount > 0) {
      const t = this.ovNextTime(end);
      if (t > end) return;
      const slot = this.heads[CURRENT]!;
      const next = recs[(slot << 2) + NEXT]!;
      this.heads[CURRENT] = next;
      if (next === NIL) this.tails[CURRENT] = NIL;
      this.overflowCount--;
      if (t < this.nearEnd) this.nearAppend(slot, t);
      else this.coarseAppend(slot, t);
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
    const recs = this.recs;
    let s = this.heads[bucket]!;
    this.heads[bucket] = NIL;
    this.tails[bucket] = NIL;
    this.bitmap[bucket >> 5] = this.bitmap[bucket >> 5]! & ~(1 << (bucket & 31));
    let moved = 0;
    while (s !== NIL) {
      const next = recs[(s << 2) + NEXT]!;
      this.append(this.bucketFor(this.times[s]!), s);
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
    if (slot === this.freeSlots.length) this.grow(slot * 2);
    this.items.push(null, undefined);
    return slot;
  }

  private releaseSlot(slot: number): void {
    this.items[2 * slot] = null;
    this.items[2 * slot + 1] = undefined;
    const base = slot << 2;
    this.recs[base + BUCKET] = FREE;
    this.recs[base + GEN] = (this.recs[base + GEN]! + 1) & GEN_MASK;
    this.freeSlots[this.freeCount++] = slot;
  }

  private grow(slots: number): void {
    const recs = new Int32Array(slots * 4);
    recs.set(this.recs);
    this.recs = recs;
    const times = new Float64Array(slots);
    times.set(this.times);
    this.times = times;
    const free = new Int32Array(slots);
    free.set(this.freeSlots);
    this.freeSlots = free;
  }
}

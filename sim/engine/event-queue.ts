/**
 * The pending-event set, ordered by (time, seq) where seq is a global insertion counter:
 * two events at the same virtual time pop in the order they were scheduled (DESIGN.md rule 2).
 *
 * Layout (perf-notes.md): a binary heap kept in three typed arrays (time, seq, slot), so a
 * sift touches contiguous doubles instead of chasing object pointers. The handler and its
 * argument live in parallel arrays indexed by slot; slots are recycled through a free list,
 * so steady-state scheduling allocates nothing.
 *
 * Cancellation is lazy: the slot's handler is cleared and the heap entry is skipped when it
 * reaches the top. A TimerId packs (generation, slot); the generation is bumped whenever a
 * slot is released, so a stale id can never cancel the slot's next occupant.
 */

/** Opaque handle of a scheduled event; a non-negative integer. */
export type TimerId = number;

export type Handler = (arg: any) => void;

const SLOT_BITS = 24;
/** 2^24 slots: more than 16 million simultaneously pending events is a simulator bug. */
const SLOT_LIMIT = 1 << SLOT_BITS;
/** Generations wrap at 2^28 so that gen * SLOT_LIMIT + slot stays an exact integer. */
const GEN_MASK = (1 << 28) - 1;
const INITIAL_CAPACITY = 1024;

export class EventQueue {
  // Heap, indexed by heap position. Every numeric field has an initializer: a bare
  // declaration made V8 box stores (perf-notes.md, "V8 pitfalls").
  private heapTime: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private heapSeq: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private heapSlot: Int32Array = new Int32Array(INITIAL_CAPACITY);
  private heapSize = 0;

  // Per-slot payload, interleaved as [handler, arg, generation] at 3 * slot, so the one
  // random access an event costs at large queue sizes touches a single cache line (three
  // parallel arrays measured 0.70x the bare heap at 1e6 queued; interleaved, see bench).
  // A null handler marks a cancelled (or free) slot.
  private payload: unknown[] = [];
  private freeSlots: Int32Array = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private slotCount = 0;

  private nextSeq = 0;
  private live = 0;
  private cancelledInHeap = 0;

  /** Argument of the event returned by the last pop(). */
  poppedArg: unknown = undefined;

  /** Number of scheduled, not cancelled, not yet popped events. */
  get size(): number {
    return this.live;
  }

  /** Schedules fn(arg) at `time`. The caller validates time (the Simulator does). */
  push(time: number, fn: Handler, arg: unknown): TimerId {
    const slot = this.allocSlot();
    const p = this.payload;
    const base = slot * 3;
    p[base] = fn;
    p[base + 1] = arg;
    this.live++;
    let i = this.heapSize;
    if (i === this.heapTime.length) this.growHeap();
    this.heapSize = i + 1;
    const seq = this.nextSeq++;
    // Sift up with a hole instead of swaps: one write per level.
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hslot = this.heapSlot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = ht[parent]!;
      // seq is strictly increasing, so a new entry never precedes an equal-time parent.
      if (pt <= time) break;
      ht[i] = pt;
      hs[i] = hs[parent]!;
      hslot[i] = hslot[parent]!;
      i = parent;
    }
    ht[i] = time;
    hs[i] = seq;
    hslot[i] = slot;
    return (p[base + 2] as number) * SLOT_LIMIT + slot;
  }

  /** Cancels a pending event; false if it already ran, was cancelled, or never existed. */
  cancel(id: TimerId): boolean {
    if (!(id >= 0) || !Number.isSafeInteger(id)) return false;
    const slot = id % SLOT_LIMIT;
    const gen = (id - slot) / SLOT_LIMIT;
    const p = this.payload;
    const base = slot * 3;
    if (slot >= this.slotCount || p[base + 2] !== gen || p[base] === null) return false;
    p[base] = null;
    p[base + 1] = undefined;
    this.live--;
    this.cancelledInHeap++;
    // Lazy deletion keeps cancel O(1), but a model that re-arms a long timer on every
    // message (repl-timeout) would otherwise fill the heap with dead entries.
    if (this.cancelledInHeap > 1024 && this.cancelledInHeap > this.live) this.compact();
    return true;
  }

  /** Time of the earliest live event, or Infinity when none is pending. */
  peekTime(): number {
    while (this.heapSize > 0) {
      const slot = this.heapSlot[0]!;
      if (this.payload[slot * 3] !== null) return this.heapTime[0]!;
      this.removeTop();
      this.releaseSlot(slot);
      this.cancelledInHeap--;
    }
    return Infinity;
  }

  /**
   * Removes the earliest event and returns its handler; its argument is left in poppedArg.
   * Call only after peekTime() returned a finite time (the top is then live).
   */
  pop(): Handler {
    const slot = this.heapSlot[0]!;
    const p = this.payload;
    const base = slot * 3;
    const fn = p[base] as Handler;
    this.poppedArg = p[base + 1];
    this.removeTop();
    this.releaseSlot(slot);
    this.live--;
    return fn;
  }

  private removeTop(): void {
    const n = --this.heapSize;
    if (n === 0) return;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hslot = this.heapSlot;
    // Move the last entry into the root hole and sift it down.
    const t = ht[n]!;
    const s = hs[n]!;
    const sl = hslot[n]!;
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = ht[c]!;
      let cs = hs[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = ht[r]!;
        if (rt < ct || (rt === ct && hs[r]! < cs)) {
          c = r;
          ct = rt;
          cs = hs[r]!;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      ht[i] = ct;
      hs[i] = cs;
      hslot[i] = hslot[c]!;
      i = c;
    }
    ht[i] = t;
    hs[i] = s;
    hslot[i] = sl;
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    const slot = this.slotCount++;
    if (slot >= SLOT_LIMIT) throw new Error(`event queue: more than ${SLOT_LIMIT} pending events`);
    if (slot === this.freeSlots.length) {
      const free = new Int32Array(slot * 2);
      free.set(this.freeSlots);
      this.freeSlots = free;
    }
    this.payload.push(null, undefined, 0);
    return slot;
  }

  private releaseSlot(slot: number): void {
    const p = this.payload;
    const base = slot * 3;
    p[base] = null;
    p[base + 1] = undefined;
    p[base + 2] = ((p[base + 2] as number) + 1) & GEN_MASK;
    this.freeSlots[this.freeCount++] = slot;
  }

  private growHeap(): void {
    const cap = this.heapTime.length * 2;
    const ht = new Float64Array(cap);
    ht.set(this.heapTime);
    this.heapTime = ht;
    const hs = new Float64Array(cap);
    hs.set(this.heapSeq);
    this.heapSeq = hs;
    const hslot = new Int32Array(cap);
    hslot.set(this.heapSlot);
    this.heapSlot = hslot;
  }

  /**
   * Drops cancelled entries and re-heapifies. (time, seq) keys are unique, so the pop
   * order afterwards is exactly the order the lazy heap would have produced.
   */
  private compact(): void {
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hslot = this.heapSlot;
    let n = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const slot = hslot[i]!;
      if (this.payload[slot * 3] === null) {
        this.releaseSlot(slot);
        continue;
      }
      ht[n] = ht[i]!;
      hs[n] = hs[i]!;
      hslot[n] = slot;
      n++;
    }
    this.heapSize = n;
    this.cancelledInHeap = 0;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(start: number): void {
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hslot = this.heapSlot;
    const n = this.heapSize;
    const t = ht[start]!;
    const s = hs[start]!;
    const sl = hslot[start]!;
    let i = start;
    while (2 * i + 1 < n) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (r < n && (ht[r]! < ht[c]! || (ht[r] === ht[c] && hs[r]! < hs[c]!))) c = r;
      const ct = ht[c]!;
      if (t < ct || (t === ct && s < hs[c]!)) break;
      ht[i] = ct;
      hs[i] = hs[c]!;
      hslot[i] = hslot[c]!;
      i = c;
    }
    ht[i] = t;
    hs[i] = s;
    hslot[i] = sl;
  }
}

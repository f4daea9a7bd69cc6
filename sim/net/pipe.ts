/**
 * One direction of a connection: an ordered, reliable byte stream as TCP gives it.
 *
 * A send is serialized behind the bytes sent earlier in this direction (bytes ÷ bandwidth,
 * rounded up once), then travels for one sampled latency. Its arrival time is clamped to
 * the previous segment's, so a segment never overtakes an earlier one even when latency is
 * random: equal arrival times pop in send order because the event queue breaks ties by seq.
 *
 * Only the segment at the front of the not-yet-arrived part has a timer. When it arrives
 * while its direction is partitioned, the pipe stalls: it and everything behind it wait,
 * exactly as TCP keeps retransmitting, until the Network calls flush() after a heal; each
 * stalled segment then gets a fresh latency, in order, before anything sent later.
 *
 * Arrived segments stay queued until the receiving endpoint hands them to its application
 * (a paused process reads nothing), so `bytesQueued` is precisely the sender's bytes in
 * flight: serializing, on the wire, stalled, or held by a paused or not-yet-connected peer.
 */
import { simAssert } from '../engine/assert.js';
import type { Random } from '../engine/random.js';
import type { Simulator } from '../engine/simulator.js';
import { transferTime, type Micros } from '../engine/time.js';
import type { Link } from './link.js';

export const SEG_DATA = 0;
export const SEG_FIN = 1;
export const SEG_RST = 2;
export type SegmentKind = typeof SEG_DATA | typeof SEG_FIN | typeof SEG_RST;

export class Segment {
  readonly pipe: Pipe;
  readonly kind: SegmentKind = SEG_DATA;
  // Numeric fields get initializers so V8 keeps them unboxed (perf-notes.md).
  readonly bytes: number = 0;
  readonly payload: unknown;
  arriveAt: Micros = 0;
  /** Set when the segment is discarded (reset, receiver gone); a pending hand-over skips it. */
  dropped = false;

  constructor(pipe: Pipe, kind: SegmentKind, bytes: number, payload: unknown, arriveAt: Micros) {
    this.pipe = pipe;
    this.kind = kind;
    this.bytes = bytes;
    this.payload = payload;
    this.arriveAt = arriveAt;
  }
}

/** What a pipe needs from the network around it. */
export interface PipeEnv {
  readonly sim: Simulator;
  readonly rng: Random;
  isBlocked(from: string, to: string): boolean;
  /** Registers a pipe that stalled on a partition, to be flushed after a heal. */
  _stall(pipe: Pipe): void;
}

/** The receiving endpoint: told about each arrival, in order. */
export interface PipeReceiver {
  _segmentArrived(seg: Segment): void;
}

function pipeArrival(pipe: Pipe): void {
  pipe.arrive();
}

export class Pipe {
  readonly fromHost: string;
  readonly toHost: string;
  readonly receiver: PipeReceiver;
  private readonly env: PipeEnv;
  private readonly link: Link;
  /** Undelivered segments: [head, next) have arrived, [next, length) have not. */
  private segs: (Segment | undefined)[] = [];
  private head = 0;
  private next = 0;
  private timer = -1;
  stalled = false;
  /** When the sender's serializer finishes the bytes queued so far. */
  private wireFreeAt: Micros = 0;
  /** Arrival time of the latest segment, the floor for the next one (FIFO). */
  private lastArrival: Micros = 0;
  /** Data bytes sent and not yet handed to the receiving application. */
  bytesQueued = 0;

  constructor(env: PipeEnv, link: Link, fromHost: string, toHost: string, receiver: PipeReceiver) {
    this.env = env;
    this.link = link;
    this.fromHost = fromHost;
    this.toHost = toHost;
    this.receiver = receiver;
  }

  send(kind: SegmentKind, bytes: number, payload: unknown): void {
    const now = this.env.sim.now;
    // FIN and RST carry no payload bytes; an RST is sent after clear(), so nothing is ahead of it.
    const start = this.wireFreeAt > now ? this.wireFreeAt : now;
    const sent = start + transferTime(bytes, this.link.bandwidthBytesPerSec);
    this.wireFreeAt = sent;
    let arrive = sent + this.link.delay(sent, this.env.rng);
    if (arrive < this.lastArrival) arrive = this.lastArrival;
    this.lastArrival = arrive;
    const seg = new Segment(this, kind, bytes, payload, arrive);
    this.segs.push(seg);
    if (kind === SEG_DATA) this.bytesQueued += bytes;
    if (this.timer === -1 && !this.stalled && this.next === this.segs.length - 1) this.schedule(arrive);
  }

  private schedule(t: Micros): void {
    const now = this.env.sim.now;
    this.timer = this.env.sim.at(t > now ? t : now, pipeArrival, this);
  }

  /** Timer handler: the front not-yet-arrived segment reaches the receiver, or stalls. */
  arrive(): void {
    this.timer = -1;
    const seg = this.segs[this.next]!;
    if (this.env.isBlocked(this.fromHost, this.toHost)) {
      this.stalled = true;
      this.env._stall(this);
      return;
    }
    this.next++;
    const following = this.segs[this.next];
    if (following !== undefined) this.schedule(following.arriveAt);
    this.receiver._segmentArrived(seg);
  }

  /** After a heal: stalled segments leave again, in order, each after a fresh latency. */
  flush(): void {
    if (!this.stalled) return;
    this.stalled = false;
    const now = this.env.sim.now;
    let prev = now;
    for (let i = this.next; i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      let a = now + this.link.delay(now, this.env.rng);
      if (a < seg.arriveAt) a = seg.arriveAt;
      if (a < prev) a = prev;
      seg.arriveAt = a;
      prev = a;
    }
    this.lastArrival = prev;
    const first = this.segs[this.next];
    if (first !== undefined) this.schedule(first.arriveAt);
  }

  /** Arrived segments not yet handed over, oldest first (for release after a connect). */
  arrivedSegments(): Segment[] {
    return this.segs.slice(this.head, this.next) as Segment[];
  }

  /** Removes `seg`, which must be the oldest undelivered segment, as handed to the application. */
  take(seg: Segment): void {
    // Tested first: simAssert's message closure would be allocated per segment.
    if (this.segs[this.head] !== seg || this.head >= this.next) {
      simAssert(false, this.env.sim, `pipe ${this.fromHost}→${this.toHost}: segment handed over out of order`);
    }
    this.segs[this.head++] = undefined;
    if (seg.kind === SEG_DATA) this.bytesQueued -= seg.bytes;
    this.compact();
  }

  /** The receiver is gone: drops what arrived but was not handed over. In-flight data drops on arrival. */
  discardArrived(): void {
    this.drop(this.head, this.next);
    this.head = this.next;
    this.compact();
  }

  /** RST: drops everything undelivered in this direction, on the wire or not. */
  clear(): void {
    this.drop(this.head, this.segs.length);
    this.segs = [];
    this.head = 0;
    this.next = 0;
    if (this.timer !== -1) this.env.sim.cancel(this.timer);
    this.timer = -1;
    this.stalled = false;
    const now = this.env.sim.now;
    this.wireFreeAt = now;
    this.lastArrival = now;
  }

  private drop(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const seg = this.segs[i]!;
      seg.dropped = true;
      if (seg.kind === SEG_DATA) this.bytesQueued -= seg.bytes;
      this.segs[i] = undefined;
    }
  }

  private compact(): void {
    if (this.head === this.segs.length) {
      // pop(), not `length = 0`, which would free the backing store for the next push to reallocate.
      while (this.segs.length > 0) this.segs.pop();
      this.head = 0;
      this.next = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.segs.length) {
      this.segs.splice(0, this.head);
      this.next -= this.head;
      this.head = 0;
    }
  }
}

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
 * exactly as TCP keeps retransmitting, until the Network calls flush() after a heal. Nothing
 * moves before the sender's next retransmission (retransmit.ts: the RTO has been doubling
 * since the stall), and from then the stalled bytes go out again at the link's bandwidth,
 * in order, before anything sent later. A stall that outlasts tcp_retries2's budget
 * (924.6 s) ends the connection at the sender with ETIMEDOUT.
 *
 * Arrived segments stay queued until the receiving endpoint hands them to its application
 * (a paused process reads nothing), so `bytesQueued` is precisely the sender's bytes in
 * flight: serializing, on the wire, stalled, or held by a paused or not-yet-connected peer.
 * Of those, the kernels hold at most the peer's receive buffer (arrived, unread) plus the
 * sender's send buffer (not yet arrived); the rest is still in the sending application's
 * own output buffer (`bytesUnsent`), which it discards when it closes the socket.
 */
import { simAssert } from '../engine/index.js';
import type { Random } from '../engine/index.js';
import type { Simulator } from '../engine/index.js';
import { transferTime, type Micros } from '../engine/index.js';
import type { Link } from './link.js';
import { giveUpAt, initialRtoUs, retransmissionAtOrAfter, typicalOneWayUs } from './retransmit.js';

export const SEG_DATA = 0;
export const SEG_FIN = 1;
export const SEG_RST = 2;
export type SegmentKind = typeof SEG_DATA | typeof SEG_FIN | typeof SEG_RST;

export class Segment {
  // Mutable: a segment handed over at its arrival is reused by its pipe's next send (Pipe.recycle).
  readonly pipe: Pipe;
  kind: SegmentKind = SEG_DATA;
  // Numeric fields get initializers so V8 keeps them unboxed (a bare `x: number;` class field made V8 box every store: 2× slower, measured).
  bytes: number = 0;
  payload: unknown;
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

/**
 * Segments a pipe keeps for reuse. Only one handed over at its arrival comes back here: one
 * held for a paused process, or released after a connect (arrivedSegments), may still be
 * referenced by a pending hand-over, so it is left to the garbage collector.
 */
const SPARE_SEGMENTS_MAX = 16;

/** What a pipe needs from the network around it. */
export interface PipeEnv {
  readonly sim: Simulator;
  readonly rng: Random;
  isBlocked(from: string, to: string): boolean;
  /** Registers a pipe that stalled on a partition, to be flushed after a heal. */
  _stall(pipe: Pipe): void;
  /** SO_SNDBUF of every socket: bytes the sending kernel takes beyond what has arrived. */
  readonly tcpSendBufferBytes: number;
  /** SO_RCVBUF of every socket: arrived bytes the receiving kernel holds for an application that does not read. */
  readonly tcpReceiveBufferBytes: number;
}

/** The sending endpoint: told when its kernel gives up retransmitting (ETIMEDOUT). */
export interface PipeSender {
  _retransmitTimedOut(): void;
}

/** The receiving endpoint: told about each arrival, in order. */
export interface PipeReceiver {
  _segmentArrived(seg: Segment): void;
}

function pipeArrival(pipe: Pipe): void {
  pipe.arrive();
}

function pipeGiveUp(pipe: Pipe): void {
  pipe.giveUp();
}

export class Pipe {
  readonly fromHost: string;
  readonly toHost: string;
  readonly receiver: PipeReceiver;
  /** Set by the connection once its endpoints exist. */
  sender: PipeSender | null = null;
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
  /** Of those, the bytes that arrived and wait to be read ([head, next)). */
  private arrivedBytes = 0;
  /** When the stalled front segment was first sent (the retransmission timer's base). */
  private stallSentAt: Micros = 0;
  /** The ETIMEDOUT timer of a stall, or -1. */
  private giveUpTimer = -1;
  /**
   * Segments delivered and given back (recycle): a busy replication link sends one segment
   * per write to each replica, and reusing them saved that allocation (72 bytes per replica
   * per write, half of what a replica allocated per write in figure 7's 1 + 20).
   */
  private readonly spare: Segment[] = [];

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
    let seg = this.spare.pop();
    if (seg === undefined) seg = new Segment(this, kind, bytes, payload, arrive);
    else {
      seg.kind = kind;
      seg.bytes = bytes;
      seg.payload = payload;
      seg.arriveAt = arrive;
      seg.dropped = false;
    }
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
      this.stall();
      return;
    }
    this.next++;
    if (seg.kind === SEG_DATA) this.arrivedBytes += seg.bytes;
    const following = this.segs[this.next];
    if (following !== undefined) this.schedule(following.arriveAt);
    this.receiver._segmentArrived(seg);
  }

  private stall(): void {
    const now = this.env.sim.now;
    this.stalled = true;
    // The front segment left one (typical) latency ago; its retransmissions count from then.
    const sentAt = now - typicalOneWayUs(this.link.latency);
    this.stallSentAt = sentAt > 0 ? sentAt : 0;
    this.giveUpTimer = this.env.sim.at(giveUpAt(this.stallSentAt, initialRtoUs(this.link.latency)), pipeGiveUp, this);
    this.env._stall(this);
  }

  /**
   * After a heal: the stalled segments leave again at the sender's next retransmission, one
   * after another at the link's bandwidth (the kernel sends what it holds and the sender
   * refills it as it drains), each then travelling one fresh latency.
   */
  flush(): void {
    if (!this.stalled) return;
    const now = this.env.sim.now;
    // An RST is never retransmitted: the peer learns of the dead connection when the path
    // works again (in Linux, from the RST answering its own next segment), so at the heal.
    const front = this.segs[this.next];
    const rto0 = initialRtoUs(this.link.latency);
    let wire = now;
    if (front === undefined || front.kind !== SEG_RST) {
      wire = retransmissionAtOrAfter(this.stallSentAt, rto0, now);
      // The expiry that would retransmit is the one that gives up: the give-up timer stays.
      if (wire >= giveUpAt(this.stallSentAt, rto0)) return;
    }
    this.stalled = false;
    this.cancelGiveUp();
    let prev = wire;
    const bw = this.link.bandwidthBytesPerSec;
    for (let i = this.next; i < this.segs.length; i++) {
      const seg = this.segs[i]!;
      wire += transferTime(seg.bytes, bw);
      let a = wire + this.link.delay(wire, this.env.rng);
      if (a < prev) a = prev;
      seg.arriveAt = a;
      prev = a;
    }
    this.wireFreeAt = wire;
    this.lastArrival = prev;
    if (front !== undefined) this.schedule(front.arriveAt);
  }

  /** tcp_write_err: the stall outlasted tcp_retries2; the sender's socket is dead. */
  giveUp(): void {
    this.giveUpTimer = -1;
    if (!this.stalled) return;
    this.clear();
    this.sender?._retransmitTimedOut();
  }

  private cancelGiveUp(): void {
    if (this.giveUpTimer !== -1) this.env.sim.cancel(this.giveUpTimer);
    this.giveUpTimer = -1;
  }

  /** Bytes the two kernels hold: unread arrived bytes up to SO_RCVBUF, the rest up to SO_SNDBUF. */
  get bytesInKernel(): number {
    const rcv = this.arrivedBytes < this.env.tcpReceiveBufferBytes ? this.arrivedBytes : this.env.tcpReceiveBufferBytes;
    const rest = this.bytesQueued - rcv;
    return rcv + (rest < this.env.tcpSendBufferBytes ? rest : this.env.tcpSendBufferBytes);
  }

  /** Bytes still in the sending application's own output buffer: written, not yet taken by its kernel. */
  get bytesUnsent(): number {
    // Everything fits in the send buffer (the common case, asked per replica per write): none.
    if (this.bytesQueued <= this.env.tcpSendBufferBytes) return 0;
    return this.bytesQueued - this.bytesInKernel;
  }

  /**
   * The sending application closes its socket: its own output buffer is discarded, so the
   * newest segments that are not wholly inside what the kernels hold are dropped (a message
   * the kernel took only part of is dropped too: the peer could not use half a message).
   */
  discardUnsent(): void {
    const keep = this.bytesInKernel;
    let unserialized = 0;
    while (this.bytesQueued > keep && this.segs.length > this.head) {
      const i = this.segs.length - 1;
      const seg = this.segs[i]!;
      if (seg.kind !== SEG_DATA) break;
      seg.dropped = true;
      this.bytesQueued -= seg.bytes;
      if (i < this.next) {
        this.arrivedBytes -= seg.bytes;
        this.next = i;
      } else {
        unserialized += transferTime(seg.bytes, this.link.bandwidthBytesPerSec);
      }
      this.segs.pop();
    }
    if (unserialized > 0) {
      const now = this.env.sim.now;
      this.wireFreeAt = Math.max(now, this.wireFreeAt - unserialized);
      this.lastArrival = this.segs.length > this.head ? this.segs[this.segs.length - 1]!.arriveAt : now;
    }
    if (this.timer !== -1 && this.next >= this.segs.length) {
      this.env.sim.cancel(this.timer);
      this.timer = -1;
    }
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
    if (seg.kind === SEG_DATA) {
      this.bytesQueued -= seg.bytes;
      this.arrivedBytes -= seg.bytes;
    }
    this.compact();
  }

  /**
   * `seg`, taken from this pipe, was handed to the application at its arrival and nothing
   * refers to it any more: the next send reuses it.
   */
  recycle(seg: Segment): void {
    if (this.spare.length >= SPARE_SEGMENTS_MAX) return;
    seg.payload = null;
    this.spare.push(seg);
  }

  /** The receiver is gone: drops what arrived but was not handed over. In-flight data drops on arrival. */
  discardArrived(): void {
    this.drop(this.head, this.next);
    this.arrivedBytes = 0;
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
    this.cancelGiveUp();
    this.arrivedBytes = 0;
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
      // Moved down in place: splice(0, head) would build an array of the `head` removed
      // entries. A busy link rarely empties (a segment is always in flight), so this runs
      // every ≈ 1000 segments.
      const segs = this.segs;
      const head = this.head;
      const n = segs.length - head;
      for (let i = 0; i < n; i++) segs[i] = segs[head + i];
      while (segs.length > n) segs.pop();
      this.next -= head;
      this.head = 0;
    }
  }
}

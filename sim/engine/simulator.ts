/**
 * The discrete-event simulator: a virtual clock, the event queue, the seeded random
 * streams and the trace of one run. Nothing here knows about networks or Redis.
 *
 * Handlers are plain functions called as fn(arg). On hot paths pass a pre-bound function
 * and a small payload rather than a fresh closure per event (measured: +60–120 ns per event, about twice the loop's cost).
 */
import { SimulationAssertion, simAssert } from './assert.js';
import { EventQueue, type Handler, type TimerId } from './event-queue.js';
import { RandomStreams } from './random.js';
import type { Micros } from './time.js';
import { Trace, type TraceFieldsArg, type TraceKind, type TraceRetention, type TraceValue } from './trace.js';

export { SimulationAssertion, simAssert };
export type { TimerId };

export interface SimulatorOptions {
  seed: string;
  traceRetention?: TraceRetention;
}

export interface RunOptions {
  /** Process every event with time <= until, then advance the clock to until. */
  until?: Micros;
  /** Stop after this many events (counted within this call). */
  maxEvents?: number;
}

export type StopReason = 'until' | 'idle' | 'stopped' | 'maxEvents';

export interface RunResult {
  reason: StopReason;
  events: number;
  now: Micros;
}

export class Simulator {
  readonly seed: string;
  readonly random: RandomStreams;
  readonly trace: Trace;
  private readonly queue = new EventQueue();
  private _now: Micros = 0;
  private _eventsProcessed = 0;
  private running = false;
  private stopRequested = false;

  constructor(opts: SimulatorOptions) {
    if (typeof opts.seed !== 'string') throw new TypeError('Simulator: seed must be a string');
    this.seed = opts.seed;
    this.random = new RandomStreams(opts.seed);
    this.trace = new Trace(opts.traceRetention ?? 'none');
  }

  /** Virtual time in integer microseconds. */
  get now(): Micros {
    return this._now;
  }

  /** Total events processed by all run() calls. */
  get eventsProcessed(): number {
    return this._eventsProcessed;
  }

  /** Number of scheduled events that have neither run nor been cancelled. */
  pending(): number {
    return this.queue.size;
  }

  /** Schedules fn(arg) at absolute virtual time `time` (an integer, not in the past). */
  at(time: Micros, fn: Handler, arg?: unknown): TimerId {
    // One combined test on the hot path; the precise message is built only on failure.
    if (!(Number.isSafeInteger(time) && time >= this._now)) this.badTime(time, 'at');
    return this.queue.push(time, fn, arg);
  }

  /** Schedules fn(arg) `delay` microseconds from now (an integer >= 0). */
  after(delay: Micros, fn: Handler, arg?: unknown): TimerId {
    if (!(Number.isSafeInteger(delay) && delay >= 0)) this.badTime(delay, 'after');
    const time = this._now + delay;
    // now and delay are safe integers, so the sum is an integer: only its size can be wrong.
    if (time > Number.MAX_SAFE_INTEGER) this.badTime(delay, 'after');
    return this.queue.push(time, fn, arg);
  }

  /** Cancels a scheduled event; false if it already ran or was already cancelled. */
  cancel(id: TimerId): boolean {
    return this.queue.cancel(id);
  }

  /** Makes the current run() return after the event being processed. */
  stop(): void {
    this.stopRequested = true;
  }

  run(opts: RunOptions = {}): RunResult {
    const until = opts.until ?? Infinity;
    const maxEvents = opts.maxEvents ?? Infinity;
    simAssert(!this.running, this, 'run() called from inside an event handler');
    if (opts.until !== undefined) {
      simAssert(
        Number.isSafeInteger(until) && until >= this._now,
        this,
        () => `run({until: ${String(until)}}) must be an integer time not before now`,
      );
    }
    simAssert(maxEvents >= 0, this, () => `run({maxEvents: ${maxEvents}}) must not be negative`);
    this.running = true;
    this.stopRequested = false;
    const q = this.queue;
    let events = 0;
    let reason: StopReason;
    try {
      for (;;) {
        if (events >= maxEvents) {
          reason = 'maxEvents';
          break;
        }
        // Only makes the next event poppable if it is due by `until` (see EventQueue.nextTime).
        const t = q.nextTime(until);
        // An empty queue answers Infinity, which `t > until` misses when until is Infinity.
        if (t > until || t === Infinity) {
          if (until === Infinity) {
            reason = 'idle';
          } else {
            this._now = until;
            reason = 'until';
          }
          break;
        }
        const fn = q.pop();
        const arg = q.poppedArg;
        this._now = t;
        events++;
        this._eventsProcessed++;
        fn(arg);
        if (this.stopRequested) {
          reason = 'stopped';
          break;
        }
      }
    } finally {
      this.running = false;
      this.stopRequested = false;
      q.poppedArg = undefined;
    }
    return { reason, events, now: this._now };
  }

  /** Convenience for trace.record({t: now, node, kind, ...fields}). */
  record<K extends TraceKind>(kind: K, node: string | undefined, ...fields: TraceFieldsArg<K>): void {
    const f = fields[0] as Record<string, TraceValue> | undefined;
    this.trace.record(f === undefined ? { t: this._now, node, kind } : { t: this._now, node, kind, ...f });
  }

  private badTime(value: number, what: 'at' | 'after'): never {
    const detail =
      what === 'at'
        ? `at(${String(value)}): time must be an integer number of microseconds, not before now (${this._now})`
        : `after(${String(value)}): delay must be a non-negative integer number of microseconds`;
    throw new SimulationAssertion(`schedule: ${detail}`, this.seed, this._now);
  }
}

/**
 * Timeline offsets in real time: `at(us, fn)` runs fn at start + us, in (time, insertion)
 * order like the simulator's queue, with one timer armed for the earliest entry. It also
 * stands in for the Simulator in the workload client (open-loop.ts needs only `at` and
 * `now`), so both worlds send the identical command sequence on the identical schedule.
 * How late each callback ran is recorded: timings are reported, not compared.
 */
import type { Micros } from '../engine/index.js';

interface Entry {
  atUs: Micros;
  seq: number;
  fn: () => void;
}

export class RealTimeScheduler {
  private readonly queue: Entry[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The largest delay between an entry's time and when it ran, in µs. */
  maxLateUs = 0;

  /** `startMs` is a performance.now() reading: virtual time 0. */
  constructor(readonly startMs: number) {}

  /** Microseconds since the start (real time). */
  get now(): Micros {
    return Math.max(0, Math.round((performance.now() - this.startMs) * 1000));
  }

  at(atUs: Micros, fn: () => void): void {
    if (this.stopped) return;
    const e: Entry = { atUs, seq: this.seq++, fn };
    // Insertion sort from the back: most entries are scheduled in time order.
    let i = this.queue.length;
    while (i > 0) {
      const p = this.queue[i - 1]!;
      if (p.atUs < atUs || (p.atUs === atUs && p.seq < e.seq)) break;
      i--;
    }
    this.queue.splice(i, 0, e);
    if (i === 0) this.arm();
  }

  after(delayUs: Micros, fn: () => void): void {
    this.at(this.now + delayUs, fn);
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const head = this.queue[0];
    if (!head || this.stopped) return;
    const waitMs = Math.max(0, head.atUs / 1000 - (performance.now() - this.startMs));
    this.timer = setTimeout(() => this.runDue(), waitMs);
  }

  private runDue(): void {
    this.timer = null;
    for (;;) {
      const head = this.queue[0];
      if (!head || this.stopped) break;
      const now = this.now;
      if (head.atUs > now) break;
      this.queue.shift();
      this.maxLateUs = Math.max(this.maxLateUs, now - head.atUs);
      head.fn();
    }
    this.arm();
  }

  /** Resolves at start + atUs (or at once if that is past); rejects when `signal` aborts. */
  sleepUntil(atUs: Micros, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, atUs / 1000 - (performance.now() - this.startMs)));
      const onAbort = (): void => {
        clearTimeout(t);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Drops everything still queued; later `at` calls are ignored. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

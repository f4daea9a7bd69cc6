/**
 * Virtual time. Everything inside the model is an integer number of microseconds:
 * exact under addition (10 × 100 µs is 1000 µs, unlike float milliseconds) and good
 * for 285 years in a JS number.
 */
export type Micros = number;

/**
 * A node's wall clock in whole seconds since the Unix epoch (Redis's `server.unixtime`): the
 * run's epoch plus virtual time plus the node's skew and drift, so it is never mixed with
 * `Micros` of virtual time. Differences of two are whole seconds, which is how Redis's
 * timeouts (repl-timeout, min-replicas-max-lag, lag) compare them.
 */
export type UnixSeconds = number;

export const US_PER_MS = 1_000;
export const US_PER_SEC = 1_000_000;

/** Microseconds, as an integer. */
export function us(n: number): Micros {
  return Math.round(n);
}
/** Milliseconds to microseconds. */
export function ms(n: number): Micros {
  return Math.round(n * US_PER_MS);
}
/** Seconds to microseconds. */
export function sec(n: number): Micros {
  return Math.round(n * US_PER_SEC);
}

/** Whole seconds elapsed, as Redis's `server.unixtime` arithmetic sees them. */
export function wholeSeconds(t: Micros): number {
  return Math.floor(t / US_PER_SEC);
}

/** Time it takes to move `bytes` at `bytesPerSec`, rounded up once (docs/layers.md, "Determinism" rule 1). */
export function transferTime(bytes: number, bytesPerSec: number): Micros {
  if (bytes <= 0 || !Number.isFinite(bytesPerSec)) return 0;
  return Math.ceil((bytes * US_PER_SEC) / bytesPerSec);
}

/** A short human form: 1.5s, 250ms, 40us. */
export function formatMicros(t: Micros): string {
  const sign = t < 0 ? '-' : '';
  const a = Math.abs(t);
  if (a >= US_PER_SEC) return `${sign}${trimFixed(a / US_PER_SEC, 3)}s`;
  if (a >= US_PER_MS) return `${sign}${trimFixed(a / US_PER_MS, 3)}ms`;
  return `${sign}${a}us`;
}

/** A fixed-width clock form for timelines: 12.345678s → "12.345678". */
export function formatClock(t: Micros): string {
  const s = Math.floor(t / US_PER_SEC);
  const frac = String(t - s * US_PER_SEC).padStart(6, '0');
  return `${s}.${frac}`;
}

function trimFixed(x: number, digits: number): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

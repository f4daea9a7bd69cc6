/**
 * Parsing of the human units used in scenario files and CLI flags: durations, sizes,
 * bandwidths and rates. Each parser throws a UnitError whose message says what was
 * expected, so callers can prefix the file, line and field.
 */
import type { Micros } from './time.js';

export class UnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnitError';
  }
}

const DURATION_UNITS: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};

const NUMBER = '(-?\\d+(?:\\.\\d+)?)';
/** Ten years of µs (≈ 3.2·10¹⁴): far from Number.MAX_SAFE_INTEGER, so sums of durations stay exact. */
export const MAX_DURATION_US = 10 * 365 * 24 * 3_600_000_000;
const DURATION_RE = new RegExp(`^${NUMBER}\\s*(us|µs|ms|s|m|h)$`);

/**
 * "250ms", "5s", "2m", "1.5s", "200us". A bare number is rejected: a unit is required so
 * that "60" can never silently mean 60 µs. (redis.conf options that take plain seconds,
 * like repl-timeout, are parsed by the config layer, not here.)
 */
export function parseDuration(input: string | number, what = 'a duration'): Micros {
  if (typeof input === 'number') {
    throw new UnitError(`expected ${what} with a unit like "5s" or "250ms", got the bare number ${input}`);
  }
  const m = DURATION_RE.exec(input.trim());
  if (!m) {
    throw new UnitError(`expected ${what} like "5s", "250ms", "2m" or "200us", got ${shown(input)}`);
  }
  const value = Number(m[1]) * (DURATION_UNITS[m[2]!] ?? NaN);
  if (!Number.isFinite(value)) throw new UnitError(`expected ${what}, got ${shown(input)}`);
  // Beyond this a count of µs is no longer an exact integer (and adding two overflows it).
  if (Math.abs(value) > MAX_DURATION_US) throw new UnitError(`expected ${what} of at most 10 years, got ${shown(input)}`);
  return Math.round(value);
}

/** Like parseDuration, but negative values are allowed only when asked (clock jumps). */
export function parseNonNegativeDuration(input: string | number, what = 'a duration'): Micros {
  const v = parseDuration(input, what);
  if (v < 0) throw new UnitError(`expected ${what} that is not negative, got ${shown(input)}`);
  return v;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|k|m|g|)$/i;

/**
 * Sizes as redis.conf reads them (memtoll): "1mb" = 1048576, "64kb" = 65536, "1m" = 1000000,
 * and a bare number is bytes. Case-insensitive, like Redis.
 */
export function parseSize(input: string | number, what = 'a size'): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new UnitError(`expected ${what} in bytes, got ${input}`);
    if (!Number.isSafeInteger(Math.round(input))) throw new UnitError(`expected ${what} below 2^53 bytes, got ${input}`);
    return Math.round(input);
  }
  const m = SIZE_RE.exec(input.trim());
  if (!m) {
    throw new UnitError(`expected ${what} like "1mb", "64kb", "512b" or a number of bytes, got ${shown(input)}`);
  }
  const v = Math.round(Number(m[1]) * (SIZE_UNITS[m[2]!.toLowerCase()] ?? NaN));
  // A 400-digit number parses as Infinity; anything past 2^53 is not an exact byte count.
  if (!Number.isSafeInteger(v)) throw new UnitError(`expected ${what} below 2^53 bytes, got ${shown(input)}`);
  return v;
}

const BANDWIDTH_RE = /^(\d+(?:\.\d+)?)\s*(bit|kbit|mbit|gbit|b\/s|kb\/s|mb\/s|gb\/s|bps|kbps|mbps|gbps)$/i;
const BANDWIDTH_BYTES_PER_SEC: Record<string, number> = {
  bit: 1 / 8,
  kbit: 1000 / 8,
  mbit: 1_000_000 / 8,
  gbit: 1_000_000_000 / 8,
  bps: 1 / 8,
  kbps: 1000 / 8,
  mbps: 1_000_000 / 8,
  gbps: 1_000_000_000 / 8,
  'b/s': 1,
  'kb/s': 1024,
  'mb/s': 1024 * 1024,
  'gb/s': 1024 * 1024 * 1024,
};

/**
 * Bandwidth in bytes per second: "1gbit" (network units, powers of 10, bits),
 * "100MB/s" (bytes, powers of 1024), or "unlimited".
 */
export function parseBandwidth(input: string | number, what = 'a bandwidth'): number {
  if (typeof input === 'number') {
    throw new UnitError(`expected ${what} like "1gbit", "100mbit" or "50MB/s", got the bare number ${input}`);
  }
  const s = input.trim();
  if (s.toLowerCase() === 'unlimited') return Infinity;
  const m = BANDWIDTH_RE.exec(s);
  if (!m) throw new UnitError(`expected ${what} like "1gbit", "100mbit" or "50MB/s", got ${shown(input)}`);
  const v = Number(m[1]) * (BANDWIDTH_BYTES_PER_SEC[m[2]!.toLowerCase()] ?? NaN);
  if (!(v > 0)) throw new UnitError(`expected ${what} greater than zero, got ${shown(input)}`);
  return v;
}

const RATE_RE = /^(\d+(?:\.\d+)?)\s*(k)?\s*\/\s*(s|ms|m)$/i;

/** Rates such as "1000/s", "10k/s", "5/ms", "60/m", in events per second. */
export function parseRate(input: string | number, what = 'a rate'): number {
  if (typeof input === 'number') {
    if (input < 0 || !Number.isFinite(input)) throw new UnitError(`expected ${what} like "1000/s", got ${input}`);
    return input;
  }
  const m = RATE_RE.exec(input.trim());
  if (!m) throw new UnitError(`expected ${what} like "1000/s", "10k/s" or "5/ms", got ${shown(input)}`);
  let v = Number(m[1]) * (m[2] ? 1000 : 1);
  const per = m[3]!.toLowerCase();
  if (per === 'ms') v *= 1000;
  else if (per === 'm') v /= 60;
  if (!Number.isFinite(v)) throw new UnitError(`expected ${what} like "1000/s", got ${shown(input)}`);
  return v;
}

/** The input as a message shows it: a 400-digit number or a megabyte of text is cut (the message stays one readable line). */
function shown(input: unknown): string {
  const text = JSON.stringify(input) ?? String(input);
  return text.length <= 62 ? text : `${text.slice(0, 60)}…" (${text.length - 2} characters)`;
}

/** Human renderings of the quantities a scenario is made of, for headers and tables. */
import { formatMicros } from '../engine/index.js';
import type { LatencyModel } from '../scenario/scenario.js';

/** 1048576 → "1mb", 65536 → "64kb", 100 → "100b" (redis.conf spelling, exact or not at all). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  for (const [unit, size] of [['gb', 1024 ** 3], ['mb', 1024 ** 2], ['kb', 1024]] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return `${n}b`;
}

/** Bytes per second → "1gbit", "100mbit", "50MB/s", "unlimited". */
export function formatBandwidth(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec)) return 'unlimited';
  const bits = bytesPerSec * 8;
  for (const [unit, size] of [['gbit', 1e9], ['mbit', 1e6], ['kbit', 1e3]] as const) {
    if (bits >= size && bits % size === 0) return `${bits / size}${unit}`;
  }
  return `${bytesPerSec} B/s`;
}

export function formatLatency(m: LatencyModel): string {
  switch (m.kind) {
    case 'fixed':
      return formatMicros(m.us);
    case 'uniform':
      return `uniform ${formatMicros(m.minUs)}–${formatMicros(m.maxUs)}`;
    case 'normal':
      return `normal mean ${formatMicros(m.meanUs)} sd ${formatMicros(m.stddevUs)}${m.floorUs !== undefined ? ` floor ${formatMicros(m.floorUs)}` : ''}`;
    case 'lognormal':
      return `lognormal median ${formatMicros(m.medianUs)} σ ${m.sigma}${m.floorUs !== undefined ? ` floor ${formatMicros(m.floorUs)}` : ''}`;
  }
}

/** A rate in Hz as a scenario would write it: 1000/s, 0.5/s. */
export function formatRate(hz: number): string {
  return `${Number(hz.toFixed(3))}/s`;
}

/** A word safe to paste into a POSIX shell: as is when plain, else single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Run options that change a run's trace or verdict, so its replay line must carry them. */
export interface ReplayFlags {
  bugs?: readonly string[];
  liveness?: boolean;
  strict?: boolean;
  /** A --costs FILE: other costs, another trace. */
  costs?: string;
}

/** The command that replays a run: the same seed, planted bugs and verdict-changing options. */
export function replayCommand(file: string | null, seed: string, flags: ReplayFlags = {}): string {
  const extra = [...(flags.bugs ?? []).map((b) => ` --bug ${shellQuote(b)}`), flags.liveness ? ' --liveness' : '', flags.strict ? ' --strict' : '', flags.costs !== undefined ? ` --costs ${shellQuote(flags.costs)}` : ''];
  return `npx replsim run ${shellQuote(file ?? '<scenario>')} --seed ${shellQuote(seed)}${extra.join('')}`;
}

/** Width of a string as a terminal shows it (ANSI colour codes take no room). */
export function visibleWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

export function padEndVisible(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleWidth(s)));
}

/**
 * Numbers as a report shows them: durations in µs/ms/s/min, byte counts in B/KB/MB/GB
 * (powers of 1024, as redis.conf counts them), and text made safe for HTML and Markdown.
 */
import type { Micros } from '../engine/index.js';

/** Fixed digits without trailing zeros after the point: 2.50 → "2.5", 200 → "200". */
function trim(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** 600 → "600 µs", 2_800 → "2.8 ms", 1_036_700 → "1.04 s", 95_000_000 → "1 min 35 s". */
export function formatDuration(us: Micros | null): string {
  if (us === null) return '—';
  if (us === 0) return '0';
  const a = Math.abs(us);
  const sign = us < 0 ? '-' : '';
  if (a < 1_000) return `${sign}${Math.round(a)} µs`;
  if (a < 1_000_000) return `${sign}${trim(a / 1_000, a < 10_000 ? 2 : 1)} ms`;
  if (a < 60_000_000) return `${sign}${trim(a / 1_000_000, a < 10_000_000 ? 2 : 1)} s`;
  const min = Math.floor(a / 60_000_000);
  const s = Math.round((a - min * 60_000_000) / 1_000_000);
  return `${sign}${min} min${s > 0 ? ` ${s} s` : ''}`;
}

/** Seconds on a time axis: 12_500_000 → "12.5 s". */
export function formatSeconds(us: Micros): string {
  return `${trim(us / 1_000_000, 3)} s`;
}

const BYTE_UNITS: Array<[string, number]> = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]];

/** 213 → "213 B", 24_733 → "24.2 KB", 2_401_148 → "2.29 MB". */
export function formatBytes(n: number | null): string {
  if (n === null) return '—';
  const a = Math.abs(n);
  for (const [unit, size] of BYTE_UNITS) {
    if (a >= size) {
      const v = n / size;
      return `${trim(v, Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0)} ${unit}`;
    }
  }
  return `${Math.round(n)} B`;
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A Markdown table cell: pipes escaped, newlines flattened. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A Markdown table from a header row and body rows. */
export function mdTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<'l' | 'r'>): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  const line = (cells: readonly string[]): string => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(header), `| ${sep.join(' | ')} |`, ...rows.map(line)].join('\n');
}

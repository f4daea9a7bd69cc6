/**
 * The few pieces of SVG drawing the report needs — linear scales, "nice" axis ticks,
 * polylines that break at missing samples — as strings, so the HTML has no script and
 * no external resource at all.
 */
import { escapeHtml } from './format.js';

export interface Scale {
  (v: number): number;
  domain: [number, number];
  range: [number, number];
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const f = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** About `count` round tick values (1, 2, 5 × 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Byte ticks on powers of 1024 so labels read "256 KB", "1 MB" rather than "1,000,000". */
export function byteTicks(hi: number, count = 5): number[] {
  if (!(hi > 0)) return [0];
  const unit = hi >= 1024 ** 3 ? 1024 ** 3 : hi >= 1024 ** 2 ? 1024 ** 2 : hi >= 1024 ? 1024 : 1;
  return niceTicks(0, hi / unit, count).map((v) => v * unit);
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? fmt(v) : escapeHtml(v!)}"`)
    .join('');
}

export function rect(x: number, y: number, w: number, h: number, a: Record<string, string | number | undefined>, title?: string): string {
  const body = title !== undefined ? `<title>${escapeHtml(title)}</title>` : '';
  return `<rect${attrs({ x, y, width: Math.max(0, w), height: Math.max(0, h), ...a })}>${body}</rect>`;
}

export function text(x: number, y: number, s: string, a: Record<string, string | number | undefined> = {}): string {
  return `<text${attrs({ x, y, ...a })}>${escapeHtml(s)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, a: Record<string, string | number | undefined>): string {
  return `<line${attrs({ x1, y1, x2, y2, ...a })}/>`;
}

/**
 * A path through (x, y) points, lifted where y is null, with steps (`step`) for quantities
 * that hold between samples, straight segments otherwise.
 */
export function polyline(xs: readonly number[], ys: ReadonlyArray<number | null>, a: Record<string, string | number | undefined>, step = false): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined) {
      pen = false;
      continue;
    }
    const x = xs[i]!;
    if (!pen) d += `M${fmt(x)},${fmt(y)}`;
    else if (step) d += `H${fmt(x)}V${fmt(y)}`;
    else d += `L${fmt(x)},${fmt(y)}`;
    pen = true;
  }
  return d === '' ? '' : `<path${attrs({ d, fill: 'none', ...a })}/>`;
}

/** A filled band between two series (upper, lower), lifted where either is missing. */
export function band(xs: readonly number[], hi: ReadonlyArray<number | null>, lo: ReadonlyArray<number | null>, a: Record<string, string | number | undefined>): string {
  const parts: string[] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length >= 1) {
      const top = run.map((i) => `${fmt(xs[i]!)},${fmt(hi[i]!)}`);
      const bottom = [...run].reverse().map((i) => `${fmt(xs[i]!)},${fmt(lo[i]!)}`);
      parts.push(`M${top.join('L')}L${bottom.join('L')}Z`);
    }
    run = [];
  };
  for (let i = 0; i < xs.length; i++) {
    if (hi[i] === null || hi[i] === undefined || lo[i] === null || lo[i] === undefined) flush();
    else run.push(i);
  }
  flush();
  return parts.length === 0 ? '' : `<path${attrs({ d: parts.join(''), ...a })}/>`;
}

export const REPLICA_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

export function colorOf(index: number): string {
  return REPLICA_COLORS[index % REPLICA_COLORS.length]!;
}

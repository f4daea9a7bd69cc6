/**
 * Measurements of a real redis-server → cost-model parameters, by least squares: fork
 * time against used_memory (a fixed part plus a part per MB), RDB save and load time as a
 * fixed part plus keys plus RDB bytes (the same keys saved with and without compression
 * separate the last two; ≥ 2 dataset sizes the first), the sync's transfer rate, flush
 * time against keys. Pure: numbers in, a `costs:` section out.
 */

/** What one dataset cost on the real server (µs, bytes). */
export interface DatasetMeasurement {
  keys: number;
  valueSize: number;
  usedMemoryBytes: number;
  /** RDB file size with rdbcompression yes, and no. */
  rdbBytes: number;
  rdbBytesUncompressed: number;
  /** SAVE (the RDB written in the foreground: the child's work without the fork). */
  saveUs: number;
  saveUncompressedUs: number;
  /** latest_fork_usec after a BGSAVE. */
  forkUs: number;
  /** FLUSHALL SYNC of the dataset. */
  flushUs: number;
  /** DEBUG RELOAD NOSAVE NOFLUSH into an empty server, compressed and uncompressed RDB. */
  loadUs: number;
  loadUncompressedUs: number;
  /** REPLICAOF → master_link_status:up on a second, empty server (disk-based sync), if measured. */
  fullSyncUs: number | null;
  /**
   * That sync's phases from the two logs (sim/calibrate/redis-log.ts, 1 ms resolution; null
   * or absent if not measured): the BGSAVE child's work, the transfer ("receiving N bytes" to
   * "Flushing old data"), the replica's load. The child and the load in a sync are slower
   * than SAVE and DEBUG RELOAD of the same data (1.78 s vs ≈ 1 s, 89 vs 59 ms measured: a
   * fresh replica faults its memory in), so these are what the costs are fitted to.
   */
  syncRdbUs?: number | null;
  transferUs?: number | null;
  syncLoadUs?: number | null;
}

export interface FittedCosts {
  'fork-base-ms': number;
  'fork-ms-per-gb': number;
  'rdb-save-base-ms': number;
  'rdb-save-keys-per-sec': number;
  'rdb-save-ms-per-mb': number;
  'rdb-load-base-ms': number;
  'rdb-load-keys-per-sec': number;
  'rdb-load-ms-per-mb': number;
  /** Only when a sync's transfer was timed. */
  'rdb-transfer-mb-per-sec'?: number;
  'flush-keys-per-sec': number;
}

const MB = 1024 * 1024;

/** y ≈ b·x through the origin. */
export function fitSlope(xs: readonly number[], ys: readonly number[]): number {
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxx += xs[i]! ** 2;
    sxy += xs[i]! * ys[i]!;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** One timed RDB save or load: how many keys, how many bytes, how long. */
export interface RdbPoint {
  keys: number;
  bytes: number;
  us: number;
  /** false for the rdbcompression-no runs: a different workload (no LZF CPU), used to tell bytes from keys. */
  primary?: boolean;
}

export interface RdbCost {
  baseUs: number;
  usPerKey: number;
  usPerByte: number;
}

/** Solves the small normal equations A·x = b (Gaussian elimination with partial pivoting); null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12 * Math.max(1, Math.abs(m[c]![c]!), ...m.map((row) => Math.abs(row[c]!)))) return null;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * y ≈ Σ x·row by least squares, each point's residual divided by its y: the fit minimises
 * relative errors, so a 10k-key save weighs as much as a 1M-key one (an absolute fit lets
 * the largest dataset set the rate and leaves the small ones 30–70 % off). Returns the
 * coefficients and the squared relative error, or null when singular or a coefficient is
 * negative.
 */
function relativeFit(rows: readonly (readonly number[])[], ys: readonly number[]): { x: number[]; sse: number } | null {
  const n = rows[0]?.length ?? 0;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const b = new Array<number>(n).fill(0);
  rows.forEach((row, k) => {
    const w = 1 / Math.max(1, ys[k]!) ** 2;
    for (let i = 0; i < n; i++) {
      b[i]! += w * row[i]! * ys[k]!;
      for (let j = 0; j < n; j++) a[i]![j]! += w * row[i]! * row[j]!;
    }
  });
  const x = solve(a, b);
  if (x === null || x.some((v) => !Number.isFinite(v) || v < 0)) return null;
  let sse = 0;
  rows.forEach((row, k) => (sse += ((row.reduce((s, v, i) => s + v * x[i]!, 0) - ys[k]!) / Math.max(1, ys[k]!)) ** 2));
  return { x, sse };
}

/**
 * The non-negative least-squares optimum is the unconstrained fit of some subset of the
 * terms: every candidate subset is fitted and the feasible one with the least error wins
 * (the first of equals: candidates go from the fewest terms).
 */
function bestSubset<T extends string>(candidates: readonly (readonly T[])[], row: (t: T, k: number) => number, ys: readonly number[]): Partial<Record<T, number>> | null {
  let found: { fit: Partial<Record<T, number>>; sse: number } | null = null;
  for (const use of candidates) {
    const f = relativeFit(ys.map((_, k) => use.map((t) => row(t, k))), ys);
    if (f === null || (found !== null && f.sse >= found.sse - 1e-15)) continue;
    found = { fit: Object.fromEntries(use.map((t, i) => [t, f.x[i]!])) as Partial<Record<T, number>>, sse: f.sse };
  }
  return found?.fit ?? null;
}

type Term = keyof RdbCost;
const termOf = (p: RdbPoint, t: Term): number => (t === 'baseUs' ? 1 : t === 'usPerKey' ? p.keys : p.bytes);

/**
 * y ≈ base + k·keys + c·bytes, every term ≥ 0, least squares on relative errors. The
 * non-negative optimum is the unconstrained fit of some subset of the terms, so every
 * subset holding the key term is fitted and the feasible one with the least error wins.
 * The fixed part is fitted only from ≥ 2 dataset sizes (one size cannot tell it from the
 * per-key rate). When no byte term survives (an uncompressed RDB written faster than an
 * LZF one: compression is CPU), bytes are not what costs, and the key and fixed terms are
 * fitted on the primary points alone.
 */
export function fitRdbCost(points: readonly RdbPoint[]): RdbCost {
  const sizes = new Set(points.map((p) => p.keys)).size;
  const candidates = (withBytes: boolean): Term[][] =>
    ([['usPerKey'], ['baseUs', 'usPerKey'], ['usPerKey', 'usPerByte'], ['baseUs', 'usPerKey', 'usPerByte']] as Term[][])
      .filter((u) => (withBytes || !u.includes('usPerByte')) && (sizes >= 2 || !u.includes('baseUs')));
  const best = (ps: readonly RdbPoint[], withBytes: boolean): RdbCost | null => {
    const f = bestSubset(candidates(withBytes), (t, k) => termOf(ps[k]!, t), ps.map((p) => p.us));
    return f === null ? null : { baseUs: f.baseUs ?? 0, usPerKey: f.usPerKey ?? 0, usPerByte: f.usPerByte ?? 0 };
  };
  const all = best(points, true);
  if (all !== null && all.usPerByte > 0) return all;
  const primary = points.filter((p) => p.primary !== false);
  return best(primary, false) ?? { baseUs: 0, usPerKey: 1e-6, usPerByte: 0 };
}

/** fork(): y ≈ a + b·MB of used_memory, a, b ≥ 0, on relative errors (latest_fork_usec is 0.5 ms at 10k keys, 30 ms at 1M). */
export function fitFork(mbs: readonly number[], us: readonly number[]): { a: number; b: number } {
  const twoSizes = new Set(mbs).size >= 2;
  const f = bestSubset(twoSizes ? [['b'], ['a', 'b'], ['a']] : [['b'], ['a']], (t, k) => (t === 'a' ? 1 : mbs[k]!), us);
  return { a: f?.a ?? 0, b: f?.b ?? 0 };
}

/** A transfer rate (bytes/s) from timed transfers: total bytes over total time, so the largest (least quantised) weigh most. */
export function fitTransferRate(transfers: ReadonlyArray<{ bytes: number; us: number }>): number | null {
  const bytes = transfers.reduce((s, t) => s + t.bytes, 0);
  const us = transfers.reduce((s, t) => s + t.us, 0);
  return us > 0 && bytes > 0 ? (bytes * 1e6) / us : null;
}

/**
 * Repeats of one dataset → one measurement, the median of each quantity (the upper middle
 * of an even count): a host busy with other work stretches some repeats, rarely most.
 */
export function medianMeasurement(repeats: readonly DatasetMeasurement[]): DatasetMeasurement {
  if (repeats.length === 0) throw new Error('medianMeasurement: no repeats');
  const median = (xs: readonly (number | null | undefined)[]): number | null => {
    const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
    return v.length === 0 ? null : v[Math.floor(v.length / 2)]!;
  };
  const out = { ...repeats[0]! };
  for (const k of Object.keys(out) as (keyof DatasetMeasurement)[]) {
    if (k === 'keys' || k === 'valueSize') continue;
    const m = median(repeats.map((r) => r[k]));
    (out as Record<string, number | null>)[k] = k === 'fullSyncUs' || k === 'transferUs' || k === 'syncRdbUs' || k === 'syncLoadUs' ? m : (m ?? 0);
  }
  return out;
}

/** Three significant digits: enough for a cost, and readable. */
export function round3(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(3));
}

/**
 * The cost in a real sync: SAVE and DEBUG RELOAD with and without compression tell the
 * per-byte part; the fixed and per-key parts are then fitted on the sync's own child or
 * load times (what a replica waits for), when every dataset has one.
 */
function inSync(fromProxies: RdbCost, ms: readonly DatasetMeasurement[], syncUs: (m: DatasetMeasurement) => number | null | undefined): RdbCost {
  if (ms.some((m) => syncUs(m) == null)) return fromProxies;
  const rest = fitRdbCost(ms.map((m) => ({ keys: m.keys, bytes: 0, us: Math.max(1, syncUs(m)! - fromProxies.usPerByte * m.rdbBytes) })));
  return { baseUs: rest.baseUs, usPerKey: rest.usPerKey, usPerByte: fromProxies.usPerByte };
}

export function fitCosts(ms: readonly DatasetMeasurement[]): FittedCosts {
  if (ms.length === 0) throw new Error('fitCosts: no measurements');
  const fork = fitFork(ms.map((m) => m.usedMemoryBytes / MB), ms.map((m) => m.forkUs));
  const save = inSync(fitRdbCost(ms.flatMap((m) => [
    { keys: m.keys, bytes: m.rdbBytes, us: m.saveUs },
    { keys: m.keys, bytes: m.rdbBytesUncompressed, us: m.saveUncompressedUs, primary: false },
  ])), ms, (m) => m.syncRdbUs);
  const load = inSync(fitRdbCost(ms.flatMap((m) => [
    { keys: m.keys, bytes: m.rdbBytes, us: m.loadUs },
    { keys: m.keys, bytes: m.rdbBytesUncompressed, us: m.loadUncompressedUs, primary: false },
  ])), ms, (m) => m.syncLoadUs);
  const transfer = fitTransferRate(ms.flatMap((m) => (m.transferUs == null ? [] : [{ bytes: m.rdbBytes, us: m.transferUs }])));
  const flushPerKey = fitSlope(ms.map((m) => m.keys), ms.map((m) => m.flushUs));
  return {
    'fork-base-ms': round3(Math.max(0, fork.a) / 1000),
    'fork-ms-per-gb': round3((Math.max(0, fork.b) * 1024) / 1000),
    'rdb-save-base-ms': round3(save.baseUs / 1000),
    'rdb-save-keys-per-sec': round3(1e6 / Math.max(1e-6, save.usPerKey)),
    'rdb-save-ms-per-mb': round3((save.usPerByte * MB) / 1000),
    'rdb-load-base-ms': round3(load.baseUs / 1000),
    'rdb-load-keys-per-sec': round3(1e6 / Math.max(1e-6, load.usPerKey)),
    'rdb-load-ms-per-mb': round3((load.usPerByte * MB) / 1000),
    ...(transfer === null ? {} : { 'rdb-transfer-mb-per-sec': round3(transfer / MB) }),
    'flush-keys-per-sec': round3(flushPerKey > 0 ? 1e6 / flushPerKey : 1e9),
  };
}

/** The YAML fragment `replsim calibrate` prints: a comment block with the raw numbers, then `costs:`. */
export function costsYaml(costs: FittedCosts, ms: readonly DatasetMeasurement[], header: readonly string[]): string {
  const mb = (b: number): string => `${(b / MB).toFixed(1)}MB`;
  const msText = (us: number | null): string => (us === null ? '-' : `${(us / 1000).toFixed(1)}ms`);
  const rows = ms.map((m) => [
    String(m.keys), String(m.valueSize), mb(m.usedMemoryBytes), `${mb(m.rdbBytes)}/${mb(m.rdbBytesUncompressed)}`,
    `${msText(m.saveUs)}/${msText(m.saveUncompressedUs)}`, msText(m.forkUs), msText(m.flushUs),
    `${msText(m.loadUs)}/${msText(m.loadUncompressedUs)}`, msText(m.fullSyncUs),
    `${msText(m.syncRdbUs ?? null)}/${msText(m.transferUs ?? null)}/${msText(m.syncLoadUs ?? null)}`,
  ]);
  const head = ['keys', 'value', 'used_memory', 'rdb (lzf/plain)', 'SAVE (lzf/plain)', 'fork', 'FLUSHALL', 'load (lzf/plain)', 'full sync', 'its child/transfer/load'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `#   ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}`;
  return [
    ...header.map((h) => `# ${h}`),
    '# measured (DEBUG POPULATE <keys> key <value>):',
    line(head),
    ...rows.map(line),
    '# Paste the section below into a scenario, or pass this file to replsim report/sweep --costs.',
    'costs:',
    ...Object.entries(costs).map(([k, v]) => `  ${k}: ${v}`),
    '',
  ].join('\n');
}

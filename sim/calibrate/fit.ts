/**
 * Measurements of a real redis-server → cost-model parameters, by least squares: fork
 * time against used_memory (a fixed part plus a part per MB), RDB save and load time
 * against keys and RDB bytes (the same keys saved with and without compression separate
 * the two), flush time against keys. Pure: numbers in, a `costs:` section out.
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
}

export interface FittedCosts {
  'fork-base-ms': number;
  'fork-ms-per-gb': number;
  'rdb-save-keys-per-sec': number;
  'rdb-save-ms-per-mb': number;
  'rdb-load-keys-per-sec': number;
  'rdb-load-ms-per-mb': number;
  'flush-keys-per-sec': number;
}

const MB = 1024 * 1024;

/** y ≈ a + b·x by least squares; a single point (or equal x's) gives a line through the origin. */
export function fitLine(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return { a: 0, b: mx === 0 ? 0 : my / mx };
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

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

/**
 * y ≈ k·keys + c·bytes, both ≥ 0 (least squares through the origin). When the byte term
 * comes out negative (an uncompressed RDB written faster than an LZF one: compression is
 * CPU), bytes are not what costs, so it is dropped and k is fitted on the primary points.
 */
export function fitKeysAndBytes(points: ReadonlyArray<{ keys: number; bytes: number; us: number; primary?: boolean }>): { usPerKey: number; usPerByte: number } {
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let s1y = 0;
  let s2y = 0;
  for (const p of points) {
    s11 += p.keys * p.keys;
    s12 += p.keys * p.bytes;
    s22 += p.bytes * p.bytes;
    s1y += p.keys * p.us;
    s2y += p.bytes * p.us;
  }
  const det = s11 * s22 - s12 * s12;
  if (det > 0) {
    const k = (s1y * s22 - s2y * s12) / det;
    const c = (s11 * s2y - s12 * s1y) / det;
    if (k > 0 && c >= 0) return { usPerKey: k, usPerByte: c };
  }
  // Only the points Redis's defaults produce (compressed RDBs) then speak for the key term.
  const primary = points.filter((p) => p.primary !== false);
  return { usPerKey: Math.max(1e-6, fitSlope(primary.map((p) => p.keys), primary.map((p) => p.us))), usPerByte: 0 };
}

/** Three significant digits: enough for a cost, and readable. */
export function round3(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(3));
}

export function fitCosts(ms: readonly DatasetMeasurement[]): FittedCosts {
  if (ms.length === 0) throw new Error('fitCosts: no measurements');
  const fork = fitLine(ms.map((m) => m.usedMemoryBytes / MB), ms.map((m) => m.forkUs));
  const save = fitKeysAndBytes(ms.flatMap((m) => [
    { keys: m.keys, bytes: m.rdbBytes, us: m.saveUs },
    { keys: m.keys, bytes: m.rdbBytesUncompressed, us: m.saveUncompressedUs, primary: false },
  ]));
  const load = fitKeysAndBytes(ms.flatMap((m) => [
    { keys: m.keys, bytes: m.rdbBytes, us: m.loadUs },
    { keys: m.keys, bytes: m.rdbBytesUncompressed, us: m.loadUncompressedUs, primary: false },
  ]));
  const flushPerKey = fitSlope(ms.map((m) => m.keys), ms.map((m) => m.flushUs));
  return {
    'fork-base-ms': round3(Math.max(0, fork.a) / 1000),
    'fork-ms-per-gb': round3((Math.max(0, fork.b) * 1024) / 1000),
    'rdb-save-keys-per-sec': round3(1e6 / save.usPerKey),
    'rdb-save-ms-per-mb': round3((save.usPerByte * MB) / 1000),
    'rdb-load-keys-per-sec': round3(1e6 / load.usPerKey),
    'rdb-load-ms-per-mb': round3((load.usPerByte * MB) / 1000),
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
  ]);
  const head = ['keys', 'value', 'used_memory', 'rdb (lzf/plain)', 'SAVE (lzf/plain)', 'fork', 'FLUSHALL', 'load (lzf/plain)', 'full sync'];
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

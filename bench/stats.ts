/**
 * What every figure of the bench reports: medians with min–max over repeated runs, the
 * machine they ran on, and whether a figure's target was met.
 */
import os from 'node:os';

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new Error('bench: nothing to summarize');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

export interface Target {
  op: '>=' | '<=';
  value: number;
}

/**
 * One measured quantity of a figure: every run's value, their summary, and (for the
 * quantities the issue sets a target on) whether the median meets it.
 */
export interface Measure {
  name: string;
  unit: string;
  samples: number[];
  summary: Summary;
  target?: Target;
  pass?: boolean;
}

export function measure(name: string, unit: string, samples: readonly number[], target?: Target): Measure {
  const summary = summarize(samples);
  const m: Measure = { name, unit, samples: [...samples], summary };
  if (target) {
    m.target = target;
    m.pass = target.op === '>=' ? summary.median >= target.value : summary.median <= target.value;
  }
  return m;
}

/** A yes/no fact every run must have (a run converged, dbsize exact): 1 per run when true. */
export function check(name: string, oks: readonly boolean[]): Measure {
  return measure(name, 'yes', oks.map((ok) => (ok ? 1 : 0)), { op: '>=', value: 1 });
}

export interface FigureResult {
  id: number;
  key: string;
  title: string;
  /** The target in words. */
  target: string;
  /** Runs behind each median. */
  runs: number;
  /** Every targeted measure met (null: the figure has nothing it could judge). */
  pass: boolean | null;
  measures: Measure[];
  /** What a reader needs to interpret the numbers (sizes, constants quoted, why it fails). */
  notes: string[];
  wallMs: number;
}

export function figure(id: number, key: string, title: string, target: string, runs: number, measures: Measure[], notes: string[], wallMs: number): FigureResult {
  // A check's 0/1 samples must all be 1, not just its median.
  for (const m of measures) if (m.unit === 'yes') m.pass = m.summary.min >= 1;
  const judged = measures.filter((m) => m.pass !== undefined);
  const pass = judged.length === 0 ? null : judged.every((m) => m.pass);
  return { id, key, title, target, runs, pass, measures, notes, wallMs };
}

export interface Machine {
  node: string;
  v8: string;
  platform: string;
  cores: number;
  cpu: string;
  memoryGiB: number;
  /** 1-minute load average when the bench started: > 0.5 means someone else was using the machine. */
  loadAverage: number;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()}`,
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

/** Runs `f` `runs` times (after `warmups` untimed calls) and returns each run's value. */
export function repeat<T>(runs: number, f: (run: number) => T, warmups = 0): T[] {
  for (let w = 0; w < warmups; w++) f(-1 - w);
  const out: T[] = [];
  for (let r = 0; r < runs; r++) out.push(f(r));
  return out;
}

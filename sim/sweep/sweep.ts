/**
 * A sweep: the scenario run over the grid of every combination of the --vary values, K
 * seeds per cell (the same K seeds in every cell, so cells differ only by the values).
 * How a run is executed (this thread, a worker pool) is passed in; the grid, the seeds
 * and the summaries are decided here, and do not depend on the order runs finish in.
 */
import type { Scenario } from '../scenario/scenario.js';
import { summarizeCell, type CellRun, type CellSummary } from './outcome.js';
import { applyVary, type VarySpec } from './vary.js';

export interface SweepCell {
  /** Key → value as typed, one per --vary. */
  values: Record<string, string>;
  runs: CellRun[];
  summary: CellSummary;
}

export interface SweepResult {
  format: 'replsim-sweep';
  version: number;
  scenario: { name: string; description: string; file: string | null };
  varies: VarySpec[];
  seeds: string[];
  /** Row-major: the last --vary changes fastest. */
  cells: SweepCell[];
  /**
   * Set when the sweep was stopped (SIGINT / SIGTERM) before every run ended: each cell then
   * holds only its finished runs (a cell with none reads "not run").
   */
  incomplete?: { runsDone: number; runsTotal: number };
}

/** Runs one scenario with one seed and keeps what a sweep needs. */
export type CellRunner = (scenario: Scenario, seed: string) => Promise<CellRun>;

export interface SweepOptions {
  /** Seeds per cell. */
  seeds: number;
  /** The first seed (then `${base}-1`, `${base}-2`, …); default the file's seed, else "1". */
  baseSeed?: string;
  run: CellRunner;
  /** Runs in flight at once. */
  concurrency: number;
  onRunDone?: (done: number, total: number) => void;
}

/** Every combination of the values, the last key varying fastest. */
export function gridPoints(varies: readonly VarySpec[]): Array<Record<string, string>> {
  let points: Array<Record<string, string>> = [{}];
  for (const v of varies) points = points.flatMap((p) => v.values.map((value) => ({ ...p, [v.key]: value })));
  return points;
}

export function sweepSeeds(base: string, k: number): string[] {
  return Array.from({ length: k }, (_, i) => (i === 0 ? base : `${base}-${i}`));
}

/** The scenario of one grid point: each --vary applied in order. */
export function cellScenario(base: Scenario, values: Record<string, string>): Scenario {
  let s = base;
  for (const [key, value] of Object.entries(values)) s = applyVary(s, key, value);
  return s;
}

/** A sweep under way: its final result, and what it has found so far. */
export interface SweepInProgress {
  result: Promise<SweepResult>;
  /** The finished runs only, marked incomplete: what an interrupted sweep writes. */
  partial(): SweepResult;
}

export function startSweep(base: Scenario, varies: readonly VarySpec[], opts: SweepOptions): SweepInProgress {
  const seeds = sweepSeeds(opts.baseSeed ?? base.seed ?? '1', Math.max(1, opts.seeds));
  const points = gridPoints(varies);
  const scenarios = points.map((p) => cellScenario(base, p));
  const tasks = scenarios.flatMap((s, cell) => seeds.map((seed, k) => ({ cell, k, s, seed })));
  const results: Array<Array<CellRun | undefined>> = points.map(() => new Array<CellRun | undefined>(seeds.length).fill(undefined));
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const t = tasks[next++]!;
      results[t.cell]![t.k] = await opts.run(t.s, t.seed);
      opts.onRunDone?.(++done, tasks.length);
    }
  };
  const build = (): SweepResult => {
    const r: SweepResult = {
      format: 'replsim-sweep',
      version: 1,
      scenario: { name: base.name, description: base.description, file: base.file },
      varies: varies.map((v) => ({ key: v.key, values: [...v.values] })),
      seeds,
      cells: points.map((values, i) => {
        const runs = results[i]!.filter((x): x is CellRun => x !== undefined);
        return { values, runs, summary: summarizeCell(runs) };
      }),
    };
    if (done < tasks.length) r.incomplete = { runsDone: done, runsTotal: tasks.length };
    return r;
  };
  const result = Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, tasks.length)) }, worker)).then(build);
  return { result, partial: build };
}

export function runSweep(base: Scenario, varies: readonly VarySpec[], opts: SweepOptions): Promise<SweepResult> {
  return startSweep(base, varies, opts).result;
}

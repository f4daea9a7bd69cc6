/**
 * `replsim sweep FILE --vary KEY=V1,V2,… [--vary …] [--seeds K] [--seed S] [--workers W]
 * [--out DIR] [--costs FILE]`: the grid of runs, in parallel, written as a heatmap
 * (index.html), sweep.md and sweep.json. Every --vary is checked against the scenario
 * before anything runs.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from './cli-args.js';
import { readRows } from '../sweep/layout.js';
import { sentinelReading } from '../sweep/sentinel-render.js';
import { startSweep, type SweepInProgress } from '../sweep/sweep.js';
import { parseVary, VaryError, type VarySpec } from '../sweep/vary.js';
import { writeSweep } from '../sweep/write-sweep.js';
import { applyCostsFlag } from './costs-file.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, interruptExitCode, type CliIO } from './io.js';
import { outputDirProblem } from './output-dir.js';
import { reportDirName } from './report.js';
import { SWEEP_HELP } from './report-help.js';
import { reportRunners, type ReportRunners } from './report-pool.js';
import { loadAll } from './scenario-files.js';
import { usageError } from './usage.js';

/** Runs in one sweep (cells × seeds). */
const MAX_SWEEP_RUNS = 100_000;

function positiveInt(text: string | undefined, name: string, dflt: number): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} expects a whole number ≥ 1, got ${JSON.stringify(text)}`);
  return n;
}

export async function sweepCommand(args: string[], io: CliIO, runners: ReportRunners = reportRunners()): Promise<number> {
  let parsed;
  let seeds: number;
  let workers: number;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        vary: { type: 'string', multiple: true },
        seeds: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        out: { type: 'string' },
        costs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    seeds = positiveInt(parsed.values.seeds, '--seeds', 1);
    workers = positiveInt(parsed.values.workers, '--workers', Math.max(1, availableParallelism()));
  } catch (e) {
    return usageError(io, (e as Error).message, 'sweep');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(SWEEP_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) return usageError(io, 'sweep needs exactly one scenario FILE', 'sweep');
  if ((values.vary ?? []).length === 0) return usageError(io, 'sweep needs at least one --vary KEY=V1,V2,…', 'sweep');
  if (values.seed !== undefined && values.seed.trim() === '') return usageError(io, '--seed needs a non-empty value', 'sweep');
  const loaded = loadAll(positionals, io.stderr);
  if (loaded === null) return EXIT_USAGE;
  const withFlag = applyCostsFlag(loaded[0]!, values.costs, io.stderr);
  if (withFlag === null) return EXIT_USAGE;
  const scenario = withFlag;
  let varies: VarySpec[];
  try {
    varies = values.vary!.map((v) => parseVary(v, scenario));
    const keys = varies.map((v) => v.key);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup !== undefined) throw new VaryError(`--vary ${dup} is given twice`);
  } catch (e) {
    if (!(e instanceof VaryError)) throw e;
    return usageError(io, e.message, 'sweep');
  }
  const dir = values.out ?? join('reports', `${reportDirName(scenario.name)}-sweep`);
  const outProblem = outputDirProblem(dir);
  if (outProblem !== null) return usageError(io, `--out: ${outProblem}`, 'sweep');
  const cells = varies.reduce((n, v) => n * v.values.length, 1);
  const total = cells * seeds;
  // Every run is planned before the first starts (and its result kept): --seeds 1e9 once filled the heap.
  if (total > MAX_SWEEP_RUNS) return usageError(io, `${cells} cell(s) × ${seeds} seed(s) = ${total} runs: over the limit of ${MAX_SWEEP_RUNS} runs in one sweep`, 'sweep');
  const baseSeed = values.seed ?? scenario.seed ?? '1';
  io.stdout.write(`sweep ${scenario.name}: ${cells} cells × ${seeds} seed(s) = ${total} runs, ${runners.threaded ? `${workers} worker thread(s)` : 'in this thread'}, first seed ${baseSeed} → ${dir}\n`);
  let done = 0;
  const progress = io.stderr.isTTY === true;
  let sweep: SweepInProgress | undefined;
  // A stopped sweep keeps what it found: the finished runs are written, marked incomplete.
  const unregister = io.onInterrupt?.((signal) => {
    io.stderr.write(`\n${signal === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted'} after ${done} of ${total} runs; first seed ${baseSeed}\n`);
    if (sweep !== undefined && done > 0) {
      try {
        const w = writeSweep(sweep.partial(), dir);
        io.stderr.write(`  the ${done} finished run(s), marked incomplete:\n  ${w.html}\n  ${w.markdown}\n  ${w.json}\n`);
      } catch (e) {
        io.stderr.write(`  could not write the finished runs to ${dir}: ${(e as Error).message}\n`);
      }
    }
    io.exit?.(interruptExitCode(signal));
  });
  sweep = startSweep(scenario, varies, {
    seeds,
    baseSeed,
    run: (s, seed) => runners.cell(s, seed),
    concurrency: runners.threaded ? workers : 1,
    onRunDone: (n) => {
      done = n;
      if (progress) io.stderr.write(`\r  ${n}/${total} runs`);
    },
  });
  try {
    const result = await sweep.result;
    if (progress) io.stderr.write('\r\x1b[K');
    const w = writeSweep(result, dir);
    io.stdout.write(`  ${w.html}\n  ${w.markdown}\n  ${w.json}\n`);
    for (const line of [...sentinelReading(result), ...readRows(result)]) io.stdout.write(`  ${line}\n`);
    const crashed = result.cells.flatMap((c) => c.runs.filter((r) => r.error !== null).map((r) => ({ values: c.values, seed: r.seed, error: r.error! })));
    for (const c of crashed) io.stderr.write(`replsim: internal error: a run crashed (${Object.entries(c.values).map(([k, v]) => `${k}=${v}`).join(' ')}, seed ${c.seed}): ${c.error}\n`);
    // The scenario and every --vary were checked: a run that crashes is a bug in replsim.
    return crashed.length > 0 ? EXIT_INTERNAL : EXIT_OK;
  } catch (e) {
    io.stderr.write(`replsim: internal error: sweep failed (a bug in replsim, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_INTERNAL;
  } finally {
    unregister?.();
  }
}

/**
 * `npm run bench`: the performance figures of issues 10 and 15, each a median of several runs
 * with min–max, its target and pass/fail, and the machine they ran on. `--json` prints one
 * JSON document with every figure (progress goes to stderr); `--quick` is a short look;
 * `--only 4,5` picks figures. Not a test: nothing here runs under `npm test`, and the exit
 * code is 0 whether targets are met or not (2 on bad usage).
 */
import { pathToFileURL } from 'node:url';
import { BENCH_HELP, parseBenchArgs, type BenchOptions } from './args.js';
import { figCampaign } from './campaign-scaling.js';
import { figEngine } from './fig-engine.js';
import { figFidelity, figIdle } from './fig-model.js';
import { figReplicas } from './fig-replicas.js';
import { figSyncPhases } from './fig-sync-phases.js';
import { figMemory } from './memory.js';
import { figRealVsSim } from './real-vs-sim.js';
import { formatFigure, formatMachine, formatSummaryLine, NOISE_NOTE, table } from './report.js';
import { machine, type FigureResult, type Machine } from './stats.js';

export interface BenchReport {
  bench: 'replsim';
  version: 1;
  machine: Machine;
  options: { scale: BenchOptions['scale']; only: number[]; runs: number; withRedis: boolean };
  note: string;
  figures: FigureResult[];
  /** Every figure that could be judged met its target. */
  pass: boolean;
  wallMs: number;
}

export async function runBench(opts: BenchOptions, log: (line: string) => void = () => {}, onFigure: (f: FigureResult) => void = () => {}): Promise<BenchReport> {
  const t0 = performance.now();
  const m = machine();
  const figures: FigureResult[] = [];
  for (const id of opts.only) {
    log(`figure ${id}…`);
    let f: FigureResult;
    switch (id) {
      case 1: f = figEngine(opts.scale, opts.runs, log); break;
      case 2: f = figFidelity(opts.scale, opts.runs, log); break;
      case 3: f = figIdle(opts.scale, opts.runs, log); break;
      case 4: f = await figRealVsSim(opts.scale, opts.runs, opts.withRedis, log); break;
      case 5: f = await figMemory(opts.scale, opts.runs, log); break;
      case 6: f = await figCampaign(opts.scale, opts.runs, log); break;
      case 7: f = figReplicas(opts.scale, opts.runs, log); break;
      case 8: f = await figSyncPhases(opts.scale, opts.runs, log); break;
      default: throw new Error(`no figure ${id}`);
    }
    figures.push(f);
    onFigure(f);
  }
  return {
    bench: 'replsim',
    version: 1,
    machine: m,
    options: { scale: opts.scale, only: opts.only, runs: opts.runs, withRedis: opts.withRedis },
    note: NOISE_NOTE + (opts.scale !== 'full' ? ` Scale "${opts.scale}": smaller sizes than the reported figures.` : '') + (opts.runs < 5 ? ` Only ${opts.runs} run(s) per median: not a reported figure.` : ''),
    figures,
    pass: figures.every((f) => f.pass !== false),
    wallMs: performance.now() - t0,
  };
}

async function main(argv: string[]): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${BENCH_HELP}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(BENCH_HELP);
    return 0;
  }
  const text = !opts.json;
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  if (text) {
    console.log(`replsim bench — ${opts.scale === 'full' ? 'issue 10 and 15 figures' : `${opts.scale} run`}, medians of ${opts.runs} runs with min–max`);
    console.log(`machine: ${formatMachine(machine())}`);
    console.log(`${NOISE_NOTE}\n`);
  }
  const report = await runBench(opts, log, (f) => {
    if (text) console.log(formatFigure(f));
  });
  if (text) {
    console.log(table(report.figures.map((f) => [String(f.id), f.title, f.target, f.pass === null ? '—' : f.pass ? 'pass' : 'FAIL']), ['fig', 'figure', 'target', '']));
    console.log(`\n${formatSummaryLine(report.figures)}; ${(report.wallMs / 1000).toFixed(0)} s in all`);
  } else {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

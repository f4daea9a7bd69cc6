/**
 * The bench's command line: `npm run bench -- [--json] [--quick] [--only 4,5] [--runs N]
 * [--with-redis]`.
 */
import { parseArgs } from 'node:util';

/** full: the reported figures; quick: smaller sizes for a short look; tiny: the bench's own test. */
export type Scale = 'full' | 'quick' | 'tiny';

export const FIGURE_IDS = [1, 2, 3, 4, 5, 6, 7, 8] as const;

export interface BenchOptions {
  json: boolean;
  scale: Scale;
  /** Figures to run, in order. */
  only: number[];
  /** Runs behind each median (≥ 5 for reported figures). */
  runs: number;
  /** Figure 4 also runs the scenario on real redis-server processes (replsim diff's runner). */
  withRedis: boolean;
  help: boolean;
}

export const BENCH_HELP = `Usage: npm run bench -- [options]      (or: node dist/bench/main.js [options])

The performance figures of issues 10 and 15, each a median of several runs with min–max, the
machine, the target and pass/fail:
  1 engine vs the fastest hand-written event queue (1e3 / 1e5 / 1e6 queued)
  2 fidelity price: the full model vs a three-Map micro-model (1k and 10k writes/s)
  3 idle time: a 3-node cluster with no writes for 24 h of virtual time, without and with 3 Sentinels
  4 real Redis vs replsim: the output-buffer full-sync loop (scenarios/full-sync-loop-output-buffer.yaml)
  5 memory: 10 M preloaded keys, a full sync of them, 100 M keys loaded lazily (child processes)
  6 campaign scaling: replsim fuzz runs/s and CPU-seconds per run with 1 and 2 workers
  7 replicas scaling: cost per write with 0, 1, 2, 5, 20 replicas and a chain of 5

Options:
  --json          print one JSON document with every figure (progress goes to stderr)
  --quick         smaller sizes and shorter runs: a quick look, not the reported figures
  --only LIST     figures to run: 4, 4,5 or 4-6 (default: all)
  --runs N        runs behind each median (default 5; fewer is not a reported figure)
  --with-redis    figure 4 also runs the scenario on real redis-server (needs redis-server
                  on the PATH; ≈ 30–40 s per run)
  --tiny          toy sizes, for the bench's own test only
  -h, --help      this help
`;

function parseOnly(text: string): number[] {
  const ids = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`--only expects figure numbers like 4, 4,5 or 4-6, got "${text}"`);
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    if (hi < lo) throw new Error(`--only ${text}: the range ${lo}-${hi} is backwards`);
    for (let id = lo; id <= hi; id++) {
      if (!(FIGURE_IDS as readonly number[]).includes(id)) throw new Error(`--only ${text}: there is no figure ${id} (figures are 1–8)`);
      ids.add(id);
    }
  }
  return [...ids].sort((a, b) => a - b);
}

export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      quick: { type: 'boolean' },
      tiny: { type: 'boolean' },
      only: { type: 'string' },
      runs: { type: 'string' },
      'with-redis': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}" (the bench takes options only; see --help)`);
  if (values.quick && values.tiny) throw new Error('give --quick or --tiny, not both');
  let runs = 5;
  if (values.runs !== undefined) {
    runs = Number(values.runs);
    if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`--runs expects a whole number ≥ 1, got "${values.runs}"`);
  }
  return {
    json: values.json ?? false,
    scale: values.tiny ? 'tiny' : values.quick ? 'quick' : 'full',
    only: values.only !== undefined ? parseOnly(values.only) : [...FIGURE_IDS],
    runs,
    withRedis: values['with-redis'] ?? false,
    help: values.help ?? false,
  };
}

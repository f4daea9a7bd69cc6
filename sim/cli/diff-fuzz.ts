/**
 * `replsim diff --fuzz`: differential fuzzing — generated scenarios on real redis-server
 * processes and in replsim, compared, confirmed by a second real run, shrunk.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { parseDuration } from '../engine/index.js';
import { parseShard, type Shard } from '../fuzz/index.js';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { outputDirProblem } from './output-dir.js';
import { usageError } from './usage.js';
import type { DiffFuzzSummary } from '../diff/fuzz-campaign.js';

/**
 * Cases at once: each starts several real processes that must keep real time; past a few per
 * core every case reads "too loaded to confirm", and 10^6 of them would exhaust the machine.
 */
const MAX_DIFF_WORKERS = 32;

export const DIFF_FUZZ_HELP = `Usage: replsim diff --fuzz [options]

Generates scenarios the real harness can apply (replicas and chains, redis.conf choices, a
dataset, a workload, commands, partitions, pauses, crashes and restarts with or without
persistence, link kills, REPLICAOF NO ONE and FAILOVER, CONFIG SET) with every fault kept
away from the thresholds that decide an outcome, runs each on real redis-server processes
and in replsim, and compares them as \`replsim diff\` does. A difference counts once a
second real run shows it too (a run whose harness fell more than 250 ms behind its
timeline counts neither way: "too loaded to confirm"); it is then shrunk to the smallest
case that still differs and written to the output directory as a scenario file. The
summary (summary.json, summary.txt, and on stdout) gives the cases, the confirmed
differences by field and the real seconds spent.

Options:
  --runs N              cases to run (default 20; counted per shard)
  --time 30m            run cases until this much time has passed instead of --runs
  --seed S              the campaign seed (default: fresh); case i of campaign S is the
                        same case on any machine
  --shard i/n           run cases i, i+n, i+2n, … of the campaign (for a CI matrix)
  --workers W           cases at once, each on its own ports (default: 1, at most 32; more
                        adds timing noise on a busy machine, and differences are re-run anyway)
  --shrink N            real runs spent shrinking each difference (default 12)
  --out DIR             reproducers, summary.json and summary.txt (default diff-fuzz-out)
  --redis-server PATH   the binary (default: redis-server on the PATH)
  --json                the summary as JSON on stdout
  --merge DIR…          add up the summary.json files of a campaign's shards (exit 1 if
                        any case differed)
  -h, --help            this text

A long campaign over machines: run the same --seed with --shard 0/8 … 7/8 on eight machines
(each with its own --out), then add them up: replsim diff --fuzz --merge out/*.
Exit codes: 0 no confirmed difference, 1 some, 2 bad usage, 130 interrupted.
`;

export async function diffFuzzCommand(args: string[], io: CliIO, redisServer: () => string | null): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        fuzz: { type: 'boolean' },
        runs: { type: 'string' },
        time: { type: 'string' },
        seed: { type: 'string' },
        shard: { type: 'string' },
        workers: { type: 'string' },
        shrink: { type: 'string' },
        out: { type: 'string' },
        'redis-server': { type: 'string' },
        json: { type: 'boolean' },
        merge: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usageError(io, (e as Error).message, 'diff');
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(DIFF_FUZZ_HELP);
    return EXIT_OK;
  }
  if (v.merge) return mergeCommand(parsed.positionals, v.json === true, io);
  if (parsed.positionals.length > 0) return usageError(io, `unexpected argument ${parsed.positionals[0]!} (directories go with --merge)`, 'diff');
  const count = (name: string, text: string | undefined, dflt: number, min: number, max = 1_000_000, why = ''): number | string => {
    if (text === undefined) return dflt;
    const n = Number(text);
    return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} ${text}: expected a whole number from ${min} to ${max}${why}`;
  };
  if (v.runs !== undefined && v.time !== undefined) return usageError(io, 'give --runs or --time, not both', 'diff');
  const runs = count('runs', v.runs, v.time !== undefined ? 1_000_000 : 20, 1);
  const workers = count('workers', v.workers, 1, 1, MAX_DIFF_WORKERS, ` (each case runs its own redis-server and redis-sentinel processes in real time)`);
  const shrinkBudget = count('shrink', v.shrink, 12, 0);
  for (const x of [runs, workers, shrinkBudget]) if (typeof x === 'string') return usageError(io, x, 'diff');
  let timeMs = 0;
  if (v.time !== undefined) {
    try {
      timeMs = Math.ceil(parseDuration(v.time, '--time') / 1000);
    } catch (e) {
      return usageError(io, (e as Error).message, 'diff');
    }
  }
  let shard: Shard = { index: 0, count: 1 };
  if (v.shard !== undefined) {
    try {
      shard = parseShard(v.shard);
    } catch (e) {
      return usageError(io, (e as Error).message, 'diff');
    }
  }
  const binary = v['redis-server'] ?? redisServer();
  if (binary === null) return usageError(io, 'no redis-server on the PATH; install it (apt-get install redis-server) or pass --redis-server PATH', 'diff');
  const out = v.out ?? 'diff-fuzz-out';
  // outputDirProblem: Node's recursive mkdir never returns under /proc.
  const outProblem = outputDirProblem(out);
  if (outProblem !== null) return usageError(io, `--out: ${outProblem}`, 'diff');
  const seed = v.seed ?? randomBytes(4).toString('hex');
  const { runDiffFuzz } = await import('../diff/fuzz-campaign.js');
  const controller = new AbortController();
  let interrupted = false;
  const unregister = io.onInterrupt?.(() => {
    if (interrupted) return io.exit?.(EXIT_INTERRUPTED);
    interrupted = true;
    io.stderr.write('\ninterrupted: finishing the summary of the cases run so far\n');
    controller.abort(new Error('interrupted'));
  });
  const human = !v.json;
  if (human) io.stdout.write(`replsim diff --fuzz --seed ${seed}${v.shard ? ` --shard ${v.shard}` : ''}: up to ${v.time ?? `${String(runs)} cases`}, ${String(workers)} at a time, against ${binary}\n`);
  try {
    const summary = await runDiffFuzz({
      redisServer: binary,
      campaignSeed: seed,
      runs: runs as number,
      timeMs,
      shard,
      shrinkBudget: shrinkBudget as number,
      workers: workers as number,
      signal: controller.signal,
      now: () => Date.now(),
      onCase: (o) => {
        if (o.reproducer !== undefined) writeFileSync(join(out, `diff-fuzz-${o.seed}.yaml`), o.reproducer);
        if (human) {
          const mark = { same: 'SAME', flaky: 'same on the second real run', loaded: 'differed, but the machine was too loaded to confirm', different: 'DIFF' }[o.verdict];
          io.stdout.write(`  case ${o.index} (seed ${o.seed}): ${mark}  ${(o.realMs / 1000).toFixed(1)} s\n`);
          for (const d of o.differences) io.stdout.write(`      ${d}\n`);
          if (o.reproducer !== undefined) io.stdout.write(`      shrunk reproducer: npx replsim diff ${join(out, `diff-fuzz-${o.seed}.yaml`)}\n`);
        }
      },
    });
    writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const text = summaryText(summary, `npx replsim diff --fuzz --seed ${seed} --runs ${summary.cases}${v.shard ? ` --shard ${v.shard}` : ''}`);
    writeFileSync(join(out, 'summary.txt'), text);
    if (human) {
      io.stdout.write(text);
      io.stdout.write(`summary: ${join(out, 'summary.json')} and summary.txt\n`);
    } else {
      io.stdout.write(`${JSON.stringify(summary)}\n`);
    }
    if (interrupted) return EXIT_INTERRUPTED;
    return summary.different > 0 ? EXIT_FAILED : EXIT_OK;
  } catch (e) {
    if (interrupted) return EXIT_INTERRUPTED;
    io.stderr.write(`replsim diff --fuzz: ${(e as Error).message}\n`);
    return (e as Error).name === 'RedisStartError' ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    unregister?.();
  }
}


/** `--merge DIR…`: the summary.json files of a campaign's shards, added up. */
async function mergeCommand(dirs: string[], json: boolean, io: CliIO): Promise<number> {
  if (dirs.length === 0) return usageError(io, '--merge needs the output directories of the shards', 'diff');
  const { diffFuzzSummaryProblem, mergeDiffFuzzSummaries } = await import('../diff/fuzz-campaign.js');
  const list: DiffFuzzSummary[] = [];
  for (const dir of dirs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    } catch (e) {
      return usageError(io, `cannot read ${join(dir, 'summary.json')}: ${(e as Error).message}`, 'diff');
    }
    const problem = diffFuzzSummaryProblem(parsed);
    if (problem !== null) return usageError(io, `${join(dir, 'summary.json')} is not a replsim diff --fuzz summary: ${problem}`, 'diff');
    list.push(parsed as DiffFuzzSummary);
  }
  const merged = mergeDiffFuzzSummaries(list);
  io.stdout.write(json ? `${JSON.stringify(merged)}\n` : summaryText(merged, `npx replsim diff --fuzz --seed ${merged.campaignSeed} --shard <i/n>, as each shard ran`));
  return merged.different > 0 ? EXIT_FAILED : EXIT_OK;
}

/** The summary as text: counts, the confirmed differences by field, the real seconds spent. */
export function summaryText(s: DiffFuzzSummary, again: string): string {
  const lines = [`${s.cases} cases in ${s.realSeconds} s of real time: ${s.same} same, ${s.flaky} same on a second real run, ${s.loaded} too loaded to confirm, ${s.different} different`];
  const fields = Object.entries(s.byField).sort((a, b) => b[1] - a[1]);
  if (fields.length > 0) lines.push('differences by field (confirmed cases):', ...fields.map(([f, n]) => `  ${f}: ${n}`));
  for (const d of s.differing) lines.push(`case ${d.index} (seed ${d.seed}):`, ...d.differences.map((x) => `  ${x}`));
  lines.push(`run again: ${again}`);
  return `${lines.join('\n')}\n`;
}

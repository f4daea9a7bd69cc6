/**
 * `replsim fuzz`: a campaign of generated cases on worker threads, a progress line on a
 * terminal, reproducers written as scenario files, a summary (and summary.json for
 * `--merge`). The campaign seed is printed first, and every failure's case seed with the
 * command that replays it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from './cli-args.js';
import { parseNonNegativeDuration } from '../engine/index.js';
import type { CampaignConfig, RunRecord } from '../fuzz/index.js';
import { caseSeedOf, parseShard, shardIndex, type Shard } from '../fuzz/index.js';
import { PROFILES } from '../fuzz/index.js';
import { bugFlags, reproducerFileName } from '../fuzz/index.js';
import { addRun, emptySummary, formatLong, formatSummary, mergeSummaries, summaryProblem, type FuzzSummary } from '../fuzz/index.js';
import { ALL_PLANTED_BUGS, isAnyPlantedBug } from '../scenario/planted-bugs.js';
import { childProcessUnavailable } from './fuzz-determinism.js';
import { fuzzPool } from './fuzz-pool.js';
import { FUZZ_HELP } from './fuzz-help.js';
import { colorsFor, EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, interruptExitCode, type CliIO, type InterruptSignal } from './io.js';
import { outputDirProblem } from './output-dir.js';
import { usageError } from './usage.js';
import { shellQuote } from './format-units.js';

interface FuzzFlags {
  runs: number | null;
  timeMs: number | null;
  timeText: string | null;
  seed: string;
  seedGiven: boolean;
  workers: number;
  out: string;
  profile: string;
  bugs: string[];
  shard: Shard;
  shrinkRuns: number;
  checkDeterminism: 'memory' | 'process' | null;
  json: boolean;
  noColor: boolean;
  /** Stop starting cases once this many have failed (null: never). */
  maxFailures: number | null;
}

/** Without a terminal (CI logs), a progress line this often. */
export const PROGRESS_LINE_EVERY_MS = 30_000;

const SUMMARY_FILE = 'summary.json';

function positiveInt(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} expects a whole number ≥ 0, got "${v}"`);
  return n;
}

/** Worker threads a campaign may start (far more than cores only costs memory and start-up). */
const MAX_WORKERS = 256;

function parseFuzzArgs(args: string[], io: CliIO): { flags: FuzzFlags; merge: string[] | null; help: boolean } {
  const { values, positionals } = parseArgs({
    // A bare --check-determinism is the in-process check; =process adds a child process.
    args: args.map((a) => (a === '--check-determinism' ? '--check-determinism=memory' : a)),
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      time: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      bug: { type: 'string', multiple: true },
      shard: { type: 'string' },
      'shrink-runs': { type: 'string' },
      'check-determinism': { type: 'string' },
      'max-failures': { type: 'string' },
      merge: { type: 'boolean' },
      json: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.merge) {
    if (positionals.length === 0) throw new Error('--merge needs at least one DIR (each with a summary.json)');
  } else if (positionals.length > 0) {
    throw new Error(`unexpected argument "${positionals[0]}" (fuzz takes options only; --merge takes DIRs)`);
  }
  if (values.runs !== undefined && values.time !== undefined) throw new Error('give --runs or --time, not both');
  const profile = values.profile ?? 'default';
  if (!PROFILES[profile]) throw new Error(`unknown --profile "${profile}"; profiles: ${Object.keys(PROFILES).join(', ')}`);
  const bugs = values.bug ?? [];
  for (const b of bugs) if (!isAnyPlantedBug(b)) throw new Error(`unknown --bug "${b}"; planted bugs: ${Object.keys(ALL_PLANTED_BUGS).join(', ')}`);
  let timeMs: number | null = null;
  if (values.time !== undefined) {
    timeMs = Math.ceil(parseNonNegativeDuration(values.time, '--time') / 1000);
    if (timeMs <= 0) throw new Error(`--time needs a duration > 0, got "${values.time}"`);
  }
  if (values.seed !== undefined && values.seed.trim() === '') throw new Error('--seed needs a non-empty value');
  const cd = values['check-determinism'];
  if (cd !== undefined && cd !== 'memory' && cd !== 'process') throw new Error(`--check-determinism takes no value, or =process (got "${cd}")`);
  if (cd === 'process') {
    const why = childProcessUnavailable();
    if (why !== null) throw new Error(why);
  }
  const workers = positiveInt(values.workers, '--workers', Math.max(1, availableParallelism()));
  if (workers < 1) throw new Error('--workers must be at least 1');
  if (workers > MAX_WORKERS) throw new Error(`--workers ${workers}: at most ${MAX_WORKERS} (each worker thread loads its own simulator; --workers 100000 once spent minutes starting threads)`);
  const flags: FuzzFlags = {
    runs: values.runs !== undefined ? positiveInt(values.runs, '--runs', 100) : timeMs === null ? 100 : null,
    timeMs,
    timeText: values.time ?? null,
    seed: values.seed ?? (io.newSeed ?? (() => randomBytes(4).toString('hex')))(),
    seedGiven: values.seed !== undefined,
    workers,
    out: values.out ?? 'fuzz-out',
    profile,
    bugs,
    shard: values.shard !== undefined ? parseShard(values.shard) : { index: 0, count: 1 },
    shrinkRuns: positiveInt(values['shrink-runs'], '--shrink-runs', 300),
    checkDeterminism: cd ?? null,
    json: values.json ?? false,
    noColor: values['no-color'] ?? false,
    maxFailures: values['max-failures'] !== undefined ? positiveInt(values['max-failures'], '--max-failures', 0) : null,
  };
  if (flags.maxFailures === 0) throw new Error('--max-failures must be at least 1');
  return { flags, merge: values.merge ? positionals : null, help: values.help ?? false };
}

export async function fuzzCommand(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseFuzzArgs(args, io);
  } catch (e) {
    return usageError(io, (e as Error).message, 'fuzz');
  }
  if (parsed.help) {
    io.stdout.write(FUZZ_HELP);
    return EXIT_OK;
  }
  if (parsed.merge) return mergeCommand(parsed.merge, parsed.flags, io);
  // Before the first case: a campaign whose summary cannot be written is not started.
  const outProblem = outputDirProblem(parsed.flags.out);
  if (outProblem !== null) return usageError(io, `--out: ${outProblem}`, 'fuzz');
  return campaign(parsed.flags, io);
}

function mergeCommand(dirs: string[], flags: FuzzFlags, io: CliIO): number {
  const list: FuzzSummary[] = [];
  for (const dir of dirs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, SUMMARY_FILE), 'utf8'));
    } catch (e) {
      return usageError(io, `cannot read ${join(dir, SUMMARY_FILE)}: ${(e as Error).message}`, 'fuzz');
    }
    const problem = summaryProblem(parsed);
    if (problem !== null) return usageError(io, `${join(dir, SUMMARY_FILE)} is not a replsim fuzz summary: ${problem}`, 'fuzz');
    list.push(parsed as FuzzSummary);
  }
  const merged = mergeSummaries(list);
  io.stdout.write(flags.json ? `${JSON.stringify(merged)}\n` : formatSummary(merged));
  return merged.failedRuns > 0 ? EXIT_FAILED : EXIT_OK;
}

async function campaign(flags: FuzzFlags, io: CliIO): Promise<number> {
  const c = colorsFor(io, flags.noColor);
  const cfg: CampaignConfig = { seed: flags.seed, profile: flags.profile, bugs: flags.bugs, shard: flags.shard, shrinkRuns: flags.shrinkRuns };
  if (flags.checkDeterminism !== null) cfg.checkDeterminism = flags.checkDeterminism;
  const summary = emptySummary(flags.seed, flags.profile, flags.bugs, flags.shard);
  const now = io.now ?? Date.now;
  const started = now();
  const shardFlag = flags.shard.count > 1 ? ` --shard ${flags.shard.index}/${flags.shard.count}` : '';
  // No more threads than cases: --runs 1 on a 64-core machine starts one.
  const pool = fuzzPool(cfg, flags.runs !== null ? Math.max(1, Math.min(flags.workers, flags.runs)) : flags.workers);
  const limit = flags.runs !== null ? `${flags.runs} runs` : `for ${flags.timeText ?? ''}`;
  const shardText = flags.shard.count > 1 ? `, shard ${flags.shard.index}/${flags.shard.count}` : '';
  const say = (text: string): void => {
    (flags.json ? io.stderr : io.stdout).write(text);
  };
  const determinism = flags.checkDeterminism === null ? '' : `, each case run twice more${flags.checkDeterminism === 'process' ? ' and in a child process' : ''} (--check-determinism)`;
  say(`replsim fuzz: campaign seed ${flags.seed}, profile ${flags.profile}${bugFlags(flags.bugs)}, ${limit}${shardText}, ` +
    `${pool.threaded ? `${pool.runners.length} worker thread(s)` : 'in this thread'}${determinism} → ${flags.out}/\n`);
  say(`  replay any case: npx replsim replay --seed <case seed> --profile ${flags.profile}${bugFlags(flags.bugs)}\n`);

  const showProgress = !flags.json && io.stderr.isTTY === true;
  const shrunkCheckers = new Set<string>();
  const failedCheckers = new Set<string>();
  const inFlight = new Map<number, number>();
  let next = 0;
  let interrupted = false;
  let stopSignal: InterruptSignal | undefined;
  let internalErrors = 0;
  let stoppedAtMaxFailures = false;
  const outOfWork = (): boolean => {
    if (flags.maxFailures !== null && summary.failedRuns >= flags.maxFailures) stoppedAtMaxFailures = true;
    return interrupted || stoppedAtMaxFailures || (flags.runs !== null ? next >= flags.runs : now() - started >= (flags.timeMs ?? 0));
  };
  const progressText = (): string => {
    const secs = (now() - started) / 1000;
    const rate = secs > 0 ? (summary.runs / secs).toFixed(1) : '0';
    const fails = summary.failedRuns > 0 ? c.red(`${summary.failedRuns} failed`) : '0 failed';
    return `${summary.runs} runs (${rate}/s), ${fails}, ${formatLong(summary.virtualUs)} simulated, ${formatLong((now() - started) * 1000)} elapsed`;
  };
  // A terminal gets a line rewritten in place; a log (CI) one plain line every ≈ 30 s.
  let lastLogLine = started;
  const progress = (): void => {
    if (showProgress) {
      io.stderr.write(`\r\x1b[K  ${progressText()}`);
    } else if (io.stderr.isTTY !== true && now() - lastLogLine >= PROGRESS_LINE_EVERY_MS) {
      lastLogLine = now();
      io.stderr.write(`progress: ${progressText()}\n`);
    }
  };
  const unregister = io.onInterrupt?.((signal) => {
    if (interrupted) return;
    interrupted = true;
    stopSignal = signal;
    const seeds = [...inFlight.values()].join(', ');
    io.stderr.write(`\n${signal === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted'}: campaign seed ${flags.seed}; ${summary.runs} runs done${seeds ? `, cases in flight: ${seeds}` : ''}\n`);
    // What was done is kept: summary.json (mergeable) and, with --json, the document on stdout.
    const partial: FuzzSummary = { ...summary, elapsedMs: now() - started, interrupted: true };
    const written = writeSummary(flags.out, partial);
    io.stderr.write(formatSummary(partial));
    io.stderr.write(written === null ? `summary (partial): ${join(flags.out, SUMMARY_FILE)}\n` : `replsim fuzz: ${written}\n`);
    if (flags.json) io.stdout.write(`${JSON.stringify(partial)}\n`);
    // Closing the workers waits for a case's child process (--check-determinism=process) to end: none is orphaned.
    void Promise.all(pool.runners.map((r) => r.close())).finally(() => io.exit?.(interruptExitCode(signal)));
  });

  const record = (r: RunRecord): void => {
    let file: string | null = null;
    let replay = `npx replsim replay --seed ${r.caseSeed} --profile ${flags.profile}${bugFlags(flags.bugs)}${r.determinism ? ' --check-determinism' : ''}`;
    if (r.reproducer && !shrunkCheckers.has(r.reproducer.checker)) {
      shrunkCheckers.add(r.reproducer.checker);
      mkdirSync(flags.out, { recursive: true });
      const name = reproducerFileName(r.reproducer.checker, r.caseSeed);
      file = join(flags.out, name);
      writeFileSync(file, r.reproducer.text.split(name).join(file));
      replay = `npx replsim replay ${shellQuote(file)}${bugFlags(flags.bugs)}`;
    }
    const firstOfChecker = r.failure !== null && !failedCheckers.has(r.failure.checker);
    if (r.failure) failedCheckers.add(r.failure.checker);
    addRun(summary, r, file, replay);
    if (r.failure) {
      if (showProgress) io.stderr.write('\r\x1b[K');
      const shrunk = r.reproducer && file ? ` — shrunk to ${r.reproducer.steps} step(s) in ${r.reproducer.shrinkRuns} runs → ${file}` : '';
      const own = flags.bugs.length > 0 && !r.attributable ? ' [fails without the planted bug too: the model\'s own]' : '';
      if (firstOfChecker) {
        say(`${c.red('✗')} case ${r.caseSeed} (index ${r.index}): ${r.failure.checker}${own}: ${r.failure.message}${shrunk}\n    ${replay}\n`);
      } else {
        // Later failures of a checker already shown: one line each, so a CI log stays readable.
        say(`${c.red('✗')} case ${r.caseSeed} (index ${r.index}): ${r.failure.checker}${own} again — ${replay}\n`);
      }
    }
    progress();
  };

  const worker = async (runner: (typeof pool.runners)[number]): Promise<void> => {
    while (!outOfWork()) {
      const index = shardIndex(flags.shard, next++);
      inFlight.set(index, caseSeedOf(flags.seed, index));
      try {
        record(await runner.run(index, [...shrunkCheckers]));
      } catch (e) {
        if (interrupted) return;
        internalErrors++;
        io.stderr.write(`\nreplsim fuzz: internal error on case ${caseSeedOf(flags.seed, index)} (index ${index}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      } finally {
        inFlight.delete(index);
      }
    }
  };
  const ticker = showProgress ? setInterval(progress, 500) : setInterval(progress, PROGRESS_LINE_EVERY_MS);
  try {
    await Promise.all(pool.runners.map((r) => worker(r)));
  } finally {
    if (ticker) clearInterval(ticker);
    unregister?.();
    await Promise.all(pool.runners.map((r) => r.close()));
  }
  if (interrupted) return interruptExitCode(stopSignal);
  if (showProgress) io.stderr.write('\r\x1b[K');
  summary.elapsedMs = now() - started;
  const cpu = pool.runners.reduce<number | null>((sum, r) => (sum === null || r.cpuMs === null ? null : sum + r.cpuMs), 0);
  if (cpu !== null) summary.runCpuMs = cpu;
  const written = writeSummary(flags.out, summary);
  if (written !== null) io.stderr.write(`replsim fuzz: ${written}\n`);
  io.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  if (stoppedAtMaxFailures) say(`stopped after ${summary.failedRuns} failed run(s) (--max-failures ${flags.maxFailures ?? ''})\n`);
  if (!flags.json) {
    // The cases run were indices 0 … next-1 of this shard: --runs next runs exactly them again,
    // which is what a time-limited campaign needs to be re-run elsewhere.
    const reached = flags.runs === null || stoppedAtMaxFailures ? ` (${flags.runs === null ? `--time ${flags.timeText ?? ''}` : `--max-failures ${flags.maxFailures ?? ''}`} reached --runs ${next})` : '';
    io.stdout.write(`campaign seed ${flags.seed}${flags.seedGiven ? '' : ' (fresh)'}${reached}: npx replsim fuzz --seed ${flags.seed} --profile ${flags.profile}${bugFlags(flags.bugs)} --runs ${next}${shardFlag} runs the same cases again\n`);
  }
  if (internalErrors > 0) return EXIT_INTERNAL;
  return summary.failedRuns > 0 ? EXIT_FAILED : EXIT_OK;
}

/** Writes summary.json; returns why it could not (the summary is still printed), or null. */
function writeSummary(dir: string, summary: FuzzSummary): string | null {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
    return null;
  } catch (e) {
    return `cannot write ${join(dir, SUMMARY_FILE)}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

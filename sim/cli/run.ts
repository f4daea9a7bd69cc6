/**
 * `replsim run FILE…`: load every file (any invalid one stops everything with exit 2),
 * then run them one after another, printing header, timeline, nodes, expectations and the
 * replay line — or one JSON document per run, or one verdict line. The seed is printed
 * before each run starts and on every way out: pass, fail, crash, Ctrl-C.
 */
import { determinismVerdict } from './check-determinism.js';
import { ALL_PLANTED_BUGS, isAnyPlantedBug } from '../scenario/planted-bugs.js';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from './cli-args.js';
import type { ChalkInstance } from 'chalk';
import { formatClock } from '../engine/index.js';
import type { RunOptions, RunResult } from '../scenario/result.js';
import type { Scenario } from '../scenario/scenario.js';
import { inProcessExecutor } from './executor.js';
import { formatHeader, type SeedSource } from './format-header.js';
import { formatExpectations, formatFooter, formatLiveness, formatNodes, formatVerdict } from './format-report.js';
import { formatReplays } from './format-replay.js';
import { formatClientWrites, formatFailovers, formatSentinels } from './format-failovers.js';
import { formatTimeline } from './format-timeline.js';
import { formatDurability } from './format-durability.js';
import { replayCommand } from './format-units.js';
import { RUN_HELP } from './help.js';
import { colorsFor, EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, interruptExitCode, type CliIO } from './io.js';
import { loadAll } from './scenario-files.js';
import { applyCostsFlag } from './costs-file.js';
import { traceKindProblem } from '../scenario/timeline-events.js';
import { usageError } from './usage.js';

interface RunFlags {
  seed?: string;
  json: boolean;
  quiet: boolean;
  noColor: boolean;
  traceKinds?: string[] | 'all';
  bugs?: string[];
  checkDeterminism?: 'memory' | 'process';
  liveness: boolean;
  strict: boolean;
  /** --costs FILE: laid over every scenario's costs (as report and sweep do), and part of the replay line. */
  costs?: string;
}

/** node:util parseArgs has no optional option values, so a bare --trace means --trace=all. */
function parseRunArgs(args: string[]): { flags: RunFlags; files: string[]; help: boolean } {
  // `--trace net` reads net as a FILE (the kinds go after '='): say so instead of "net: no such file".
  const i = args.indexOf('--trace');
  const next = args[i + 1];
  if (i >= 0 && next !== undefined && !next.startsWith('-') && !existsSync(next) && next.split(',').every((k) => traceKindProblem(k.trim()) === null)) {
    throw new Error(`--trace takes its kinds after "=": --trace=${next} (a bare --trace shows every kind)`);
  }
  const normalized = args.map((a) => (a === '--trace' ? '--trace=all' : a === '--check-determinism' ? '--check-determinism=memory' : a));
  const { values, positionals } = parseArgs({
    args: normalized,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      json: { type: 'boolean' },
      trace: { type: 'string' },
      bug: { type: 'string', multiple: true },
      'check-determinism': { type: 'string' },
      liveness: { type: 'boolean' },
      strict: { type: 'boolean' },
      costs: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const flags: RunFlags = { json: values.json ?? false, quiet: values.quiet ?? false, noColor: values['no-color'] ?? false, liveness: values.liveness ?? false, strict: values.strict ?? false };
  if (values.seed !== undefined) {
    if (values.seed.trim() === '') throw new Error('--seed needs a non-empty value');
    flags.seed = values.seed;
  }
  if (values.costs !== undefined) flags.costs = values.costs;
  if (values.trace !== undefined) {
    const kinds = values.trace.split(',').map((k) => k.trim()).filter((k) => k !== '');
    for (const k of kinds) {
      const problem = k === 'all' ? null : traceKindProblem(k);
      if (problem !== null) throw new Error(problem);
    }
    flags.traceKinds = kinds.length === 0 || kinds.includes('all') ? 'all' : kinds;
  }
  if (values.bug !== undefined) {
    for (const b of values.bug) {
      if (!isAnyPlantedBug(b)) throw new Error(`unknown --bug "${b}"; planted bugs: ${Object.keys(ALL_PLANTED_BUGS).join(', ')}`);
    }
    flags.bugs = values.bug;
  }
  const cd = values['check-determinism'];
  if (cd !== undefined) {
    if (cd !== 'memory' && cd !== 'process') throw new Error(`--check-determinism takes no value, or =process (got "${cd}")`);
    flags.checkDeterminism = cd;
  }
  return { flags, files: positionals, help: values.help ?? false };
}

/** Different on every call; only used when neither --seed nor the file names one. */
function freshSeed(): string {
  return randomBytes(4).toString('hex');
}

/** A RunResult for a run that threw: the seed is known because the CLI chose it up front. */
function crashResult(s: Scenario, seed: string, e: unknown, lastVirtualUs: number, wallMs: number): RunResult {
  const err = e instanceof Error ? e : new Error(String(e));
  const timeUs = (err as { timeUs?: unknown }).timeUs;
  return {
    scenario: s.name, file: s.file, seed, ok: false, traceHash: '',
    virtualTimeUs: typeof timeUs === 'number' ? timeUs : lastVirtualUs,
    events: 0, wallMs, nodes: {}, commands: [], expectations: [],
    convergence: { ok: false, problems: [] }, timeline: [],
    error: err.name === 'Error' ? err.message : `${err.name}: ${err.message}`,
  };
}

export async function runCommand(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseRunArgs(args);
  } catch (e) {
    return usageError(io, (e as Error).message, 'run');
  }
  if (parsed.help) {
    io.stdout.write(RUN_HELP);
    return EXIT_OK;
  }
  const { flags, files } = parsed;
  if (files.length === 0) return usageError(io, 'run needs at least one scenario FILE', 'run');
  const loaded = loadAll(files, io.stderr);
  if (loaded === null) return EXIT_USAGE;
  // A bad --costs file stops everything before the first run, as an invalid scenario does.
  const scenarios: Scenario[] = [];
  for (const s of loaded) {
    const withCosts = applyCostsFlag(s, flags.costs, io.stderr);
    if (withCosts === null) return EXIT_USAGE;
    scenarios.push(withCosts);
  }
  const replayFlags = { bugs: flags.bugs ?? [], liveness: flags.liveness, strict: flags.strict, ...(flags.costs !== undefined ? { costs: flags.costs } : {}) };

  const c = colorsFor(io, flags.noColor);
  const execute = io.execute ?? inProcessExecutor;
  const human = !flags.json && !flags.quiet;
  const showProgress = human && io.stderr.isTTY === true;
  let current: { scenario: Scenario; seed: string; virtualUs: number } | null = null;
  const unregister = io.onInterrupt?.((signal) => {
    const what = signal === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted';
    if (current) {
      const { scenario, seed, virtualUs } = current;
      io.stderr.write(`\n${what}: ${scenario.name} at virtual time ${formatClock(virtualUs)}s; seed ${seed}\n` +
        `replay: ${replayCommand(scenario.file, seed, replayFlags)}\n`);
      // --json promises one document per run: the interrupted one gets a short one.
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({ scenario: scenario.name, file: scenario.file, seed, ok: false, interrupted: signal ?? 'SIGINT', virtualTimeUs: virtualUs })}\n`);
      }
    } else {
      io.stderr.write(`\n${what}\n`);
    }
    io.exit?.(interruptExitCode(signal));
  });

  let code = EXIT_OK;
  try {
    for (const scenario of scenarios) {
      const source: SeedSource = flags.seed !== undefined ? 'flag' : scenario.seed !== null ? 'file' : 'fresh';
      const seed = flags.seed ?? scenario.seed ?? (io.newSeed ?? freshSeed)();
      current = { scenario, seed, virtualUs: 0 };
      const run = current;
      if (human) io.stdout.write(`${formatHeader(scenario, seed, source, c)}\n`);
      const opts: RunOptions = {
        seed,
        onProgress: (virtualUs) => {
          run.virtualUs = virtualUs;
          if (showProgress) io.stderr.write(`\r  ${formatClock(virtualUs)}s of ${formatClock(scenario.durationUs)}s`);
        },
      };
      if (flags.traceKinds !== undefined) opts.traceKinds = flags.traceKinds;
      if (flags.bugs !== undefined) opts.bugs = flags.bugs;
      if (flags.liveness) opts.liveness = true;
      if (flags.strict) opts.strict = true;
      const started = Date.now();
      let result: RunResult;
      try {
        result = await execute(scenario, opts);
      } catch (e) {
        result = crashResult(scenario, seed, e, run.virtualUs, Date.now() - started);
        const stack = e instanceof Error && e.name !== 'SimulationAssertion' ? e.stack : undefined;
        if (stack !== undefined && human) io.stderr.write(`${stack}\n`);
      }
      if (showProgress) io.stderr.write('\r\x1b[K');
      if (Array.isArray(flags.traceKinds)) io.stderr.write(unmatchedTraceKinds(flags.traceKinds, result));
      if (!result.ok) code = Math.max(code, EXIT_FAILED);
      if (result.stopped === true) {
        // A limit reached at run time (scenarios/FORMAT.md, Limits): the scenario asks too much, replsim is not wrong.
        code = Math.max(code, EXIT_USAGE);
        io.stderr.write(`replsim: ${scenario.name} stopped at a run-time limit (scenarios/FORMAT.md, Limits): ${result.error!.split('\n')[0]}\n`);
      } else if (result.error !== undefined) {
        // The file was valid, so a run that throws is a bug in replsim: say so, with the seed to replay it.
        code = EXIT_INTERNAL;
        io.stderr.write(`replsim: internal error in ${scenario.name} (a bug in replsim, please report it with this line): seed ${seed}; ` +
          `replay: ${replayCommand(scenario.file, seed, replayFlags)}\n`);
      }
      if (flags.checkDeterminism !== undefined && result.error === undefined) {
        const verdict = await determinismVerdict(scenario, opts, result, flags.checkDeterminism);
        io.stderr.write(verdict.text);
        if (!verdict.ok) code = Math.max(code, EXIT_FAILED);
      }
      try {
        reportRun(result, flags, io, c, scenarios.length > 1);
      } catch (e) {
        // A bug in reporting must not hide the seed of the run it was reporting.
        io.stderr.write(`replsim: internal error while reporting ${scenario.name} (seed ${seed}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        code = EXIT_INTERNAL;
      }
      current = null;
    }
  } finally {
    unregister?.();
  }
  return code;
}

/**
 * A --trace kind is checked only by its family before the run (kinds are recorded all over
 * the model, some built at run time): one that then matched no record of the run — a typo
 * such as repl.bakclog, or an event that did not happen — is said so on stderr, not left as
 * a silently empty selection.
 */
function unmatchedTraceKinds(kinds: readonly string[], result: RunResult): string {
  if (result.error !== undefined) return '';
  return kinds.filter((k) => !result.timeline.some((e) => e.kind.startsWith(k)))
    .map((k) => `replsim: --trace ${k}: no record of ${result.scenario} has a kind starting with "${k}" (a misspelt event, or one that did not happen in this run)\n`)
    .join('');
}

function reportRun(result: RunResult, flags: RunFlags, io: CliIO, c: ChalkInstance, several: boolean): void {
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.error !== undefined) io.stderr.write(`replsim: ${result.scenario} crashed (seed ${result.seed}): ${result.error}\n`);
  } else if (flags.quiet) {
    io.stdout.write(formatVerdict(result, c, flags.costs));
  } else {
    const parts = [formatTimeline(result, c), formatNodes(result, c), formatReplays(result, c), formatDurability(result, c), formatSentinels(result, c), formatFailovers(result, c), formatClientWrites(result, c), formatExpectations(result, c), formatLiveness(result, c), formatFooter(result, c, flags.costs), formatVerdict(result, c, flags.costs)];
    io.stdout.write(parts.filter((part) => part !== '').join('\n'));
    if (several) io.stdout.write('\n');
  }
}

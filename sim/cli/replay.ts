/**
 * `replsim replay FILE | --seed S`: re-runs one case with every checker and shows what
 * happened: the trace hash (checked against the reproducer's), the violations with the
 * events that led to them, and the trace around the first violation (or all of it).
 */
import { parseArgs } from './cli-args.js';
import type { ChalkInstance } from 'chalk';
import { formatViolation, type Violation } from '../check/index.js';
import { formatClock, formatMicros, type Micros } from '../engine/index.js';
import { parseNonNegativeDuration } from '../engine/index.js';
import { PROFILES, profileNamed } from '../fuzz/index.js';
import { bugFlags, TRACE_HASH_LINE } from '../fuzz/index.js';
import { shellQuote } from './format-units.js';
import { ALL_PLANTED_BUGS, isAnyPlantedBug } from '../scenario/planted-bugs.js';
import type { RunResult } from '../scenario/result.js';
import type { Scenario } from '../scenario/scenario.js';
import { formatExpectations, formatVerdict } from './format-report.js';
import { formatTimeline } from './format-timeline.js';
import { REPLAY_HELP } from './fuzz-help.js';
import { colorsFor, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIO } from './io.js';
import { describeLoadError } from './scenario-files.js';
import { usageError } from './usage.js';

interface ReplayFlags {
  file: string | null;
  seed: number | null;
  profile: string;
  bugs: string[];
  aroundUs: Micros;
  checkDeterminism?: 'memory' | 'process';
  all: boolean;
  json: boolean;
  noColor: boolean;
}

function parseReplayArgs(args: string[]): { flags: ReplayFlags; help: boolean } {
  const { values, positionals } = parseArgs({
    args: args.map((a) => (a === '--check-determinism' ? '--check-determinism=memory' : a)),
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      profile: { type: 'string' },
      bug: { type: 'string', multiple: true },
      around: { type: 'string' },
      trace: { type: 'boolean' },
      'check-determinism': { type: 'string' },
      json: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const help = values.help ?? false;
  if (!help && positionals.length === 0 && values.seed === undefined) throw new Error('replay needs a FILE or --seed S');
  if (positionals.length > 1) throw new Error('replay takes one FILE');
  if (positionals.length === 1 && values.seed !== undefined) throw new Error('give a FILE or --seed, not both');
  let seed: number | null = null;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed expects a case seed (a whole number from replsim fuzz), got "${values.seed}"`);
  }
  const cd = values['check-determinism'];
  if (cd !== undefined && cd !== 'memory' && cd !== 'process') throw new Error(`--check-determinism takes no value, or =process (got "${cd}")`);
  const profile = values.profile ?? 'default';
  if (!PROFILES[profile]) throw new Error(`unknown --profile "${profile}"; profiles: ${Object.keys(PROFILES).join(', ')}`);
  const bugs = values.bug ?? [];
  for (const b of bugs) if (!isAnyPlantedBug(b)) throw new Error(`unknown --bug "${b}"; planted bugs: ${Object.keys(ALL_PLANTED_BUGS).join(', ')}`);
  return {
    help,
    flags: {
      file: positionals[0] ?? null,
      seed,
      profile,
      bugs,
      aroundUs: values.around !== undefined ? parseNonNegativeDuration(values.around, '--around') : 2_000_000,
      ...(cd !== undefined ? { checkDeterminism: cd as 'memory' | 'process' } : {}),
      all: values.trace ?? false,
      json: values.json ?? false,
      noColor: values['no-color'] ?? false,
    },
  };
}

export async function replayCommand(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseReplayArgs(args);
  } catch (e) {
    return usageError(io, (e as Error).message, 'replay');
  }
  if (parsed.help) {
    io.stdout.write(REPLAY_HELP);
    return EXIT_OK;
  }
  const { flags } = parsed;
  const c = colorsFor(io, flags.noColor);
  let scenario: Scenario;
  let expectedHash: string | null = null;
  let source: string;
  if (flags.file !== null) {
    const { parseScenario, readScenarioText } = await import('../scenario/load.js');
    let text: string;
    try {
      text = readScenarioText(flags.file);
      scenario = parseScenario(text, flags.file);
    } catch (e) {
      io.stderr.write(`${describeLoadError(flags.file, e)}\n`);
      return EXIT_USAGE;
    }
    expectedHash = TRACE_HASH_LINE.exec(text)?.[1] ?? null;
    source = flags.file;
  } else {
    const { generateCase } = await import('../fuzz/index.js');
    const { caseScenario } = await import('../fuzz/index.js');
    scenario = caseScenario(generateCase(flags.seed!, profileNamed(flags.profile)), { name: `case-${flags.seed}` });
    source = `case seed ${flags.seed} of profile ${flags.profile}`;
  }
  const { runScenario } = await import('../scenario/runner.js');
  const seed = scenario.seed ?? '1';
  if (!flags.json) io.stdout.write(`${c.bold('replay')} ${source}: ${scenario.name}, simulation seed ${seed}${bugFlags(flags.bugs)}\n`);
  const runOpts = { seed, traceKinds: 'all' as const, bugs: flags.bugs, check: true };
  const result = runScenario(scenario, runOpts);
  let determinismOk = true;
  if (flags.checkDeterminism !== undefined && result.error === undefined) {
    const { determinismVerdict } = await import('./check-determinism.js');
    // A fuzz case has no file for a child process to read: =process applies to FILE replays.
    const verdict = await determinismVerdict(flags.file !== null ? scenario : { ...scenario, file: null }, runOpts, result, flags.checkDeterminism);
    io.stderr.write(verdict.text);
    determinismOk = verdict.ok;
  }
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return result.ok && determinismOk ? EXIT_OK : EXIT_FAILED;
  }
  io.stdout.write(report(result, flags, expectedHash, c));
  const again = flags.file !== null ? `npx replsim replay ${shellQuote(flags.file)}${bugFlags(flags.bugs)}` : `npx replsim replay --seed ${flags.seed} --profile ${flags.profile}${bugFlags(flags.bugs)}`;
  io.stdout.write(`replay: ${again}\n`);
  return result.ok && determinismOk ? EXIT_OK : EXIT_FAILED;
}

function report(result: RunResult, flags: ReplayFlags, expectedHash: string | null, c: ChalkInstance): string {
  const out: string[] = [];
  const hashNote = expectedHash === null ? '' : expectedHash === result.traceHash ? c.green(' (same as recorded in the file)') : c.red(` (the file recorded ${expectedHash}: the model changed since)`);
  out.push(`trace hash ${result.traceHash}${hashNote}; ${result.events} events, ${formatMicros(result.virtualTimeUs)} simulated`);
  if (result.error !== undefined) out.push(c.red(`the simulation threw: ${result.error}`));
  const violations = result.check?.violations ?? [];
  const first = violations.reduce<Violation | null>((a, v) => (a === null || v.t < a.t ? v : a), null);
  for (const r of result.check?.results ?? []) {
    const mark = r.ok ? c.green('✓') : c.red('✗');
    out.push(`${mark} ${r.checker}${r.notes.length > 0 ? c.dim(` — ${r.notes.join('; ')}`) : ''}`);
    for (const v of r.violations) {
      out.push(`    ${c.red(formatViolation(v))}`);
      for (const e of v.events) {
        const fields = Object.entries(e).filter(([k]) => k !== 't' && k !== 'node' && k !== 'kind').map(([k, x]) => `${k}=${String(x)}`).join(' ');
        out.push(c.dim(`        ${formatClock(e.t)}s ${e.node ?? '-'} ${e.kind} ${fields}`));
      }
    }
    for (const a of r.anomalies) out.push(`    ${c.yellow(`anomaly (documented): ${a.message}`)}`);
  }
  const centre = first?.t ?? null;
  const window = flags.all || centre === null
    ? result
    : { ...result, timeline: result.timeline.filter((e) => Math.abs(e.t - centre) <= flags.aroundUs), commands: result.commands.filter((x) => Math.abs(x.at - centre) <= flags.aroundUs) };
  if (flags.all || centre !== null) {
    const title = flags.all ? 'the whole trace' : `trace from ${formatMicros(Math.max(0, centre! - flags.aroundUs))} to ${formatMicros(centre! + flags.aroundUs)} (violation at ${formatMicros(centre!)})`;
    out.push('', c.bold(title));
    out.push(formatTimeline(window, c).replace(/^.*\n/, ''));
  }
  const exp = formatExpectations(result, c);
  if (exp !== '') out.push(exp);
  out.push(formatVerdict(result, c));
  return `${out.join('\n')}`;
}

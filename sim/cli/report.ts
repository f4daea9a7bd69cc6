/**
 * `replsim report FILE [--seed S] [--out DIR] [--costs FILE]`: one run, written as a
 * timing report (index.html, report.md, data.json). The seed is printed before the run
 * and with the result, as for `run`.
 */
import { parseArgs } from './cli-args.js';
import { join } from 'node:path';
import { formatBytes, formatDuration } from '../report/format.js';
import type { ReportData } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import { timeToSwitch } from '../report/chart-failover.js';
import { applyCostsFlag } from './costs-file.js';
import { replayCommand } from './format-units.js';
import { EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, interruptExitCode, type CliIO } from './io.js';
import { outputDirProblem } from './output-dir.js';
import { REPORT_HELP } from './report-help.js';
import { reportRunners, type ReportRunners } from './report-pool.js';
import { loadAll } from './scenario-files.js';
import { usageError } from './usage.js';

/** A directory name from a scenario name: letters, digits, - and _ only. */
export function reportDirName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
}

export function summaryLine(d: ReportData): string {
  const s = d.summary;
  const rec = s.recoveries.filter((r) => r.recoveryUs !== null).map((r) => r.recoveryUs!);
  const never = s.recoveries.filter((r) => r.recoveryUs === null).length;
  return [
    `${s.fullSyncs} full, ${s.partialSyncs} partial, ${s.abortedSyncs} aborted sync(s)${s.syncLoop ? ' — a sync loop' : ''}`,
    s.recoveries.length === 0 ? 'no faults' : `worst recovery ${rec.length > 0 ? formatDuration(Math.max(...rec)) : '—'}${never > 0 ? ` (${never} not recovered)` : ''}`,
    `peak output buffer ${formatBytes(s.peakOutputBuffer?.bytes ?? 0)}`,
    `${s.writesRefused} writes refused, ${s.staleReads} stale reads`,
    ...sentinelSummary(d),
  ].join('; ');
}

/** With Sentinels: failovers switched, the first one's fault → +switch-master, outage and lost writes. */
function sentinelSummary(d: ReportData): string[] {
  const s = d.sentinel;
  if (!s) return [];
  const switched = s.failovers.filter((f) => f.outcome === 'switched');
  const sw = switched[0] === undefined ? null : timeToSwitch(switched[0]);
  const after = switched[0]?.fault === null ? 'its first Sentinel event' : 'its fault';
  const out = [`${switched.length} of ${s.failovers.length} failover(s) switched${sw !== null ? ` (the first ${formatDuration(sw)} after ${after})` : ''}`];
  if (s.clients.length > 0) out.push(`${s.outageUs === 0 ? '0 s' : formatDuration(s.outageUs)} without a writable master, ${s.writes?.lost ?? 0} acknowledged writes lost`);
  return out;
}

export async function reportCommand(args: string[], io: CliIO, runners: ReportRunners = reportRunners()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        out: { type: 'string' },
        costs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usageError(io, (e as Error).message, 'report');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) return usageError(io, 'report needs exactly one scenario FILE', 'report');
  if (values.seed !== undefined && values.seed.trim() === '') return usageError(io, '--seed needs a non-empty value', 'report');
  const loaded = loadAll(positionals, io.stderr);
  if (loaded === null) return EXIT_USAGE;
  const withFlag = applyCostsFlag(loaded[0]!, values.costs, io.stderr);
  if (withFlag === null) return EXIT_USAGE;
  const scenario = withFlag;
  const seed = values.seed ?? scenario.seed ?? '1';
  const dir = values.out ?? join('reports', reportDirName(scenario.name));
  const outProblem = outputDirProblem(dir);
  if (outProblem !== null) return usageError(io, `--out: ${outProblem}`, 'report');
  io.stdout.write(`report ${scenario.name}, seed ${seed} → ${dir}\n`);
  const unregister = io.onInterrupt?.((signal) => {
    io.stderr.write(`\n${signal === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted'}: ${scenario.name}, seed ${seed}\nreplay: ${replayCommand(scenario.file, seed, values.costs !== undefined ? { costs: values.costs } : {})}\n`);
    io.exit?.(interruptExitCode(signal));
  });
  try {
    const data = await runners.report(scenario, seed);
    const w = writeReport(data, dir);
    io.stdout.write(`  ${w.html}\n  ${w.markdown}\n  ${w.json}\n  ${summaryLine(data)}\n`);
    if (data.run.error !== null) {
      io.stderr.write(`replsim: internal error: the run crashed (a bug in replsim, please report it; seed ${seed}): ${data.run.error}\nreplay: ${replayCommand(scenario.file, seed, values.costs !== undefined ? { costs: values.costs } : {})}\n`);
      io.stdout.write(`seed ${seed}  trace ${data.run.traceHash}\n`);
      return EXIT_INTERNAL;
    }
    else if (!data.run.ok) io.stdout.write(`  expectations failed: ${data.run.expectations.filter((e) => !e.ok).map((e) => e.description).join('; ')}\n`);
    io.stdout.write(`seed ${seed}  trace ${data.run.traceHash}\n`);
    return data.run.ok ? EXIT_OK : EXIT_FAILED;
  } catch (e) {
    io.stderr.write(`replsim: internal error: report failed (a bug in replsim, please report it; seed ${seed}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_INTERNAL;
  } finally {
    unregister?.();
  }
}

/**
 * What a campaign covered and found, as one JSON-able record that shards write and
 * `replsim fuzz --merge` adds up: runs, simulated events and virtual time, faults injected
 * by kind, full and partial syncs, and the failures (reproducer files and case seeds).
 */
import { formatMicros } from '../engine/index.js';
import type { RunRecord } from './campaign.js';
import type { DeterminismFinding } from './case-determinism.js';
import type { Shard } from './shards.js';

export interface FoundFailure {
  checker: string;
  caseSeed: number;
  index: number;
  message: string;
  /** With planted bugs: false when the case fails without them too (a model bug, not the plant). */
  attributable: boolean;
  /** Written reproducer (shrunk), if this failure got one. */
  file: string | null;
  steps: number | null;
  originalSteps: number | null;
  replay: string;
  /** A `determinism` failure: where two runs of the case part ways. */
  determinism?: DeterminismFinding;
}

export interface FuzzSummary {
  version: 1;
  campaignSeed: string;
  profile: string;
  bugs: string[];
  shards: string[];
  runs: number;
  failedRuns: number;
  events: number;
  virtualUs: number;
  /** Sum of the runs' wall time (CPU time spent simulating, over all workers). */
  runWallMs: number;
  /**
   * CPU time of the threads that ran the cases, summed over the runs (each worker thread's
   * own utime + stime: not the main thread, nor V8's GC and compiler threads). Absent where
   * the platform cannot tell a thread's CPU time (no /proc).
   */
  runCpuMs?: number;
  /** Wall-clock length of the campaign (the longest shard when merged). */
  elapsedMs: number;
  faults: Record<string, number>;
  syncsFull: number;
  syncsPartial: number;
  failuresByChecker: Record<string, number>;
  /** Case seeds of every failed run, by checker (the detailed list below keeps the first few). */
  failureSeeds: Record<string, number[]>;
  failures: FoundFailure[];
  /** Set when the campaign was stopped by a signal: the numbers cover the runs done by then. */
  interrupted?: boolean;
}

/** Failures listed per checker beyond the one with a reproducer. */
const MAX_LISTED_PER_CHECKER = 5;

export function emptySummary(campaignSeed: string, profile: string, bugs: string[], shard: Shard): FuzzSummary {
  return {
    version: 1, campaignSeed, profile, bugs, shards: [`${shard.index}/${shard.count}`], runs: 0, failedRuns: 0, events: 0,
    virtualUs: 0, runWallMs: 0, elapsedMs: 0, faults: {}, syncsFull: 0, syncsPartial: 0, failuresByChecker: {}, failureSeeds: {}, failures: [],
  };
}

export function addRun(s: FuzzSummary, r: RunRecord, file: string | null, replay: string): void {
  s.runs++;
  s.events += r.stats.events;
  s.virtualUs += r.stats.virtualUs;
  s.runWallMs += r.stats.wallMs;
  s.syncsFull += r.stats.syncsFull;
  s.syncsPartial += r.stats.syncsPartial;
  for (const [k, n] of Object.entries(r.stats.faults)) s.faults[k] = (s.faults[k] ?? 0) + n;
  if (!r.failure) return;
  s.failedRuns++;
  const checker = r.failure.checker;
  const seen = s.failuresByChecker[checker] ?? 0;
  s.failuresByChecker[checker] = seen + 1;
  (s.failureSeeds[checker] ??= []).push(r.caseSeed);
  if (file === null && seen >= MAX_LISTED_PER_CHECKER) return;
  s.failures.push({
    checker,
    caseSeed: r.caseSeed,
    index: r.index,
    message: r.reproducer?.message ?? r.failure.message,
    attributable: r.attributable,
    file,
    steps: r.reproducer?.steps ?? null,
    originalSteps: r.reproducer?.originalSteps ?? null,
    replay,
    ...(r.determinism ? { determinism: r.determinism } : {}),
  });
}

/**
 * Why `x` (a parsed summary.json) is not a FuzzSummary this version can merge, or null.
 * A hand-edited or truncated file must give a message, not a TypeError halfway through.
 */
export function summaryProblem(x: unknown): string | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return 'expected a JSON object';
  const o = x as Record<string, unknown>;
  if (o['version'] !== 1) return `expected "version": 1, got ${JSON.stringify(o['version'])}`;
  for (const k of ['campaignSeed', 'profile'] as const) if (typeof o[k] !== 'string') return `expected "${k}" to be a string`;
  for (const k of ['runs', 'failedRuns', 'events', 'virtualUs', 'runWallMs', 'elapsedMs', 'syncsFull', 'syncsPartial'] as const) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `expected "${k}" to be a number ≥ 0, got ${JSON.stringify(v)}`;
  }
  for (const k of ['bugs', 'shards'] as const) {
    if (!Array.isArray(o[k]) || !(o[k] as unknown[]).every((v) => typeof v === 'string')) return `expected "${k}" to be a list of strings`;
  }
  for (const k of ['faults', 'failuresByChecker'] as const) {
    const v = o[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((n) => typeof n === 'number' && Number.isFinite(n))) {
      return `expected "${k}" to map names to numbers`;
    }
  }
  const seeds = o['failureSeeds'];
  if (seeds !== undefined && (seeds === null || typeof seeds !== 'object' || !Object.values(seeds).every((l) => Array.isArray(l) && l.every((n) => typeof n === 'number')))) {
    return 'expected "failureSeeds" to map checker names to lists of case seeds';
  }
  const failures = o['failures'];
  if (!Array.isArray(failures) || !failures.every((f) => f !== null && typeof f === 'object' && typeof (f as Record<string, unknown>)['checker'] === 'string')) {
    return 'expected "failures" to be a list of failures';
  }
  return null;
}

export function mergeSummaries(list: readonly FuzzSummary[]): FuzzSummary {
  if (list.length === 0) throw new Error('nothing to merge');
  const first = list[0]!;
  const out: FuzzSummary = { ...emptySummary(first.campaignSeed, first.profile, [...first.bugs], { index: 0, count: 1 }), shards: [] };
  const seeds = new Set<string>();
  for (const s of list) {
    seeds.add(s.campaignSeed);
    out.shards.push(...s.shards);
    out.runs += s.runs;
    out.failedRuns += s.failedRuns;
    out.events += s.events;
    out.virtualUs += s.virtualUs;
    out.runWallMs += s.runWallMs;
    out.elapsedMs = Math.max(out.elapsedMs, s.elapsedMs);
    out.syncsFull += s.syncsFull;
    out.syncsPartial += s.syncsPartial;
    for (const [k, n] of Object.entries(s.faults)) out.faults[k] = (out.faults[k] ?? 0) + n;
    for (const [k, n] of Object.entries(s.failuresByChecker)) out.failuresByChecker[k] = (out.failuresByChecker[k] ?? 0) + n;
    for (const [k, seeds] of Object.entries(s.failureSeeds ?? {})) (out.failureSeeds[k] ??= []).push(...seeds);
    out.failures.push(...s.failures);
    if (s.interrupted === true) out.interrupted = true;
  }
  if (seeds.size > 1) out.campaignSeed = [...seeds].join(',');
  // Known for the merge only if known for every shard.
  if (list.every((s) => s.runCpuMs !== undefined)) out.runCpuMs = list.reduce((sum, s) => sum + s.runCpuMs!, 0);
  return out;
}

/** Virtual time as hours/minutes/seconds. */
export function formatLong(us: number): string {
  const s = Math.floor(us / 1e6);
  if (s < 60) return formatMicros(us);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

export function formatSummary(s: FuzzSummary): string {
  const lines: string[] = [];
  const rate = s.elapsedMs > 0 ? (s.runs / (s.elapsedMs / 1000)).toFixed(1) : '–';
  lines.push(`campaign ${s.campaignSeed}, profile ${s.profile}${s.bugs.length ? `, planted bug ${s.bugs.join(', ')}` : ''}, shard ${s.shards.join(' + ')}`);
  lines.push(`  runs             ${s.runs} in ${formatLong(s.elapsedMs * 1000)} (${rate} runs/s), ${s.failedRuns} failed`);
  lines.push(`  events           ${s.events.toLocaleString('en-US')}`);
  lines.push(`  virtual time     ${formatLong(s.virtualUs)}`);
  const faults = Object.entries(s.faults).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  lines.push(`  faults injected  ${faults || 'none'}`);
  lines.push(`  syncs            ${s.syncsFull} full, ${s.syncsPartial} partial`);
  if (s.failures.length === 0) {
    lines.push('  no property failed');
  } else {
    lines.push('  failures:');
    for (const [checker, n] of Object.entries(s.failuresByChecker)) {
      lines.push(`    ${checker}: ${n} run(s)`);
      for (const f of s.failures.filter((x) => x.checker === checker)) {
        const shrunk = f.steps !== null ? ` (shrunk to ${f.steps} step(s) from ${f.originalSteps})` : '';
        const own = f.attributable ? '' : ' [fails without the planted bug too]';
        const msg = f.message.split('\n')[0] ?? ''; // a determinism failure's records follow on their own lines
        lines.push(`      seed ${f.caseSeed}${shrunk}${own}: ${msg.length > 160 ? `${msg.slice(0, 157)}...` : msg}`);
        lines.push(`        ${f.replay}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

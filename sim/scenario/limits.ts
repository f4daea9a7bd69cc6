/**
 * The limits of a scenario (scenarios/FORMAT.md "Limits"): what `validate` accepts is
 * promised to run — within the memory of a small machine (2 cores, 24 GiB), with every
 * delay a finite, non-negative integer of µs. Each limit is far above what a realistic
 * scenario needs and far below what would exhaust the heap, a string's maximum length or
 * Number.MAX_SAFE_INTEGER µs (≈ 285 years).
 */
import { formatMicros, sec } from '../engine/index.js';
import type { PathSegment } from './errors.js';
import type { Scenario } from './scenario.js';
import type { ScenarioInput } from './schema.js';

export const LIMITS = {
  /** Bytes of scenario text read; a longer file is refused before it is parsed. */
  fileBytes: 2 * 1024 * 1024,
  /** Nodes (redis-server processes). Every node ticks serverCron and keeps a keyspace. */
  nodes: 64,
  /**
   * Sentinels. Every Sentinel hears every other's hello through every monitored instance
   * (n² messages per hello period): 64 run 50 s of virtual time in ≈ 11 s, 1,068 did not
   * finish 3 s in 15 minutes.
   */
  sentinels: 64,
  /** Timeline steps. */
  timelineSteps: 10_000,
  /** Expectations. */
  expectations: 10_000,
  /** Items of `dataset:` and of `workload:`, options of one `config:` map. */
  listItems: 1000,
  /** Scenario duration: 24 h of virtual time (the cron events alone are ≈ 10⁶ per node-day). */
  durationUs: sec(24 * 3600),
  /** Keys preloaded by `dataset:`, summed over its items (keys are modelled as ranges, not objects). */
  datasetKeys: 100_000_000,
  /**
   * A value's size (dataset, workload, write): workload and write values are real strings,
   * and a JavaScript string holds at most 2²⁹ − 24 characters; Redis's own limit is
   * proto-max-bulk-len (512mb).
   */
  valueSizeBytes: 64 * 1024 * 1024,
  /** A workload's rate: a million ops/s is already beyond one Redis thread. */
  rateHz: 1_000_000,
  /**
   * Operations the workloads and `write:` steps issue in the whole run (rate × window,
   * summed): each one is a command, a reply and a history entry kept for the checkers.
   */
  operations: 20_000_000,
  /** Bytes the workloads and `write:` steps send in values (ops × value-size), summed. */
  writtenBytes: 64 * 1024 * 1024 * 1024,
  /** Bytes of a MONITOR capture a `replay:` workload reads. */
  captureBytes: 256 * 1024 * 1024,
  /** Characters of a `when:` condition (its parser and evaluator recurse per term). */
  whenChars: 1000,
  /** `databases` (Redis allocates every one at start-up). */
  databases: 1024,
  /** A one-way latency, any of its parameters (mean, stddev, median, min, max, floor, add). */
  latencyUs: sec(3600),
  /** σ of a log-normal latency: e^(σ·Z) stays below 2⁵³ µs for any Z the generator can draw. */
  lognormalSigma: 3,
} as const;

/** The numbers as scenarios/FORMAT.md states them, for messages. */
export const LIMIT_TEXT = {
  durationUs: '24h',
  valueSizeBytes: '64mb',
  writtenBytes: '64gb',
  latencyUs: '1h',
} as const;

/** Why a redis.conf value cannot run in replsim although Redis accepts it, or null. */
export function configValueProblem(option: string, config: Record<string, unknown>): { message: string; hint: string } | null {
  if (option === 'port' && config['port'] === 0) {
    return { message: 'port 0 (no TCP listener) cannot be simulated: replicas reach their master over TCP', hint: 'use a port from 1 to 65535, or leave port out (6379)' };
  }
  if (option === 'databases' && typeof config['databases'] === 'number' && config['databases'] > LIMITS.databases) {
    return { message: `expected databases ≤ ${LIMITS.databases}, got ${config['databases']}`, hint: 'Redis allocates every database at start-up; see "Limits" in scenarios/FORMAT.md' };
  }
  return null;
}

/** DEBUG subcommands replsim runs (sim/redis/commands-misc.ts, server-commands.ts). */
const MODELLED_DEBUG = ['populate', 'digest', 'digest-value', 'sleep', 'set-active-expire'];

/**
 * Why a timeline command cannot be simulated although Redis would run it, or null:
 * DEBUG subcommands that crash, reload or dump the real process, and REPLICAOF to port 0
 * (a port no node listens on).
 */
export function commandProblem(argv: readonly string[]): { message: string; hint: string } | null {
  const name = (argv[0] ?? '').toLowerCase();
  if (name === 'debug' && argv.length >= 2) {
    const sub = argv[1]!.toLowerCase();
    if (!MODELLED_DEBUG.includes(sub)) {
      return { message: `DEBUG ${argv[1]} is not modelled by replsim`, hint: `modelled: DEBUG ${MODELLED_DEBUG.map((s) => s.toUpperCase()).join(', ')}; for a crash use { crash: node }` };
    }
    // DEBUG POPULATE count [prefix] [size] preloads as dataset: does, within the same limits
    // (10^11 keys once ran for a minute and crashed).
    if (sub === 'populate') {
      const count = Number(argv[2]);
      const size = Number(argv[4]);
      if (count > LIMITS.datasetKeys) return { message: `DEBUG POPULATE of ${argv[2]} keys is over the limit of ${LIMITS.datasetKeys} keys`, hint: SEE_LIMITS };
      if (size > LIMITS.valueSizeBytes) return { message: `DEBUG POPULATE values of ${argv[4]} bytes are over the limit of ${LIMIT_TEXT.valueSizeBytes}`, hint: SEE_LIMITS };
    }
  }
  if ((name === 'replicaof' || name === 'slaveof') && argv.length === 3 && argv[1]!.toLowerCase() !== 'no') {
    const port = Number(argv[2]);
    if (Number.isInteger(port) && (port < 1 || port > 65535)) {
      return { message: `port ${argv[2]} is not a port a node listens on`, hint: 'nodes listen on their port: option (6379 unless set), e.g. "REPLICAOF m1 6379"' };
    }
  }
  return null;
}

/**
 * Commands a MONITOR replay sends in a window of `windowUs`: the capture once, or — looped —
 * once per (span / speed), so a high speed over a short capture counts as what it is.
 */
function replayOperations(r: NonNullable<Scenario['workload'][number]['replay']>, windowUs: number): number {
  if (!r.loop) return r.entries.length;
  const lapUs = Math.min(r.spanUs, r.windowUntilUs - r.windowFromUs) / r.speed;
  return lapUs > 0 ? r.entries.length * Math.max(1, windowUs / lapUs) : Infinity;
}

/** The part of CheckContext the limit checks use (a structural type keeps this file free of it). */
interface Failer {
  fail(path: readonly PathSegment[], message: string, hint?: string, onKey?: boolean): void;
}

/** The slowest workload: one operation an hour. */
const MIN_RATE_HZ = 1 / 3600;

export const SEE_LIMITS = 'see "Limits" in scenarios/FORMAT.md';

/**
 * The limits that need the whole scenario: sizes, counts and the operations and bytes the
 * workloads and write steps add up to. Each breach is one issue at the field that makes it.
 */
export function checkScenarioLimits(cx: Failer, s: Scenario, input: ScenarioInput): void {
  const over = (path: PathSegment[], what: string, got: number | string, limit: number | string): void =>
    cx.fail(path, `${what}: ${got} is over the limit of ${limit}`, SEE_LIMITS);
  if (s.durationUs > LIMITS.durationUs) over(['duration'], 'duration', formatMicros(s.durationUs), LIMIT_TEXT.durationUs);

  const listPath = (key: 'dataset' | 'workload', i: number): PathSegment[] => (Array.isArray(input[key]) ? [key, i] : [key]);
  let datasetKeys = 0;
  s.dataset.forEach((d, i) => {
    datasetKeys += d.keys;
    if (d.valueSize > LIMITS.valueSizeBytes) over([...listPath('dataset', i), 'value-size'], 'value-size', d.valueSize, LIMIT_TEXT.valueSizeBytes);
  });
  if (datasetKeys > LIMITS.datasetKeys) over(['dataset'], 'keys in the dataset', datasetKeys, LIMITS.datasetKeys);

  let ops = 0;
  let bytes = 0;
  s.workload.forEach((w, i) => {
    const path = listPath('workload', i);
    if (w.rateHz > LIMITS.rateHz) over([...path, 'rate'], 'rate', `${w.rateHz}/s`, `${LIMITS.rateHz}/s`);
    else if (w.rateHz > 0 && w.rateHz < MIN_RATE_HZ) cx.fail([...path, 'rate'], `expected a rate of at least 1/h (0.000278/s), got ${w.rateHz}/s`, SEE_LIMITS);
    if (w.valueSize > LIMITS.valueSizeBytes) over([...path, 'value-size'], 'value-size', w.valueSize, LIMIT_TEXT.valueSizeBytes);
    const n = w.replay !== undefined ? replayOperations(w.replay, w.untilUs - w.fromUs) : (w.rateHz * Math.max(0, w.untilUs - w.fromUs)) / 1e6;
    ops += n;
    bytes += n * w.valueSize;
  });
  for (const { action } of [...s.timeline, ...(s.triggered ?? [])]) {
    if (action.kind !== 'write') continue;
    ops += action.count;
    bytes += action.count * action.valueSize;
  }
  if (ops > LIMITS.operations) {
    over(s.workload.length > 0 ? ['workload'] : ['timeline'], 'operations in the run (workload rate × window, plus write: counts)', Math.round(ops), LIMITS.operations);
  }
  if (bytes > LIMITS.writtenBytes) over(s.workload.length > 0 ? ['workload'] : ['timeline'], 'bytes written in values (operations × value-size)', Math.round(bytes), LIMIT_TEXT.writtenBytes);

}

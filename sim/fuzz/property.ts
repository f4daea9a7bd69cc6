/**
 * One fuzz case as a property: run it with the checkers, classify a failure by the checker
 * that caught it, and shrink a failure to a minimal case that still fails *the same way*
 * (same checker) — fast-check would otherwise happily shrink a lost write into an unrelated
 * convergence problem. Shrinking runs the simulation for every candidate, so it gets a
 * budget counted in runs (deterministic, unlike a time limit): past it the property answers
 * "passes" without running and fast-check stops with the smallest failure found so far.
 */
import fc from 'fast-check';
import type { Violation } from '../check/index.js';
import type { TraceKind } from '../engine/index.js';
import type { RunResult } from '../scenario/result.js';
import { runScenario } from '../scenario/runner.js';
import type { Scenario } from '../scenario/scenario.js';
import { caseArb, type FuzzCase } from './case.js';
import type { Profile } from './profiles.js';
import { caseScenario, caseSteps } from './scenario-text.js';

/** Why a run failed: the checker that caught it, or `crash` (the simulation threw: a model assertion). */
export interface Failure {
  checker: string;
  message: string;
  violation: Violation | null;
}

export interface RunStats {
  events: number;
  virtualUs: number;
  wallMs: number;
  /** Fault steps injected, by kind (fault.* records; failovers are promotions). */
  faults: Record<string, number>;
  syncsFull: number;
  syncsPartial: number;
}

export interface CaseRun {
  fuzzCase: FuzzCase;
  scenario: Scenario;
  result: RunResult;
  failure: Failure | null;
  stats: RunStats;
}

export interface CaseRunOptions {
  bugs?: string[];
  samplePeriodUs?: number;
}

const FAULT_RECORDS: { readonly [K in TraceKind]?: string } = {
  'fault.partition': 'partition',
  'fault.partition-one-way': 'partition-one-way',
  'fault.kill-link': 'kill-link',
  'fault.pause': 'pause',
  'fault.crash': 'crash',
  'fault.power-loss': 'power-loss',
  'fault.latency': 'latency',
  'fault.write-burst': 'burst',
  'fault.swizzle': 'swizzle',
  'fault.clock': 'clock',
  'fault.disk': 'disk',
  'client.pause': 'client-pause',
  'replica.promoted': 'failover',
};

/** The first failure of a run, or null if every expectation held. */
export function failureOf(result: RunResult): Failure | null {
  if (result.error !== undefined) return { checker: 'crash', message: result.error.split('\n')[0] ?? result.error, violation: null };
  // The earliest violation: a root cause shows before its consequences (a prefix-consistency
  // break at 1.2 s before the convergence failure it leads to at the deadline).
  let v: Violation | undefined;
  for (const x of result.check?.violations ?? []) if (v === undefined || x.t < v.t) v = x;
  if (v) return { checker: v.checker, message: v.message, violation: v };
  // A generated step meeting an error (REPLICAOF on a node that is down) is part of the
  // fault schedule, not a property that failed.
  const bad = result.expectations.find((e) => !e.ok && e.kind !== 'command-error');
  if (bad) return { checker: 'expectation', message: `${bad.description}: got ${String(bad.actual)}`, violation: null };
  return null;
}

/** Runs a scenario with the checkers and counts what the summary reports. */
export function runFuzzScenario(scenario: Scenario, opts: CaseRunOptions = {}): { result: RunResult; stats: RunStats } {
  const stats: RunStats = { events: 0, virtualUs: 0, wallMs: 0, faults: {}, syncsFull: 0, syncsPartial: 0 };
  const result = runScenario(scenario, {
    bugs: opts.bugs ?? [],
    ...(opts.samplePeriodUs !== undefined ? { samplePeriodUs: opts.samplePeriodUs } : {}),
    observe: {
      world(w) {
        w.sim.trace.subscribe((rec) => {
          if (rec.kind === 'master.fullresync') stats.syncsFull++;
          else if (rec.kind === 'master.psync-accepted') stats.syncsPartial++;
          else {
            const f = FAULT_RECORDS[rec.kind];
            if (f) stats.faults[f] = (stats.faults[f] ?? 0) + 1;
          }
        });
      },
    },
  });
  stats.events = result.events;
  stats.virtualUs = result.virtualTimeUs;
  stats.wallMs = result.wallMs;
  return { result, stats };
}

export function runCase(c: FuzzCase, opts: CaseRunOptions = {}): CaseRun {
  const scenario = caseScenario(c);
  const { result, stats } = runFuzzScenario(scenario, opts);
  return { fuzzCase: c, scenario, result, failure: failureOf(result), stats };
}

/** The case a campaign seed stands for: what fast-check generates first from that seed. */
export function generateCase(seed: number, profile: Profile): FuzzCase {
  let generated: FuzzCase | null = null;
  fc.check(
    fc.property(caseArb(profile), (c) => {
      generated = c;
      return true;
    }),
    { seed, numRuns: 1 },
  );
  if (generated === null) throw new Error(`fast-check generated no case for seed ${seed}`);
  return generated;
}

export interface SearchOptions extends CaseRunOptions {
  /** Runs spent shrinking a failure (0: no shrinking). */
  shrinkRuns?: number;
  /** Called with the failing run (and, with planted bugs, whether the failure is theirs); false skips shrinking. */
  onFailure?: (first: CaseRun, attributable: boolean) => boolean;
  /** Stop shrinking as soon as the smallest failure so far satisfies this. */
  shrinkGoal?: (r: CaseRun) => boolean;
}

export interface SearchOutcome {
  /** The run of the case the seed stands for. */
  first: CaseRun;
  /**
   * With planted bugs: whether the failure is theirs — without them, the same case has no
   * violation of that checker. (One that fails both ways found something in the model
   * itself.) Always true without planted bugs.
   */
  attributable: boolean;
  /** When it failed: the smallest case found that fails with the same checker (and, if attributable, passes without the bugs). */
  shrunk: CaseRun | null;
  /** Simulation runs spent shrinking (each candidate with planted bugs may cost two). */
  shrinkRuns: number;
}

/** Does the run have a violation of `checker` (not only as its first failure)? */
function failsWith(r: CaseRun, checker: string): boolean {
  if (r.failure?.checker === checker) return true;
  return (r.result.check?.violations ?? []).some((v) => v.checker === checker);
}

/** Runs the case of `seed`; if it fails, shrinks it within the budget. */
export function searchSeed(seed: number, profile: Profile, opts: SearchOptions = {}): SearchOutcome {
  let budget = opts.shrinkRuns ?? 200;
  const planted = (opts.bugs ?? []).length > 0;
  const baseline: CaseRunOptions = { ...opts, bugs: [] };
  let first: CaseRun | null = null;
  let smallest: CaseRun | null = null;
  let target: string | null = null;
  let attributable = true;
  let shrinkRuns = 0;
  fc.check(
    fc.property(caseArb(profile), (c) => {
      if (target === null) {
        const r = runCase(c, opts);
        first = r;
        if (r.failure === null) return true;
        target = r.failure.checker;
        smallest = r;
        if (planted) attributable = !failsWith(runCase(c, baseline), target);
        if (opts.onFailure && !opts.onFailure(r, attributable)) budget = 0;
        return false;
      }
      if (shrinkRuns >= budget || (opts.shrinkGoal && smallest !== null && opts.shrinkGoal(smallest))) return true;
      shrinkRuns++;
      const r = runCase(c, opts);
      if (r.failure?.checker !== target) return true;
      // A planted bug's reproducer must stay the bug's: the shrunk case passes without it.
      if (planted && attributable) {
        shrinkRuns++;
        if (runCase(c, baseline).failure !== null) return true;
      }
      smallest = r;
      return false;
    }),
    { seed, numRuns: 1 },
  );
  if (first === null) throw new Error(`fast-check generated no case for seed ${seed}`);
  return { first, attributable, shrunk: smallest, shrinkRuns };
}

/** Timeline steps of a case (what "a reproducer of at most 3 steps" counts). */
export function stepCount(c: FuzzCase): number {
  return caseSteps(c).steps.length;
}

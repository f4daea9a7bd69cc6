/**
 * `--check-determinism` (FoundationDB's unseed check, pointed at the exact event): run the
 * same scenario and seed twice in fresh simulators, keep every trace record, and name the
 * first record where the runs part ways — its index, virtual time and both versions.
 */
import { canonicalRecord, firstDifference, type TraceRecord } from '../engine/index.js';
import type { RunOptions, RunResult } from './result.js';
import { runScenario } from './runner.js';
import type { Scenario } from './scenario.js';
import type { World } from './world.js';

export interface DeterminismReport {
  ok: boolean;
  hashes: [string, string];
  records: number;
  /** The first differing record, when the runs differ. */
  difference: { index: number; t: number | null; a: string | null; b: string | null } | null;
  first: RunResult;
}

/** One run, with every trace record kept. */
export function recordedRun(scenario: Scenario, opts: RunOptions): { result: RunResult; records: TraceRecord[] } {
  let world: World | null = null;
  const result = runScenario(scenario, {
    ...opts,
    traceRetention: 'all',
    observe: {
      world: (w) => {
        world = w;
        opts.observe?.world(w);
      },
    },
  });
  const w = world as World | null;
  return { result, records: w ? w.sim.trace.records() : [] };
}

export function checkDeterminism(scenario: Scenario, opts: RunOptions): DeterminismReport {
  const a = recordedRun(scenario, opts);
  const b = recordedRun(scenario, opts);
  return compareRuns(a, b);
}

export function compareRuns(
  a: { result: RunResult; records: TraceRecord[] },
  b: { result: RunResult; records: TraceRecord[] },
): DeterminismReport {
  const diff = firstDifference(a.records, b.records);
  const hashes: [string, string] = [a.result.traceHash, b.result.traceHash];
  return {
    ok: diff === null && hashes[0] === hashes[1],
    hashes,
    records: a.records.length,
    difference: diff && {
      index: diff.index,
      t: (diff.a ?? diff.b)?.t ?? null,
      a: diff.a ? canonicalRecord(diff.a) : null,
      b: diff.b ? canonicalRecord(diff.b) : null,
    },
    first: a.result,
  };
}

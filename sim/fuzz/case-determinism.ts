/**
 * `replsim fuzz --check-determinism`: every generated case runs twice more, in fresh
 * simulators with every trace record kept, and the runs are compared record by record
 * (FoundationDB's unseed check). The campaign's own run of the case is compared by hash
 * too, which catches state leaking from the cases a worker ran before. A mismatch is a
 * finding like a checker's: the first differing record (index, virtual time, both
 * versions) and the case seed. Comparing against a child process (=process) needs I/O
 * and lives in sim/cli/fuzz-determinism.ts; it reuses `canonical` from here.
 */
import { canonicalRecord } from '../engine/index.js';
import { compareRuns, recordedRun } from '../scenario/determinism.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Failure } from './property.js';

/** Where two runs of one case part ways. */
export interface DeterminismFinding {
  /** Which runs differ. */
  between: string;
  /** Index of the first differing trace record, its virtual time and both versions (null: that run had no such record). */
  index: number | null;
  t: number | null;
  a: string | null;
  b: string | null;
  hashes: [string, string];
}

export interface CaseDeterminism {
  finding: DeterminismFinding | null;
  /** The canonical trace of the first checked run, for a comparison with a child process. */
  canonical: string[];
  hash: string;
}

/** Runs the case twice (with the options the campaign runs it with) and compares the runs. */
export function checkCaseDeterminism(scenario: Scenario, opts: { bugs: string[]; samplePeriodUs?: number }): CaseDeterminism {
  const a = recordedRun(scenario, opts);
  const b = recordedRun(scenario, opts);
  const report = compareRuns(a, b);
  const canonical = a.records.map(canonicalRecord);
  const hash = a.result.traceHash;
  if (!report.ok) {
    const d = report.difference;
    return {
      finding: { between: 'two fresh runs in one process', index: d?.index ?? null, t: d?.t ?? null, a: d?.a ?? null, b: d?.b ?? null, hashes: report.hashes },
      canonical,
      hash,
    };
  }
  return { finding: null, canonical, hash };
}

/**
 * The checked runs agree, but the campaign's run of the case (after them, in a process that
 * may have run other cases before) hashes differently; its records were not kept, so only
 * the hashes can be shown.
 */
export function hashOnlyFinding(between: string, hashes: [string, string]): DeterminismFinding {
  return { between, index: null, t: null, a: null, b: null, hashes };
}

/** The first index where two canonical traces differ, with both records; null when equal. */
export function firstCanonicalDifference(a: readonly string[], b: readonly string[]): { index: number; a: string | null; b: string | null } | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return { index: i, a: a[i] ?? null, b: b[i] ?? null };
  return null;
}

/** Virtual time of a canonical record (its leading "t"). */
export function canonicalTime(rec: string | null): number | null {
  const m = rec === null ? null : /^\{"t":(-?\d+)/.exec(rec);
  return m ? Number(m[1]) : null;
}

/** A finding as a campaign failure: checker `determinism`, the record-level difference in the message. */
export function determinismFailure(f: DeterminismFinding, caseSeed: number): Failure {
  const where = f.index === null
    ? `trace hashes ${f.hashes[0]} vs ${f.hashes[1]}`
    : `first differing trace record #${f.index} at t=${f.t ?? '?'}us:\n      run 1: ${f.a ?? '(no record)'}\n      run 2: ${f.b ?? '(no record)'}`;
  return { checker: 'determinism', message: `case ${caseSeed} is not deterministic (${f.between}): ${where}`, violation: null };
}

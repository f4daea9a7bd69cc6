/**
 * A campaign: many cases, each named by a case seed derived from the campaign seed and the
 * run's index, so any slice of the index space can run anywhere — a worker thread, another
 * shard in a CI matrix — and a failure is replayed from its case seed alone
 * (`replsim replay --seed S --profile P`). Shard i/n runs the indices ≡ i (mod n).
 *
 * The first failure of each checker is shrunk and written as a reproducer; later failures
 * of the same checker are counted and listed by seed (shrinking costs hundreds of runs, and
 * the first one usually is the bug the others are).
 */
import type { Micros } from '../engine/index.js';
import { profileNamed, type Profile } from './profiles.js';
import { checkCaseDeterminism, determinismFailure, hashOnlyFinding, type DeterminismFinding } from './case-determinism.js';
import { generateCase, searchSeed, stepCount, type CaseRun, type Failure, type RunStats, type SearchOutcome } from './property.js';
import { caseScenario } from './scenario-text.js';
import { reproducerText } from './reproducer.js';
import { caseSeedOf, shardIndex, type Shard } from './shards.js';

export interface CampaignConfig {
  /** Text; every case seed is derived from it. */
  seed: string;
  profile: string;
  bugs: string[];
  shard: Shard;
  /** Simulation runs one shrink may spend. */
  shrinkRuns: number;
  samplePeriodUs?: Micros;
  /** Run each case twice more and compare (memory), and also in a child process (process: sim/cli). */
  checkDeterminism?: 'memory' | 'process';
}

/** A shrunk failure, ready to be written. */
export interface Reproducer {
  checker: string;
  caseSeed: number;
  message: string;
  node: string | null;
  t: Micros;
  /** Timeline steps of the shrunk case. */
  steps: number;
  /** Steps of the case as generated. */
  originalSteps: number;
  shrinkRuns: number;
  /** The scenario file's text. */
  text: string;
  traceHash: string;
}

export interface RunRecord {
  index: number;
  caseSeed: number;
  failure: Failure | null;
  /** With planted bugs: the failure goes away without them (else it is the model's own). */
  attributable: boolean;
  stats: RunStats;
  reproducer: Reproducer | null;
  /** The trace hash of the case's run. */
  traceHash: string;
  /** With --check-determinism: where two runs of the case differed (the failure is then `determinism`). */
  determinism?: DeterminismFinding;
  /** With --check-determinism=process: the first checked run's canonical trace, for the child's (dropped before the summary). */
  canonicalTrace?: string[];
}

/**
 * Runs one index of the campaign. `shrink` says whether a failure should be shrunk (the
 * caller knows whether this checker already has a reproducer).
 */
export function runIndex(cfg: CampaignConfig, index: number, shrink: (checker: string) => boolean): RunRecord {
  const profile: Profile = profileNamed(cfg.profile);
  const caseSeed = caseSeedOf(cfg.seed, index);
  let wantShrink = true;
  const runOpts = { bugs: cfg.bugs, ...(cfg.samplePeriodUs !== undefined ? { samplePeriodUs: cfg.samplePeriodUs } : {}) };
  const opts = { ...runOpts, shrinkRuns: cfg.shrinkRuns };
  // --check-determinism: two recorded runs first; a case that is not deterministic is not
  // shrunk (its reproducer would not replay) and reports the determinism finding instead.
  const det = cfg.checkDeterminism ? checkCaseDeterminism(caseScenario(generateCase(caseSeed, profile)), runOpts) : null;
  // Decide about shrinking only once the failure's checker is known: a budget of 0 when not.
  const outcome = searchSeed(caseSeed, profile, {
    ...opts,
    shrinkRuns: cfg.shrinkRuns,
    onFailure: (first) => {
      wantShrink = det?.finding == null && shrink(first.failure!.checker);
      return wantShrink;
    },
  });
  const traceHash = outcome.first.result.traceHash;
  const record: RunRecord = { index, caseSeed, failure: outcome.first.failure, attributable: outcome.attributable, stats: outcome.first.stats, reproducer: null, traceHash };
  if (det) {
    const finding = det.finding ?? (det.hash !== traceHash ? hashOnlyFinding("the campaign's run and a fresh run", [traceHash, det.hash]) : null);
    if (finding) {
      record.determinism = finding;
      record.failure = determinismFailure(finding, caseSeed);
      // With planted bugs: is the nondeterminism theirs? The same check without them says.
      record.attributable = cfg.bugs.length === 0 || checkCaseDeterminism(outcome.first.scenario, { ...runOpts, bugs: [] }).finding === null;
      return record;
    }
    if (cfg.checkDeterminism === 'process') record.canonicalTrace = det.canonical;
  }
  const shrunk = outcome.shrunk;
  if (record.failure && shrunk && shrunk.failure && wantShrink) {
    const f = shrunk.failure;
    record.reproducer = {
      checker: f.checker,
      caseSeed,
      message: f.message,
      node: f.violation?.node ?? null,
      t: f.violation?.t ?? shrunk.result.virtualTimeUs,
      steps: stepCount(shrunk.fuzzCase),
      originalSteps: stepCount(outcome.first.fuzzCase),
      shrinkRuns: outcome.shrinkRuns,
      text: reproducerText(shrunk.fuzzCase, f, { caseSeed, profile: cfg.profile, bugs: cfg.bugs, traceHash: shrunk.result.traceHash }),
      traceHash: shrunk.result.traceHash,
    };
  }
  return record;
}

export interface HuntOptions {
  /** Which failures count (default: any failure that is the planted bugs' own). */
  accept?: (r: CaseRun, attributable: boolean) => boolean;
  /** Stop shrinking once the reproducer satisfies this (e.g. at most 3 timeline steps). */
  shrinkGoal?: (r: CaseRun) => boolean;
}

export interface HuntResult {
  index: number;
  caseSeed: number;
  /** Cases run until the accepted failure (included). */
  runs: number;
  outcome: SearchOutcome;
}

/**
 * Runs the campaign's cases in order, in this thread, until one fails in an accepted way,
 * and shrinks that one: "a budget of N runs finds the bug". null when none did.
 */
export function hunt(cfg: CampaignConfig, maxRuns: number, opts: HuntOptions = {}): HuntResult | null {
  const profile = profileNamed(cfg.profile);
  const accept = opts.accept ?? ((_r: CaseRun, attributable: boolean) => attributable);
  for (let n = 0; n < maxRuns; n++) {
    const index = shardIndex(cfg.shard, n);
    const caseSeed = caseSeedOf(cfg.seed, index);
    let accepted = false;
    const outcome = searchSeed(caseSeed, profile, {
      bugs: cfg.bugs,
      shrinkRuns: cfg.shrinkRuns,
      ...(cfg.samplePeriodUs !== undefined ? { samplePeriodUs: cfg.samplePeriodUs } : {}),
      ...(opts.shrinkGoal ? { shrinkGoal: opts.shrinkGoal } : {}),
      onFailure: (first, attributable) => (accepted = accept(first, attributable)),
    });
    if (accepted) return { index, caseSeed, runs: n + 1, outcome };
  }
  return null;
}

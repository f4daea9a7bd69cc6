/**
 * replsim as a library: build scenarios (by hand, from YAML or generated), run them, check
 * them. With vitest and @fast-check/vitest:
 *
 *   import { test } from '@fast-check/vitest';
 *   import { expect } from 'vitest';
 *   import { runScenario, scenarioArb } from 'replsim';
 *
 *   test.prop([scenarioArb({ profile: 'quick' })])('replication survives faults', (s) => {
 *     expect(runScenario(s).ok).toBe(true);
 *   });
 *
 * (a block body: an expression-bodied arrow would return expect's value, which fast-check
 * reads as the property's verdict; README "Use replsim in your project" is tested as is).
 *
 * Generated scenarios carry `expect: [{ invariant: all }]`, so `runScenario` records the
 * run's history and runs every checker; `result.check` has their findings.
 */
export { runScenario } from './scenario/runner.js';
export { parseScenario, loadScenarioFile } from './scenario/load.js';
export type { Scenario, Expectation, Action, TimelineStep, WorkloadSpec, NodeSpec } from './scenario/scenario.js';
export type { RunResult, RunOptions, ExpectationResult } from './scenario/result.js';
export { scenarioArb, fuzzCaseArb, type ScenarioArbOptions } from './fuzz/index.js';
export { PROFILES, FAULT_KINDS, type Profile, type FaultKind } from './fuzz/index.js';
export { caseScenario, caseText } from './fuzz/index.js';
export { runCase, searchSeed, generateCase, type CaseRun, type Failure } from './fuzz/index.js';
export {
  CHECKERS,
  CHECKER_NAMES,
  HistoryRecorder,
  runCheckers,
  formatViolation,
  checkConvergence,
  checkPrefixConsistency,
  checkDurability,
  checkLiveness,
  checkMonotonicOffsets,
  checkReadOnlyReplicas,
  checkInfoConsistency,
  convergenceBound,
  type CheckReport,
  type CheckerName,
  type CheckerResult,
  type History,
  type FinalState,
  type Violation,
  type Anomaly,
} from './check/index.js';
export { PLANTED_BUGS, type PlantedBug } from './redis/index.js';

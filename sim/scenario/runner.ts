/**
 * PLACEHOLDER — NOT THE RUNNER. Created by the CLI/scenario-format work only so that
 * sim/cli compiles before the real runner lands. The owner of the runner replaces this
 * whole file; nothing else depends on its body.
 */
import type { RunOptions, RunResult } from './result.js';
import type { Scenario } from './scenario.js';

export function runScenario(_scenario: Scenario, _opts: RunOptions): RunResult {
  throw new Error('runner not built yet');
}

/**
 * Scenario text → Scenario: YAML (with positions) → zod structure and units → semantic
 * checks. Any problem becomes one ScenarioError listing every issue found, in file order,
 * each as `file:line:col path: expected …, got …` with a hint.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CheckContext } from './check-context.js';
import { ScenarioError } from './errors.js';
import { explainZodIssues } from './issues.js';
import { scenarioSchema } from './schema.js';
import { buildScenario } from './semantics.js';
import { ScenarioSource } from './source.js';
import type { Scenario } from './scenario.js';

/**
 * Parse scenario YAML. `file` is used in messages, copied into Scenario.file, and is where
 * files the scenario names (a workload's `replay:` capture) are looked up from.
 */
export function parseScenario(text: string, file: string | null = null): Scenario {
  const source = new ScenarioSource(file, text);
  const input = source.toJS();
  if (input === null || input === undefined) {
    throw source.error([{ path: [], message: 'the scenario is empty', hint: 'start with name:, nodes: and duration: (see scenarios/FORMAT.md)' }]);
  }
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) throw source.error(explainZodIssues(parsed.error.issues, scenarioSchema, input));
  const cx = new CheckContext(source, (path) => readBeside(file, path));
  const scenario = buildScenario(cx, parsed.data, file);
  if (scenario === null) throw source.error(cx.issues);
  return scenario;
}

/** A file named by the scenario, relative to the scenario file (or the working directory). */
function readBeside(scenarioFile: string | null, path: string): string | null {
  const full = isAbsolute(path) || scenarioFile === null ? path : join(dirname(scenarioFile), path);
  try {
    return readFileSync(full, 'utf8');
  } catch {
    return null;
  }
}

/** Read and parse a file. File-system errors (ENOENT…) are thrown as they are. */
export function loadScenarioFile(path: string): Scenario {
  return parseScenario(readFileSync(path, 'utf8'), path);
}

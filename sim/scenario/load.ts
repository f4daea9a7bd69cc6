/**
 * Scenario text → Scenario: YAML (with positions) → zod structure and units → semantic
 * checks. Any problem becomes one ScenarioError listing every issue found, in file order,
 * each as `file:line:col path: expected …, got …` with a hint.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { CheckContext } from './check-context.js';
import { ScenarioError } from './errors.js';
import { explainZodIssues } from './issues.js';
import { LIMITS, SEE_LIMITS } from './limits.js';
import { readAtMost } from './read-bounded.js';
import { decodeScenarioBytes } from './text-encoding.js';
import { scenarioSchema } from './schema.js';
import { buildScenario } from './semantics.js';
import { ScenarioSource, type Located } from './source.js';
import type { Scenario } from './scenario.js';

/**
 * Parse scenario YAML. `file` is used in messages, copied into Scenario.file, and is where
 * files the scenario names (a workload's `replay:` capture) are looked up from.
 */
export function parseScenario(text: string, file: string | null = null): Scenario {
  if (text.length > LIMITS.fileBytes) throw tooLarge(file);
  const source = new ScenarioSource(file, text);
  try {
    return checkScenario(source, file);
  } catch (e) {
    // Deep nesting the YAML reader took can still overflow a recursive check.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new ScenarioError([{ file, line: 1, col: 1, path: '', message: 'the document nests too deeply to check', hint: 'a scenario needs a few levels of maps and lists, not thousands' }]);
    }
    throw e;
  }
}

function checkScenario(source: ScenarioSource, file: string | null): Scenario {
  const input = source.toJS();
  if (input === null || input === undefined) {
    throw source.error([{ path: [], message: 'the scenario is empty', hint: 'start with name:, nodes: and duration: (see scenarios/FORMAT.md)' }]);
  }
  const tooMany = countLimitIssues(input);
  if (tooMany.length > 0) throw source.error(tooMany);
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    // Explaining an issue costs a walk of the schema: explain the first few, count the rest.
    const issues = parsed.error.issues;
    const shown = explainZodIssues(issues.slice(0, MAX_EXPLAINED), scenarioSchema, input);
    throw source.error(shown, issues.length - Math.min(issues.length, MAX_EXPLAINED));
  }
  const cx = new CheckContext(source, (path) => readBeside(file, path));
  const scenario = buildScenario(cx, parsed.data, file);
  if (scenario === null) throw source.error(cx.issues);
  return scenario;
}

function tooLarge(file: string | null): ScenarioError {
  return new ScenarioError([{ file, line: 1, col: 1, path: '', message: `the file is larger than ${LIMITS.fileBytes / 1024 / 1024} MB`, hint: 'a scenario is a few hundred lines; see "Limits" in scenarios/FORMAT.md' }]);
}

/** zod issues explained per file; the rest are counted. */
const MAX_EXPLAINED = 20;

/**
 * The count limits, checked on the raw document before the schema walks it: 10⁵ timeline
 * steps that each fail would otherwise each be explained.
 */
function countLimitIssues(input: unknown): Located[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return [];
  const doc = input as Record<string, unknown>;
  const out: Located[] = [];
  const count = (key: string, n: number, limit: number, what: string): void => {
    if (n > limit) out.push({ path: [key], message: `${what}: ${n} is over the limit of ${limit}`, hint: SEE_LIMITS });
  };
  if (Array.isArray(doc['timeline'])) count('timeline', doc['timeline'].length, LIMITS.timelineSteps, 'timeline steps');
  if (Array.isArray(doc['expect'])) count('expect', doc['expect'].length, LIMITS.expectations, 'expectations');
  const nodes = doc['nodes'];
  if (nodes !== null && typeof nodes === 'object' && !Array.isArray(nodes)) count('nodes', Object.keys(nodes).length, LIMITS.nodes, 'nodes');
  const sentinels = doc['sentinels'];
  if (sentinels !== null && typeof sentinels === 'object' && !Array.isArray(sentinels)) count('sentinels', Object.keys(sentinels).length, LIMITS.sentinels, 'sentinels');
  for (const key of ['dataset', 'workload'] as const) {
    if (Array.isArray(doc[key])) count(key, doc[key].length, LIMITS.listItems, `${key} items`);
  }
  const config = doc['config'];
  if (config !== null && typeof config === 'object') count('config', Object.keys(config).length, LIMITS.listItems, 'config options');
  return out;
}

/** A file named by the scenario, relative to the scenario file (or the working directory). */
function readBeside(scenarioFile: string | null, path: string): string | null {
  const full = isAbsolute(path) || scenarioFile === null ? path : join(dirname(scenarioFile), path);
  let bytes: Buffer;
  try {
    bytes = readAtMost(full, LIMITS.captureBytes + 1);
  } catch {
    return null;
  }
  if (bytes.length > LIMITS.captureBytes) {
    throw new ScenarioError([{ file: scenarioFile, line: 1, col: 1, path: '', message: `${path} is larger than ${LIMITS.captureBytes / 1024 / 1024} MB`, hint: 'replay a shorter capture (see "Limits" in scenarios/FORMAT.md)' }]);
  }
  return bytes.toString('utf8');
}

/** Read and parse a file. File-system errors (ENOENT…) are thrown as they are. */
export function loadScenarioFile(path: string): Scenario {
  return parseScenario(readScenarioText(path), path);
}

/**
 * A scenario file's text: at most the size limit read (a larger file, /dev/zero or an
 * endless pipe is refused), decoded as UTF-8 or refused with where the encoding goes wrong.
 */
export function readScenarioText(path: string): string {
  const bytes = readAtMost(path, LIMITS.fileBytes + 1);
  if (bytes.length > LIMITS.fileBytes) throw tooLarge(path);
  return decodeScenarioBytes(bytes, path);
}

/**
 * `--costs FILE`: a YAML file with a `costs:` section (what `replsim calibrate` writes),
 * checked with the scenario schema's own rules and laid over a scenario's costs.
 */
import { costModelOverrides, costsSchema } from '../scenario/costs.js';
import { readScenarioText } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { ScenarioSource } from '../scenario/source.js';
import { describeLoadError } from './scenario-files.js';

/**
 * The costs of a file: read and parsed as a scenario file is (size limit, encoding, YAML
 * errors with their line and a caret), then checked by the scenario schema's costs rules.
 * Any problem is thrown as a ScenarioError or a file-system error.
 */
export function loadCostsFile(path: string): Record<string, number> {
  const source = new ScenarioSource(path, readScenarioText(path));
  const doc = source.toJS();
  const inSection = doc !== null && typeof doc === 'object' && 'costs' in doc;
  const section = inSection ? (doc as { costs: unknown }).costs : doc;
  const parsed = costsSchema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = [...(inSection ? ['costs'] : []), ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    throw source.error([{ path: at, message: `costs${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}` }]);
  }
  return Object.fromEntries(Object.entries(parsed.data).filter((e): e is [string, number] => e[1] !== undefined));
}

/** The scenario with `costs` laid over its own `costs:` section. */
export function withCosts(s: Scenario, costs: Record<string, number>): Scenario {
  const costsText = { ...(s.costsText ?? {}), ...costs };
  return { ...s, costsText, costs: costModelOverrides(costsText) };
}

/**
 * The `--costs FILE` flag of report and sweep: the scenario with the file's costs applied,
 * or null after writing the error (a missing file named as such) to `stderr`.
 */
export function applyCostsFlag(s: Scenario, path: string | undefined, stderr: { write(text: string): unknown }): Scenario | null {
  if (path === undefined) return s;
  try {
    return withCosts(s, loadCostsFile(path));
  } catch (e) {
    stderr.write(`replsim: ${describeLoadError(path, e)}\n`);
    return null;
  }
}

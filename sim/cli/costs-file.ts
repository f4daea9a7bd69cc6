/**
 * `--costs FILE`: a YAML file with a `costs:` section (what `replsim calibrate` writes),
 * checked with the scenario schema's own rules and laid over a scenario's costs.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { costModelOverrides, costsSchema } from '../scenario/costs.js';
import type { Scenario } from '../scenario/scenario.js';
import { describeLoadError } from './scenario-files.js';

export function loadCostsFile(path: string): Record<string, number> {
  const doc = parse(readFileSync(path, 'utf8')) as unknown;
  const section = doc !== null && typeof doc === 'object' && 'costs' in doc ? (doc as { costs: unknown }).costs : doc;
  const parsed = costsSchema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: costs${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
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
    stderr.write(`replsim: ${(e as { code?: unknown }).code === 'ENOENT' ? describeLoadError(path, e) : (e as Error).message}\n`);
    return null;
  }
}

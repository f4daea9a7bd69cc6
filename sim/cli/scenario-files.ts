/**
 * Loading the FILE… arguments of `run` and `validate`: every file is read and checked
 * before anything runs, so a typo in the third file is reported before the first
 * spends a minute simulating.
 */
import { ScenarioError } from '../scenario/errors.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import type { OutStream } from './io.js';

/** The scenarios, or null after printing every file's problems to `stderr`. */
export function loadAll(files: readonly string[], stderr: OutStream): Scenario[] | null {
  const out: Scenario[] = [];
  let bad = false;
  for (const file of files) {
    try {
      const s = loadScenarioFile(file);
      for (const w of s.warnings ?? []) stderr.write(`warning: ${w}\n`);
      out.push(s);
    } catch (e) {
      bad = true;
      stderr.write(`${describeLoadError(file, e)}\n`);
    }
  }
  return bad ? null : out;
}

export function describeLoadError(file: string, e: unknown): string {
  if (e instanceof ScenarioError) return e.message;
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EISDIR') return `${file}: is a directory, not a scenario file`;
  if (code === 'EACCES') return `${file}: permission denied`;
  throw e;
}

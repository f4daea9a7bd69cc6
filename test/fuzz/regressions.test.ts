/**
 * Model bugs that replsim fuzz found and that were fixed: each reproducer (a scenario with
 * the invariants it once broke) must now pass.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const dir = join(import.meta.dirname, 'regressions');

describe('fixed model bugs found by fuzzing stay fixed', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    it(`${file} passes`, () => {
      const result = runScenario(loadScenarioFile(join(dir, file)));
      const violations = (result.check?.violations ?? []).map((v) => `${v.checker}: ${v.message}`);
      expect(violations).toEqual([]);
      expect(result.error).toBeUndefined();
      expect(result.ok).toBe(true);
    });
  }
});

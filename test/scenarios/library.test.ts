/**
 * Every scenario of the library runs and all its expectations hold. Their expectations
 * come from Redis's documented behaviour (each file's description says which), so a model
 * change that breaks one of them breaks fidelity.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('scenario library', () => {
  it('has at least 15 scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    it(`${file} passes`, () => {
      const scenario = loadScenarioFile(join(dir, file));
      const result = runScenario(scenario, {});
      const failed = result.expectations.filter((e) => !e.ok).map((e) => `${e.description}: got ${String(e.actual)}`);
      expect(result.error).toBeUndefined();
      expect(failed).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }

  it('gives the same trace hash twice for the same seed', () => {
    const scenario = loadScenarioFile(join(dir, 'quickstart.yaml'));
    const a = runScenario(scenario, { seed: 'x1' });
    const b = runScenario(scenario, { seed: 'x1' });
    const c = runScenario(scenario, { seed: 'x2' });
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.traceHash).not.toBe(c.traceHash);
  });
});

/**
 * Same seed ⇒ same trace, record for record, for the whole Redis model; and
 * --check-determinism names the first differing record when a run leaks state.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { checkDeterminism } from '../../sim/scenario/determinism.js';
import { runScenario } from '../../sim/scenario/runner.js';

const scenarios = join(import.meta.dirname, '..', '..', 'scenarios');

describe('determinism of the whole model', () => {
  it('gives identical traces for the same seed over 40 seeds, and different hashes across seeds', () => {
    const scenario = loadScenarioFile(join(scenarios, 'quickstart.yaml'));
    const short = { ...scenario, durationUs: 12_000_000 };
    const hashes = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const seed = `det-${i}`;
      const a = runScenario(short, { seed });
      const b = runScenario(short, { seed });
      expect(a.error).toBeUndefined();
      expect(b.traceHash).toBe(a.traceHash);
      hashes.add(a.traceHash);
    }
    expect(hashes.size).toBe(40);
  });

  it('--check-determinism passes a deterministic run', () => {
    const report = checkDeterminism(loadScenarioFile(join(scenarios, 'failover-psync2.yaml')), { seed: '5' });
    expect(report.ok).toBe(true);
    expect(report.difference).toBeNull();
    expect(report.records).toBeGreaterThan(20);
  });

  it('stays deterministic with every checker sampling the run (what replay --check-determinism compares)', () => {
    const report = checkDeterminism(loadScenarioFile(join(scenarios, 'chained-replicas.yaml')), { seed: '9', check: true });
    expect(report.ok).toBe(true);
    expect(report.difference).toBeNull();
  });

  it('--check-determinism catches state leaking between runs and names the first differing record', () => {
    const report = checkDeterminism(loadScenarioFile(join(scenarios, 'quickstart.yaml')), { seed: '5', bugs: ['hidden-global-state'] });
    expect(report.ok).toBe(false);
    const d = report.difference!;
    // The first record that carries a replication id is where the leak shows.
    expect(d.a).toContain('replid');
    expect(d.a).not.toBe(d.b);
    expect(d.t).not.toBeNull();
  });
});

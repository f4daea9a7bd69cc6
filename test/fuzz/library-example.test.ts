/**
 * replsim as a library in your own vitest properties (README, "Fuzzing"): generated
 * scenarios carry `expect: [{ invariant: all }]`, so `runScenario(s).ok` means every
 * checker held, and `result.check` says which failed and why. fast-check shrinks a
 * failing scenario as usual — the fault schedule first.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { PROFILES, runScenario, scenarioArb, type Scenario } from '../../sim/index.js';

// A profile is plain data: start from one and narrow it (here: no replica chains).
const flat = { profile: { ...PROFILES['quick']!, chains: false } };

describe('library use with @fast-check/vitest', () => {
  test.prop([scenarioArb({ profile: 'quick' })], { numRuns: 15, seed: 42 })('replication survives generated faults', (s: Scenario) => {
    expect(runScenario(s).ok).toBe(true);
  });

  test.prop([scenarioArb({ profile: 'failover', expect: ['{ invariant: durability }'] })], { numRuns: 5, seed: 7 })(
    'acknowledged writes survive failovers, or are lost only as Redis documents',
    (s: Scenario) => {
      const result = runScenario(s);
      expect(result.check?.results.map((r) => r.checker)).toEqual(['durability']);
      expect(result.ok).toBe(true);
    },
  );

  test('a generated scenario is an ordinary Scenario: run it with another seed, read the findings', () => {
    const s = fc.sample(scenarioArb(flat), { seed: 1, numRuns: 1 })[0]!;
    expect(s.expect).toEqual([{ kind: 'invariant', checker: 'all', line: expect.any(Number) }]);
    const result = runScenario(s, { seed: 'another-seed' });
    expect(result.check?.results.map((r) => r.checker)).toContain('prefix-consistency');
  });
});

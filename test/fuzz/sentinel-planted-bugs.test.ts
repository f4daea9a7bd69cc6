/**
 * Proof that the Sentinel checkers bite (issue 14, item 3): each planted Sentinel bug is
 * found by `replsim fuzz --profile sentinel --bug NAME --runs 300 --seed sentinel-planted`
 * and shrunk to a reproducer, kept in test/fuzz/planted/. Here, within the test budget:
 *
 *  - the campaign's first failing case (its index below) fails with the bug, in the bug's
 *    checker, and not without it (what `hunt` calls attributable);
 *  - the campaign's shrunk reproducer replays: same checker, the trace hash it recorded,
 *    and it holds without the bug.
 *
 * A case of this profile simulates minutes (the Sentinel settle bound), so the 300-run
 * search itself is the CLI campaign's job (its numbers are in README.md), not this test's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt } from '../../sim/fuzz/campaign.js';
import { failureOf } from '../../sim/fuzz/property.js';
import { TRACE_HASH_LINE } from '../../sim/fuzz/reproducer-file.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { SENTINEL_PLANTED_BUGS, type SentinelPlantedBug } from '../../sim/sentinel/planted-bugs.js';

const CAMPAIGN_SEED = 'sentinel-planted';

/** Per bug: the checker that catches it and the index of the campaign's first failure. */
const FOUND: Record<SentinelPlantedBug, { checker: string; index: number }> = {
  'sentinel-double-vote': { checker: 'sentinel-election', index: 36 },
  'sentinel-promotes-priority-zero': { checker: 'sentinel-promotion', index: 0 },
};

describe('planted Sentinel bugs are found, shrunk and replayed', () => {
  it('covers every planted Sentinel bug', () => {
    expect(Object.keys(FOUND).sort()).toEqual(Object.keys(SENTINEL_PLANTED_BUGS).sort());
  });

  for (const [bug, { checker, index }] of Object.entries(FOUND) as Array<[SentinelPlantedBug, { checker: string; index: number }]>) {
    it(`${bug}: case ${index} of campaign ${CAMPAIGN_SEED} fails ${checker} because of the bug`, () => {
      // The shard that starts at the index: hunt runs exactly that case first.
      const found = hunt({ seed: CAMPAIGN_SEED, profile: 'sentinel', bugs: [bug], shard: { index, count: 1_000_000 }, shrinkRuns: 0 }, 1);
      expect(found, 'the case did not fail because of the bug').not.toBeNull();
      expect(found!.outcome.attributable).toBe(true);
      expect(found!.outcome.first.failure!.checker).toBe(checker);
    });

    it(`${bug}: the campaign's shrunk reproducer fails the same way, and holds without the bug`, () => {
      const text = readFileSync(join(import.meta.dirname, 'planted', `${bug}.yaml`), 'utf8');
      expect(text).toContain(`{ invariant: ${checker} }`);
      const scenario = parseScenario(text, `${bug}.yaml`);
      expect(scenario.timeline.length).toBeLessThanOrEqual(3);
      const replay = runScenario(scenario, { bugs: [bug] });
      expect(failureOf(replay)?.checker).toBe(checker);
      expect(replay.traceHash).toBe(TRACE_HASH_LINE.exec(text)![1]);
      const clean = runScenario(scenario, {});
      expect(clean.expectations.filter((e) => !e.ok).map((e) => e.actual)).toEqual([]);
    });
  }
});

/**
 * Proof that the checkers bite (issue 6): for each planted bug, a fixed budget of fuzz runs
 * (the `quick` profile, a fixed campaign seed per bug, so the test is deterministic) finds
 * a case that fails *because of the bug* — the same case has no violation of that checker
 * without it — shrinks it to a scenario of at most 3 timeline steps, and the reproducer
 * written from it fails the same way when replayed: same checker, same trace hash, and it
 * passes without the bug. All five replication bugs are found.
 */
import { describe, expect, it } from 'vitest';
import { hunt, type CampaignConfig, type HuntResult } from '../../sim/fuzz/campaign.js';
import { failureOf, stepCount } from '../../sim/fuzz/property.js';
import { reproducerText } from '../../sim/fuzz/reproducer.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { PLANTED_BUGS, type PlantedBug } from '../../sim/redis/planted-bugs.js';

/** Cases a campaign may run before it must have found the bug. */
const BUDGET_RUNS = 300;
/** Simulation runs a shrink may spend. */
const SHRINK_RUNS = 200;
const MAX_STEPS = 3;

function campaign(bug: PlantedBug): CampaignConfig {
  return { seed: `planted/${bug}`, profile: 'quick', bugs: [bug], shard: { index: 0, count: 1 }, shrinkRuns: SHRINK_RUNS };
}

function huntBug(bug: PlantedBug): HuntResult | null {
  return hunt(campaign(bug), BUDGET_RUNS, { shrinkGoal: (r) => stepCount(r.fuzzCase) <= MAX_STEPS });
}

const FINDABLE: PlantedBug[] = ['psync-ignores-backlog-range', 'skip-select-after-resync', 'backlog-off-by-one', 'replica-expires-keys', 'ack-before-apply'];

describe('planted bugs are found, shrunk and replayed', () => {
  it('covers every planted replication bug', () => {
    // hidden-global-state is not a replication bug: it plants nondeterminism for
    // --check-determinism, which no single run's checkers can (or should) see.
    const replication = Object.keys(PLANTED_BUGS).filter((b) => b !== 'hidden-global-state');
    expect([...FINDABLE].sort()).toEqual(replication.sort());
  });

  for (const bug of FINDABLE) {
    it(`${bug}: found within ${BUDGET_RUNS} runs, shrunk to ≤ ${MAX_STEPS} steps, the reproducer fails the same way`, () => {
      const found = huntBug(bug);
      expect(found, `no attributable failure in ${BUDGET_RUNS} runs`).not.toBeNull();
      const { outcome, caseSeed } = found!;
      expect(outcome.attributable).toBe(true);
      const shrunk = outcome.shrunk!;
      const failure = shrunk.failure!;
      expect(failure.checker).toBe(outcome.first.failure!.checker);
      expect(stepCount(shrunk.fuzzCase)).toBeLessThanOrEqual(MAX_STEPS);

      // The reproducer as `replsim fuzz` writes it: a scenario file with the failing invariant.
      const text = reproducerText(shrunk.fuzzCase, failure, { caseSeed, profile: 'quick', bugs: [bug], traceHash: shrunk.result.traceHash });
      expect(text).toContain(`{ invariant: ${failure.checker} }`);
      const scenario = parseScenario(text, `${failure.checker}-${caseSeed}.yaml`);
      expect(scenario.timeline.length).toBeLessThanOrEqual(MAX_STEPS);
      const replay = runScenario(scenario, { bugs: [bug] });
      expect(replay.ok).toBe(false);
      expect(failureOf(replay)?.checker).toBe(failure.checker);
      expect(replay.traceHash).toBe(shrunk.result.traceHash);
      // … and it is the bug's: without it, the same file passes.
      const clean = runScenario(scenario, {});
      expect(clean.expectations.filter((e) => !e.ok).map((e) => e.actual)).toEqual([]);
    });
  }

  // skip-select-after-resync is wired as Redis would break without both guards: the full
  // resync keeps the stream DB *and* the RDB omits repl-stream-db (rdb-child.ts), so the
  // replica applies what follows in db 0 while the master writes elsewhere.
});

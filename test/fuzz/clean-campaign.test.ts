/**
 * With no bug planted, a campaign finds nothing new: a few hundred generated cases (the
 * `quick` profile, a fixed campaign seed) where every checker holds — except for failures
 * that a known bug of the model explains (known-model-bugs.ts, each with its reproducer in
 * test/fuzz/found/). Any other failure is either a new model bug or a checker's false
 * alarm, and this test prints its case seed and the command that replays it.
 */
import { describe, expect, it } from 'vitest';
import { generateCase, runCase } from '../../sim/fuzz/property.js';
import { profileNamed } from '../../sim/fuzz/profiles.js';
import { caseSeedOf } from '../../sim/fuzz/shards.js';
import { knownBugOf } from './known-model-bugs.js';

const RUNS = 250;
const SEED = 'clean-campaign';
const SENTINEL_RUNS = 6;
const SENTINEL_SEED = 'clean1';

describe('a campaign without planted bugs', () => {
  it(`finds nothing but the known model bugs in ${RUNS} runs`, () => {
    const profile = profileNamed('quick');
    const unexplained: string[] = [];
    const known = new Map<string, number>();
    let acked = 0;
    for (let i = 0; i < RUNS; i++) {
      const caseSeed = caseSeedOf(SEED, i);
      const run = runCase(generateCase(caseSeed, profile));
      const note = run.result.check?.results.find((r) => r.checker === 'durability')?.notes[0] ?? '';
      acked += Number(/^(\d+) acknowledged/.exec(note)?.[1] ?? 0);
      if (!run.failure) continue;
      const bug = knownBugOf(run);
      if (bug) known.set(bug.name, (known.get(bug.name) ?? 0) + 1);
      else unexplained.push(`case ${caseSeed} (replsim replay --seed ${caseSeed} --profile quick): ${run.failure.checker}: ${run.failure.message}`);
    }
    if (known.size > 0) console.log(`known model bugs hit: ${[...known].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    expect(unexplained).toEqual([]);
    // The durability checker had acknowledged writes to judge, not an empty history.
    expect(acked).toBeGreaterThan(100);
  });

  // The sentinel profile's runs are long (a settle bound of minutes of virtual time): a few
  // here, the 300-run campaigns in README.md. This seed's first runs fail over (elected and
  // forced), lose acknowledged writes to documented causes, and hold every checker.
  it(`sentinel profile: finds nothing in ${SENTINEL_RUNS} runs that fail over`, () => {
    const profile = profileNamed('sentinel');
    const unexplained: string[] = [];
    let switched = 0;
    let acked = 0;
    let lost = 0;
    for (let i = 0; i < SENTINEL_RUNS; i++) {
      const caseSeed = caseSeedOf(SENTINEL_SEED, i);
      const run = runCase(generateCase(caseSeed, profile));
      switched += (run.result.failovers ?? []).filter((f) => f.outcome === 'switched').length;
      acked += run.result.clientWrites?.acknowledged ?? 0;
      lost += run.result.clientWrites?.lost ?? 0;
      const checked = (run.result.check?.results ?? []).filter((r) => r.checker.startsWith('sentinel-') && !r.notes.some((n) => n.startsWith('not ')));
      expect(checked.map((r) => r.checker)).toEqual(['sentinel-agreement', 'sentinel-election', 'sentinel-promotion', 'sentinel-client-writes']);
      if (run.failure) unexplained.push(`case ${caseSeed} (replsim replay --seed ${caseSeed} --profile sentinel): ${run.failure.checker}: ${run.failure.message}`);
    }
    expect(unexplained).toEqual([]);
    expect(switched).toBeGreaterThanOrEqual(2);
    expect(acked).toBeGreaterThan(100);
    expect(lost).toBeGreaterThan(0);
  });
});

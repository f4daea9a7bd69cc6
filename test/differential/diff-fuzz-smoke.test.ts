/**
 * `replsim diff --fuzz`, smoke run: three fixed generated cases on real redis-server 7.0.15
 * and in replsim (≈ 20 s of real time). A confirmed difference fails the test with the
 * shrunk reproducer in the message. Skipped without a redis-server on the PATH.
 */
import { describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import { runCase } from '../../sim/diff/fuzz-campaign.js';

const REDIS = findRedisServer(process.env);
/** Case seeds of campaign "smoke1" (cases 1–3): a pause, commands and a crash, a dataset. */
const CASES = [820242751, 1479911907, 1288197669];

describe.skipIf(REDIS === null)('replsim diff --fuzz (smoke)', () => {
  for (const seed of CASES) {
    it(`case seed ${seed} agrees with redis-server`, async () => {
      const outcome = await runCase(0, { redisServer: REDIS!, campaignSeed: 'smoke1', runs: 1, timeMs: 0, shard: { index: 0, count: 1 }, shrinkBudget: 4, workers: 1, now: () => Date.now() }, seed);
      expect(outcome.verdict === 'different' ? `${outcome.differences.join('\n')}\n${outcome.reproducer}` : 'ok').toBe('ok');
    }, 120_000);
  }
});

/**
 * `replsim diff --fuzz`, smoke run: five fixed generated cases on real redis-server 7.0.15
 * and in replsim (34 s of scenario time, ≈ 45 s in all). A confirmed difference fails the
 * test with the shrunk reproducer in the message. Skipped without a redis-server on the PATH.
 */
import { describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import { runCase } from '../../sim/diff/fuzz-campaign.js';

const REDIS = findRedisServer(process.env);
/**
 * Case seeds of campaign "smoke1", chosen to cover the step kinds: case 0 (a chain, a dataset,
 * a workload, SAVE + crash + restart of a replica), case 1 (CONFIG SET, a link kill under
 * writes), case 20 (a partition under writes, CONFIG SET, commands on the master), case 30
 * (reads on replicas, REPLICAOF NO ONE and the others following, SAVE + crash + restart),
 * case 32 (FAILOVER TO with a dataset). Every case has its keepalive PUBLISHes.
 */
const CASES = [1520417323, 820242751, 1068852357, 612318391, 287211848];

describe.skipIf(REDIS === null)('replsim diff --fuzz (smoke)', () => {
  for (const seed of CASES) {
    it(`case seed ${seed} agrees with redis-server`, async () => {
      const outcome = await runCase(0, { redisServer: REDIS!, campaignSeed: 'smoke1', runs: 1, timeMs: 0, shard: { index: 0, count: 1 }, shrinkBudget: 4, workers: 1, now: () => Date.now() }, seed);
      expect(outcome.verdict === 'different' ? `${outcome.differences.join('\n')}\n${outcome.reproducer}` : 'ok').toBe('ok');
    }, 120_000);
  }
});

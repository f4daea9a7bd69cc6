/**
 * Liveness after faults (issue 13, item 7): after any schedule of crashes, restarts,
 * partitions and Sentinel pauses, and a heal of everything, all Sentinels agree on one
 * master address and config epoch, and that node reports role:master, within a bound derived
 * from the settings:
 *   - a failover in progress at the heal ends or aborts within failover-timeout (WAIT_START:
 *     10 s; SEND_SLAVEOF_NOONE / WAIT_PROMOTION / RECONF_SLAVES: failover-timeout);
 *   - the next one may need SDOWN (down-after + 1 s), ODOWN (≈1 s) and, after split votes or a
 *     vote for another Sentinel, 2 × failover-timeout;
 *   - hellos spread the winning config in ≈2 s; a returning old master is converted ≈10 s
 *     after its first INFO; a TILT from a pause lasts 30 s.
 * bound = 4 × failover-timeout + down-after + tilt-period + 20 s.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { SentinelWorld } from '../helpers/sentinel-world.js';

const DOWN_AFTER = 2000;
const FAILOVER_TIMEOUT = 10000;
const BOUND_S = (4 * FAILOVER_TIMEOUT + DOWN_AFTER + 30000 + 20000) / 1000;

type Step =
  | { kind: 'crash'; node: 'm1' | 'r1' | 'r2' }
  | { kind: 'restart'; node: 'm1' | 'r1' | 'r2' }
  | { kind: 'partition'; side: string[] }
  | { kind: 'heal' }
  | { kind: 'pause-sentinel'; s: 's1' | 's2' | 's3'; forS: number };

const nodeArb = fc.constantFrom('m1' as const, 'r1' as const, 'r2' as const);
const stepArb: fc.Arbitrary<{ at: number; step: Step }> = fc.record({
  at: fc.integer({ min: 0, max: 40 }),
  step: fc.oneof(
    nodeArb.map((node): Step => ({ kind: 'crash', node })),
    nodeArb.map((node): Step => ({ kind: 'restart', node })),
    fc.subarray(['m1', 'r1', 'r2', 's1', 's2', 's3'], { minLength: 1, maxLength: 5 }).map((side): Step => ({ kind: 'partition', side })),
    fc.constant<Step>({ kind: 'heal' }),
    fc.record({ s: fc.constantFrom('s1' as const, 's2' as const, 's3' as const), forS: fc.integer({ min: 1, max: 5 }) }).map(
      ({ s, forS }): Step => ({ kind: 'pause-sentinel', s, forS }),
    ),
  ),
});

const ALL = ['m1', 'r1', 'r2', 's1', 's2', 's3'];

describe('convergence after faults', () => {
  test.prop([fc.array(stepArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 1000 })], { numRuns: 12, seed: 13 })(
    'all Sentinels agree on one master and config epoch within the bound after a heal',
    (steps, seedN) => {
      const w = new SentinelWorld({ seed: `conv-${seedN}`, master: { downAfterMs: DOWN_AFTER, failoverTimeoutMs: FAILOVER_TIMEOUT } });
      w.runFor(5);
      const sorted = [...steps].sort((a, b) => a.at - b.at);
      let t = 0;
      for (const { at, step } of sorted) {
        if (at > t) {
          w.runFor(at - t);
          t = at;
        }
        switch (step.kind) {
          case 'crash':
            if (w.peer(step.node).alive) w.peer(step.node).crash();
            break;
          case 'restart':
            if (!w.peer(step.node).alive) w.peer(step.node).boot();
            break;
          case 'partition':
            w.net.partition([step.side, ALL.filter((x) => !step.side.includes(x))]);
            break;
          case 'heal':
            w.net.healAll();
            break;
          case 'pause-sentinel': {
            const s = w.sentinel(step.s);
            s.pause();
            w.runFor(step.forS);
            t += step.forS;
            s.resume();
            break;
          }
        }
      }
      w.net.healAll();
      for (const n of ['m1', 'r1', 'r2']) if (!w.peer(n).alive) w.peer(n).boot();
      const agreed = () => {
        const addrs = new Set(w.sentinels.map((s) => s.masterAddress('mymaster')!.host));
        const epochs = new Set(w.sentinels.map((s) => s.masterState('mymaster')!['config-epoch']));
        if (addrs.size !== 1 || epochs.size !== 1) return false;
        const m = [...addrs][0]!;
        return w.peer(m).role === 'master' && w.sentinels.every((s) => !s.masterState('mymaster')!['flags']!.includes('s_down'));
      };
      const ok = w.runUntil(agreed, BOUND_S);
      expect(ok, JSON.stringify(w.sentinels.map((s) => [s.name, s.masterAddress('mymaster'), s.masterState('mymaster')!.flags]))).toBe(true);
    },
  );
});

/**
 * Property (issue 13, item 7): after any schedule of faults — crashes and restarts of
 * Redis nodes and Sentinels, partitions splitting nodes and Sentinels, pauses — and a heal
 * (every partition lifted, every process running again), all Sentinels agree on one master
 * address and one config epoch within a bound derived from the settings:
 *
 *   tilt-period (a Sentinel paused > 2 s judges nothing for 30 s)
 *   + 2 × failover-timeout (the retry gate after an attempt that did not finish)
 *   + min(election-timeout, failover-timeout) (the next election)
 *   + 2 × failover-timeout (promotion, then replica reconfiguration)
 *   + down-after + ping-period (detection)
 *   + 2 × publish-period (hellos carry the new epoch)
 *   + info-period (the INFO that shows the promotion)
 *
 * and that address is a node of the cluster (§6, §9, §10.6 of redis-sentinel.md).
 * Small on purpose (a few runs of ≈2 virtual minutes); REPLSIM_FC_SEED replays another seed.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { defaultSentinelTimings } from '../../sim/sentinel/config.js';

const FC_SEED = Number(process.env['REPLSIM_FC_SEED'] ?? 13);
const DOWN_AFTER_MS = 2000;
const FAILOVER_TIMEOUT_MS = 6000;
const HEAL_AT_S = 35;

function boundMs(): number {
  const t = defaultSentinelTimings();
  return t.tiltPeriodMs + 2 * FAILOVER_TIMEOUT_MS + Math.min(t.electionTimeoutMs, FAILOVER_TIMEOUT_MS) + 2 * FAILOVER_TIMEOUT_MS
    + DOWN_AFTER_MS + t.pingPeriodMs + 2 * t.publishPeriodMs + t.infoPeriodMs;
}

const NODES = ['m1', 'r1', 'r2'];
const SENTINELS = ['s1', 's2', 's3'];
const ALL = [...NODES, ...SENTINELS];

const faultArb = fc.oneof(
  fc.record({ kind: fc.constant('crash'), who: fc.constantFrom(...ALL) }),
  fc.record({ kind: fc.constant('pause'), who: fc.constantFrom(...ALL), forS: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('partition'), side: fc.subarray(ALL, { minLength: 1, maxLength: ALL.length - 1 }) }),
);
const scheduleArb = fc.array(fc.record({ atS: fc.integer({ min: 3, max: 25 }), fault: faultArb }), { minLength: 1, maxLength: 5 });

function scenarioText(schedule: Array<{ atS: number; fault: { kind: string; who?: string; forS?: number; side?: string[] } }>): string {
  const steps = [...schedule].sort((a, b) => a.atS - b.atS).map(({ atS, fault: f }) => {
    if (f.kind === 'crash') return `  - { at: ${atS}s, crash: ${f.who} }`;
    if (f.kind === 'pause') return `  - { at: ${atS}s, pause: ${f.who}, for: ${f.forS}s }`;
    const other = ALL.filter((n) => !f.side!.includes(n));
    return `  - { at: ${atS}s, partition: [[${f.side!.join(', ')}], [${other.join(', ')}]] }`;
  });
  const heal = [`  - { at: ${HEAL_AT_S}s, heal: all }`, ...ALL.map((n) => `  - { at: ${HEAL_AT_S}s, restart: ${n} }`)];
  return [
    'name: sentinel-agreement',
    `duration: ${HEAL_AT_S + Math.ceil(boundMs() / 1000)}s`,
    'nodes: { m1: {}, r1: { replicaof: m1 }, r2: { replicaof: m1 } }',
    'sentinels: { s1: {}, s2: {}, s3: {} }',
    'sentinel:',
    '  monitor: { name: mymaster, master: m1, quorum: 2 }',
    `  down-after-milliseconds: ${DOWN_AFTER_MS}`,
    `  failover-timeout: ${FAILOVER_TIMEOUT_MS}`,
    'timeline:',
    ...steps,
    ...heal,
  ].join('\n');
}

describe('Sentinels agree after faults and a heal', () => {
  test.prop([scheduleArb, fc.string({ minLength: 1, maxLength: 6 })], { numRuns: 12, seed: FC_SEED })(
    'within the bound, every Sentinel names the same master, in the same config epoch',
    (schedule, seed) => {
      const r = runScenario(parseScenario(scenarioText(schedule)), { seed });
      expect(r.error).toBeUndefined();
      const views = SENTINELS.map((s) => r.nodes[s]!.sentinel!);
      expect(views.every((v) => v.alive)).toBe(true);
      const addresses = new Set(views.map((v) => v.masters['mymaster']!['address']));
      const epochs = new Set(views.map((v) => v.masters['mymaster']!['config-epoch']));
      expect([...addresses]).toHaveLength(1);
      expect([...epochs]).toHaveLength(1);
      expect(NODES).toContain([...addresses][0]!.split(':')[0]);
    },
  );
});

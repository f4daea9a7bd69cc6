/**
 * "Does a 5 GB dataset loop on full sync?" answered from the arithmetic, not from the
 * model's output. 5M keys × 1 KB incompressible values make a ≈ 5.19 GB RDB. The BGSAVE
 * child writes it at the calibrated 1.5 µs per key + 0.008 µs per byte ≈ 49 s (the 1 gbit
 * link, 41.5 s for those bytes, keeps up), the replica loads 5M keys at 1.65 µs each ≈ 8.3 s:
 * the sync ends ≈ 58 s after the fork. Meanwhile 5000 SETs/s of 1000-byte values (≈ 1035
 * stream bytes each, ≈ 5.2 MB/s) pile up in the master's output buffer for the replica and
 * pass the 256 MB hard limit of `client-output-buffer-limit replica 256mb 64mb 60` after
 * 2^28 / 5.2e6 ≈ 52 s — before the sync ends, so the replica is dropped and syncs again.
 * With DEBUG POPULATE's values (a 222 MB RDB) the same sync takes ≈ 18 s and completes.
 */
import { describe, expect, it } from 'vitest';
import { defaultCostModel } from '../../sim/redis/cost-model.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const KEYS = 5_000_000;
const RATE = 5000;
/** *3 $3 SET $<7> w:NNNNN $1000 <1000 bytes>, as RESP. */
const SET_STREAM_BYTES = 4 + 9 + (4 + 7 + 2) + (7 + 1000 + 2);

function scenario(values: string, durationS: number): string {
  return `
name: sizing-5gb
seed: 1
duration: ${durationS}s
config: { repl-diskless-sync-delay: 0 }
nodes: { m1: {}, r1: { replicaof: m1 } }
dataset: { node: m1, keys: ${KEYS}, value-size: 1kb, values: ${values} }
workload:
  - { node: m1, rate: ${RATE}/s, keys: 100000, key-prefix: w, value-size: 1000 }
`;
}

describe('dataset values: a 5 GB dataset of incompressible values loops on full sync', () => {
  it('hits the 256 MB hard output-buffer limit before the sync ends', () => {
    const c = defaultCostModel();
    const rdbBytes = KEYS * (1 + 1 + 11 + 2 + 1024); // type, key length, "key:NNNNNNN", value length, value
    const syncEndS = (KEYS * c.rdbSaveUsPerKey + rdbBytes * c.rdbSaveUsPerByte + KEYS * c.rdbLoadUsPerKey) / 1e6;
    const limitS = 256 * 2 ** 20 / (RATE * SET_STREAM_BYTES);
    expect(limitS).toBeLessThan(syncEndS); // the arithmetic's answer: it loops

    const r = runScenario(parseScenario(scenario('random', 55)));
    const drop = r.timeline.find((e) => e.kind === 'master.cob-disconnect');
    expect(drop).toBeDefined();
    const dropS = drop!.t / 1e6;
    expect(dropS).toBeGreaterThan(limitS * 0.95);
    expect(dropS).toBeLessThan(limitS * 1.05);
    const loaded = r.timeline.find((e) => e.kind === 'replica.sync-done' || e.kind === 'replica.load-done');
    expect(loaded === undefined || loaded.t > drop!.t).toBe(true);
    expect(r.nodes['r1']!.info['master_link_status']).not.toBe('up');
  });

  it('with DEBUG POPULATE values (a ≈ 222 MB RDB) the same sync completes once', () => {
    const r = runScenario(parseScenario(scenario('populate', 25)));
    expect(r.timeline.some((e) => e.kind === 'master.cob-disconnect')).toBe(false);
    expect(r.nodes['m1']!.stats['sync_full']).toBe(1);
    expect(r.nodes['r1']!.info['master_link_status']).toBe('up');
  });
});

/**
 * The cost model's fixed parts and transfer rate reach a full sync's phases as Redis spends
 * them: the child's RDB work (rdbSaveBackground), sendBulkToSlave's pace, the replica's
 * load (readSyncBulkPayload → rdbLoad). Differences between two runs, not copied numbers.
 */
import { describe, expect, it } from 'vitest';
import { defaultCostModel, rdbLoadCost, rdbSaveCost } from '../../sim/redis/cost-model.js';
import { collectReport } from '../../sim/report/collect.js';
import type { PhaseName } from '../../sim/report/report-data.js';
import { parseScenario } from '../../sim/scenario/load.js';

const MB = 1024 * 1024;

function phases(costs: string): Record<'rdb' | 'transfer' | 'load', { us: number; bytes: number | null }> {
  const s = parseScenario(`
name: cost-phases
duration: 30s
config: { repl-diskless-sync: "no", repl-diskless-sync-delay: 0 }
network: { bandwidth: unlimited }
nodes: { m1: {}, r1: {} }
dataset: { node: m1, keys: 20000, value-size: 100 }
${costs}
timeline:
  - { at: 1s, node: r1, command: "REPLICAOF m1 6379" }
`);
  const sync = collectReport(s, { seed: 'c' }).data.syncs.find((x) => x.replica === 'r1' && x.kind === 'full')!;
  const get = (n: PhaseName): { us: number; bytes: number | null } => {
    const p = sync.phases.find((x) => x.name === n)!;
    return { us: p.endUs - p.startUs, bytes: p.bytes };
  };
  return { rdb: get('rdb'), transfer: get('transfer'), load: get('load') };
}

describe('cost model: fixed parts and the transfer rate', () => {
  it('the defaults: no fixed part for the save, 2.6 ms for the load (bench figure 8, docs/calibration.md)', () => {
    const d = defaultCostModel();
    expect(rdbSaveCost(d, 0, 0)).toBe(0);
    expect(rdbLoadCost(d, 0, 0)).toBe(2600);
    expect(rdbSaveCost({ ...d, rdbSaveBaseUs: 4000 }, 0, 0)).toBe(4000);
    expect(rdbLoadCost({ ...d, rdbLoadBaseUs: 1500 }, 10, 0)).toBe(Math.ceil(1500 + 10 * d.rdbLoadUsPerKey));
  });

  it('rdb-save-base-ms and rdb-load-base-ms lengthen the child work and the load by exactly that', () => {
    const plain = phases('costs: { rdb-save-base-ms: 0, rdb-load-base-ms: 0 }');
    const based = phases('costs: { rdb-save-base-ms: 7, rdb-load-base-ms: 3 }');
    expect(based.rdb.us - plain.rdb.us).toBe(7000);
    expect(based.load.us - plain.load.us).toBe(3000);
  });

  it('rdb-transfer-mb-per-sec paces sendBulkToSlave where the link does not', () => {
    const fast = phases('costs: { rdb-transfer-mb-per-sec: 0 }');
    const paced = phases('costs: { rdb-transfer-mb-per-sec: 20 }');
    const bytes = paced.transfer.bytes!;
    expect(bytes).toBeGreaterThan(500_000);
    // unpaced (0), an unlimited link moves it in about a µs per 16 KB chunk; at 20 MB/s it takes bytes / rate
    expect(fast.transfer.us).toBeLessThan(2_000);
    expect(paced.transfer.us / ((bytes / (20 * MB)) * 1e6)).toBeGreaterThan(0.97);
    expect(paced.transfer.us / ((bytes / (20 * MB)) * 1e6)).toBeLessThan(1.03);
  });
});

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { costsYaml, fitCosts, fitFork, fitRdbCost, fitTransferRate, medianMeasurement, type DatasetMeasurement } from '../../sim/calibrate/fit.js';
import { defaultCostModel } from '../../sim/redis/cost-model.js';
import { costModelOverrides, costsSchema } from '../../sim/scenario/costs.js';

interface ServerCosts {
  forkBaseUs: number;
  forkUsPerMb: number;
  saveBase?: number;
  saveKey: number;
  saveByte: number;
  loadBase?: number;
  loadKey: number;
  loadByte: number;
  flushKey: number;
  transferBytesPerSec?: number;
}

/** Measurements a server with exactly these costs would give. */
function synthetic(keys: number, c: ServerCosts): DatasetMeasurement {
  const used = keys * 180;
  const rdb = keys * 34;
  const plain = keys * 110;
  const save = (bytes: number): number => (c.saveBase ?? 0) + c.saveKey * keys + c.saveByte * bytes;
  const load = (bytes: number): number => (c.loadBase ?? 0) + c.loadKey * keys + c.loadByte * bytes;
  return {
    keys, valueSize: 100, usedMemoryBytes: used, rdbBytes: rdb, rdbBytesUncompressed: plain,
    saveUs: save(rdb), saveUncompressedUs: save(plain),
    forkUs: c.forkBaseUs + (c.forkUsPerMb * used) / 1048576, flushUs: c.flushKey * keys,
    loadUs: load(rdb), loadUncompressedUs: load(plain), fullSyncUs: null,
    transferUs: c.transferBytesPerSec === undefined ? null : (rdb * 1e6) / c.transferBytesPerSec,
  };
}

describe('calibration fit', () => {
  it('recovers the costs a server has, in the costs: units', () => {
    const c = { forkBaseUs: 2500, forkUsPerMb: 130, saveKey: 1.5, saveByte: 0.008, loadKey: 1.65, loadByte: 0, flushKey: 0.6 };
    const f = fitCosts([synthetic(100_000, c), synthetic(400_000, c), synthetic(1_000_000, c)]);
    expect(f['fork-base-ms']).toBeCloseTo(2.5, 2);
    expect(f['fork-ms-per-gb']).toBeCloseTo(133, 0);
    expect(f['rdb-save-base-ms']).toBe(0);
    expect(f['rdb-save-keys-per-sec']).toBe(667000);
    expect(f['rdb-save-ms-per-mb']).toBeCloseTo(8.39, 1);
    expect(f['rdb-load-base-ms']).toBe(0);
    expect(f['rdb-load-keys-per-sec']).toBe(606000);
    expect(f['rdb-load-ms-per-mb']).toBe(0);
    expect(f['flush-keys-per-sec']).toBe(1670000);
    // no transfer timed: no transfer rate written (the default, the link alone, stays)
    expect(f['rdb-transfer-mb-per-sec']).toBeUndefined();
  });

  it('recovers a fixed part, a per-key and a per-byte rate from two dataset sizes, and the transfer rate', () => {
    const c = { forkBaseUs: 300, forkUsPerMb: 150, saveBase: 4000, saveKey: 2.5, saveByte: 0.01, loadBase: 1500, loadKey: 1.2, loadByte: 0.002, flushKey: 1, transferBytesPerSec: 600 * 1048576 };
    const f = fitCosts([synthetic(10_000, c), synthetic(1_000_000, c)]);
    expect(f['rdb-save-base-ms']).toBeCloseTo(4, 6);
    expect(f['rdb-save-keys-per-sec']).toBe(400000);
    expect(f['rdb-save-ms-per-mb']).toBeCloseTo(10.5, 1);
    expect(f['rdb-load-base-ms']).toBeCloseTo(1.5, 6);
    expect(f['rdb-load-keys-per-sec']).toBe(833000);
    expect(f['rdb-load-ms-per-mb']).toBeCloseTo(2.1, 1);
    expect(f['rdb-transfer-mb-per-sec']).toBe(600);
    // The fitted model is exact at both ends (the old fit through the origin was 30–70 % off at the small one).
    const m = { ...defaultCostModel(), ...costModelOverrides({ ...f }) };
    for (const keys of [10_000, 1_000_000]) {
      const want = synthetic(keys, c).saveUs;
      expect(Math.abs((m.rdbSaveBaseUs + m.rdbSaveUsPerKey * keys + m.rdbSaveUsPerByte * keys * 34) / want - 1)).toBeLessThan(0.005);
    }
  });

  it('fits relative errors: a noisy large dataset does not swamp the small one', () => {
    const r = fitRdbCost([
      { keys: 10_000, bytes: 300_000, us: 12_000 },
      { keys: 100_000, bytes: 3_000_000, us: 110_000 },
      { keys: 1_000_000, bytes: 30_000_000, us: 1_300_000 },
    ]);
    for (const [keys, us] of [[10_000, 12_000], [100_000, 110_000], [1_000_000, 1_300_000]] as const) {
      expect(Math.abs((r.baseUs + r.usPerKey * keys + r.usPerByte * keys * 30) / us - 1)).toBeLessThan(0.2);
    }
  });

  it('drops a negative byte term (LZF costs CPU: the uncompressed RDB was faster) and fits keys on compressed saves', () => {
    const r = fitRdbCost([
      { keys: 100, bytes: 30, us: 160 },
      { keys: 100, bytes: 110, us: 50, primary: false },
    ]);
    expect(r).toEqual({ baseUs: 0, usPerKey: 1.6, usPerByte: 0 });
    // With two sizes the compressed saves alone give the fixed part and the rate.
    const two = fitRdbCost([
      { keys: 100, bytes: 30, us: 1160 },
      { keys: 100, bytes: 110, us: 50, primary: false },
      { keys: 1000, bytes: 300, us: 2600 },
      { keys: 1000, bytes: 1100, us: 500, primary: false },
    ]);
    expect(two.usPerByte).toBe(0);
    expect(two.baseUs).toBeCloseTo(1000, 6);
    expect(two.usPerKey).toBeCloseTo(1.6, 6);
  });

  it('fits the fixed and per-key parts on the sync\'s own child and load when every dataset has them, the per-byte part on SAVE pairs', () => {
    const c = { forkBaseUs: 300, forkUsPerMb: 150, saveKey: 1, saveByte: 0.01, loadKey: 1, loadByte: 0, flushKey: 1 };
    // the child in a sync: 3 ms + 1.8 µs/key + the same per-byte cost; the load in a sync: 2 ms + 1.5 µs/key
    const ms = [10_000, 100_000, 1_000_000].map((k) => {
      const m = synthetic(k, c);
      return { ...m, syncRdbUs: 3000 + 1.8 * k + 0.01 * m.rdbBytes, syncLoadUs: 2000 + 1.5 * k };
    });
    const f = fitCosts(ms);
    expect(f['rdb-save-base-ms']).toBeCloseTo(3, 2);
    expect(f['rdb-save-keys-per-sec']).toBe(556000);
    expect(f['rdb-save-ms-per-mb']).toBeCloseTo(10.5, 1);
    expect(f['rdb-load-base-ms']).toBeCloseTo(2, 2);
    expect(f['rdb-load-keys-per-sec']).toBe(667000);
    // one dataset without them: SAVE and DEBUG RELOAD speak for all
    const g = fitCosts([...ms.slice(0, 2), { ...ms[2]!, syncRdbUs: null }]);
    expect(g['rdb-save-keys-per-sec']).toBe(1e6);
    expect(g['rdb-load-keys-per-sec']).toBe(667000);
  });

  it('one dataset size gives no fixed part (it cannot be told from the per-key rate)', () => {
    const r = fitRdbCost([
      { keys: 1000, bytes: 300, us: 3000 },
      { keys: 1000, bytes: 1100, us: 3800, primary: false },
    ]);
    expect(r.baseUs).toBe(0);
    expect(r.usPerKey).toBeCloseTo(2.7, 6);
    expect(r.usPerByte).toBeCloseTo(1, 6);
  });

  it('fork: a fixed part and a part per MB, on relative errors; one size gives whichever of the two fits', () => {
    const f = fitFork([1, 2, 3], [3, 5, 7]);
    expect(f.a).toBeCloseTo(1, 9);
    expect(f.b).toBeCloseTo(2, 9);
    // 0.5 ms at 3 MB, 30 ms at 180 MB with a noisy large one: the small one stays within 25 %
    const g = fitFork([3, 18, 180, 180], [500, 1200, 20_000, 40_000]);
    expect(Math.abs((g.a + g.b * 3) / 500 - 1)).toBeLessThan(0.25);
    // one size: a rate through the origin, at the value least off relatively, Σ(1/y) / Σ(1/y²)
    const one = fitFork([10, 10], [50, 70]);
    expect(one.a).toBe(0);
    expect(one.b * 10).toBeCloseTo((1 / 50 + 1 / 70) / (1 / 2500 + 1 / 4900), 9);
  });

  it('repeats of a dataset → the median of each quantity; a transfer timed in no repeat stays null', () => {
    const c = { forkBaseUs: 300, forkUsPerMb: 150, saveKey: 2, saveByte: 0, loadKey: 1, loadByte: 0, flushKey: 1, transferBytesPerSec: 1e8 };
    const base = synthetic(10_000, c);
    const reps = [{ ...base, saveUs: 9000, forkUs: 50_000 }, { ...base, saveUs: 30_000, forkUs: 500 }, { ...base, saveUs: 10_000, forkUs: 600, transferUs: null }];
    const m = medianMeasurement(reps);
    expect([m.keys, m.saveUs, m.forkUs, m.loadUs]).toEqual([10_000, 10_000, 600, base.loadUs]);
    expect(m.transferUs).toBe(base.transferUs);
    expect(medianMeasurement([{ ...base, transferUs: null }]).transferUs).toBeNull();
  });

  it('a transfer rate is total bytes over total time; none without a timed transfer', () => {
    expect(fitTransferRate([{ bytes: 1e6, us: 1000 }, { bytes: 3e6, us: 7000 }])).toBe(5e8);
    expect(fitTransferRate([])).toBeNull();
  });

  it('prints YAML whose costs: section the scenario schema accepts', () => {
    const c = { forkBaseUs: 1000, forkUsPerMb: 30, saveKey: 1, saveByte: 0, loadKey: 1, loadByte: 0, flushKey: 1, transferBytesPerSec: 1e8 };
    const ms = [synthetic(100_000, c), synthetic(200_000, c)];
    const yaml = costsYaml(fitCosts(ms), ms, ['a header']);
    expect(yaml.startsWith('# a header\n')).toBe(true);
    expect(yaml).toContain('its child/transfer/load');
    const doc = parse(yaml) as { costs: unknown };
    expect(costsSchema.safeParse(doc.costs).success).toBe(true);
    expect(doc.costs).toHaveProperty('rdb-transfer-mb-per-sec', 95.4);
  });
});

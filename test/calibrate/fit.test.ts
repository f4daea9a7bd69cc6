import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { costsYaml, fitCosts, fitKeysAndBytes, fitLine, type DatasetMeasurement } from '../../sim/calibrate/fit.js';
import { costsSchema } from '../../sim/scenario/costs.js';

/** Measurements a server with exactly these costs would give. */
function synthetic(keys: number, c: { forkBaseUs: number; forkUsPerMb: number; saveKey: number; saveByte: number; loadKey: number; loadByte: number; flushKey: number }): DatasetMeasurement {
  const used = keys * 180;
  const rdb = keys * 34;
  const plain = keys * 110;
  return {
    keys, valueSize: 100, usedMemoryBytes: used, rdbBytes: rdb, rdbBytesUncompressed: plain,
    saveUs: c.saveKey * keys + c.saveByte * rdb, saveUncompressedUs: c.saveKey * keys + c.saveByte * plain,
    forkUs: c.forkBaseUs + (c.forkUsPerMb * used) / 1048576, flushUs: c.flushKey * keys,
    loadUs: c.loadKey * keys + c.loadByte * rdb, loadUncompressedUs: c.loadKey * keys + c.loadByte * plain, fullSyncUs: null,
  };
}

describe('calibration fit', () => {
  it('recovers the costs a server has, in the costs: units', () => {
    const c = { forkBaseUs: 2500, forkUsPerMb: 130, saveKey: 1.5, saveByte: 0.008, loadKey: 1.65, loadByte: 0, flushKey: 0.6 };
    const f = fitCosts([synthetic(100_000, c), synthetic(400_000, c), synthetic(1_000_000, c)]);
    expect(f['fork-base-ms']).toBeCloseTo(2.5, 2);
    expect(f['fork-ms-per-gb']).toBeCloseTo(133, 0);
    expect(f['rdb-save-keys-per-sec']).toBe(667000);
    expect(f['rdb-save-ms-per-mb']).toBeCloseTo(8.39, 1);
    expect(f['rdb-load-keys-per-sec']).toBe(606000);
    expect(f['rdb-load-ms-per-mb']).toBe(0);
    expect(f['flush-keys-per-sec']).toBe(1670000);
  });

  it('drops a negative byte term (LZF costs CPU: the uncompressed RDB was faster) and fits keys on compressed saves', () => {
    const r = fitKeysAndBytes([
      { keys: 100, bytes: 30, us: 160 },
      { keys: 100, bytes: 110, us: 50, primary: false },
    ]);
    expect(r.usPerByte).toBe(0);
    expect(r.usPerKey).toBeCloseTo(1.6, 6);
    expect(fitLine([1, 2, 3], [3, 5, 7])).toEqual({ a: 1, b: 2 });
  });

  it('prints YAML whose costs: section the scenario schema accepts', () => {
    const c = { forkBaseUs: 1000, forkUsPerMb: 30, saveKey: 1, saveByte: 0, loadKey: 1, loadByte: 0, flushKey: 1 };
    const ms = [synthetic(100_000, c), synthetic(200_000, c)];
    const yaml = costsYaml(fitCosts(ms), ms, ['a header']);
    expect(yaml.startsWith('# a header\n')).toBe(true);
    const doc = parse(yaml) as { costs: unknown };
    expect(costsSchema.safeParse(doc.costs).success).toBe(true);
  });
});

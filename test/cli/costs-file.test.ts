/**
 * The costs file round trip: what `replsim calibrate` writes is what `--costs` reads, with
 * the fixed parts and the transfer rate added in session 5, and a file written before they
 * existed still loads and leaves them at their defaults.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { costsYaml, fitCosts, type DatasetMeasurement } from '../../sim/calibrate/fit.js';
import { loadCostsFile, withCosts } from '../../sim/cli/costs-file.js';
import { defaultCostModel } from '../../sim/redis/cost-model.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { buildWorld } from '../../sim/scenario/world.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-costs-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = parseScenario('name: c\nduration: 1s\nnodes: { m1: {} }\n');

function measured(keys: number, baseUs: number, transferUs: number | null): DatasetMeasurement {
  return {
    keys, valueSize: 100, usedMemoryBytes: keys * 180, rdbBytes: keys * 34, rdbBytesUncompressed: keys * 110,
    saveUs: baseUs + 2 * keys, saveUncompressedUs: baseUs + 1.5 * keys, forkUs: 300 + keys / 1000, flushUs: keys,
    loadUs: baseUs / 2 + keys, loadUncompressedUs: baseUs / 2 + keys, fullSyncUs: null, transferUs,
  };
}

describe('costs file', () => {
  it('calibrate output with the new keys → --costs → the cost model', () => {
    const ms = [measured(10_000, 5000, 1000), measured(1_000_000, 5000, 60_000)];
    const file = join(dir, 'new.yaml');
    writeFileSync(file, costsYaml(fitCosts(ms), ms, ['replsim calibrate: test']));
    const costs = loadCostsFile(file);
    expect(Object.keys(costs)).toEqual(expect.arrayContaining(['rdb-save-base-ms', 'rdb-load-base-ms', 'rdb-transfer-mb-per-sec']));
    const m = buildWorld(withCosts(scenario, costs), '1').costs;
    expect(m.rdbSaveBaseUs).toBeCloseTo(5000, 6);
    expect(m.rdbSaveUsPerKey).toBeCloseTo(2, 6);
    expect(m.rdbLoadBaseUs).toBeCloseTo(2500, 6);
    // 35 MB in 61 ms, rounded to 3 digits in MB/s
    expect(m.rdbTransferBytesPerSec / (1024 * 1024)).toBe(Number(((1_010_000 * 34) / 0.061 / (1024 * 1024)).toPrecision(3)));
  });

  it('an older file without them still loads and keeps the defaults for what it does not name', () => {
    const file = join(dir, 'old.yaml');
    writeFileSync(file, [
      '# replsim calibrate: redis-server 7.0.15 (session 4)',
      'costs:',
      '  fork-base-ms: 1.14', '  fork-ms-per-gb: 181', '  rdb-save-keys-per-sec: 239000', '  rdb-save-ms-per-mb: 0',
      '  rdb-load-keys-per-sec: 557000', '  rdb-load-ms-per-mb: 0', '  flush-keys-per-sec: 322000', '',
    ].join('\n'));
    const m = buildWorld(withCosts(scenario, loadCostsFile(file)), '1').costs;
    const d = defaultCostModel();
    expect(m.rdbSaveUsPerKey).toBeCloseTo(1e6 / 239000, 9);
    expect([m.rdbSaveBaseUs, m.rdbLoadBaseUs, m.rdbTransferBytesPerSec]).toEqual([d.rdbSaveBaseUs, d.rdbLoadBaseUs, d.rdbTransferBytesPerSec]);
    expect([d.rdbSaveBaseUs, d.rdbLoadBaseUs, d.rdbTransferBytesPerSec]).toEqual([0, 2600, 600 * 1024 * 1024]);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultCostModel } from '../../sim/redis/cost-model.js';
import { COST_PARAMETERS, costModelOverrides, costsSection } from '../../sim/scenario/costs.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { buildWorld } from '../../sim/scenario/world.js';

const base = `
name: c
duration: 1s
nodes: { m1: {} }
`;

describe('costs: section', () => {
  it('reaches the world cost model, in the model units', () => {
    const s = parseScenario(`${base}costs: { rdb-load-keys-per-sec: 500000, fork-ms-per-gb: 1024, disk-mb-per-sec: 100 }\n`);
    const w = buildWorld(s, '1');
    expect(w.costs.rdbLoadUsPerKey).toBe(2);
    expect(w.costs.forkUsPerMb).toBe(1000);
    expect(w.costs.diskBytesPerSec).toBe(100 * 1024 * 1024);
    // untouched parameters keep the calibrated defaults
    expect(w.costs.rdbSaveUsPerKey).toBe(defaultCostModel().rdbSaveUsPerKey);
    expect(s.costsText).toEqual({ 'rdb-load-keys-per-sec': 500000, 'fork-ms-per-gb': 1024, 'disk-mb-per-sec': 100 });
  });

  it('without a costs: section the world has the defaults', () => {
    expect(buildWorld(parseScenario(base), '1').costs).toEqual(defaultCostModel());
  });

  it('rejects an unknown parameter and a rate of zero with the file position', () => {
    expect(() => parseScenario(`${base}costs: { rdb-load-keys-per-sek: 1 }\n`, 'x.yaml')).toThrow(/x\.yaml:5:\d+ costs/);
    expect(() => parseScenario(`${base}costs: { flush-keys-per-sec: 0 }\n`, 'x.yaml')).toThrow(/flush-keys-per-sec/);
  });

  it('every parameter converts there and back (calibrate writes what a scenario reads)', () => {
    const m = defaultCostModel();
    const section = costsSection(m);
    expect(Object.keys(section)).toEqual(COST_PARAMETERS.map((p) => p.name));
    const back = { ...defaultCostModel(), ...costModelOverrides(section) };
    for (const [k, v] of Object.entries(m)) expect(back[k as keyof typeof m]).toBeCloseTo(v as number, 9);
  });
});

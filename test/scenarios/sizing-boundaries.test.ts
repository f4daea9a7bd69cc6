/**
 * The boundaries that sizing scenarios state in their descriptions hold (issue 17 item 2:
 * re-check them after datasets got realistic values). Each cell is computed as `replsim
 * sweep` computes it (collectReport → cellRunOf), one value each side of the stated boundary:
 *   largest-dataset-without-sync-loop: "a sweep finds 6.4M syncing once and 6.5M looping"
 *   backlog-size-for-outage: "about 62 s × 1.35 MB/s ≈ 80 MB" — 76mb full, 80mb partial
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectReport } from '../../sim/report/collect.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { cellRunOf } from '../../sim/sweep/outcome.js';
import { applyVary } from '../../sim/sweep/vary.js';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');

function cell(file: string, key: string, value: string): ReturnType<typeof cellRunOf> {
  const base = loadScenarioFile(join(dir, file));
  const s = applyVary(base, key, value);
  return cellRunOf(collectReport(s, { seed: base.seed ?? '1' }).data);
}

describe('sizing scenarios: the stated boundaries', () => {
  it('largest-dataset-without-sync-loop: 6.4M keys sync once, 6.5M loop', () => {
    const file = 'largest-dataset-without-sync-loop.yaml';
    expect(loadScenarioFile(join(dir, file)).description).toContain('a sweep finds 6.4M syncing once and 6.5M looping');
    const below = cell(file, 'dataset.keys', '6.4m');
    expect([below.outcome, below.fullSyncs]).toEqual(['none', 1]);
    const above = cell(file, 'dataset.keys', '6.5m');
    expect(above.outcome).toBe('loop');
    expect(above.maxFullSyncsOfOneReplica).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('backlog-size-for-outage: 76mb is too small (full resync), 80mb keeps it partial', () => {
    const file = 'backlog-size-for-outage.yaml';
    expect(loadScenarioFile(join(dir, file)).description).toContain('≈ 80 MB');
    expect(cell(file, 'repl-backlog-size', '76mb').outcome).toBe('full');
    expect(cell(file, 'repl-backlog-size', '80mb').outcome).toBe('partial');
  }, 120_000);
});

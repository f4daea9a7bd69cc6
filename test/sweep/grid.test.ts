/**
 * A 2×2 sweep — repl-backlog-size × partition length — gives the outcomes the backlog
 * arithmetic predicts. With repl-timeout 1 both ends drop the link within ~2 s of the cut,
 * and the replica's PSYNC after the heal asks for every byte written since the cut: it can
 * be served iff the backlog still holds them, i.e. iff
 *     repl-backlog-size ≥ write rate × bytes per write × (partition length + reconnect time).
 * The bytes per write are the RESP size of the SET the workload sends; the reconnect takes
 * at most a few seconds. The cells are chosen far from the boundary both ways.
 */
import { describe, expect, it } from 'vitest';
import { respCommandBytes } from '../../sim/redis/protocol/resp.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { inProcessRunners } from '../../sim/cli/report-pool.js';
import { gridPoints, runSweep } from '../../sim/sweep/sweep.js';
import { readRows } from '../../sim/sweep/layout.js';
import { renderSweepHtml, renderSweepMarkdown } from '../../sim/sweep/render.js';
import { parseVary } from '../../sim/sweep/vary.js';

const RATE = 1000;
const VALUE = 1000;
const base = parseScenario(`
name: grid
seed: 7
duration: 30s
config: { repl-timeout: 1, repl-diskless-sync-delay: 0, repl-backlog-size: 1mb }
nodes: { m1: {}, r1: { replicaof: m1 } }
workload: { node: m1, rate: ${RATE}/s, keys: 100, value-size: ${VALUE}, ops: { set: 1 } }
timeline:
  - { at: 5s, partition: [[m1], [r1]] }
  - { at: 9s, heal: all }
`, 'grid.yaml');

/** Bytes per SET of the workload: keys key:0 … key:99 (one or two digits). */
const setBytes = (digits: number) => respCommandBytes(['SET', `key:${'0'.repeat(digits)}`, 'v'.repeat(VALUE)]);
const MB = 1024 * 1024;
const RECONNECT_MAX_S = 4;

describe('a 2×2 sweep of repl-backlog-size × partition length', () => {
  const backlogs = ['8mb', '40mb'];
  const lengths = ['+4s', '+16s'];
  const varies = [parseVary(`repl-backlog-size=${backlogs.join(',')}`, base), parseVary(`timeline[1].at=${lengths.join(',')}`, base)];

  it('has the partial/full outcomes the backlog arithmetic predicts', async () => {
    const result = await runSweep(base, varies, { seeds: 2, run: inProcessRunners.cell, concurrency: 1 });
    expect(result.cells.map((c) => c.values)).toEqual(gridPoints(varies));
    for (const cell of result.cells) {
      const backlog = Number(cell.values['repl-backlog-size']!.replace('mb', '')) * MB;
      const seconds = Number(cell.values['timeline[1].at']!.replace(/[+s]/g, ''));
      const fewest = RATE * setBytes(1) * seconds;
      const most = RATE * setBytes(2) * (seconds + RECONNECT_MAX_S);
      // Each cell is clearly on one side of the boundary.
      expect(backlog >= most || backlog < fewest).toBe(true);
      const expected = backlog >= most ? 'partial' : 'full';
      for (const run of cell.runs) {
        expect(run.error).toBeNull();
        expect(run.outcome, `${JSON.stringify(cell.values)} seed ${run.seed}`).toBe(expected);
        expect(run.fullSyncs).toBe(expected === 'full' ? 2 : 1);
        expect(run.recoveryUs).not.toBeNull();
      }
      expect(cell.summary.outcome).toBe(expected);
      expect(cell.summary.outcomes[expected]).toBe(2);
    }
    // 8 MB holds 4 s of writes (~4 MB) but not 16 s (~16 MB); 40 MB holds both.
    expect(result.cells.map((c) => c.summary.outcome)).toEqual(['partial', 'full', 'partial', 'partial']);
    expect(readRows(result)).toEqual([
      'repl-backlog-size=8mb: partial at timeline[1].at=+4s; full at timeline[1].at=+16s',
      'repl-backlog-size=40mb: partial at timeline[1].at=+4s…+16s',
    ]);
    const html = renderSweepHtml(result);
    expect(html).not.toMatch(/<script|https?:|\b(src|href)=/i);
    expect(html).toContain('<svg');
    const md = renderSweepMarkdown(result);
    expect(md).toContain('| repl-backlog-size=8mb | partial, recovered');
  });
});

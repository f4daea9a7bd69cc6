/**
 * A sweep of a Sentinel scenario from the command line: each cell keeps the acknowledged
 * writes lost and the time without a writable master, the page draws both as heatmaps with
 * the figure printed in every cell, and the reading names the best and worst cells. The
 * figures are checked against the physics of the scenario (a longer down-after-milliseconds
 * keeps the clients without a master longer, by about the difference) and against `run`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { cellScenario, type SweepResult } from '../../sim/sweep/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-sentinel-sweep-'));
const file = join(dir, 'crash.yaml');
writeFileSync(file, `name: sentinel crash
seed: 3
duration: 25s
nodes: { m1: {}, r1: { replicaof: m1 }, r2: { replicaof: m1 } }
sentinels: { s1: {}, s2: {}, s3: {} }
sentinel:
  monitor: { name: mymaster, master: m1, quorum: 2 }
  down-after-milliseconds: 5000
workload:
  - sentinel-client: { rate: 20/s, from: 1s }
timeline:
  - { at: 5s, crash: m1 }
`);

describe('replsim sweep over Sentinel options', () => {
  it('writes heatmaps of lost writes and of time without a writable master', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {} };
    const dest = join(dir, 'sw');
    const code = await main(['sweep', file, '--vary', 'sentinel.down-after-milliseconds=1000,8000', '--vary', 'sentinel.quorum=2,3', '--out', dest], io);
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(readFileSync(join(dest, 'sweep.json'), 'utf8')) as SweepResult;
    expect(r.cells).toHaveLength(4);
    const at = (d: string, q: string) => r.cells.find((c) => c.values['sentinel.down-after-milliseconds'] === d && c.values['sentinel.quorum'] === q)!;
    for (const q of ['2', '3']) {
      const fast = at('1000', q).summary.sentinel!;
      const slow = at('8000', q).summary.sentinel!;
      // The client is without a master from the crash to the promotion: down-after plus ≈1–3 s.
      expect(fast.outageMedianUs).toBeGreaterThan(1_000_000);
      expect(slow.outageMedianUs - fast.outageMedianUs).toBeGreaterThan(6_000_000);
      expect(slow.outageMedianUs - fast.outageMedianUs).toBeLessThan(8_500_000);
      expect(fast.switchedMin).toBe(1);
    }
    // The cell's figures are the run's own.
    const cell = at('8000', '3');
    const run = runScenario(cellScenario(loadScenarioFile(file), cell.values), { seed: '3' });
    expect(cell.runs[0]!.sentinel!.lost).toBe(run.clientWrites!.lost);
    expect(cell.runs[0]!.sentinel!.acknowledged).toBe(run.clientWrites!.acknowledged);
    expect(cell.runs[0]!.traceHash).toBe(run.traceHash);

    const html = readFileSync(join(dest, 'index.html'), 'utf8');
    expect(html).toContain('<h2>Acknowledged writes lost</h2>');
    expect(html).toContain('<h2>Seconds without a writable master</h2>');
    expect(html).toContain('aria-label="Heatmap of acknowledged writes lost per cell"');
    expect(html.match(/>\d+ lost</g)).toHaveLength(4);
    const md = readFileSync(join(dest, 'sweep.md'), 'utf8');
    expect(md).toContain('## Seconds without a writable master');
    expect(md).toContain('| sentinel.down-after-milliseconds=8000 |');
    const printed = out.join('');
    expect(printed).toMatch(/seconds without a writable master: shortest .* at sentinel\.down-after-milliseconds=1000, sentinel\.quorum=[23]; longest .* at sentinel\.down-after-milliseconds=8000/);
    expect(printed).toMatch(/acknowledged writes lost: fewest \d+ at .*; most \d+ at /);
  });

  it('report prints the failovers, the time without a writable master and the lost writes', async () => {
    const out: string[] = [];
    const io: CliIO = { stdout: { write: (x: string) => out.push(x) }, stderr: { write: () => undefined }, env: {} };
    expect(await main(['report', file, '--out', join(dir, 'rep')], io)).toBe(0);
    const run = runScenario(loadScenarioFile(file));
    expect(out.join('')).toMatch(new RegExp(`1 of 1 failover\\(s\\) switched \\(the first [\\d.]+ s after its fault\\); [\\d.]+ s without a writable master, ${run.clientWrites!.lost} acknowledged writes lost`));
  });
});

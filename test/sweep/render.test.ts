/**
 * The sweep page says what it shows: the file's description is flagged as written for the
 * file's own values; an axis given one value is stated once, not repeated in every label;
 * row labels get the room they need (nothing drawn left of the SVG's edge); `in sync at`
 * is explained; and K seeds that all gave the same figures are called out. A stand-in cell
 * runner returns fixed figures, so only the page is under test.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/load.js';
import type { CellRun } from '../../sim/sweep/outcome.js';
import { gridLayout, seedNote } from '../../sim/sweep/layout.js';
import { renderSweepHtml, renderSweepMarkdown } from '../../sim/sweep/render.js';
import { runSweep } from '../../sim/sweep/sweep.js';
import { parseVary } from '../../sim/sweep/vary.js';

const base = parseScenario(`
name: page
description: With 2M keys the sync takes 9 s.
seed: 1
duration: 10s
config: { repl-backlog-size: 1mb }
nodes: { m1: {}, r1: { replicaof: m1 } }
dataset: { node: m1, keys: 2000000, value-size: 100 }
`, 'page.yaml');

function fixedRun(seedVaries: boolean) {
  return async (_s: unknown, seed: string): Promise<CellRun> => ({
    seed, outcome: 'none', fullSyncs: 1, partialSyncs: 0, abortedSyncs: 0, maxFullSyncsOfOneReplica: 1,
    recoveryUs: null, unrecoveredFaults: 0, faults: 0, syncedUs: seedVaries && seed !== '1' ? 2_100_000 : 2_000_000,
    expectationsOk: true, error: null, traceHash: '0',
  });
}

describe('sweep page', () => {
  const varies = [
    parseVary('client-output-buffer-limit=replica 256mb 64mb 60', base),
    parseVary('repl-backlog-size=1mb,2mb', base),
    parseVary('dataset.keys=1m,2m,3m', base),
  ];

  it('states a one-value axis once and lays the grid out on the others', async () => {
    const r = await runSweep(base, varies, { seeds: 3, run: fixedRun(false), concurrency: 1 });
    const layout = gridLayout(r);
    expect(layout.fixed).toEqual(['client-output-buffer-limit=replica 256mb 64mb 60']);
    expect(layout.rows.map((row) => row.label)).toEqual(['repl-backlog-size=1mb', 'repl-backlog-size=2mb']);
    const md = renderSweepMarkdown(r);
    expect(md).toContain('- in every cell: client-output-buffer-limit=replica 256mb 64mb 60');
    expect(md).toMatch(/_The scenario's description, written for the file's own client-output-buffer-limit, repl-backlog-size, dataset\.keys; this sweep replaces them/);
    expect(md).toContain('In sync at: when the last replica finished its first sync');
    // Three seeds, identical figures everywhere: said so.
    expect(md).toMatch(/all 3 seeds gave identical figures in every cell/);
  });

  it('does not claim identical seeds when they differ, or with one seed', async () => {
    expect(seedNote(await runSweep(base, varies, { seeds: 3, run: fixedRun(true), concurrency: 1 }))).toBeNull();
    expect(seedNote(await runSweep(base, varies, { seeds: 1, run: fixedRun(false), concurrency: 1 }))).toBeNull();
  });

  it('gives row labels the width they need: no text starts left of the SVG', async () => {
    const long = [parseVary('repl-backlog-size=1mb,2mb', base), parseVary('client-output-buffer-limit=replica 256mb 64mb 60,replica 512mb 128mb 120', base), parseVary('dataset.keys=1m,2m', base)];
    const r = await runSweep(base, long, { seeds: 1, run: fixedRun(false), concurrency: 1 });
    const svg = /<svg[\s\S]*<\/svg>/.exec(renderSweepHtml(r))![0];
    // A right-aligned label at x of width w (≈ 8 px a character at 12.5 px bold) must start at ≥ 0.
    const labels = [...svg.matchAll(/<text x="([\d.]+)"[^>]*class="row"[^>]*>([^<]*)<\/text>/g)];
    expect(labels.map((m) => m[2])).toEqual([
      'repl-backlog-size=1mb, client-output-buffer-limit=replica 256mb 64mb 60',
      'repl-backlog-size=1mb, client-output-buffer-limit=replica 512mb 128mb 120',
      'repl-backlog-size=2mb, client-output-buffer-limit=replica 256mb 64mb 60',
      'repl-backlog-size=2mb, client-output-buffer-limit=replica 512mb 128mb 120',
    ]);
    for (const m of labels) expect(Number(m[1]) - 8 * m[2]!.length).toBeGreaterThanOrEqual(0);
  });
});

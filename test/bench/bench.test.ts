/**
 * The bench's plumbing, not its numbers: argument parsing, and the JSON document's shape
 * from one figure at toy sizes. Nothing here asserts on wall-clock time.
 */
import { findRedisServer } from '../../sim/cli/diff.js';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/args.js';
import { runBench } from '../../bench/main.js';
import { formatFigure } from '../../bench/report.js';
import { measure, summarize } from '../../bench/stats.js';
import { ApiWheel } from '../../bench/engine-vs-heap.js';

describe('bench arguments', () => {
  it('defaults to every figure, 5 runs, full scale, text', () => {
    expect(parseBenchArgs([])).toEqual({ json: false, scale: 'full', only: [1, 2, 3, 4, 5, 6, 7, 8], runs: 5, withRedis: false, help: false });
  });

  it('reads --json, --quick, --only lists and ranges, --runs, --with-redis', () => {
    const o = parseBenchArgs(['--json', '--quick', '--only', '6,4-5,4', '--runs', '7', '--with-redis']);
    expect(o).toMatchObject({ json: true, scale: 'quick', only: [4, 5, 6], runs: 7, withRedis: true });
    expect(parseBenchArgs(['--tiny']).scale).toBe('tiny');
  });

  it('rejects what it cannot use, with the flag in the message', () => {
    expect(() => parseBenchArgs(['--only', '9'])).toThrow(/no figure 9/);
    expect(() => parseBenchArgs(['--only', 'x'])).toThrow(/--only expects/);
    expect(() => parseBenchArgs(['--only', '5-4'])).toThrow(/backwards/);
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseBenchArgs(['--quick', '--tiny'])).toThrow(/not both/);
    expect(() => parseBenchArgs(['figure'])).toThrow(/unexpected argument/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow();
  });
});

describe('bench statistics', () => {
  it('summarizes medians (even counts average the middle two) and judges targets on the median', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(measure('x', 's', [0.5, 2, 0.9], { op: '<=', value: 1 }).pass).toBe(true);
    expect(measure('x', '×', [0.5, 2, 0.7], { op: '>=', value: 0.8 }).pass).toBe(false);
  });
});

describe('bench JSON document', () => {
  it('runs figures 3 and 4 at toy sizes into one JSON-serialisable report', async () => {
    const report = await runBench(parseBenchArgs(['--tiny', '--runs', '1', '--only', '3,4']));
    const doc = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(doc).toMatchObject({ bench: 'replsim', version: 1, options: { scale: 'tiny', only: [3, 4], runs: 1, withRedis: false } });
    expect(doc.machine.cores).toBeGreaterThan(0);
    expect(doc.machine.node).toMatch(/^v\d+/);
    expect(doc.note).toMatch(/not a reported figure/);
    expect(doc.figures.map((f) => f.id)).toEqual([3, 4]);
    for (const f of doc.figures) {
      expect(f).toMatchObject({ runs: 1, title: expect.any(String), target: expect.any(String) });
      expect(f.measures.length).toBeGreaterThan(0);
      for (const m of f.measures) {
        expect(m.samples).toHaveLength(1);
        expect(m.summary.min).toBeLessThanOrEqual(m.summary.median);
        expect(m.summary.median).toBeLessThanOrEqual(m.summary.max);
        if (m.target) expect(typeof m.pass).toBe('boolean');
      }
      expect(formatFigure(f)).toContain(`Figure ${f.id}`);
    }
    // The toy scenario still has to run cleanly: the check measure is yes.
    const fig4 = doc.figures[1]!;
    expect(fig4.measures.find((m) => m.unit === 'yes')?.pass).toBe(true);
  });

  it('figure 7 measures every topology and derives the per-replica cost and slope from them', async () => {
    const report = await runBench(parseBenchArgs(['--tiny', '--runs', '1', '--only', '7']));
    const f = report.figures[0]!;
    const names = f.measures.map((m) => m.name);
    for (const t of ['master alone', '1 + 1', '1 + 2', '1 + 5', '1 + 20', 'chain of 5']) expect(names).toContain(`cost per write, ${t}`);
    for (const m of f.measures) expect(Number.isFinite(m.summary.median)).toBe(true);
    const cost = (t: string): number => f.measures.find((m) => m.name === `cost per write, ${t}`)!.summary.median;
    // Twenty replicas cost more per write than none: the window really contains the writes.
    expect(cost('1 + 20')).toBeGreaterThan(cost('master alone'));
    expect(f.measures.find((m) => m.name.startsWith('1 + 20 vs real time'))?.target).toEqual({ op: '>=', value: 100 });
  });

  it.skipIf(findRedisServer(process.env) === null)('figure 8 compares each sync phase with a real redis-server, default and calibrated', async () => {
    const report = await runBench(parseBenchArgs(['--tiny', '--runs', '1', '--only', '8']));
    const f = report.figures[0]!;
    for (const label of ['default costs', 'calibrated']) {
      for (const phase of ['fork', 'rdb', 'load', 'total']) expect(f.measures.map((m) => m.name)).toContain(`${phase}: |model/real − 1|, 1,000 keys, ${label}`);
    }
    for (const m of f.measures) expect(Number.isFinite(m.summary.median)).toBe(true);
    // A 1,000-key transfer takes well under the replica log's 1 ms resolution: said, not judged.
    expect(f.measures.map((m) => m.name)).not.toContain('transfer: |model/real − 1|, 1,000 keys, calibrated');
    expect(f.notes.join('\n')).toMatch(/1000 keys, calibrated: transfer not judged/);
    // The fit has the fixed parts; the real phases come from the sync's own logs.
    expect(f.notes[0]).toMatch(/"rdb-save-base-ms":[\d.]+.*"rdb-load-base-ms":[\d.]+/);
    expect(f.notes.join('\n')).toMatch(/5000 keys, real \(median of 1\): fork [\d.]+ ms, rdb [\d.]+ ms, transfer [\d.]+ ms, load [\d.]+ ms, total [\d.]+ ms/);
    // Fitted to these very measurements, the model's RDB generation at 5,000 keys is close.
    const rdb = f.measures.find((m) => m.name === 'rdb: |model/real − 1|, 5,000 keys, calibrated')!;
    expect(rdb.summary.median).toBeLessThan(0.5);
  }, 60_000);
});

describe("figure 1's bare wheel with the engine's API", () => {
  it('pops in (time, insertion) order, dispatches handlers with their argument, and cancels by id once', () => {
    const w = new ApiWheel(8);
    const seen: string[] = [];
    const log = (s: unknown): void => {
      seen.push(`${w.now}:${String(s)}`);
    };
    w.after(5, log, 'a');
    const b = w.after(3, log, 'b');
    w.after(5, log, 'c');
    w.after(3, log, 'd');
    expect(w.cancel(b)).toBe(true);
    expect(w.cancel(b)).toBe(false);
    expect(w.run(3)).toBe(3);
    expect(seen).toEqual(['3:d', '5:a', '5:c']);
    // A recycled slot gets a new generation: the old id no longer cancels it.
    const e = w.after(2, log, 'e');
    expect(w.cancel(b)).toBe(false);
    expect(w.cancel(e)).toBe(true);
  });
});

/**
 * `replsim report` and `replsim sweep` from the command line (in-process, the model in this
 * thread): what they write, what they print, their exit codes and their usage errors.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import type { ReportData } from '../../sim/report/report-data.js';
import type { SweepResult } from '../../sim/sweep/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-report-cli-'));
const scenario = join(dir, 'kill.yaml');
writeFileSync(scenario, `name: kill link
seed: 9
duration: 6s
config: { repl-diskless-sync-delay: 0 }
nodes: { m1: {}, r1: { replicaof: m1 } }
workload: { node: m1, rate: 200/s, keys: 100 }
timeline:
  - { at: 2s, kill-link: r1 }
expect:
  - { node: m1, stat: sync_partial_ok, equals: 1 }
`);

function harness(): { io: CliIO; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {} },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('replsim report', () => {
  it('writes index.html, report.md and data.json and prints where, the seed and a summary', async () => {
    const h = harness();
    const out = join(dir, 'rep');
    expect(await main(['report', scenario, '--out', out], h.io)).toBe(0);
    for (const f of ['index.html', 'report.md', 'data.json']) expect(existsSync(join(out, f))).toBe(true);
    const data = JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')) as ReportData;
    expect(data.scenario.seed).toBe('9');
    expect(data.summary.partialSyncs).toBe(1);
    expect(h.out()).toContain('seed 9');
    expect(h.out()).toContain('1 full, 1 partial, 0 aborted sync(s)');
    expect(h.out()).toContain(join(out, 'index.html'));
  });

  it('takes --seed and --costs, and exits 1 when an expectation fails', async () => {
    const costs = join(dir, 'costs.yaml');
    writeFileSync(costs, '# from calibrate\ncosts:\n  rdb-load-keys-per-sec: 100000\n');
    const h = harness();
    const out = join(dir, 'rep2');
    const failing = join(dir, 'failing.yaml');
    writeFileSync(failing, readFileSync(scenario, 'utf8').replace('equals: 1', 'equals: 5'));
    expect(await main(['report', failing, '--out', out, '--seed', 'abc', '--costs', costs], h.io)).toBe(1);
    const data = JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')) as ReportData;
    expect(data.scenario.seed).toBe('abc');
    expect(data.scenario.costs).toEqual({ 'rdb-load-keys-per-sec': 100000 });
    expect(h.out()).toContain('expectations failed');
  });

  it('refuses bad usage with exit 2', async () => {
    for (const args of [['report'], ['report', scenario, scenario], ['report', scenario, '--seed', ' '], ['report', join(dir, 'missing.yaml')]]) {
      const h = harness();
      expect(await main(args, h.io), args.join(' ')).toBe(2);
    }
    const h = harness();
    writeFileSync(join(dir, 'badcosts.yaml'), 'costs: { fork-speed: 3 }\n');
    expect(await main(['report', scenario, '--costs', join(dir, 'badcosts.yaml')], h.io)).toBe(2);
    expect(h.err()).toContain('fork-speed');
  });
});

describe('replsim sweep', () => {
  it('runs the grid and writes the heatmap, the table and the JSON', async () => {
    const h = harness();
    const out = join(dir, 'sw');
    expect(await main(['sweep', scenario, '--vary', 'repl-backlog-size=16kb,1mb', '--vary', 'workload.rate=100/s,2k/s', '--out', out], h.io)).toBe(0);
    const r = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as SweepResult;
    expect(r.cells.length).toBe(4);
    expect(r.seeds).toEqual(['9']);
    // a link kill reconnects at once: the bytes in flight fit even a 16 KB backlog at 100 writes/s
    expect(r.cells[0]!.summary.outcome).toBe('partial');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(out, 'sweep.md'), 'utf8')).toContain('| repl-backlog-size=16kb |');
    expect(h.out()).toContain('4 cells × 1 seed(s) = 4 runs');
    expect(h.out()).toContain('repl-backlog-size=1mb: partial at workload.rate=100/s…2k/s');
  });

  it('checks every --vary before running anything', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['sweep', scenario], /at least one --vary/],
      [['sweep', scenario, '--vary', 'repl-timout=1,2'], /did you mean repl-timeout/],
      [['sweep', scenario, '--vary', 'timeline[0].at=+1s'], /relative to the step before/],
      [['sweep', scenario, '--vary', 'repl-timeout=1', '--vary', 'repl-timeout=2'], /given twice/],
      [['sweep', scenario, '--vary', 'repl-timeout=1', '--seeds', '0'], /--seeds expects a whole number/],
    ];
    for (const [args, re] of cases) {
      const h = harness();
      expect(await main(args, h.io), args.join(' ')).toBe(2);
      expect(h.err()).toMatch(re);
    }
  });
});

describe('help', () => {
  it('lists report, sweep and calibrate, each with its own --help', async () => {
    const h = harness();
    expect(await main(['--help'], h.io)).toBe(0);
    for (const c of ['report', 'sweep', 'calibrate']) {
      expect(h.out()).toContain(`replsim ${c}`);
      const hc = harness();
      expect(await main([c, '--help'], hc.io)).toBe(0);
      expect(hc.out()).toContain(`Usage: replsim ${c}`);
    }
  });
});

/**
 * `replsim fuzz` and `replsim replay` in-process (the TypeScript sources have no compiled
 * worker, so the campaign runs in this thread): exit codes, the files a campaign writes,
 * merging shard summaries, replaying a reproducer with its trace hash, usage errors.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-fuzz-'));

/** `stepMs`: a fake wall clock that moves this much at every reading (none: the real one). */
function harness(stepMs?: number): { io: CliIO; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  let clock = 0;
  const io: CliIO = {
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s) },
    env: {},
    ...(stepMs !== undefined ? { now: () => (clock += stepMs) } : {}),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('replsim fuzz', () => {
  it('runs a campaign shard, writes summary.json, and merges shards', async () => {
    const shards = ['0/2', '1/2'].map((s, i) => ({ shard: s, out: join(dir, `shard${i}`) }));
    for (const { shard, out } of shards) {
      const h = harness();
      const code = await main(['fuzz', '--runs', '3', '--profile', 'quick', '--seed', 'cli-test', '--shard', shard, '--out', out, '--workers', '1'], h.io);
      expect(h.out()).toMatch(/^replsim fuzz: campaign seed cli-test, profile quick, 3 runs, shard \d\/2/);
      expect(h.out()).toMatch(/runs +3 in/);
      expect(h.out()).toMatch(/syncs +\d+ full, \d+ partial/);
      expect(code === 0 || code === 1).toBe(true);
      expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ runs: 3, shards: [shard], campaignSeed: 'cli-test' });
    }
    const m = harness();
    await main(['fuzz', '--merge', ...shards.map((s) => s.out), '--json'], m.io);
    expect(JSON.parse(m.out())).toMatchObject({ runs: 6, shards: ['0/2', '1/2'] });
  });

  it('finds a planted bug, writes a reproducer, and replay shows the same trace hash', async () => {
    const out = join(dir, 'planted');
    const h = harness();
    const code = await main(['fuzz', '--runs', '2', '--profile', 'quick', '--seed', 'planted/replica-expires-keys', '--bug', 'replica-expires-keys', '--shrink-runs', '30', '--out', out], h.io);
    expect(code).toBe(1);
    expect(h.out()).toMatch(/✗ case \d+ \(index \d\): read-only-replicas: r\d, a read-only replica, expired/);
    const file = readdirSync(out).find((f) => f.startsWith('read-only-replicas-'));
    expect(file).toBeDefined();
    const path = join(out, file!);
    expect(h.out()).toContain(`    npx replsim replay ${path} --bug replica-expires-keys\n`);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# replsim fuzz: read-only-replicas violated on r\d at /);
    // Commands that work when pasted in a clone: npx, and the planted bug kept.
    expect(text).toContain(`# replay: npx replsim replay ${path} --bug replica-expires-keys\n`);
    expect(text).toContain(`# or:     npx replsim run ${path} --bug replica-expires-keys\n`);
    expect(text).toMatch(/# unshrunk: npx replsim replay --seed \d+ --profile quick --bug replica-expires-keys\n/);
    expect(text).toContain('  - { invariant: read-only-replicas }');

    const r = harness();
    expect(await main(['replay', path, '--bug', 'replica-expires-keys', '--no-color'], r.io)).toBe(1);
    expect(r.out()).toMatch(/trace hash [0-9a-f]{16} \(same as recorded in the file\)/);
    expect(r.out()).toMatch(/✗ read-only-replicas\n {4}\[read-only-replicas\] r\d at /);
    expect(r.out()).toMatch(/trace from .* \(violation at /);
    expect(r.out()).toContain(`replay: npx replsim replay ${path} --bug replica-expires-keys\n`);
    // The verdict's own replay line keeps --bug: without it the printed run would pass.
    expect(r.out()).toMatch(/FAIL read-only-replicas-\d+: .*\(npx replsim run \S+ --seed \d+ --bug replica-expires-keys\)/);
    // Without the bug, the same file passes.
    expect(await main(['replay', path], harness().io)).toBe(0);
  });

  it('replays the case a seed stands for', async () => {
    const h = harness();
    const code = await main(['replay', '--seed', '5', '--profile', 'quick', '--no-color'], h.io);
    expect(h.out()).toMatch(/^replay case seed 5 of profile quick: case-5, simulation seed \d+/);
    expect(h.out()).toMatch(/\nreplay: npx replsim replay --seed 5 --profile quick\n$/);
    expect(h.out()).toMatch(/✓ convergence|✗ convergence/);
    expect(code === 0 || code === 1).toBe(true);
  });

  it('--time prints the --runs N it reached, so the same cases run again elsewhere', async () => {
    // A fake clock 400 ms further at every reading: a 2 s campaign ends after a few cases.
    const h = harness(400);
    const code = await main(['fuzz', '--time', '2s', '--profile', 'quick', '--seed', 'timed', '--out', join(dir, 'timed'), '--workers', '1', '--shard', '1/3'], h.io);
    expect(code).toBe(0);
    const m = /\(--time 2s reached --runs (\d+)\): npx replsim fuzz --seed timed --profile quick --runs (\d+) --shard 1\/3 runs the same cases again\n$/.exec(h.out());
    expect(m).not.toBeNull();
    expect(m![1]).toBe(m![2]);
    expect(JSON.parse(readFileSync(join(dir, 'timed', 'summary.json'), 'utf8'))).toMatchObject({ runs: Number(m![1]) });
  });

  it('without a terminal prints a progress line every 30 s of wall time', async () => {
    const h = harness(20_000); // 20 s per clock reading: ≥ 30 s pass between cases
    await main(['fuzz', '--runs', '3', '--profile', 'quick', '--seed', 'ci-log', '--out', join(dir, 'ci-log'), '--workers', '1'], h.io);
    const lines = h.err().split('\n').filter((l) => l.startsWith('progress: '));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/^progress: \d+ runs \([\d.]+\/s\), \d+ failed, .* simulated, .* elapsed$/);
    const quick = harness(1); // 1 ms per reading: never 30 s
    await main(['fuzz', '--runs', '3', '--profile', 'quick', '--seed', 'ci-log', '--out', join(dir, 'ci-log2'), '--workers', '1'], quick.io);
    expect(quick.err()).not.toMatch(/progress: /);
  });

  it('--max-failures stops the campaign; later failures of a checker take one line each', async () => {
    const h = harness();
    const code = await main(['fuzz', '--runs', '40', '--profile', 'quick', '--seed', 'planted/replica-expires-keys', '--bug', 'replica-expires-keys',
      '--shrink-runs', '5', '--max-failures', '3', '--out', join(dir, 'max-failures'), '--workers', '1', '--no-color'], h.io);
    expect(code).toBe(1);
    expect(h.out()).toMatch(/stopped after 3 failed run\(s\) \(--max-failures 3\)/);
    const summary = JSON.parse(readFileSync(join(dir, 'max-failures', 'summary.json'), 'utf8')) as { runs: number; failedRuns: number };
    expect(summary.failedRuns).toBe(3);
    expect(summary.runs).toBeLessThan(40);
    // The campaign's cases 0, 5 and 8 fail: read-only-replicas, prefix-consistency (both new:
    // message, shrink and replay on two lines), then read-only-replicas again (one line).
    const failures = h.out().split('\n').filter((l) => l.startsWith('✗ case'));
    expect(failures).toHaveLength(3);
    expect(failures[1]).toMatch(/prefix-consistency: .* — shrunk to/);
    expect(failures[2]).toMatch(/^✗ case \d+ \(index \d+\): read-only-replicas again — npx replsim replay --seed \d+ --profile quick --bug replica-expires-keys$/);
  });

  it('--check-determinism runs each case twice more and reports the planted nondeterminism as a failure naming the first differing record', async () => {
    const out = join(dir, 'determinism');
    const h = harness();
    const code = await main(['fuzz', '--runs', '2', '--profile', 'quick', '--seed', 'det', '--bug', 'hidden-global-state', '--check-determinism', '--out', out, '--workers', '1'], h.io);
    expect(code).toBe(1);
    expect(h.out()).toMatch(/each case run twice more \(--check-determinism\)/);
    // Replication ids come from a counter the runs share: the first record that carries one differs.
    const m = /✗ case (\d+) \(index 0\): determinism: case \1 is not deterministic \(two fresh runs in one process\): first differing trace record #(\d+) at t=(\d+)us:\n +run 1: (.*)\n +run 2: (.*)\n/.exec(h.out());
    expect(m, h.out()).not.toBeNull();
    const [, seed, , t, a, b] = m!;
    expect(a).not.toBe(b);
    expect(JSON.parse(a!).t).toBe(Number(t));
    expect(a).toMatch(/replid/);
    expect(h.out()).toContain(`replsim replay --seed ${seed} --profile quick --bug hidden-global-state --check-determinism`);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.failuresByChecker).toEqual({ determinism: 2 });
    expect(summary.failures[0]).toMatchObject({ checker: 'determinism', attributable: true, file: null, determinism: { index: expect.any(Number), t: Number(t) } });
    expect(readdirSync(out)).toEqual(['summary.json']); // not shrunk: no reproducer

    // Without the plant, the same campaign is deterministic.
    const clean = harness();
    await main(['fuzz', '--runs', '2', '--profile', 'quick', '--seed', 'det', '--check-determinism', '--out', join(dir, 'determinism-clean'), '--workers', '1', '--json'], clean.io);
    expect(JSON.parse(clean.out()).failuresByChecker['determinism']).toBeUndefined();
  });

  it('refuses bad usage with exit code 2', async () => {
    for (const args of [
      ['fuzz', '--runs', '1', '--time', '1s'],
      ['fuzz', '--profile', 'nope'],
      ['fuzz', '--bug', 'nope'],
      ['fuzz', '--shard', '3/2'],
      ['fuzz', 'stray'],
      ['fuzz', '--check-determinism=twice'],
      // The TypeScript sources have no compiled child entry to start.
      ['fuzz', '--check-determinism=process'],
      ['replay'],
      ['replay', '--seed', 'x'],
      ['replay', 'a.yaml', '--seed', '3'],
    ]) {
      const h = harness();
      expect(await main(args, h.io), args.join(' ')).toBe(2);
      expect(h.err()).toMatch(/^replsim: /);
    }
    const missing = harness();
    expect(await main(['replay', join(dir, 'missing.yaml')], missing.io)).toBe(2);
    expect(existsSync(join(dir, 'missing.yaml'))).toBe(false);
  });

  it('has help', async () => {
    for (const cmd of ['fuzz', 'replay']) {
      const h = harness();
      expect(await main([cmd, '--help'], h.io)).toBe(0);
      expect(h.out()).toMatch(new RegExp(`^Usage: replsim ${cmd} `));
    }
  });
});

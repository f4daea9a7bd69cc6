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

function harness(): { io: CliIO; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s) },
    env: {},
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
    expect(h.out()).toContain(`replsim replay ${path} --bug replica-expires-keys`);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# replsim fuzz: read-only-replicas violated on r\d at /);
    expect(text).toContain('  - { invariant: read-only-replicas }');

    const r = harness();
    expect(await main(['replay', path, '--bug', 'replica-expires-keys', '--no-color'], r.io)).toBe(1);
    expect(r.out()).toMatch(/trace hash [0-9a-f]{16} \(same as recorded in the file\)/);
    expect(r.out()).toMatch(/✗ read-only-replicas\n {4}\[read-only-replicas\] r\d at /);
    expect(r.out()).toMatch(/trace from .* \(violation at /);
    // Without the bug, the same file passes.
    expect(await main(['replay', path], harness().io)).toBe(0);
  });

  it('replays the case a seed stands for', async () => {
    const h = harness();
    const code = await main(['replay', '--seed', '5', '--profile', 'quick', '--no-color'], h.io);
    expect(h.out()).toMatch(/^replay case seed 5 of profile quick: fuzz-\d+, seed \d+/);
    expect(h.out()).toMatch(/✓ convergence|✗ convergence/);
    expect(code === 0 || code === 1).toBe(true);
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

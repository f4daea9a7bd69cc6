/**
 * `replsim diff --fuzz` wiring: usage errors exit 2 before any server starts; the summary
 * text names the differences by field and the real seconds; with a real redis-server on the
 * PATH, one generated case end to end writes summary.json and summary.txt; --merge adds up shards.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import { summaryText } from '../../sim/cli/diff-fuzz.js';
import type { CliIO } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import type { DiffFuzzSummary } from '../../sim/diff/fuzz-campaign.js';
import { portTaken, RedisStartError } from '../../sim/diff/redis-process.js';

function harness(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: process.env };
  return { io, out: () => out, err: () => err };
}

const dir = mkdtempSync(join(tmpdir(), 'replsim-diff-fuzz-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const REDIS = findRedisServer(process.env);

describe('replsim diff --fuzz usage', () => {
  it('refuses --runs with --time, a bad --shard and a bad --workers before starting anything', async () => {
    for (const args of [['--runs', '2', '--time', '1m'], ['--shard', '3/2'], ['--workers', '0']]) {
      const h = harness();
      expect(await main(['diff', '--fuzz', ...args, '--out', join(dir, 'never')], h.io), args.join(' ')).toBe(2);
      expect(existsSync(join(dir, 'never', 'summary.json'))).toBe(false);
    }
  });

  it('summary text: counts, confirmed differences by field, real seconds, the command to run again', () => {
    const s: DiffFuzzSummary = {
      campaignSeed: 'x', shard: '0/1', cases: 5, same: 2, flaky: 1, different: 1, loaded: 1, realSeconds: 61.5,
      byField: { command: 1, sync_partial_ok: 2 },
      differing: [{ index: 3, seed: 42, differences: ['r1.sync_partial_ok: real 1, replsim 0'] }],
    };
    const text = summaryText(s, 'npx replsim diff --fuzz --seed x --runs 5');
    expect(text).toContain('5 cases in 61.5 s of real time: 2 same, 1 same on a second real run, 1 too loaded to confirm, 1 different');
    // Most frequent field first.
    expect(text.indexOf('sync_partial_ok: 2')).toBeLessThan(text.indexOf('command: 1'));
    expect(text).toContain('case 3 (seed 42):\n  r1.sync_partial_ok: real 1, replsim 0');
    expect(text.trimEnd().endsWith('run again: npx replsim diff --fuzz --seed x --runs 5')).toBe(true);
  });
});

describe.skipIf(REDIS === null)('replsim diff --fuzz against redis-server', () => {
  it('runs one case of a campaign and writes summary.json and summary.txt', async () => {
    const h = harness();
    const out = join(dir, 'one');
    // Case 0 of campaign "smoke1": a pause (test/differential/diff-fuzz-smoke.test.ts).
    const code = await main(['diff', '--fuzz', '--seed', 'smoke1', '--runs', '1', '--out', out], h.io);
    expect(code, h.out() + h.err()).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as DiffFuzzSummary;
    expect(summary).toMatchObject({ campaignSeed: 'smoke1', shard: '0/1', cases: 1, different: 0, loaded: 0 });
    expect(summary.realSeconds).toBeGreaterThan(1);
    expect(readFileSync(join(out, 'summary.txt'), 'utf8')).toContain('1 cases in ');
    expect(h.out()).toContain('case 0 (seed ');
  }, 120_000);
});

describe('replsim diff --fuzz --merge', () => {
  const shard = (name: string, s: Partial<DiffFuzzSummary>): string => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'summary.json'), JSON.stringify({ campaignSeed: 'n', shard: '0/2', cases: 0, same: 0, flaky: 0, different: 0, loaded: 0, byField: {}, realSeconds: 0, differing: [], ...s }));
    return d;
  };

  it('adds up the shards of a campaign: cases, verdicts, fields, real seconds; exit 1 if any differed', async () => {
    const a = shard('m0', { shard: '0/2', cases: 3, same: 2, different: 1, realSeconds: 20.2, byField: { sync_full: 1 }, differing: [{ index: 4, seed: 9, differences: ['r1.sync_full: real 1, replsim 0'] }] });
    // A summary from before the 'loaded' verdict.
    const b = join(dir, 'm1');
    mkdirSync(b, { recursive: true });
    writeFileSync(join(b, 'summary.json'), JSON.stringify({ campaignSeed: 'n', shard: '1/2', cases: 2, same: 1, flaky: 1, different: 0, byField: {}, realSeconds: 9.9, differing: [] }));
    const h = harness();
    expect(await main(['diff', '--fuzz', '--merge', a, b, '--json'], h.io)).toBe(1);
    expect(JSON.parse(h.out())).toMatchObject({ campaignSeed: 'n', shard: '0/2,1/2', cases: 5, same: 3, flaky: 1, different: 1, loaded: 0, realSeconds: 30.1, byField: { sync_full: 1 } });
    const clean = harness();
    expect(await main(['diff', '--fuzz', '--merge', b], clean.io)).toBe(0);
    expect(clean.out()).toContain('2 cases in 9.9 s of real time: 1 same, 1 same on a second real run');
  });

  it('refuses a directory without a diff --fuzz summary, and --merge without directories', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'summary.json'), JSON.stringify({ runs: 3 }));
    for (const args of [['--merge', bad], ['--merge'], ['--merge', join(dir, 'none')], [join(dir, 'stray')]]) {
      const h = harness();
      expect(await main(['diff', '--fuzz', ...args], h.io), args.join(' ')).toBe(2);
    }
  });
});

describe('diff --fuzz on a shared machine', () => {
  it('runs a case again when another process took its port, not when the binary fails', () => {
    const taken = new RedisStartError('r2: redis-server exited with code 1 at start: # Warning: Could not create server TCP listening socket 127.0.0.1:35531: bind: Address already in use');
    expect(portTaken(taken)).toBe(true);
    expect(portTaken(new RedisStartError('m1: port 40001 is served by another process (pid 7), not the redis-server we started; pick another port'))).toBe(true);
    expect(portTaken(new RedisStartError('m1: redis-server exited with code 1 at start: # Bad directive or wrong number of arguments'))).toBe(false);
    expect(portTaken(new Error('bind: Address already in use'))).toBe(false);
  });
});

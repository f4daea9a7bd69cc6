/**
 * `replsim diff` wiring: usage errors exit 2 before anything starts; with a real
 * redis-server on the PATH, one short scenario end to end (human output and --json).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import type { CliIO } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import { COMPARED_FIELDS } from '../../sim/diff/compare.js';

function harness(env: Record<string, string | undefined> = process.env): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
  };
  return { io, out: () => out, err: () => err };
}

const dir = mkdtempSync(join(tmpdir(), 'replsim-diff-cli-'));
const good = join(dir, 'good.yaml');
writeFileSync(good, [
  'name: cli-diff', 'seed: 1', 'duration: 1500ms', 'config:', '  repl-diskless-sync-delay: 0',
  'nodes:', '  m1: {}', '  r1: { replicaof: m1 }',
  'timeline:', '  - { at: 300ms, node: m1, command: "SET foo bar" }',
  'expect:', '  - { node: r1, info: master_repl_offset, equals: 54 }', '',
].join('\n'));
const badKnown = join(dir, 'bad-known.yaml');
writeFileSync(badKnown, 'name: x\n# known-difference: m1.nonsense why\nnodes:\n  m1: {}\n');
const REDIS = findRedisServer(process.env);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replsim diff usage', () => {
  it('prints its help', async () => {
    const h = harness();
    expect(await main(['diff', '--help'], h.io)).toBe(0);
    expect(h.out()).toMatch(/known-difference/);
    const m = harness();
    await main(['--help'], m.io);
    expect(m.out()).toMatch(/replsim diff FILE/);
  });

  it.each([
    [['diff'], /exactly one scenario FILE/],
    [['diff', 'a.yaml', 'b.yaml'], /exactly one scenario FILE/],
    [['diff', good, '--redis-server', '/nonexistent/redis-server'], /not an executable file/],
    [['diff', good, '--bogus'], /unknown option --bogus/],
  ])('%j exits 2', async (args, message) => {
    const h = harness();
    expect(await main(args, h.io)).toBe(2);
    expect(h.err()).toMatch(message);
  });

  it('without redis-server on the PATH says how to get one and exits 2', async () => {
    const h = harness({ PATH: dir });
    expect(await main(['diff', good], h.io)).toBe(2);
    expect(h.err()).toMatch(/no redis-server on the PATH/);
  });

  it('a bad file or a bad known-difference exits 2', async () => {
    const h = harness();
    expect(await main(['diff', join(dir, 'missing.yaml')], h.io)).toBe(2);
    const k = harness();
    expect(await main(['diff', badKnown], k.io)).toBe(2);
    expect(k.err()).toMatch(/not a compared field/);
  });
});

describe.skipIf(REDIS === null)(REDIS === null ? 'replsim diff end to end — SKIPPED: no redis-server on the PATH' : 'replsim diff end to end', () => {
  it('compares a short scenario and exits 0; --json carries every field', async () => {
    const h = harness();
    expect(await main(['diff', good, '--no-color'], h.io)).toBe(0);
    expect(h.out()).toMatch(/master_repl_offset\s+54\s+54\s+✓/);
    expect(h.out()).toMatch(/SAME cli-diff/);
    const j = harness();
    expect(await main(['diff', good, '--json'], j.io)).toBe(0);
    const report = JSON.parse(j.out()) as { ok: boolean; fields: unknown[]; realExpectations: Array<{ ok: boolean }> };
    expect(report.ok).toBe(true);
    expect(report.fields).toHaveLength(2 * COMPARED_FIELDS.length);
    expect(report.realExpectations.every((e) => e.ok)).toBe(true);
  }, 30_000);
});

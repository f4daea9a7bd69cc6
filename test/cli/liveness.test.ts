/**
 * `replsim run --liveness`: the text and JSON output state the bound and how long
 * convergence took after heal-all; a run that does not converge within the bound exits 1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'replsim-liveness-'));

function harness(): { io: CliIO; out: () => string } {
  const out: string[] = [];
  const io: CliIO = { stdout: { write: (s: string) => out.push(s), isTTY: false }, stderr: { write: () => {} }, env: {} };
  return { io, out: () => out.join('') };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const recovers = file('recovers.yaml', `
seed: 2
duration: 10s
config: { repl-timeout: 5 }
nodes: { m1: {}, r1: { replicaof: m1 } }
timeline:
  - { at: 2s, crash: r1 }
  - { at: 3s, partition: [[m1], [r1]] }
`);

const stuck = file('stuck.yaml', `
seed: 2
duration: 3s
nodes: { m1: {}, r1: { replicaof: m1 } }
timeline:
  - { at: 1s, node: r1, command: "REPLICAOF m1 7000" }
`);

describe('replsim run --liveness', () => {
  it('prints what heal-all lifted, the bound and the time convergence took', async () => {
    const h = harness();
    expect(await main(['run', recovers, '--liveness', '--no-color'], h.io)).toBe(0);
    const out = h.out();
    expect(out).toMatch(/liveness\n {2}heal-all at 10s: partitions and clogs, restarted r1\n {2}bound (\S+) \(detect 7s ×2, per level \S+, drain \S+, boot \S+\)\n {2}✓ converged (\S+) after heal-all\n/);
    expect(out).toMatch(/✓ converges within \S+ after heal-all at 10s \(--liveness\) +actual converged after \S+/);
    expect(out).toMatch(/PASS /);

    const j = harness();
    expect(await main(['run', recovers, '--liveness', '--json'], j.io)).toBe(0);
    const result = JSON.parse(j.out());
    expect(result.liveness).toMatchObject({ ok: true, healedAtUs: 10_000_000, healed: ['partitions and clogs', 'restarted r1'] });
    expect(result.liveness.convergedAfterUs).toBeGreaterThan(0);
    expect(result.liveness.convergedAfterUs).toBeLessThanOrEqual(result.liveness.bound.boundUs);
  });

  it('exits 1 when the cluster has not converged within the bound', async () => {
    const h = harness();
    expect(await main(['run', stuck, '--liveness', '--no-color'], h.io)).toBe(1);
    expect(h.out()).toMatch(/✗ not converged within the bound\n {4}• r1: master link down, waiting for replicationCron to reconnect \(state connect\)/);
    expect(h.out()).toMatch(/FAIL /);
    // Without --liveness the same file has no expectation to fail.
    expect(await main(['run', stuck, '--quiet'], harness().io)).toBe(0);
  });

  it('is in run --help', async () => {
    const h = harness();
    await main(['run', '--help'], h.io);
    expect(h.out()).toMatch(/--liveness +after the scenario's duration/);
  });
});

/**
 * DESIGN.md's central promise: one seed is one execution. The same seed must give the same
 * trace hash on every run, in this process or a fresh one; different seeds must not.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstDifference } from '../../sim/engine/trace.js';
import { runChaos } from './support/chaos.js';

const SEEDS = Array.from({ length: 200 }, (_, i) => `seed-${i}`);
const ROOT = path.resolve(import.meta.dirname, '../..');
// Inside the repo (dist/ is ignored) so the compiled ESM finds package.json and node_modules.
const OUT = path.join(ROOT, 'dist', `.determinism-${process.pid}`);

describe('determinism of the engine and network', () => {
  it('same seed ⇒ same hash, over 200 seeds of a randomized workload; different seeds ⇒ different hashes', () => {
    const hashes = new Set<string>();
    let delivered = 0;
    for (const seed of SEEDS) {
      const a = runChaos(seed);
      const b = runChaos(seed);
      expect(b.hash, seed).toBe(a.hash);
      expect(b.events, seed).toBe(a.events);
      hashes.add(a.hash);
      delivered += a.delivered;
    }
    expect(hashes.size).toBe(SEEDS.length);
    expect(delivered).toBeGreaterThan(SEEDS.length * 20); // the workload really moves data
  });

  it('two runs of one seed have no first difference; two seeds do', () => {
    const a = runChaos('diff', { retention: 'all' }).sim.trace.records();
    const b = runChaos('diff', { retention: 'all' }).sim.trace.records();
    expect(a.length).toBeGreaterThan(100);
    expect(firstDifference(a, b)).toBeNull();
    const c = runChaos('diff-2', { retention: 'all' }).sim.trace.records();
    expect(firstDifference(a, c)).not.toBeNull();
  });

  describe('in a fresh process', () => {
    beforeAll(() => {
      // Compile just the workload and what it imports with the project's tsc.
      execFileSync(
        'npx',
        [
          'tsc',
          '--outDir', OUT, '--rootDir', ROOT,
          '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022',
          '--strict', '--skipLibCheck', '--esModuleInterop', '--types', 'node',
          path.join(ROOT, 'test/net/support/chaos-child.ts'),
        ],
        { cwd: ROOT, stdio: 'pipe' },
      );
    });
    afterAll(() => {
      if (existsSync(OUT)) rmSync(OUT, { recursive: true, force: true });
    });

    it('gives the same hashes as this process', () => {
      const seeds = SEEDS.slice(0, 20);
      const out = execFileSync(process.execPath, [path.join(OUT, 'test/net/support/chaos-child.js'), ...seeds], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(JSON.parse(out)).toEqual(seeds.map((s) => runChaos(s).hash));
    });
  });
});

/**
 * Figure 4: the same scenario on real Redis and in replsim — the output-buffer full-sync
 * loop (400k keys, 5k writes/s of 1 KB values for 18 s, `client-output-buffer-limit replica
 * 1mb 512kb 5`). replsim runs it through the library API; real redis-server takes ≈ 40 s
 * (issue 10), or is measured with --with-redis through replsim diff's runner.
 */
import { join } from 'node:path';
import { findRedisServer } from '../sim/cli/diff.js';
import { loadScenarioFile } from '../sim/scenario/load.js';
import { runScenario } from '../sim/scenario/runner.js';
import type { Scenario } from '../sim/scenario/scenario.js';
import type { Scale } from './args.js';
import { repoRoot } from './repo.js';
import { check, figure, measure, type FigureResult, type Measure } from './stats.js';

export const SCENARIO_FILE = 'scenarios/full-sync-loop-output-buffer.yaml';
/** Issue 10: what redis-server takes on this scenario, quoted when no real server is run. */
export const REAL_REDIS_SECONDS = 40;

function scenarioFor(scale: Scale): Scenario {
  const s = loadScenarioFile(join(repoRoot(), SCENARIO_FILE));
  if (scale !== 'tiny') return s;
  // The bench's own test: the same shape, toy sizes, nothing expected.
  return { ...s, durationUs: 2_000_000, dataset: s.dataset.map((d) => ({ ...d, keys: 1000 })), workload: s.workload.map((w) => ({ ...w, untilUs: 1_000_000 })), expect: [] };
}

export async function figRealVsSim(scale: Scale, runs: number, withRedis: boolean, log: (s: string) => void): Promise<FigureResult> {
  const t0 = performance.now();
  const scenario = scenarioFor(scale);
  const seed = scenario.seed ?? '31';
  runScenario(scenario, { seed: 'warmup' });
  const wall: number[] = [];
  const ok: boolean[] = [];
  const syncs: number[] = [];
  const hashes = new Set<string>();
  for (let r = 0; r < runs; r++) {
    const s0 = performance.now();
    const res = runScenario(scenario, { seed });
    wall.push((performance.now() - s0) / 1000);
    ok.push(res.ok && res.error === undefined);
    syncs.push(Number(res.nodes['m1']?.stats['sync_full'] ?? 0));
    hashes.add(res.traceHash);
  }
  log('  figure 4: replsim runs done');
  const notes: string[] = [
    `${SCENARIO_FILE}, seed ${seed}: ${scenario.durationUs / 1e6} s virtual, ${syncs[0]} full syncs of the replica (m1 sync_full), trace hash ${[...hashes].join(', ')}${hashes.size === 1 ? ' in every run' : ' — DIFFERENT HASHES: nondeterminism'}.`,
  ];
  const measures: Measure[] = [
    measure('replsim wall time', 's', wall, { op: '<=', value: 1 }),
    check('expectations held (sync loop, link up, converged)', ok),
  ];
  let realSec = [REAL_REDIS_SECONDS];
  if (withRedis) {
    const binary = findRedisServer(process.env);
    if (binary === null) {
      notes.push(`--with-redis: no redis-server on the PATH; quoting ${REAL_REDIS_SECONDS} s from issue 10.`);
    } else {
      const { runReal } = await import('../sim/diff/real-runner.js');
      const real: number[] = [];
      for (let r = 0; r < runs; r++) {
        const s0 = performance.now();
        const res = await runReal(scenario, { redisServer: binary, seed });
        real.push((performance.now() - s0) / 1000);
        log(`  figure 4: real redis-server run ${r + 1}/${runs}: ${real[r]!.toFixed(1)} s (sync_full ${res.nodes['m1']?.stats['sync_full'] ?? '?'})`);
      }
      realSec = real;
      measures.push(measure('real redis-server, spawn to final state', 's', real));
      notes.push(`real: ${binary} (replsim diff's runner: spawn, DEBUG POPULATE, ${scenario.durationUs / 1e6} s of real time, INFO/DEBUG DIGEST).`);
    }
  }
  if (realSec.length === 1) notes.push(`real redis-server: ${REAL_REDIS_SECONDS} s quoted from issue 10 (run with --with-redis to measure it here).`);
  const realMedian = [...realSec].sort((a, b) => a - b)[realSec.length >> 1]!;
  measures.push(measure('real Redis time / replsim wall time', '×', wall.map((w) => realMedian / w)));
  return figure(4, 'real-vs-sim', 'real Redis vs replsim on the output-buffer full-sync loop', `replsim ≤ 1 s (real redis-server ≈ ${REAL_REDIS_SECONDS} s)`, runs, measures, notes, performance.now() - t0);
}

/**
 * Figure 7: what a write costs as replicas are added. The same workload as figure 2 (SETs
 * of 100 B over 100k keys, 1k writes/s) on a master alone, with 1, 2, 5 and 20 replicas
 * under it, and on a chain of 5 (each replica under the previous one). A write costs the
 * master's processCommand and feedReplicationBuffer once, and each replica one stream
 * message, its apply and its proxy to its own backlog: the cost per write should grow by a
 * constant per replica — the slope — whatever the count.
 */
import type { Scale } from './args.js';
import { clusterModel, SETTLE_SEC, type ClusterMeasurement, type Topology } from './model-throughput.js';
import { figure, measure, type FigureResult, type Measure } from './stats.js';

const RATE_HZ = 1_000;

/** Virtual seconds of writes per run. */
const VIRTUAL_SEC: Record<Scale, number> = { full: 60, quick: 20, tiny: 1 };

const STAR_SIZES = [0, 1, 2, 5, 20];
const CHAIN: Topology = { shape: 'chain', replicas: 5 };

/** The floor for the 1 + 20 cluster, virtual seconds per wall second. */
const SPEEDUP_20 = 100;
/** "Flat": the cost a replica adds to a write, at 20 replicas against 2, within this factor (our reading of the issue). */
const FLAT_WITHIN = 1.5;

/** Least-squares slope of y over x. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

export function figReplicas(scale: Scale, runs: number, log: (s: string) => void): FigureResult {
  const t0 = performance.now();
  const virtualSec = VIRTUAL_SEC[scale];
  const topologies: Topology[] = [...STAR_SIZES.map((replicas): Topology => ({ shape: 'star', replicas })), CHAIN];
  const label = (t: Topology): string => (t.shape === 'chain' ? `chain of ${t.replicas}` : t.replicas === 0 ? 'master alone' : `1 + ${t.replicas}`);
  for (const t of topologies) clusterModel(t, Math.min(virtualSec, 5), RATE_HZ, 'warmup');
  // samples[i][r]: topology i, run r. Each run measures every topology back to back, in
  // reverse order every other run: a run's garbage is collected in the next one's time.
  const samples: ClusterMeasurement[][] = topologies.map(() => []);
  for (let r = 0; r < runs; r++) {
    const order = topologies.map((_, i) => (r % 2 === 0 ? i : topologies.length - 1 - i));
    for (const i of order) samples[i]!.push(clusterModel(topologies[i]!, virtualSec, RATE_HZ, `run-${r}`));
    log(`  figure 7: run ${r + 1}/${runs} done`);
  }
  const star = (n: number): ClusterMeasurement[] => samples[STAR_SIZES.indexOf(n)]!;
  const alone = star(0);
  const measures: Measure[] = topologies.map((t, i) => measure(`cost per write, ${label(t)}`, 'µs', samples[i]!.map((s) => s.usPerWrite)));
  const perReplica = (n: number): number[] => star(n).map((s, r) => (s.usPerWrite - alone[r]!.usPerWrite) / n);
  for (const n of STAR_SIZES.slice(1)) measures.push(measure(`cost a replica adds to a write, 1 + ${n}`, 'µs', perReplica(n)));
  measures.push(measure('cost a replica adds to a write, chain of 5', 'µs', samples[topologies.length - 1]!.map((s, r) => (s.usPerWrite - alone[r]!.usPerWrite) / CHAIN.replicas)));
  const slopes: number[] = [];
  for (let r = 0; r < runs; r++) slopes.push(slope(STAR_SIZES, STAR_SIZES.map((n) => star(n)[r]!.usPerWrite)));
  measures.push(measure('slope: cost per write per replica (least squares over 0, 1, 2, 5, 20)', 'µs', slopes));
  const p2 = perReplica(2);
  measures.push(measure('flatness: the cost a replica adds at 1 + 20 / at 1 + 2', '×', perReplica(20).map((x, r) => x / p2[r]!), { op: '<=', value: FLAT_WITHIN }));
  measures.push(measure('1 + 20 vs real time (the whole run)', '×', star(20).map((s) => s.speedup), { op: '>=', value: SPEEDUP_20 }));
  measures.push(measure('1 + 20, virtual seconds per CPU second (the whole run)', '×', star(20).map((s) => s.cpuSpeedup)));
  const notes = [
    `${virtualSec} s of virtual writes per run at ${RATE_HZ.toLocaleString('en-US')} SETs/s of 100 B over 100k keys; cost per write = CPU time of the bench process (user + system, GC threads included) over the write window ÷ writes (set-up, first syncs and the final report excluded); the cost a replica adds = (cost − master alone) ÷ replicas, per run.`,
    `"Flat" is read here as the cost a replica adds staying within ${FLAT_WITHIN}× between 2 and 20 replicas; real time counts the whole run (${SETTLE_SEC} s idle to let every link come up, set-up and final report included), as figure 2 does; per CPU second is what a quiet machine's clock would show (other processes stretch wall time, not CPU time).`,
  ];
  return figure(7, 'replicas-scaling', 'cost per write as replicas grow (1, 2, 5, 20; a chain of 5)', `the cost a replica adds stays flat (slope reported); 1 + 20 ≥ ${SPEEDUP_20}× real time at 1k writes/s`, runs, measures, notes, performance.now() - t0);
}

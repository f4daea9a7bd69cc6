/**
 * Figures 2 and 3: what fidelity costs (the full Redis model against a three-Map
 * micro-model on the same engine) and what idle virtual time costs.
 */
import type { Scale } from './args.js';
import { fullModel, idleCluster, microModel } from './model-throughput.js';
import { figure, measure, type FigureResult, type Measure } from './stats.js';

/** Virtual seconds of writes per run at each rate. */
const FIDELITY_PLAN: Record<Scale, [number, number][]> = {
  full: [
    [1_000, 300],
    [10_000, 30],
  ],
  quick: [
    [1_000, 60],
    [10_000, 10],
  ],
  tiny: [[1_000, 1]],
};

/** The floor on the full model's speed, virtual seconds per wall second. */
const SPEEDUP_TARGET: Record<number, number> = { 1_000: 1000, 10_000: 100 };

export function figFidelity(scale: Scale, runs: number, log: (s: string) => void): FigureResult {
  const t0 = performance.now();
  const measures: Measure[] = [];
  const notes: string[] = [];
  for (const [rateHz, virtualSec] of FIDELITY_PLAN[scale]) {
    fullModel(Math.min(virtualSec, 10), rateHz, 'warmup');
    microModel(Math.min(virtualSec, 10), rateHz, 'warmup');
    const full: number[] = [];
    const micro: number[] = [];
    const ratio: number[] = [];
    const speedup: number[] = [];
    const microSpeedup: number[] = [];
    for (let r = 0; r < runs; r++) {
      const f = fullModel(virtualSec, rateHz, `run-${r}`);
      const m = microModel(virtualSec, rateHz, `run-${r}`);
      full.push(f.writesPerSec / 1e6);
      micro.push(m.writesPerSec / 1e6);
      ratio.push(f.writesPerSec / m.writesPerSec);
      speedup.push(f.speedup);
      microSpeedup.push(m.speedup);
    }
    const k = `${rateHz / 1000}k writes/s`;
    measures.push(measure(`full model, ${k}`, 'M writes/s', full));
    measures.push(measure(`micro-model, ${k}`, 'M writes/s', micro));
    measures.push(measure(`full / micro, ${k}`, '×', ratio, { op: '>=', value: 0.5 }));
    measures.push(measure(`full model vs real time, ${k}`, '×', speedup, { op: '>=', value: SPEEDUP_TARGET[rateHz] ?? 0 }));
    // The baseline's own pace: a real-time target above it asks the full model to beat three Maps.
    measures.push(measure(`micro-model vs real time, ${k}`, '×', microSpeedup));
    notes.push(`${k}: ${virtualSec} s of virtual writes per run (${(virtualSec * rateHz).toLocaleString('en-US')} SETs of 100 B over 100k keys, 1 master + 2 replicas, PINGs and ACKs on).`);
    log(`  figure 2: ${k} done`);
  }
  return figure(2, 'fidelity-price', 'fidelity price: full model vs micro-model', 'full ≥ 0.5× the micro-model; ≥ 1000× real time at 1k writes/s, ≥ 100× at 10k', runs, measures, notes, performance.now() - t0);
}

const IDLE_SEC: Record<Scale, number> = { full: 86_400, quick: 86_400, tiny: 600 };

export function figIdle(scale: Scale, runs: number, log: (s: string) => void): FigureResult {
  const t0 = performance.now();
  const virtualSec = IDLE_SEC[scale];
  const hours = virtualSec / 3600;
  const span = Number.isInteger(hours) ? `${hours} h` : `${virtualSec} s`;
  const measures: Measure[] = [];
  // The bare cluster's target is 1 s a day (issue 10), with Sentinels 3 s (issue 13).
  for (const [sentinels, perDaySec] of [[false, 1], [true, 3]] as const) {
    idleCluster(Math.min(virtualSec, 3600), 'warmup', sentinels);
    const wall: number[] = [];
    const speed: number[] = [];
    const rate: number[] = [];
    for (let r = 0; r < runs; r++) {
      const m = idleCluster(virtualSec, `idle-${r}`, sentinels);
      wall.push(m.wallMs / 1000);
      speed.push(m.speedup);
      rate.push(m.eventsPerVirtualSec);
    }
    const what = sentinels ? '3 nodes + 3 Sentinels' : '3 nodes';
    measures.push(measure(`wall time, ${what} idle for ${virtualSec.toLocaleString('en-US')} s virtual`, 's', wall, { op: '<=', value: (perDaySec * virtualSec) / 86_400 }));
    measures.push(measure(`virtual : wall, ${what}`, '×', speed));
    measures.push(measure(`events per virtual second, ${what}`, 'events', rate));
    log(`  figure 3: ${what} done`);
  }
  return figure(3, 'idle', 'idle time is free', `${span} of virtual time, no writes, in ≤ 1 s (≤ 3 s with 3 Sentinels)`, runs, measures, [
    '1 master + 2 replicas, crons at hz 10, PINGs every 10 s, ACKs every second; nothing else.',
    'With Sentinels: three more processes monitoring that master with quorum 2 and the default periods (timer 10–19 Hz, PING 1 s, INFO 10 s, hello 2 s per instance).',
  ], performance.now() - t0);
}

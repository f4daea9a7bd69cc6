/**
 * `npm run bench`: the engine's event rate against a bare typed-array heap, at steady-state
 * queue sizes of 1e3, 1e5 and 1e6, all measured in this one process. Prints medians with
 * min–max and the engine/heap ratio (target >= 0.6, goal >= 0.8). `--json` prints one JSON
 * document instead. Not a test: nothing here asserts on wall-clock time.
 */
import os from 'node:os';
import { measureBareHeap, measureEngine, type Measurement } from './engine-vs-heap.js';
import { fullModel, idleCluster, microModel } from './model-throughput.js';

interface Summary {
  median: number;
  min: number;
  max: number;
}

interface SizeResult {
  queued: number;
  eventsPerRun: number;
  runs: number;
  engineEventsPerSec: Summary;
  bareHeapEventsPerSec: Summary;
  /** Median of the per-run ratios engine/heap (each pair measured back to back). */
  ratio: Summary;
}

function summarize(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

function measureSize(queued: number, eventsPerRun: number, runs: number): SizeResult {
  const engine: number[] = [];
  const heap: number[] = [];
  const ratios: number[] = [];
  // One untimed warm-up pair so both loops are optimised before measuring.
  measureEngine(queued, Math.min(eventsPerRun, 200_000), 'warmup');
  measureBareHeap(queued, Math.min(eventsPerRun, 200_000), 'warmup');
  for (let r = 0; r < runs; r++) {
    const seed = `run-${r}`;
    // Alternate which goes first so drift (GC, thermal) does not favour one side.
    let e: Measurement;
    let h: Measurement;
    if (r % 2 === 0) {
      e = measureEngine(queued, eventsPerRun, seed);
      h = measureBareHeap(queued, eventsPerRun, seed);
    } else {
      h = measureBareHeap(queued, eventsPerRun, seed);
      e = measureEngine(queued, eventsPerRun, seed);
    }
    if (e.finalTime !== h.finalTime) {
      throw new Error(`bench: engine and heap diverged (${e.finalTime} vs ${h.finalTime}): not the same workload`);
    }
    engine.push(e.eventsPerSec);
    heap.push(h.eventsPerSec);
    ratios.push(e.eventsPerSec / h.eventsPerSec);
  }
  return {
    queued,
    eventsPerRun,
    runs,
    engineEventsPerSec: summarize(engine),
    bareHeapEventsPerSec: summarize(heap),
    ratio: summarize(ratios),
  };
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()}`,
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
  };
}

function fmtM(x: number): string {
  return (x / 1e6).toFixed(2);
}

function main(): void {
  const json = process.argv.includes('--json');
  const runs = 7;
  const plan: [number, number][] = [
    [1_000, 3_000_000],
    [100_000, 2_000_000],
    [1_000_000, 2_000_000],
  ];
  const info = machine();
  if (!json) {
    console.log(`replsim bench — engine vs bare typed-array heap (medians of ${runs} runs, min–max)`);
    console.log(`node ${info.node} (v8 ${info.v8}), ${info.platform}, ${info.cores} cores, ${info.cpu}`);
  }
  const results: SizeResult[] = [];
  for (const [queued, events] of plan) {
    const res = measureSize(queued, events, runs);
    results.push(res);
    if (!json) {
      const e = res.engineEventsPerSec;
      const h = res.bareHeapEventsPerSec;
      const q = res.ratio;
      console.log(
        `queued ${queued.toExponential(0).padEnd(4)}  engine ${fmtM(e.median)} M ev/s (${fmtM(e.min)}–${fmtM(e.max)})` +
          `  bare heap ${fmtM(h.median)} M ev/s (${fmtM(h.min)}–${fmtM(h.max)})` +
          `  ratio ${q.median.toFixed(2)}× (${q.min.toFixed(2)}–${q.max.toFixed(2)})`,
      );
    }
  }
  const model = measureModel(json);
  if (json) console.log(JSON.stringify({ machine: info, runs, results, model }, null, 2));
}

/** Issue 10 figures 2 and 3: the price of fidelity, and idle time. */
function measureModel(json: boolean) {
  const runs = 5;
  const virtualSec = 120;
  const rows: Array<{ rateHz: number; full: Summary; micro: Summary; ratio: Summary; fullSpeedup: Summary }> = [];
  for (const rateHz of [1_000, 10_000]) {
    const v = rateHz === 1_000 ? virtualSec : virtualSec / 4;
    fullModel(10, rateHz, 'warmup');
    microModel(10, rateHz, 'warmup');
    const full: number[] = [];
    const micro: number[] = [];
    const ratio: number[] = [];
    const speed: number[] = [];
    for (let r = 0; r < runs; r++) {
      const f = fullModel(v, rateHz, `run-${r}`);
      const m = microModel(v, rateHz, `run-${r}`);
      full.push(f.writesPerSec);
      micro.push(m.writesPerSec);
      ratio.push(f.writesPerSec / m.writesPerSec);
      speed.push(f.speedup);
    }
    const row = { rateHz, full: summarize(full), micro: summarize(micro), ratio: summarize(ratio), fullSpeedup: summarize(speed) };
    rows.push(row);
    if (!json) {
      console.log(
        `model ${rateHz} writes/s  full ${fmtM(row.full.median)} M writes/s (${row.fullSpeedup.median.toFixed(0)}× real time)` +
          `  micro ${fmtM(row.micro.median)} M writes/s  ratio ${row.ratio.median.toFixed(2)}× (${row.ratio.min.toFixed(2)}–${row.ratio.max.toFixed(2)})`,
      );
    }
  }
  const idle: number[] = [];
  for (let r = 0; r < 3; r++) idle.push(idleCluster(86_400, `idle-${r}`).wallMs);
  const idleSummary = summarize(idle);
  if (!json) console.log(`idle 24 h virtual, 3 nodes: ${(idleSummary.median / 1000).toFixed(2)} s wall (${(idleSummary.min / 1000).toFixed(2)}–${(idleSummary.max / 1000).toFixed(2)})`);
  return { fidelityPrice: rows, idle24hWallMs: idleSummary };
}

main();

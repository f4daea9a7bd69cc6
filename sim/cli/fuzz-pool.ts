/**
 * Where fuzz runs happen: long-lived worker threads, one per core by default, each running
 * the cases it is handed one after another (a case takes ~0.1 s, so a thread per case would
 * spend more time loading the model than simulating); in this thread when there is no
 * compiled worker beside this file (tests running the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CampaignConfig, RunRecord } from '../fuzz/index.js';
import { threadCpuMs } from './thread-cpu.js';

export type FuzzWorkerRequest = { type: 'run'; index: number; skipShrink: string[] };

export type FuzzWorkerMessage =
  /** cpuMs: the worker thread's own CPU time for the case (thread-cpu.ts), null without /proc. */
  | { type: 'result'; record: RunRecord; cpuMs: number | null }
  | { type: 'error'; index: number; message: string; stack?: string };

export interface FuzzRunner {
  run(index: number, skipShrink: readonly string[]): Promise<RunRecord>;
  close(): Promise<void>;
  /** CPU time of the thread that ran this runner's cases, summed over them; null when unknown. */
  readonly cpuMs: number | null;
}

export interface FuzzPool {
  runners: FuzzRunner[];
  threaded: boolean;
}

/** Adds one case's CPU time to a runner's sum; unknown once any case's is unknown. */
function addCpu(sum: number | null, ms: number | null): number | null {
  return sum === null || ms === null ? null : sum + ms;
}

function inProcessRunner(cfg: CampaignConfig): FuzzRunner {
  const runner = {
    cpuMs: 0 as number | null,
    async run(index: number, skipShrink: readonly string[]): Promise<RunRecord> {
      // Let the event loop breathe between cases: progress, Ctrl-C.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const { runIndex } = await import('../fuzz/index.js');
      const cpu0 = threadCpuMs();
      const record = runIndex(cfg, index, (checker) => !skipShrink.includes(checker));
      if (cfg.checkDeterminism === 'process') (await import('./fuzz-determinism.js')).checkInChildProcess(cfg, record);
      const cpu1 = threadCpuMs();
      runner.cpuMs = addCpu(runner.cpuMs, cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null);
      return record;
    },
    async close() {},
  };
  return runner;
}

function threadRunner(url: URL, cfg: CampaignConfig): FuzzRunner {
  const worker = new Worker(url, { workerData: cfg });
  let pending: { resolve: (r: RunRecord) => void; reject: (e: Error) => void } | null = null;
  let dead: Error | null = null;
  let cpuMs: number | null = 0;
  const fail = (e: Error): void => {
    dead = e;
    const p = pending;
    pending = null;
    p?.reject(e);
  };
  worker.on('message', (m: FuzzWorkerMessage) => {
    const p = pending;
    pending = null;
    if (!p) return;
    if (m.type === 'result') {
      cpuMs = addCpu(cpuMs, m.cpuMs);
      p.resolve(m.record);
    }
    else {
      const err = new Error(`case index ${m.index}: ${m.message}`);
      if (m.stack !== undefined) err.stack = m.stack;
      p.reject(err);
    }
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => fail(new Error(`a fuzz worker exited with code ${code}`)));
  return {
    get cpuMs() {
      return cpuMs;
    },
    run(index, skipShrink) {
      if (dead) return Promise.reject(dead);
      return new Promise<RunRecord>((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage({ type: 'run', index, skipShrink: [...skipShrink] } satisfies FuzzWorkerRequest);
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

export function fuzzPool(cfg: CampaignConfig, workers: number): FuzzPool {
  const url = new URL('./fuzz-worker.js', import.meta.url);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return { runners: [inProcessRunner(cfg)], threaded: false };
  return { runners: Array.from({ length: workers }, () => threadRunner(url, cfg)), threaded: true };
}

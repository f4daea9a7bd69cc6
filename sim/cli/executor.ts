/**
 * Where a scenario runs. In a worker thread when the compiled worker exists (the installed
 * binary): runScenario is synchronous, and only an idle main thread can answer Ctrl-C with
 * the seed. In this thread otherwise (tests running the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunOptions, RunResult } from '../scenario/result.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Executor } from './io.js';

/** Messages from run-worker.ts. */
export type WorkerMessage =
  | { type: 'progress'; virtualUs: number }
  | { type: 'result'; result: RunResult }
  | { type: 'error'; name: string; message: string; stack?: string };

export interface WorkerRequest {
  scenario: Scenario;
  seed?: string;
  traceKinds?: string[] | 'all';
  bugs?: string[];
  liveness?: boolean;
  strict?: boolean;
}

/**
 * Runs in this thread. The runner (and the whole model behind it) is imported on first
 * use, so `validate` and `--help` work even when the model does not load.
 */
export const inProcessExecutor: Executor = async (scenario, opts) => {
  const { runScenario } = await import('../scenario/runner.js');
  return runScenario(scenario, opts);
};

/** A worker-thread executor, or null when there is no compiled worker beside this file. */
export function workerExecutor(): Executor | null {
  const url = new URL('./run-worker.js', import.meta.url);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return null;
  return (scenario: Scenario, opts: RunOptions) =>
    new Promise<RunResult>((resolve, reject) => {
      const request: WorkerRequest = { scenario };
      if (opts.seed !== undefined) request.seed = opts.seed;
      if (opts.traceKinds !== undefined) request.traceKinds = opts.traceKinds;
      if (opts.bugs !== undefined) request.bugs = opts.bugs;
      if (opts.liveness) request.liveness = true;
      if (opts.strict) request.strict = true;
      const worker = new Worker(url, { workerData: request });
      let settled = false;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') {
          opts.onProgress?.(m.virtualUs);
          return;
        }
        settled = true;
        if (m.type === 'result') resolve(m.result);
        else {
          const err = new Error(m.message);
          err.name = m.name;
          if (m.stack !== undefined) err.stack = m.stack;
          reject(err);
        }
        void worker.terminate();
      });
      worker.on('error', (e) => {
        settled = true;
        reject(e);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`the simulation worker exited with code ${code} before reporting`));
      });
    });
}

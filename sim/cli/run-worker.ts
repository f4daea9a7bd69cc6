/**
 * Worker-thread entry for one scenario run (see executor.ts for why runs happen here).
 * Posts throttled progress, then exactly one result or error message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runScenario } from '../scenario/runner.js';
import type { RunOptions } from '../scenario/result.js';
import type { WorkerMessage, WorkerRequest } from './executor.js';

const port = parentPort;
if (port) {
  const request = workerData as WorkerRequest;
  const post = (m: WorkerMessage): void => port.postMessage(m);
  let lastPost = 0;
  const opts: RunOptions = {
    // At most ~10 messages a second: progress is for a human watching.
    onProgress: (virtualUs) => {
      const now = Date.now();
      if (now - lastPost >= 100) {
        lastPost = now;
        post({ type: 'progress', virtualUs });
      }
    },
  };
  if (request.seed !== undefined) opts.seed = request.seed;
  if (request.traceKinds !== undefined) opts.traceKinds = request.traceKinds;
  if (request.bugs !== undefined) opts.bugs = request.bugs;
  if (request.liveness) opts.liveness = true;
  if (request.strict) opts.strict = true;
  try {
    post({ type: 'result', result: runScenario(request.scenario, opts) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const m: WorkerMessage = { type: 'error', name: err.name, message: err.message };
    if (err.stack !== undefined) m.stack = err.stack;
    post(m);
  }
}

/**
 * Worker-thread entry of `replsim fuzz`: receives case indices one at a time, runs each
 * (with shrinking when it fails and its checker has no reproducer yet), posts the record.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runIndex, type CampaignConfig } from '../fuzz/index.js';
import { checkInChildProcess } from './fuzz-determinism.js';
import type { FuzzWorkerMessage, FuzzWorkerRequest } from './fuzz-pool.js';
import { threadCpuMs } from './thread-cpu.js';

const port = parentPort;
if (port) {
  const cfg = workerData as CampaignConfig;
  port.on('message', (m: FuzzWorkerRequest) => {
    let reply: FuzzWorkerMessage;
    try {
      const cpu0 = threadCpuMs();
      const record = runIndex(cfg, m.index, (checker) => !m.skipShrink.includes(checker));
      if (cfg.checkDeterminism === 'process') checkInChildProcess(cfg, record);
      const cpu1 = threadCpuMs();
      reply = { type: 'result', record, cpuMs: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { type: 'error', index: m.index, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) };
    }
    port.postMessage(reply);
  });
}

/**
 * Where report and sweep runs happen: each in its own worker thread when the compiled
 * worker exists beside this file (the installed binary; a sweep then uses every core it is
 * given), in this thread otherwise (tests running the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReportData } from '../report/report-data.js';
import type { Scenario } from '../scenario/scenario.js';
import type { CellRun } from '../sweep/outcome.js';

export interface ReportWorkerRequest {
  mode: 'report' | 'cell';
  scenario: Scenario;
  seed: string;
}

export type ReportWorkerMessage =
  | { type: 'report'; data: ReportData }
  | { type: 'cell'; cell: CellRun }
  | { type: 'error'; message: string; stack?: string };

export interface ReportRunners {
  report(scenario: Scenario, seed: string): Promise<ReportData>;
  cell(scenario: Scenario, seed: string): Promise<CellRun>;
  /** True when runs go to worker threads. */
  threaded: boolean;
}

export const inProcessRunners: ReportRunners = {
  threaded: false,
  async report(scenario, seed) {
    const { collectReport } = await import('../report/collect.js');
    return collectReport(scenario, { seed }).data;
  },
  async cell(scenario, seed) {
    const { collectReport } = await import('../report/collect.js');
    const { cellRunOf } = await import('../sweep/outcome.js');
    return cellRunOf(collectReport(scenario, { seed }).data);
  },
};

function inWorker(url: URL, request: ReportWorkerRequest): Promise<ReportWorkerMessage> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: request });
    let settled = false;
    worker.on('message', (m: ReportWorkerMessage) => {
      settled = true;
      resolve(m);
      void worker.terminate();
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the report worker exited with code ${code} before reporting`));
    });
  });
}

function unwrap<T>(m: ReportWorkerMessage, pick: (m: ReportWorkerMessage) => T | undefined): T {
  if (m.type === 'error') {
    const err = new Error(m.message);
    if (m.stack !== undefined) err.stack = m.stack;
    throw err;
  }
  const v = pick(m);
  if (v === undefined) throw new Error(`unexpected message from the report worker: ${m.type}`);
  return v;
}

/** Worker-thread runners, or the in-process ones when there is no compiled worker. */
export function reportRunners(): ReportRunners {
  const url = new URL('./report-worker.js', import.meta.url);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return inProcessRunners;
  return {
    threaded: true,
    report: async (scenario, seed) => unwrap(await inWorker(url, { mode: 'report', scenario, seed }), (m) => (m.type === 'report' ? m.data : undefined)),
    cell: async (scenario, seed) => unwrap(await inWorker(url, { mode: 'cell', scenario, seed }), (m) => (m.type === 'cell' ? m.cell : undefined)),
  };
}

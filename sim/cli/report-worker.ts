/**
 * Worker-thread entry for `report` and `sweep`: runs one scenario with the report
 * collector and posts back either the whole ReportData or, for a sweep cell, the few
 * numbers the sweep keeps (so a big grid does not ship every run's series between threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { collectReport } from '../report/collect.js';
import { cellRunOf } from '../sweep/outcome.js';
import type { ReportWorkerMessage, ReportWorkerRequest } from './report-pool.js';

const port = parentPort;
if (port) {
  const request = workerData as ReportWorkerRequest;
  const post = (m: ReportWorkerMessage): void => port.postMessage(m);
  try {
    const { data } = collectReport(request.scenario, { seed: request.seed });
    post(request.mode === 'cell' ? { type: 'cell', cell: cellRunOf(data) } : { type: 'report', data });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'error', message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) });
  }
}

/**
 * Convergence (the second phase of a two-phase VOPR run): once the last fault is over and
 * the workload has stopped, every replica must be connected, listed online by its master,
 * with its master's replid, offset and dataset digest — within a bound derived from the
 * config (bounds.ts) — and still be so at the end of the run (it did not drift apart again).
 */
import { formatMicros } from '../engine/index.js';
import type { FinalState, History } from './history.js';
import { eventsBefore, runBound } from './topology.js';
import { Findings, type CheckerResult } from './violation.js';

export function checkConvergence(h: History, f: FinalState): CheckerResult {
  const out = new Findings('convergence', h.meta.seed);
  const q = h.meta.quietFromUs;
  if (q === null) {
    out.note('not checked: a fault never ends (a pause without for:/resume, or a partition never healed)');
    return out.result();
  }
  const bound = runBound(h, f);
  const deadline = q + bound.boundUs;
  const samples = h.cluster;
  const first = samples.find((c) => c.converged);
  if (!first) {
    const last = samples[samples.length - 1];
    if (f.t < deadline) {
      out.note(`not decided: the run ended ${formatMicros(deadline - f.t)} before the convergence deadline (faults over at ${formatMicros(q)}, bound ${formatMicros(bound.boundUs)})`);
    } else {
      const node = last?.problemNode ?? null;
      out.violation(node, deadline,
        `not converged ${formatMicros(bound.boundUs)} after the faults ended at ${formatMicros(q)} (bound from repl-timeout, reconnect, transfer and load costs); at the end: ${last?.problem ?? 'no sample'}`,
        eventsBefore(h, node, f.t));
    }
    return out.result();
  }
  const lastSample = samples[samples.length - 1];
  if (lastSample && lastSample.cycle.length > 0) {
    out.note(`left out: ${lastSample.cycle.join(', ')} replicate in a cycle (no master to converge to)`);
  }
  if (first.t > deadline) {
    out.violation(null, first.t, `converged only ${formatMicros(first.t - q)} after the faults ended, beyond the bound of ${formatMicros(bound.boundUs)}`);
  } else {
    out.note(`converged ${formatMicros(first.t - q)} after the faults ended (bound ${formatMicros(bound.boundUs)})`);
  }
  // It must not drift apart again: some sample near the end is converged too. The window
  // covers a PING in flight (offsets differ for one latency every ping period).
  let pingSec = 1;
  for (const c of Object.values(h.meta.configs)) pingSec = Math.max(pingSec, c.replPingReplicaPeriodSec);
  const window = Math.max(2_000_000, 2 * pingSec * 1_000_000) + h.meta.samplePeriodUs;
  if (f.t >= deadline && f.t - first.t > window) {
    const tail = samples.filter((c) => c.t >= f.t - window);
    if (tail.length > 0 && !tail.some((c) => c.converged)) {
      const last = tail[tail.length - 1]!;
      out.violation(last.problemNode, last.t, `converged at ${formatMicros(first.t)} but apart again at the end: ${last.problem ?? ''}`,
        eventsBefore(h, last.problemNode, last.t));
    }
  }
  return out.result();
}

/**
 * Liveness: once the faults are over, replication settles. Once the convergence bound has
 * passed (bounds.ts: detection, one full sync per level, draining what was queued), no
 * replica may still be full-syncing or losing its link: that is an endless loop
 * (output-buffer limits, repl-timeout during the load, a backlog too small for the time a
 * sync takes — docs/model.md, "What is modelled"), or a link that flaps for no reason. Before the
 * bound, loops are expected: a replica behind a slow link full-syncs over and over while
 * its upstream drains what was written during the faults.
 */
import { formatMicros } from '../engine/index.js';
import type { FinalState, History } from './history.js';
import { finalDepths, runBound } from './topology.js';
import { Findings, type CheckerResult } from './violation.js';

export function checkLiveness(h: History, f: FinalState): CheckerResult {
  const out = new Findings('liveness', h.meta.seed);
  const q = h.meta.quietFromUs;
  if (q === null) {
    out.note('not checked: a fault never ends');
    return out.result();
  }
  const bound = runBound(h, f);
  const deadline = q + bound.boundUs;
  if (f.t <= deadline) {
    out.note(`not decided: the run ended before the convergence bound (${formatMicros(bound.boundUs)} after ${formatMicros(q)})`);
    return out.result();
  }
  const depths = finalDepths(f);
  const late = new Map<string, typeof h.events>();
  let afterQuiet = 0;
  for (const e of h.events) {
    if (e.t < q || e.node === undefined) continue;
    const full = e.kind === 'replica.fullresync';
    if (full) afterQuiet++;
    if (e.t <= deadline || !(full || e.kind === 'replica.link-down' || e.kind === 'replica.load-aborted')) continue;
    if (!Number.isFinite(depths.get(e.node) ?? 1)) continue; // in a replication cycle: nothing to settle on
    let l = late.get(e.node);
    if (!l) late.set(e.node, (l = []));
    l.push(e);
  }
  for (const [node, list] of late) {
    const fulls = list.filter((e) => e.kind === 'replica.fullresync').length;
    const what = fulls > 0 ? `${fulls} full resync(s)` : `${list.length} link loss(es)`;
    out.violation(node, list[0]!.t,
      `${node} still had ${what} after replication should have settled (faults over at ${formatMicros(q)}, bound ${formatMicros(bound.boundUs)}): ${fulls > 0 ? 'a full-sync loop' : 'the link keeps failing'}`,
      list.slice(0, 8));
  }
  out.note(`${afterQuiet} full resync(s) after the faults ended`);
  return out.result();
}

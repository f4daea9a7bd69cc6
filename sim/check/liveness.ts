/**
 * Liveness: once the faults are over, replication settles. No replica may keep full-syncing
 * (an endless full-sync loop: output-buffer limits, repl-timeout during the load, a backlog
 * too small for the time a sync takes — redis-replication.md §12) or keep losing its link.
 * After the quiet point a replica may need one full sync per level of the chain above it
 * (its upstream resynced and gave it a new history) plus one that failed as the faults ended, and one more of slack.
 */
import { formatMicros } from '../engine/time.js';
import type { FinalState, History } from './history.js';
import { finalDepths } from './topology.js';
import { Findings, type CheckerResult } from './violation.js';

export function checkLiveness(h: History, f: FinalState): CheckerResult {
  const out = new Findings('liveness', h.meta.seed);
  const q = h.meta.quietFromUs;
  if (q === null) {
    out.note('not checked: a fault never ends');
    return out.result();
  }
  const depths = finalDepths(f);
  const fulls = new Map<string, typeof h.events>();
  const drops = new Map<string, typeof h.events>();
  for (const e of h.events) {
    if (e.t < q || e.node === undefined) continue;
    const into = e.kind === 'replica.fullresync' ? fulls : e.kind === 'replica.link-down' || e.kind === 'replica.load-aborted' ? drops : null;
    if (!into) continue;
    let l = into.get(e.node);
    if (!l) into.set(e.node, (l = []));
    l.push(e);
  }
  let total = 0;
  for (const [node, list] of fulls) {
    total += list.length;
    const d = depths.get(node) ?? 1;
    if (!Number.isFinite(d)) continue; // in a replication cycle: nothing to settle on
    const limit = d + 2;
    if (list.length > limit) {
      out.violation(node, list[limit]!.t,
        `${node} did ${list.length} full resyncs after the faults ended at ${formatMicros(q)} (at most ${limit} expected at depth ${d}): a full-sync loop`,
        list.slice(0, 8));
    }
  }
  for (const [node, list] of drops) {
    const d = depths.get(node) ?? 1;
    if (!Number.isFinite(d)) continue;
    const limit = d + 3;
    if (list.length > limit) {
      out.violation(node, list[limit]!.t,
        `${node} lost its master link ${list.length} times after the faults ended at ${formatMicros(q)} (at most ${limit} expected): replication does not settle`,
        list.slice(0, 8));
    }
  }
  out.note(`${total} full resync(s) after the faults ended`);
  return out.result();
}

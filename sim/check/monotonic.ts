/**
 * Monotonic offsets: within one process lifetime, one replication history (replid) and one
 * full sync, a node's master_repl_offset never goes backwards. A new history (promotion's
 * new replid), a restart, or a full resync may start anywhere — even earlier in the same
 * history: a replica that asks an upstream restarted from an older RDB for an offset it no
 * longer has gets +FULLRESYNC at the upstream's (smaller) offset, as Redis does.
 */
import type { TraceKind } from '../engine/index.js';
import type { FinalState, History, NodeSample } from './history.js';
import { anyWithin, eventsBefore, timesByNode } from './topology.js';

const RESYNCS = new Set<TraceKind>(['replica.fullresync', 'replica.sync-done', 'replica.transfer-start', 'server.boot']);
import { Findings, type CheckerResult } from './violation.js';

export function checkMonotonicOffsets(h: History, _f: FinalState): CheckerResult {
  const out = new Findings('monotonic-offsets', h.meta.seed);
  const resyncs = timesByNode(h, RESYNCS);
  const last = new Map<string, NodeSample>();
  const reported = new Set<string>();
  for (const s of h.samples) {
    if (!s.alive || !s.stable) continue;
    const prev = last.get(s.node);
    last.set(s.node, s);
    if (!prev || prev.incarnation !== s.incarnation || prev.replid !== s.replid) continue;
    if (anyWithin(resyncs.get(s.node), prev.t, s.t)) continue;
    if (s.offset < prev.offset && !reported.has(s.node)) {
      reported.add(s.node);
      out.violation(s.node, s.t, `master_repl_offset went back from ${prev.offset} to ${s.offset} within history ${s.replid.slice(0, 8)}…`,
        eventsBefore(h, s.node, s.t));
    }
  }
  return out.result();
}

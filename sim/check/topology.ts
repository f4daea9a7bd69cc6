/**
 * Helpers the checkers share: who replicates from whom at the end, how deep each replica
 * sits, per-node event indexes (linear in the history, as every checker must be).
 */
import type { Micros, TraceEvent, TraceKind, TraceRecord } from '../engine/index.js';
import { convergenceBound, type ConvergenceBound } from './bounds.js';
import type { FinalState, History } from './history.js';

/** Depth of each node in the final topology: 0 for a master, 1 for its replicas, …; Infinity in a cycle. */
export function finalDepths(f: FinalState): Map<string, number> {
  const depth = new Map<string, number>();
  for (const name of Object.keys(f.nodes)) {
    let d = 0;
    let cur: string | null = name;
    const seen = new Set<string>();
    while (cur !== null) {
      const n: FinalState['nodes'][string] | undefined = f.nodes[cur];
      if (!n || n.role !== 'slave') break;
      if (seen.has(cur)) {
        d = Infinity;
        break;
      }
      seen.add(cur);
      d++;
      cur = n.masterHost;
    }
    depth.set(name, d);
  }
  return depth;
}

export function maxFiniteDepth(depths: Map<string, number>): number {
  let m = 1;
  for (const d of depths.values()) if (Number.isFinite(d)) m = Math.max(m, d);
  return m;
}

/** The convergence bound of this run, for the dataset at its largest. */
export function runBound(h: History, f: FinalState): ConvergenceBound {
  let keys = 0;
  let bytes = 0;
  let streamBytes = 0;
  for (const s of h.samples) {
    if (s.keys > keys) keys = s.keys;
    if (s.mem > bytes) bytes = s.mem;
    if (s.offset > streamBytes) streamBytes = s.offset;
  }
  const b = convergenceBound({
    configs: Object.values(h.meta.configs),
    costs: h.meta.costs,
    maxLatencyUs: h.meta.maxLatencyUs,
    minBandwidthBytesPerSec: h.meta.minBandwidthBytesPerSec,
    ...(h.meta.tcpBufferBytes !== undefined ? { tcpBufferBytes: h.meta.tcpBufferBytes } : {}),
    keys,
    bytes,
    depth: maxFiniteDepth(finalDepths(f)),
    streamBytes,
  });
  // With Sentinels, a failover may still be under way when the faults end: the replicas
  // converge on the master they settle on, after they settle.
  return h.meta.sentinelSettleUs === undefined ? b : { ...b, boundUs: b.boundUs + h.meta.sentinelSettleUs };
}

/** The last `n` events of `node` (or of any node when null) at or before `t`. */
export function eventsBefore(h: History, node: string | null, t: Micros, n = 6): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = h.events.length - 1; i >= 0 && out.length < n; i--) {
    const e = h.events[i]!;
    if (e.t > t) continue;
    if (node !== null && e.node !== node && !('replica' in e && e.replica.includes(node))) continue;
    if (e.kind === 'client.write' || e.kind === 'client.acked-write') continue;
    out.push(e);
  }
  return out.reverse();
}

/** Is there a time in `times` (sorted) within [from, to]? */
export function anyWithin(times: readonly number[] | undefined, from: Micros, to: Micros): boolean {
  if (!times || times.length === 0) return false;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length && times[lo]! <= to;
}

/** Times of events of the given kinds, per node, sorted. */
export function timesByNode(h: History, kinds: ReadonlySet<TraceKind>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of h.events) {
    if (!kinds.has(e.kind) || e.node === undefined) continue;
    let l = out.get(e.node);
    if (!l) out.set(e.node, (l = []));
    l.push(e.t);
  }
  return out;
}

/**
 * The Sentinel side of a run's history: every `sentinel.event` trace record (the events of
 * sentinelEvent in sentinel.c, with their payloads) in trace order, collected
 * while the run goes. The failover analysis and the event-count expectations read this.
 */
import type { Simulator } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import type { TraceRecord } from '../engine/index.js';

export const SENTINEL_EVENT_RECORD = 'sentinel.event';

export interface SentinelEventRecord {
  t: Micros;
  /** The Sentinel that emitted it. */
  sentinel: string;
  /** `+sdown`, `+switch-master`, … */
  type: string;
  /** The payload after the type, as published (`master mymaster m1 6379`, …). */
  msg: string;
}

export function sentinelEventOf(rec: TraceRecord): SentinelEventRecord | null {
  if (rec.kind !== SENTINEL_EVENT_RECORD || rec.node === undefined) return null;
  return { t: rec.t, sentinel: rec.node, type: String(rec['type'] ?? ''), msg: String(rec['msg'] ?? '') };
}

/** Collects Sentinel events from the trace until `stop()`. Reads only: the trace hash is unchanged. */
export class SentinelEventLog {
  readonly events: SentinelEventRecord[] = [];
  private unsubscribe: (() => void) | null;

  constructor(sim: Simulator) {
    this.unsubscribe = sim.trace.subscribe((rec) => {
      const e = sentinelEventOf(rec);
      if (e) this.events.push(e);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Events of one Sentinel by type: `{ '+sdown': 1, '+switch-master': 1 }`. */
  counts(sentinel: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.events) if (e.sentinel === sentinel) out[e.type] = (out[e.type] ?? 0) + 1;
    return out;
  }
}

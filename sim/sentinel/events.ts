/**
 * sentinelEvent: every event is logged, published on this Sentinel's own pub/sub with the
 * event type as channel (all levels but debug), and — for the simulator — traced as a
 * `sentinel.event {type, msg}` record on the Sentinel's node.
 *
 * Payload: with an instance, the `%@` prefix (`master <name> <ip> <port>`, or
 * `<slave|sentinel> <name> <ip> <port> @ <master> <ip> <port>`) and then the rest; without
 * one, the rest alone (`+new-epoch 7`, `+switch-master …`, `+tilt #tilt mode entered`).
 */
import type { SentinelRedisInstance } from './instance.js';
import type { SentinelProcess } from './sentinel.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

export type EventLevel = 'warning' | 'notice' | 'verbose' | 'debug';

export function sentinelEvent(
  s: SentinelProcess,
  level: EventLevel,
  type: string,
  ri: SentinelRedisInstance | null,
  rest?: string,
): void {
  const msg = ri === null ? (rest ?? '') : rest === undefined ? ri.eventPrefix() : `${ri.eventPrefix()} ${rest}`;
  s.sim.record('sentinel.event', s.name, { type, msg });
  if (level !== 'debug') s.publishLocal(type, msg);
  s.onEvent?.(type, msg);
}

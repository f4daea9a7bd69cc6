/**
 * What the Sentinel answers (failovers.ts, sentinel-losses.ts) read about a run: the
 * Sentinels' events, the faults and process events, the Sentinel-aware clients' writes and
 * discoveries, the replica states the leader chose from, and what promoted or restarted
 * nodes lacked of the acknowledged writes at that instant. Collected by the scenario's
 * SentinelRecorder; everything here is data, so the analyses are pure functions of it.
 */
import type { Micros } from '../engine/index.js';
import type { TraceRecord } from '../engine/index.js';
import type { SentinelEventRecord } from './sentinel-events.js';

/** One write of a Sentinel-aware client: its invocation and, once known, its completion. */
export interface ClientWrite {
  client: string;
  key: string;
  value: string;
  /** The node it was sent to (the address discovery gave). */
  node: string;
  invokedUs: Micros;
  /** null: still unanswered at the end. */
  completedUs: Micros | null;
  /** The reply text: `OK` for an acknowledged write, `(error) …`, or `no reply`. */
  reply: string | null;
}

/** A `client.discover` step: which Sentinel answered what. */
export interface ClientDiscovery {
  t: Micros;
  client: string;
  sentinel: string;
  /** host:port, or '' when that Sentinel gave no address. */
  address: string;
}

/** A replica as the electing Sentinel saw it when it chose (sentinelSelectSlave's inputs). */
export interface ReplicaView {
  replica: string;
  priority: number;
  offset: number;
  runid: string | null;
  /** Why it could not be chosen ('' if it could): "priority 0", "s_down", "disconnected", … */
  excluded: string;
}

export interface Selection {
  t: Micros;
  sentinel: string;
  master: string;
  chosen: string;
  replicas: ReplicaView[];
}

/** Keys of acknowledged writes a node did not hold right after it was promoted or restarted. */
export interface Lacking {
  t: Micros;
  node: string;
  kind: 'promoted' | 'restart';
  keys: ReadonlySet<string>;
}

export interface SentinelHistory {
  events: SentinelEventRecord[];
  /** fault.* records, and the process events that matter here (server.boot, server.crash, sentinel.crash, replica.promoted). */
  faults: TraceRecord[];
  writes: ClientWrite[];
  discoveries: ClientDiscovery[];
  selections: Selection[];
  lacking: Lacking[];
}

/**
 * Whether `a` could not send to `b` at `t`, replaying the partition faults (both kinds) and
 * heals: nodes in different groups of a partition are cut both ways; a one-way cut blocks
 * `from → to`. Nodes a partition does not name are untouched by it.
 */
export function cutOff(faults: readonly TraceRecord[], a: string, b: string, t: Micros): boolean {
  const active: Array<(x: string, y: string) => boolean> = [];
  for (const f of faults) {
    if (f.t > t) break;
    if (f.kind === 'fault.heal') active.length = 0;
    else if (f.kind === 'fault.partition') {
      const groups = String(f['groups']).split(' | ').map((g) => g.split(','));
      const groupOf = (x: string): number => groups.findIndex((g) => g.includes(x));
      active.push((x, y) => {
        const gx = groupOf(x);
        const gy = groupOf(y);
        return gx >= 0 && gy >= 0 && gx !== gy;
      });
    } else if (f.kind === 'fault.partition-one-way') {
      const from = String(f['from']).split(',');
      const to = String(f['to']).split(',');
      active.push((x, y) => from.includes(x) && to.includes(y));
    }
  }
  return active.some((blocked) => blocked(a, b) || blocked(b, a));
}

/** `master mymaster m1 6379` / `slave r1:6379 r1 6379 @ mymaster m1 6379` → its parts. */
export function parseEventInstance(msg: string): { kind: string; name: string; host: string; master: string | null; masterHost: string | null } {
  const w = msg.split(' ');
  const at = w.indexOf('@');
  return {
    kind: w[0] ?? '',
    name: w[1] ?? '',
    host: w[2] ?? '',
    master: at >= 0 ? (w[at + 1] ?? null) : w[0] === 'master' ? (w[1] ?? null) : null,
    masterHost: at >= 0 ? (w[at + 2] ?? null) : w[0] === 'master' ? (w[2] ?? null) : null,
  };
}

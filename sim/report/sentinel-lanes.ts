/**
 * Each Sentinel's view of one monitored master over the run, read off its own events as
 * sentinelEvent (sentinel.c) published them: when it held the master
 * subjectively down (+sdown … -sdown) and objectively down (+odown … -odown), TILT, the
 * process down (a crash until its restart), the failover it ran (+try-failover … its
 * +switch-master or -failover-abort-*), the votes it cast (+vote-for-leader, the run id
 * turned into the Sentinel's name), its election, and which node it named as the master.
 *
 * sentinelResetMasterAndChangeAddress clears the master instance's flags at a switch
 * without a -sdown or -odown event, so a switch ends that Sentinel's open master bands. Pure.
 */
import type { Micros, TraceEvent } from '../engine/index.js';
import type { SentinelBand, SentinelBandKind, SentinelLane } from './report-data.js';

export interface LaneInputs {
  /** Sentinel names, in declaration order. */
  sentinels: readonly string[];
  /** myid (the run id in +vote-for-leader) → Sentinel name. */
  names: ReadonlyMap<string, string>;
  /** The monitored master's name and the node it starts at. */
  master: string;
  monitoredHost: string;
  endUs: Micros;
}

interface LaneState {
  lane: SentinelLane;
  open: Map<string, SentinelBand>;
  epoch: number;
}

export function buildSentinelLanes(records: readonly TraceEvent[], input: LaneInputs): SentinelLane[] {
  const states = new Map<string, LaneState>();
  for (const name of input.sentinels) {
    states.set(name, { lane: { sentinel: name, names: [{ fromUs: 0, node: input.monitoredHost }], bands: [], marks: [] }, open: new Map(), epoch: 0 });
  }
  for (const r of records) {
    const st = r.node === undefined ? undefined : states.get(r.node);
    if (!st) continue;
    if (r.kind === 'sentinel.crash') {
      for (const key of [...st.open.keys()]) close(st, key, r.t);
      open(st, 'down', '', r.t);
    } else if (r.kind === 'sentinel.boot') {
      close(st, 'down:', r.t);
    } else if (r.kind === 'sentinel.event') {
      onEvent(st, r.t, r.type, r.msg, input);
    }
  }
  return input.sentinels.map((n) => states.get(n)!.lane);
}

function key(kind: SentinelBandKind, instance: string): string {
  return `${kind}:${instance}`;
}

function open(st: LaneState, kind: SentinelBandKind, instance: string, t: Micros): void {
  if (st.open.has(key(kind, instance))) return;
  const b: SentinelBand = { kind, instance, startUs: t, endUs: null };
  st.lane.bands.push(b);
  st.open.set(key(kind, instance), b);
}

function close(st: LaneState, k: string, t: Micros): void {
  const b = st.open.get(k);
  if (!b) return;
  b.endUs = t;
  st.open.delete(k);
}

/** `master mymaster m1 6379 …` → m1 when it is the monitored master's instance. */
function masterHost(msg: string, master: string): string | null {
  const w = msg.split(' ');
  return w[0] === 'master' && w[1] === master ? (w[2] ?? null) : null;
}

function onEvent(st: LaneState, t: Micros, type: string, msg: string, input: LaneInputs): void {
  const host = masterHost(msg, input.master);
  const lane = st.lane;
  switch (type) {
    case '+new-epoch':
      st.epoch = Number(msg);
      return;
    case '+sdown':
    case '+odown':
      if (host !== null) open(st, type === '+sdown' ? 'sdown' : 'odown', host, t);
      return;
    case '-sdown':
    case '-odown':
      if (host !== null) close(st, key(type === '-sdown' ? 'sdown' : 'odown', host), t);
      return;
    case '+tilt':
      open(st, 'tilt', '', t);
      return;
    case '-tilt':
      close(st, key('tilt', ''), t);
      return;
    case '+try-failover':
      if (host === null) return;
      open(st, 'failover', host, t);
      lane.marks.push({ kind: 'try-failover', t, text: `tries a failover of ${host} in epoch ${st.epoch}` });
      return;
    case '+vote-for-leader': {
      const [runid, epoch] = msg.split(' ');
      const whom = input.names.get(runid ?? '') ?? (runid ?? '?').slice(0, 8);
      lane.marks.push({ kind: 'vote', t, text: `votes for ${whom === lane.sentinel ? 'itself' : whom} in epoch ${epoch}` });
      return;
    }
    case '+elected-leader':
      if (host !== null) lane.marks.push({ kind: 'elected-leader', t, text: `elected leader in epoch ${st.epoch}` });
      return;
    case '+switch-master': {
      const [name, oldHost, , newHost] = msg.split(' ');
      if (name !== input.master || newHost === undefined) return;
      for (const k of [...st.open.keys()]) if (k.endsWith(`:${oldHost}`)) close(st, k, t);
      lane.names.push({ fromUs: t, node: newHost });
      lane.marks.push({ kind: 'switch-master', t, text: `switches ${oldHost} → ${newHost}` });
      return;
    }
    case '+convert-to-slave': {
      const w = msg.split(' ');
      if (w[0] === 'slave' && w[w.indexOf('@') + 1] === input.master) lane.marks.push({ kind: 'convert-to-slave', t, text: `converts ${w[2]} to a replica` });
      return;
    }
    default:
      if (type.startsWith('-failover-abort') && host !== null) {
        close(st, key('failover', host), t);
        lane.marks.push({ kind: 'abort', t, text: `${type.slice(1)}` });
      }
  }
}

/**
 * Hand-made histories for checker tests: samples and events written out as a checker would
 * see them, so each test states exactly the situation it judges.
 */
import type { TraceEvent, TraceKind, TraceKinds } from '../../sim/engine/trace.js';
import type { AckedWriteOp, ClusterSample, DataLossEvent, FinalState, History, InfoSample, NodeSample } from '../../sim/check/history.js';
import { defaultCostModel } from '../../sim/redis/cost-model.js';
import { scenarioBaseConfig } from '../../sim/scenario/defaults.js';

export const X = 'a'.repeat(40);
export const Y = 'b'.repeat(40);
export const ZERO = '0'.repeat(40);

export function info(over: Partial<InfoSample> = {}): InfoSample {
  return {
    role: 'master', linkStatus: null, syncInProgress: null, connectedSlaves: 0, slaves: [], replid: X, replid2: ZERO,
    masterReplOffset: 100, secondReplOffset: -1, backlogActive: 1, backlogSize: 1_048_576, firstByteOffset: 1, histlen: 100, ...over,
  };
}

let round = 0;
export function sample(node: string, t: number, over: Partial<NodeSample> = {}): NodeSample {
  const role = over.role ?? (node === 'm1' ? 'master' : 'slave');
  return {
    t, node, alive: true, incarnation: 1, role, masterHost: role === 'slave' ? 'm1' : null, link: role === 'slave' ? 'connected' : 'none',
    loading: false, replid: X, offset: 100, stable: true, keys: 10, mem: 1000, round: round++, digest: null, readOnly: true,
    expiredKeys: 0, online: [], info: null, ...over,
  };
}

/** A record of a declared kind; a test names only the fields its checker reads. */
export function event<K extends TraceKind>(t: number, node: string, kind: K, fields: Partial<TraceKinds[K]> = {}): TraceEvent {
  return { t, node, kind, ...fields } as TraceEvent;
}

export function history(parts: { samples?: NodeSample[]; events?: TraceEvent[]; writes?: AckedWriteOp[]; losses?: DataLossEvent[]; cluster?: ClusterSample[]; quietFromUs?: number | null; nodes?: string[] } = {}): History {
  const nodes = parts.nodes ?? ['m1', 'r1'];
  return {
    meta: {
      seed: 'test', quietFromUs: parts.quietFromUs === undefined ? 1_000_000 : parts.quietFromUs,
      configs: Object.fromEntries(nodes.map((n) => [n, { ...scenarioBaseConfig(), replTimeoutSec: 5 }])),
      costs: defaultCostModel(), maxLatencyUs: 200, minBandwidthBytesPerSec: 125_000_000,
      writers: [{ node: 'm1', keyPrefix: 'ack' }], samplePeriodUs: 200_000,
    },
    nodes,
    samples: parts.samples ?? [],
    events: parts.events ?? [],
    writes: parts.writes ?? [],
    losses: parts.losses ?? [],
    cluster: parts.cluster ?? [],
  };
}

export function final(t: number, over: Partial<FinalState> = {}): FinalState {
  return {
    t,
    nodes: {
      m1: { alive: true, role: 'master', masterHost: null, link: 'none', replid: X, offset: 100, keys: 10 },
      r1: { alive: true, role: 'slave', masterHost: 'm1', link: 'connected', replid: X, offset: 100, keys: 10 },
    },
    writerRoots: [{ node: 'm1', keyPrefix: 'ack', root: 'm1' }],
    present: { m1: [], r1: [] },
    ...over,
  };
}

export function write(over: Partial<AckedWriteOp> = {}): AckedWriteOp {
  return { t: 2_000_000, node: 'm1', key: 'ack:0', value: '0', db: 0, invokedUs: 1_900_000, woff: 150, propagated: true, setOk: true, acked: 1, wanted: 1, holders: ['r1'], ...over };
}

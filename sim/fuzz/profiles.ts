/**
 * Fuzz profiles: what a campaign generates. A profile bounds the topology, the fault kinds
 * swarm testing may pick from, the length of the fault phase and the load, so `--profile
 * quick` can run in a test suite while `default` explores everything.
 */

/** The fault kinds a generated schedule can hold (swarm testing enables a subset per run). */
export const FAULT_KINDS = [
  'partition',
  'partition-one-way',
  'kill-link',
  'pause',
  'crash',
  'latency',
  'failover',
  'burst',
  'swizzle',
  'clock',
  'disk',
  'power-loss',
  'client-pause',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Profile {
  name: string;
  description: string;
  /** Replicas besides the master. */
  replicas: [number, number];
  /** Allow replicas of replicas. */
  chains: boolean;
  faultKinds: readonly FaultKind[];
  /** Fault episodes per run. */
  maxEpisodes: number;
  /** Length of the fault phase (the workload runs through it), ms. */
  faultPhaseMs: [number, number];
  /** Open-loop write rates to pick from, per second. */
  rates: readonly number[];
  /** Preloaded keys to pick from. */
  datasetKeys: readonly number[];
  /** Largest repl-timeout to pick, seconds (it stretches the liveness window). */
  maxReplTimeoutSec: number;
  /**
   * Sentinel counts to pick from: the case then has that many Sentinels monitoring m1, with
   * Sentinel-aware clients, and the fault kinds hit Sentinels too. Absent: no Sentinels.
   */
  sentinels?: readonly number[];
}

const ALL: readonly FaultKind[] = FAULT_KINDS;

export const PROFILES: Record<string, Profile> = {
  default: {
    name: 'default',
    description: 'every fault kind, 1–5 replicas with chains, fault phases of 3–20 s',
    replicas: [1, 5],
    chains: true,
    faultKinds: ALL,
    maxEpisodes: 8,
    faultPhaseMs: [3_000, 20_000],
    rates: [100, 20, 500, 2000],
    datasetKeys: [0, 100, 1000, 5000],
    maxReplTimeoutSec: 10,
  },
  quick: {
    name: 'quick',
    description: 'short runs for test suites: 1–3 replicas, fault phases of 2–6 s, light load',
    replicas: [1, 3],
    chains: true,
    faultKinds: ALL,
    maxEpisodes: 4,
    faultPhaseMs: [2_000, 6_000],
    rates: [100, 20, 400, 2000],
    datasetKeys: [0, 100, 500],
    maxReplTimeoutSec: 5,
  },
  failover: {
    name: 'failover',
    description: 'promotions (REPLICAOF NO ONE + REPLICAOF) with crashes, partitions and pauses; acknowledged writes always on',
    replicas: [2, 4],
    chains: false,
    faultKinds: ['failover', 'crash', 'partition', 'partition-one-way', 'pause', 'kill-link', 'clock', 'power-loss', 'client-pause'],
    maxEpisodes: 6,
    faultPhaseMs: [3_000, 15_000],
    rates: [100, 20, 500],
    datasetKeys: [0, 100, 1000],
    maxReplTimeoutSec: 10,
  },
  sentinel: {
    name: 'sentinel',
    description: '1 master, 1–4 replicas, 3 or 5 Sentinels with a drawn quorum and Sentinel-aware clients; every fault kind, hitting Sentinels too',
    replicas: [1, 4],
    chains: false,
    faultKinds: ALL,
    maxEpisodes: 6,
    faultPhaseMs: [8_000, 30_000],
    rates: [100, 20, 500],
    datasetKeys: [0, 100, 1000],
    maxReplTimeoutSec: 10,
    sentinels: [3, 5],
  },
  chains: {
    name: 'chains',
    description: 'deep replica chains (up to 5 levels) under link faults, bursts and crashes',
    replicas: [2, 5],
    chains: true,
    faultKinds: ['kill-link', 'partition', 'pause', 'crash', 'burst', 'latency', 'swizzle', 'disk', 'power-loss'],
    maxEpisodes: 6,
    faultPhaseMs: [3_000, 15_000],
    rates: [100, 20, 500, 2000],
    datasetKeys: [0, 100, 1000],
    maxReplTimeoutSec: 10,
  },
};

export function profileNamed(name: string): Profile {
  const p = PROFILES[name];
  if (!p) throw new Error(`unknown profile "${name}"; profiles: ${Object.keys(PROFILES).join(', ')}`);
  return p;
}

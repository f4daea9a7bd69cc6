/**
 * A fuzz case: the generated description of one run — topology, redis.conf settings,
 * network, data, load and a fault schedule — as plain data that fast-check generates and
 * shrinks. It becomes an ordinary Scenario through its YAML text (scenario-text.ts), so a
 * failing case is written, read and replayed exactly like a hand-written scenario.
 *
 * Shrinking is why the shapes look as they do: every choice list starts with its plainest
 * value (what a shrunk case should fall back to), optional parts are fc.option (shrinks to
 * absent), lists shrink by dropping elements, and an episode is a fault together with its
 * repair (a partition and its heal, a crash and its restart), so dropping one never leaves
 * the cluster broken for good. Swarm testing: `enabled` is the subset of fault kinds this
 * run may use (FoundationDB's and TigerBeetle's swarm), and each episode's `pick` selects
 * among the enabled ones.
 */
import fc from 'fast-check';
import { FAULT_KINDS, type FaultKind, type Profile } from './profiles.js';

export interface CaseWorkload {
  rate: number;
  keys: number;
  valueSize: number;
  db: number;
  /** Weights of set, incr, del, expire, append, get. */
  weights: [number, number, number, number, number, number];
  ttlMs: number;
}

export interface CaseEpisode {
  /** Which enabled fault kind (modulo their number). */
  pick: number;
  atMs: number;
  forMs: number;
  /** Node choices (modulo the node count). */
  a: number;
  b: number;
  /** Per node: in the partition's side / re-pointed after a failover. */
  mask: boolean[];
  addMs: number;
  count: number;
}

/** A Sentinel-aware client of a `sentinel` case (sim/workload/sentinel-client.ts). */
export interface CaseSentinelClient {
  rate: number;
  /** Ask ROLE before writing (the documented client algorithm). */
  roleCheck: boolean;
  /** Also follow +switch-master on the Sentinel that answered. */
  subscribe: boolean;
  /** Which Sentinel it asks first (modulo their number). */
  first: number;
}

/** The Sentinels of a `sentinel` case: how many, their sentinel.conf, and the replicas' priorities. */
export interface CaseSentinel {
  count: number;
  /** Quorum, clamped to 1..count. */
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  /** replica-priority of r1, r2, … (0: never promoted). */
  priorities: number[];
  clients: CaseSentinelClient[];
}

export interface FuzzCase {
  /** The simulation seed (never shrunk: shrinking changes the schedule, not the dice). */
  seed: number;
  profile: string;
  /** Parent of r1, r2, …: 0 is m1, j is rj (always an earlier node, so no cycles). */
  parents: number[];
  /** redis.conf options for every node (name → value as written). */
  config: Record<string, string>;
  /** Persistence per node (m1, r1, …): one of PERSISTENCE. */
  persistence: string[];
  latency: number;
  bandwidth: string;
  dataset: { keys: number; valueSize: number; db: number };
  workloads: CaseWorkload[];
  acked: { rate: number; replicas: number; timeoutMs: number } | null;
  faultPhaseMs: number;
  enabled: FaultKind[];
  episodes: CaseEpisode[];
  /** Only in profiles with Sentinels. */
  sentinel?: CaseSentinel;
}

/** Latency choices (index into this list); the first is the plainest. */
export const LATENCIES = [
  { text: '200us', highUs: 200 },
  { text: '1ms', highUs: 1_000 },
  { text: '{ min: 100us, max: 3ms }', highUs: 3_000 },
  { text: '{ mean: 2ms, stddev: 1ms, floor: 100us }', highUs: 7_000 },
  { text: '{ median: 1ms, sigma: 0.6, floor: 100us }', highUs: 20_000 },
  { text: '20ms', highUs: 20_000 },
] as const;

/** redis.conf options the fuzzer varies, each with its plainest value first. */
export function configChoices(profile: Profile): Record<string, readonly string[]> {
  const timeouts = ['5', '3', '10', '2'].filter((t) => Number(t) <= profile.maxReplTimeoutSec);
  return {
    'repl-diskless-sync': ['yes', 'no'],
    'repl-diskless-sync-delay': ['0', '1', '2'],
    'repl-diskless-load': ['disabled', 'on-empty-db', 'swapdb'],
    'repl-backlog-size': ['1mb', '64kb', '16kb', '256kb'],
    'repl-timeout': timeouts,
    'repl-ping-replica-period': ['1', '2'],
    'repl-backlog-ttl': ['3600', '10'],
    'client-output-buffer-limit': ['replica 256mb 64mb 60', 'replica 1mb 256kb 5', 'replica 64kb 0 0'],
    'min-replicas-to-write': ['0', '1'],
    'min-replicas-max-lag': ['10', '2'],
    'replica-lazy-flush': ['no', 'yes'],
    'lazyfree-lazy-expire': ['no', 'yes'],
    'replica-serve-stale-data': ['yes', 'no'],
  };
}

/**
 * Persistence choices: none, RDB save points, or an AOF with an fsync policy (what a
 * power-loss fault takes from it depends on the policy). Plainest first.
 */
export const PERSISTENCE = ['', 'save 1 1', 'save 5 100', 'aof everysec', 'aof always', 'aof no'] as const;

function choice<T>(values: readonly T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...values);
}

function workloadArb(profile: Profile): fc.Arbitrary<CaseWorkload> {
  return fc.record({
    rate: choice(profile.rates),
    keys: choice([100, 10, 1000]),
    valueSize: choice([100, 10, 2000]),
    db: choice([0, 1, 3]),
    weights: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.nat(3), fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    ttlMs: choice([500, 50, 2000]),
  });
}

function episodeArb(maxNodes: number): fc.Arbitrary<CaseEpisode> {
  return fc.record({
    pick: fc.nat(FAULT_KINDS.length - 1),
    atMs: fc.integer({ min: 0, max: 20_000 }),
    forMs: fc.integer({ min: 50, max: 25_000 }),
    a: fc.nat(maxNodes - 1),
    b: fc.nat(maxNodes - 1),
    mask: fc.array(fc.boolean(), { minLength: maxNodes, maxLength: maxNodes }),
    addMs: fc.integer({ min: 1, max: 500 }),
    count: fc.integer({ min: 100, max: 20_000 }),
  });
}

/** Most Sentinel-aware clients a case has (their hosts can be partitioned too). */
export const MAX_SENTINEL_CLIENTS = 2;

function sentinelArb(profile: Profile, counts: readonly number[]): fc.Arbitrary<CaseSentinel> {
  const maxR = profile.replicas[1];
  return fc.record({
    count: choice(counts),
    quorum: fc.integer({ min: 1, max: Math.max(...counts) }),
    downAfterMs: choice([2000, 1000, 5000]),
    failoverTimeoutMs: choice([6000, 3000, 10000]),
    parallelSyncs: choice([1, 2]),
    priorities: fc.array(choice([100, 0, 10, 50]), { minLength: maxR, maxLength: maxR }),
    clients: fc.array(
      fc.record({ rate: choice([50, 20, 200]), roleCheck: fc.boolean(), subscribe: fc.boolean(), first: fc.nat(4) }),
      { minLength: 1, maxLength: MAX_SENTINEL_CLIENTS },
    ),
  });
}

/** Every FuzzCase of a profile. */
export function caseArb(profile: Profile): fc.Arbitrary<FuzzCase> {
  const [minR, maxR] = profile.replicas;
  const sentinels = profile.sentinels ?? [];
  // With Sentinels an episode may name any host: Redis nodes, Sentinels, clients.
  const maxNodes = maxR + 1 + (sentinels.length > 0 ? Math.max(...sentinels) + MAX_SENTINEL_CLIENTS : 0);
  const choices = configChoices(profile);
  const configArb = fc.record(Object.fromEntries(Object.entries(choices).map(([k, v]) => [k, choice(v)]))) as fc.Arbitrary<Record<string, string>>;
  const parentsArb = fc
    .array(fc.nat(maxR), { minLength: minR, maxLength: maxR })
    .map((raw) => raw.map((p, i) => (profile.chains ? p % (i + 1) : 0)));
  const ackedArb = fc.record({ rate: choice([20, 5, 50]), replicas: choice([1, 2]), timeoutMs: choice([200, 50, 1000]) });
  // Field order is shrink order: fast-check shrinks a record's fields first to last, so the
  // fault schedule goes first — a reproducer is mostly about which faults it needs.
  // The Sentinel field exists only in profiles with Sentinels: the others draw exactly the
  // cases they drew before it existed (campaign seeds in tests and reports stay valid).
  const sentinelPart: { sentinel?: fc.Arbitrary<CaseSentinel> } = sentinels.length > 0 ? { sentinel: sentinelArb(profile, sentinels) } : {};
  return fc.record({
    seed: fc.noShrink(fc.nat()),
    profile: fc.constant(profile.name),
    episodes: fc.array(episodeArb(maxNodes), { maxLength: profile.maxEpisodes }),
    enabled: fc.subarray([...profile.faultKinds]),
    ...sentinelPart,
    workloads: fc.array(workloadArb(profile), { minLength: 0, maxLength: 2 }),
    // Under Sentinel the master moves: a WAIT client pinned to m1 would judge the wrong node;
    // the Sentinel-aware clients' writes are judged instead (sentinel-client-writes).
    acked: profile.name === 'failover' ? ackedArb : sentinels.length > 0 ? fc.constant(null) : fc.option(ackedArb, { nil: null }),
    parents: parentsArb,
    dataset: fc.record({ keys: choice(profile.datasetKeys), valueSize: choice([100, 16, 1000]), db: choice([0, 1]) }),
    faultPhaseMs: fc.integer({ min: profile.faultPhaseMs[0], max: profile.faultPhaseMs[1] }),
    latency: fc.nat(LATENCIES.length - 1),
    bandwidth: choice(['1gbit', '100mbit', '10mbit']),
    persistence: fc.array(choice(PERSISTENCE), { minLength: maxNodes, maxLength: maxNodes }),
    config: configArb,
  }) as fc.Arbitrary<FuzzCase>;
}

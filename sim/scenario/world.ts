/**
 * A scenario's cluster, built and booted: the simulator, the network with its hosts and
 * links, one RedisServer per node with its effective config (Redis defaults, then the
 * scenario's `config:`, then the node's own), and the dataset preloads.
 */
import { Simulator } from '../engine/index.js';
import { Network } from '../net/index.js';
import type { RedisConfig } from '../redis/index.js';
import { scenarioBaseConfig } from './defaults.js';
export { scenarioBaseConfig };
import { defaultCostModel, type CostModel } from '../redis/index.js';
import { RedisServer, KeyTable, type ServerEnv } from '../redis/index.js';
import type { TraceRetention } from '../engine/index.js';
import type { Scenario } from './scenario.js';
import type { PlantedBug } from '../redis/index.js';
import { SentinelProcess, type SentinelPlantedBug } from '../sentinel/index.js';

/** 2026-01-01T00:00:00Z: node wall clocks are this plus virtual time (docs/layers.md, "Determinism" rule 1). */
export const EPOCH_MS = 1_767_225_600_000;

export interface World {
  sim: Simulator;
  net: Network;
  env: ServerEnv;
  servers: Map<string, RedisServer>;
  /** The scenario's Sentinel processes, by name (empty without `sentinels:`). */
  sentinels: Map<string, SentinelProcess>;
  costs: CostModel;
}

export interface WorldOptions {
  traceRetention?: TraceRetention;
  /** Planted bugs to switch on (planted-bugs.ts). */
  bugs?: readonly PlantedBug[];
  /** Planted Sentinel bugs to switch on (sentinel/planted-bugs.ts). */
  sentinelBugs?: readonly SentinelPlantedBug[];
}

export function buildWorld(scenario: Scenario, seed: string, opts: WorldOptions | TraceRetention = {}): World {
  const o: WorldOptions = typeof opts === 'string' || 'ring' in opts ? { traceRetention: opts } : opts;
  const traceRetention = o.traceRetention ?? 'none';
  const sim = new Simulator({ seed, traceRetention });
  const net = new Network(sim, {
    latency: scenario.network.latency,
    bandwidthBytesPerSec: scenario.network.bandwidthBytesPerSec,
    tcpSendBufferBytes: scenario.network.tcpSendBufferBytes,
    tcpReceiveBufferBytes: scenario.network.tcpReceiveBufferBytes,
  });
  for (const node of scenario.nodes) net.addHost(node.name);
  // Sentinels and Sentinel-aware clients run on hosts of their own, so partitions can split them.
  for (const s of scenario.sentinels ?? []) net.addHost(s.name);
  for (const c of scenario.sentinelClients ?? []) net.addHost(c.host);
  for (const link of scenario.network.links) {
    const o: { latency?: typeof link.latency; bandwidthBytesPerSec?: number } = {};
    if (link.latency) o.latency = link.latency;
    if (link.bandwidthBytesPerSec !== undefined) o.bandwidthBytesPerSec = link.bandwidthBytesPerSec;
    net.setLinkOverride(link.between[0], link.between[1], o as never);
  }
  // Second boundaries fall at a seed-chosen phase of the 1 Hz crons, as on a real host.
  const phaseMs = sim.random.stream('clock').int(0, 999);
  const costs: CostModel = { ...defaultCostModel(), ...scenario.costs };
  // One key table for the run: the nodes' lookups of a key share one hash entry (key-table.ts).
  const env: ServerEnv = { sim, net, costs, epochMs: EPOCH_MS + phaseMs, bugs: new Set(o.bugs ?? []), keyTable: new KeyTable() };
  const configs = new Map<string, RedisConfig>();
  for (const node of scenario.nodes) configs.set(node.name, { ...scenarioBaseConfig(), ...scenario.config, ...node.config });
  const servers = new Map<string, RedisServer>();
  for (const node of scenario.nodes) {
    const config = configs.get(node.name)!;
    if (node.replicaof) config.replicaof = { host: node.replicaof, port: configs.get(node.replicaof)!.port };
    const srv = new RedisServer(env, node.name, config);
    // Under Sentinel a Redis node runs from a config file, as deployments do: Sentinel sends
    // CONFIG REWRITE after every SLAVEOF so that a restarted node keeps the role it was given
    // (a promoted master restarting as a replica of its old master would throw its data away).
    if ((scenario.sentinels ?? []).length > 0) srv.configFile = `/etc/redis/${node.name}.conf`;
    servers.set(node.name, srv);
  }
  for (const node of scenario.nodes) {
    const srv = servers.get(node.name)!;
    srv.boot();
    // What `replsim diff` does to the real server before time 0 leaves allocations behind
    // that count in used_memory (used-memory.ts): its readiness PING and INFO server
    // (redis-process.ts; answered -NOAUTH, not run, under requirepass) create their
    // commands' latency histograms.
    if (srv.config.requirepass === null) {
      srv.memory.recordCall(['PING']);
      srv.memory.recordCall(['INFO', 'server']);
    }
    // Its own connections AUTH first (connectInternal); active expiry off is a DEBUG command
    // there (real-cluster.ts).
    if (srv.config.requirepass !== null) srv.memory.recordCall(['AUTH']);
    if (!srv.config.activeExpireEnabled) srv.memory.recordCall(['DEBUG', 'SET-ACTIVE-EXPIRE']);
  }
  const sentinels = new Map<string, SentinelProcess>();
  for (const s of scenario.sentinels ?? []) sentinels.set(s.name, new SentinelProcess({ sim, net, epochMs: env.epochMs, bugs: new Set(o.sentinelBugs ?? []) }, s.name, s.config));
  for (const s of sentinels.values()) s.boot();
  for (const d of scenario.dataset) {
    const srv = servers.get(d.node)!;
    srv.keyspace.populate(d.db, d.keys, d.prefix, d.valueSize, d.values);
    // The harness loads it with SELECT and DEBUG POPULATE: their histograms, too.
    srv.memory.recordCall(['SELECT', String(d.db)]);
    srv.memory.recordCall(['DEBUG', 'POPULATE']);
    // The values' compressibility joins the trace only when it is not DEBUG POPULATE's, so
    // the trace hash of every scenario written before it existed stays the same.
    srv.trace('dataset.populate', { db: d.db, keys: d.keys, value_size: d.valueSize, ...(d.values === 'populate' ? {} : { values: typeof d.values === 'string' ? d.values : `ratio ${d.values.ratio}` }) });
  }
  return { sim, net, env, servers, sentinels, costs };
}

/**
 * A small Sentinel deployment on the simulated network for tests: fake Redis peers
 * (test/helpers/fake-redis.ts) m1 (master) with replicas, and Sentinels s1…sN monitoring
 * `mymaster` at m1:6379. Every Sentinel event is collected with its virtual time.
 */
import { Simulator } from '../../sim/engine/simulator.js';
import { ms, sec } from '../../sim/engine/time.js';
import { Network } from '../../sim/net/network.js';
import type { Reply } from '../../sim/redis/protocol/reply.js';
import { defaultSentinelConfig, monitoredMaster, SentinelProcess, type SentinelMasterConfig, type SentinelTimings } from '../../sim/sentinel/index.js';
import { FakeRedis } from './fake-redis.js';

export const EPOCH_MS = 1_767_225_600_000;

export interface SentinelEventRecord {
  /** Virtual µs. */
  t: number;
  sentinel: string;
  type: string;
  msg: string;
}

export interface WorldOptions {
  seed?: string;
  sentinels?: number;
  replicas?: string[];
  quorum?: number;
  master?: Partial<SentinelMasterConfig>;
  timings?: Partial<SentinelTimings>;
  latencyUs?: number;
}

export class SentinelWorld {
  readonly sim: Simulator;
  readonly net: Network;
  readonly peers = new Map<string, FakeRedis>();
  readonly sentinels: SentinelProcess[] = [];
  readonly events: SentinelEventRecord[] = [];

  constructor(o: WorldOptions = {}) {
    this.sim = new Simulator({ seed: o.seed ?? 'sentinel-test', traceRetention: 'all' });
    this.net = new Network(this.sim, { latency: { kind: 'fixed', us: o.latencyUs ?? 100 }, bandwidthBytesPerSec: Infinity });
    new FakeRedis(this.sim, this.net, this.peers, 'm1').boot();
    for (const r of o.replicas ?? ['r1', 'r2']) new FakeRedis(this.sim, this.net, this.peers, r).boot().replicaOf('m1', 6379);
    for (let i = 1; i <= (o.sentinels ?? 3); i++) {
      const cfg = defaultSentinelConfig();
      Object.assign(cfg.timings, o.timings ?? {});
      cfg.masters.push({ ...monitoredMaster('mymaster', 'm1', 6379, o.quorum ?? 2, cfg.timings), ...(o.master ?? {}) });
      const s = new SentinelProcess({ sim: this.sim, net: this.net, epochMs: EPOCH_MS }, `s${i}`, cfg);
      s.onEvent = (type, msg) => this.events.push({ t: this.sim.now, sentinel: s.name, type, msg });
      this.sentinels.push(s);
    }
    for (const s of this.sentinels) s.boot();
  }

  peer(name: string): FakeRedis {
    return this.peers.get(name)!;
  }

  sentinel(name: string): SentinelProcess {
    return this.sentinels.find((s) => s.name === name)!;
  }

  get now(): number {
    return this.sim.now;
  }

  runFor(seconds: number): void {
    this.sim.run({ until: this.sim.now + sec(seconds) });
  }

  runForMs(n: number): void {
    this.sim.run({ until: this.sim.now + ms(n) });
  }

  /** Runs until `pred` holds (checked every ms) or `maxSeconds` pass; returns whether it held. */
  runUntil(pred: () => boolean, maxSeconds: number): boolean {
    const end = this.sim.now + sec(maxSeconds);
    while (this.sim.now < end) {
      if (pred()) return true;
      this.sim.run({ until: this.sim.now + 1000 });
    }
    return pred();
  }

  /** Events of `type` (optionally of one Sentinel), in order. */
  of(type: string, sentinel?: string): SentinelEventRecord[] {
    return this.events.filter((e) => e.type === type && (sentinel === undefined || e.sentinel === sentinel));
  }

  call(s: SentinelProcess, ...argv: string[]): Reply {
    let out: Reply | null = null;
    s.sentinelCall(argv, (r) => (out = r));
    return out!;
  }
}

/**
 * Real simulated RedisServers (built from a scenario YAML, as `replsim run` does) plus
 * Sentinel processes on their own hosts, for end-to-end Sentinel tests. Events are collected
 * with their virtual times.
 */
import { defaultSentinelConfig, monitoredMaster, SentinelProcess, type SentinelMasterConfig, type SentinelTimings } from '../../sim/sentinel/index.js';
import { TestCluster } from './cluster.js';
import type { SentinelEventRecord } from './sentinel-world.js';

export interface SentinelClusterOptions {
  sentinels?: number;
  quorum?: number;
  master?: Partial<SentinelMasterConfig>;
  timings?: Partial<SentinelTimings>;
  seed?: string;
}

export class SentinelCluster extends TestCluster {
  readonly sentinels: SentinelProcess[] = [];
  readonly events: SentinelEventRecord[] = [];

  constructor(yaml: string, o: SentinelClusterOptions = {}) {
    super(yaml, o.seed ?? 'sentinel-e2e');
    const { sim, net, env } = this.world;
    for (let i = 1; i <= (o.sentinels ?? 3); i++) {
      const cfg = defaultSentinelConfig();
      Object.assign(cfg.timings, o.timings ?? {});
      cfg.masters.push({ ...monitoredMaster('mymaster', 'm1', 6379, o.quorum ?? 2, cfg.timings), ...(o.master ?? {}) });
      const s = new SentinelProcess({ sim, net, epochMs: env.epochMs }, `s${i}`, cfg);
      s.onEvent = (type, msg) => this.events.push({ t: sim.now, sentinel: s.name, type, msg });
      this.sentinels.push(s);
    }
    for (const s of this.sentinels) s.boot();
  }

  sentinel(name: string): SentinelProcess {
    return this.sentinels.find((s) => s.name === name)!;
  }

  of(type: string, sentinel?: string): SentinelEventRecord[] {
    return this.events.filter((e) => e.type === type && (sentinel === undefined || e.sentinel === sentinel));
  }

  runUntilTrue(pred: () => boolean, maxSeconds: number): boolean {
    const end = this.now + maxSeconds * 1_000_000;
    while (this.now < end) {
      if (pred()) return true;
      this.runUntil(this.now + 1000);
    }
    return pred();
  }
}

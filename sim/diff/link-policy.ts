/**
 * What the fault proxies ask about a pair of nodes: is this direction cut, how much delay
 * does it get. Partitions use the simulator's own PartitionTable, so "which directions are
 * cut after these partition steps" means the same thing in both worlds; `latency` steps add
 * delay on a link in both directions until they end or a heal.
 *
 * The scenario's base `network.latency` is applied only when its typical value is at least
 * 1 ms: below that, loopback (~50 µs) is already as close as a timer can get.
 */
import { PartitionTable } from '../net/index.js';
import type { LatencyModel, NetworkSpec } from '../scenario/scenario.js';
import type { LinkPolicy } from './fault-proxy.js';

/** The typical one-way delay of a model in µs (fixed value, mean, or lognormal mean). */
export function typicalLatencyUs(model: LatencyModel): number {
  switch (model.kind) {
    case 'fixed':
      return model.us;
    case 'uniform':
      return (model.minUs + model.maxUs) / 2;
    case 'normal':
      return Math.max(model.floorUs ?? 0, model.meanUs);
    case 'lognormal':
      return Math.max(model.floorUs ?? 0, model.medianUs * Math.exp((model.sigma * model.sigma) / 2));
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export class ScenarioLinkPolicy implements LinkPolicy {
  readonly partitions = new PartitionTable();
  /** Extra delay per link (both directions), with a generation so a timed end only removes its own clog. */
  private readonly extra = new Map<string, { ms: number; gen: number }>();
  private gen = 0;
  /** While true every link holds its bytes (the harness's start-up gate; not a partition). */
  gated = false;

  constructor(private readonly network: NetworkSpec) {}

  stalled(from: string, to: string): boolean {
    return this.gated || this.partitions.isBlocked(from, to);
  }

  synLost(from: string, to: string): boolean {
    return this.partitions.isBlocked(from, to);
  }

  delayMs(from: string, to: string): number {
    return this.baseMs(from, to) + (this.extra.get(pairKey(from, to))?.ms ?? 0);
  }

  baseMs(a: string, b: string): number {
    const link = this.network.links.find((l) => pairKey(l.between[0], l.between[1]) === pairKey(a, b));
    const us = typicalLatencyUs(link?.latency ?? this.network.latency);
    return us >= 1000 ? Math.round(us / 1000) : 0;
  }

  /** Adds delay to a link; returns a token for clearLatency (a later clog replaces this one). */
  addLatency(a: string, b: string, ms: number): number {
    const gen = ++this.gen;
    this.extra.set(pairKey(a, b), { ms, gen });
    return gen;
  }

  clearLatency(a: string, b: string, token: number): void {
    const cur = this.extra.get(pairKey(a, b));
    if (cur && cur.gen === token) this.extra.delete(pairKey(a, b));
  }

  healAll(): void {
    this.partitions.clear();
    this.extra.clear();
  }
}

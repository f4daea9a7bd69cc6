/**
 * The path between two hosts (symmetric: both directions share one Link). Holds what
 * shapes a packet's one-way delay: the latency distribution, the bandwidth, a clog
 * (FoundationDB-style extra latency for a while) and loss, modelled as TCP does it: a lost
 * segment is retransmitted after an RTO, so loss shows up as delay, never as missing bytes.
 */
import type { Random } from '../engine/index.js';
import type { Micros } from '../engine/index.js';
import { sampleLatency, type LatencyModel } from './latency.js';

export class Link {
  latency: LatencyModel;
  bandwidthBytesPerSec: number;
  clogExtraUs: Micros = 0;
  /** The clog applies to packets leaving before this time. */
  clogUntilUs: Micros = 0;
  lossProbability = 0;
  lossRtoUs: Micros = 0;

  constructor(latency: LatencyModel, bandwidthBytesPerSec: number) {
    this.latency = latency;
    this.bandwidthBytesPerSec = bandwidthBytesPerSec;
  }

  /** One-way delay of a packet that leaves the sender at `now` (after serialization). */
  delay(now: Micros, rng: Random): Micros {
    let d = sampleLatency(this.latency, rng);
    if (now < this.clogUntilUs) d += this.clogExtraUs;
    // Draw only when loss is configured, so enabling it on one link never shifts the
    // 'net' stream for runs without loss.
    if (this.lossProbability > 0 && rng.bernoulli(this.lossProbability)) d += this.lossRtoUs;
    return d;
  }
}

/**
 * How long a healthy cluster may take to converge once the faults are over, derived from
 * the config and the cost model rather than guessed (TigerBeetle's two-phase VOPR: after
 * the fault phase, demand convergence within a bound). Generous on purpose: it must hold
 * for every correct run, so a run that exceeds it is stuck, not slow.
 *
 *   detect    a link that stalled during a partition is noticed only after repl-timeout
 *             (+1 s of cron granularity on each side); a handshake stuck on a SYN retransmit
 *             is cancelled by the same timeout;
 *   per level one full resync: the reconnect cron tick, the handshake round trips, the
 *             diskless delay, the cron tick that starts the fork, fork + RDB generation,
 *             transfer through the slowest link, flush + load on the replica, the tick that
 *             reaps the child, and the backlog catch-up;
 *   drain     what was written but not yet delivered when the faults ended — in the
 *             master's output buffer (up to the replica hard limit) and the kernel's socket
 *             buffers — still has to cross the slowest link;
 *   boot      a restarted node loading its RDB.
 *
 *   bound = 2 × detect + (depth + 1) × perLevel + drain + boot + 2 s
 *
 * (two detections: a sync that started just before the heal may still fail afterwards;
 * depth + 1 levels: a chained replica resyncs after the node above it did.)
 */
import { US_PER_SEC, type Micros } from '../engine/index.js';
import { flushCost, forkCost, rdbLoadCost, rdbSaveCost, type CostModel } from '../redis/index.js';
import type { RedisConfig } from '../redis/index.js';
import { TCP_RECEIVE_BUFFER_BYTES, TCP_SEND_BUFFER_BYTES } from '../net/index.js';

export interface BoundInputs {
  configs: readonly RedisConfig[];
  costs: CostModel;
  maxLatencyUs: Micros;
  minBandwidthBytesPerSec: number;
  /** Dataset size at its largest: keys, used memory (an upper bound of the RDB size). */
  keys: number;
  bytes: number;
  /** Longest replica chain (1 = replicas of the master only). */
  depth: number;
  /** Stream bytes produced over the run: an upper bound of what can be queued toward a replica. */
  streamBytes?: number;
  /** What the kernels of one connection hold: SO_SNDBUF + SO_RCVBUF (net defaults unless given). */
  tcpBufferBytes?: number;
}

export interface ConvergenceBound {
  boundUs: Micros;
  detectUs: Micros;
  perLevelUs: Micros;
  drainUs: Micros;
  bootUs: Micros;
}

function transferUs(bytes: number, bytesPerSec: number): Micros {
  if (bytes <= 0 || !Number.isFinite(bytesPerSec) || bytesPerSec <= 0) return 0;
  return Math.ceil((bytes * US_PER_SEC) / bytesPerSec);
}

export function convergenceBound(i: BoundInputs): ConvergenceBound {
  let timeoutSec = 1;
  let delaySec = 0;
  let backlogBytes = 0;
  let outputBufferBytes = 0;
  for (const c of i.configs) {
    timeoutSec = Math.max(timeoutSec, c.replTimeoutSec);
    if (c.replDisklessSync) delaySec = Math.max(delaySec, c.replDisklessSyncDelaySec);
    backlogBytes = Math.max(backlogBytes, c.replBacklogSizeBytes);
    // 7.0 raises a non-zero hard limit below the backlog size to the backlog size; 0 is none.
    const hard = c.clientOutputBufferLimitReplica.hardBytes;
    outputBufferBytes = Math.max(outputBufferBytes, hard === 0 ? Infinity : Math.max(hard, c.replBacklogSizeBytes, c.clientOutputBufferLimitReplica.softBytes));
  }
  const queued = Math.min(i.streamBytes ?? 0, outputBufferBytes + (i.tcpBufferBytes ?? TCP_SEND_BUFFER_BYTES + TCP_RECEIVE_BUFFER_BYTES));
  const second = US_PER_SEC;
  const rtt = 2 * i.maxLatencyUs;
  const detectUs = (timeoutSec + 2) * second;
  const perLevelUs =
    second + // the reconnect cron tick
    10 * rtt + // PING, REPLCONF ×2, PSYNC and their replies, connection set-up
    delaySec * second +
    second + // the cron tick that starts the fork
    forkCost(i.costs, i.bytes) +
    rdbSaveCost(i.costs, i.keys, i.bytes) +
    // sendBulkToSlave's own pace (rdb-transfer-mb-per-sec) can be slower than the link.
    transferUs(i.bytes, Math.min(i.minBandwidthBytesPerSec, i.costs.rdbTransferBytesPerSec)) +
    flushCost(i.costs, i.keys) +
    rdbLoadCost(i.costs, i.keys, i.bytes) +
    second + // the cron tick that reaps the child, the first ACK
    transferUs(backlogBytes, i.minBandwidthBytesPerSec);
  const drainUs = transferUs(queued, i.minBandwidthBytesPerSec);
  const bootUs = rdbLoadCost(i.costs, i.keys, i.bytes);
  const boundUs = 2 * detectUs + (Math.max(1, i.depth) + 1) * perLevelUs + drainUs + bootUs + 2 * second;
  return { boundUs, detectUs, perLevelUs, drainUs, bootUs };
}

/**
 * What the expensive steps of a full sync cost, as parameters (costs are modelled, not
 * slept: docs/model.md, "Costs"). Defaults come from docs/calibration.md: Debian's
 * redis-server 7.0.15 on a 2-core machine with `DEBUG POPULATE n key 100` datasets.
 */
import type { Micros } from '../engine/index.js';

export interface CostModel {
  /** fork(): fixed part. Calibration: ≈2.5 ms + 0.13 ms per MB of used_memory. */
  forkBaseUs: number;
  forkUsPerMb: number;
  /** RDB generation by the child: cost follows the key count (0.45–0.6 M keys/s) plus bytes. */
  rdbSaveUsPerKey: number;
  rdbSaveUsPerByte: number;
  /** Replica load: 0.55–0.67 M keys/s, nearly independent of RDB bytes. */
  rdbLoadUsPerKey: number;
  rdbLoadUsPerByte: number;
  /** Emptying the old dataset before a load: 0.9–1.7 M keys/s. */
  flushUsPerKey: number;
  /** Disk write speed for RDB/AOF files (bytes/s); Infinity = not the bottleneck. */
  diskBytesPerSec: number;
  /** Fixed per-command CPU time on the server; 0 keeps commands instantaneous. */
  commandUs: Micros;
}

export function defaultCostModel(): CostModel {
  return {
    forkBaseUs: 2_500,
    forkUsPerMb: 130,
    // 1 M keys: 1.8 s of child work for 34 MB of RDB; tripling the bytes added ≈0.6 s.
    rdbSaveUsPerKey: 1.5,
    rdbSaveUsPerByte: 0.008,
    // 1 M keys loaded in ≈1.66 s whatever the RDB size.
    rdbLoadUsPerKey: 1.65,
    rdbLoadUsPerByte: 0,
    flushUsPerKey: 0.6,
    diskBytesPerSec: Infinity,
    commandUs: 0,
  };
}

export function forkCost(m: CostModel, usedMemoryBytes: number): Micros {
  return Math.ceil(m.forkBaseUs + (m.forkUsPerMb * usedMemoryBytes) / (1024 * 1024));
}

export function rdbSaveCost(m: CostModel, keys: number, rdbBytes: number): Micros {
  return Math.ceil(m.rdbSaveUsPerKey * keys + m.rdbSaveUsPerByte * rdbBytes);
}

export function rdbLoadCost(m: CostModel, keys: number, rdbBytes: number): Micros {
  return Math.ceil(m.rdbLoadUsPerKey * keys + m.rdbLoadUsPerByte * rdbBytes);
}

export function flushCost(m: CostModel, keys: number): Micros {
  return Math.ceil(m.flushUsPerKey * keys);
}

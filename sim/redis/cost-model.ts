/**
 * What the expensive steps of a full sync cost, as parameters (costs are modelled, not
 * slept: docs/model.md, "Costs"). Defaults come from docs/calibration.md: Debian's
 * redis-server 7.0.15 on a 2-core machine with `DEBUG POPULATE n key 100` datasets, fitted
 * by bench figure 8 (issue 19).
 */
import type { Micros } from '../engine/index.js';

export interface CostModel {
  /** fork(): fixed part plus per MB of used_memory (≈ 1.9 ms + 41 µs per MB measured). */
  forkBaseUs: number;
  forkUsPerMb: number;
  /**
   * RDB generation by the child: a fixed part (rdbSave opens, fsyncs and renames its file
   * whatever the dataset) plus the key count (0.45–0.6 M keys/s) plus bytes.
   */
  rdbSaveBaseUs: number;
  rdbSaveUsPerKey: number;
  rdbSaveUsPerByte: number;
  /** Replica load: a fixed part (rdbLoad opens the file, reads the aux fields) plus ≈ 0.6–0.75 M keys/s, nearly independent of RDB bytes. */
  rdbLoadBaseUs: number;
  rdbLoadUsPerKey: number;
  rdbLoadUsPerByte: number;
  /**
   * How fast Redis itself moves a finished RDB file to a replica (bytes/s): sendBulkToSlave
   * sends 16 KB (PROTO_IOBUF_LEN) per writable event, and readSyncBulkPayload writes each
   * read to its temp file and fsyncs every 8 MB. Over loopback this, not the link, sets the
   * transfer time. Infinity = only the link's bandwidth paces the transfer.
   */
  rdbTransferBytesPerSec: number;
  /** Emptying the old dataset before a load: ≈ 1.4–1.6 M keys/s. */
  flushUsPerKey: number;
  /** Disk write speed for RDB/AOF files (bytes/s); Infinity = not the bottleneck. */
  diskBytesPerSec: number;
  /** Fixed per-command CPU time on the server; 0 keeps commands instantaneous. */
  commandUs: Micros;
  /** A script's time: ns per Lua VM instruction (docs/model.md "Busy scripts": 4 on 7.0.15). */
  luaInstructionNs: number;
  /** A script's time: ns per redis.call / redis.pcall beyond the command (≈ 1.1 µs measured). */
  luaCallNs: number;
}

export function defaultCostModel(): CostModel {
  // Fitted to redis-server 7.0.15 on this project's machine kind (2 cores, loopback), quiet,
  // medians of 5 full syncs at 10k / 100k / 1M keys of 100 B (bench figure 8, 2026-12-07;
  // docs/calibration.md): every phase and the whole sync within ± 25 % at each size.
  return {
    // latest_fork_usec of the sync's BGSAVE: 2.1 / 2.7 / 9.1 ms at 2.7 / 18.7 / 177 MB.
    forkBaseUs: 1_940,
    forkUsPerMb: 40.7,
    // 1 M keys: 1.8 s of child work for 34 MB of RDB; tripling the bytes added ≈0.6 s.
    // No fixed part: per key on the large datasets; `replsim calibrate` fits one.
    rdbSaveBaseUs: 0,
    rdbSaveUsPerKey: 1.5,
    rdbSaveUsPerByte: 0.008,
    // readSyncBulkPayload → rdbLoad: 17 / 131 / 1598 ms at 10k / 100k / 1M keys, nearly
    // independent of the RDB's bytes.
    rdbLoadBaseUs: 2_600,
    rdbLoadUsPerKey: 1.5,
    rdbLoadUsPerByte: 0,
    // A finished RDB file leaves at ≈ 600 MB/s over loopback (56 ms for 35.8 MB at 1M keys).
    rdbTransferBytesPerSec: 600 * 1024 * 1024,
    // FLUSHALL / emptyData: 614–732 ms for 1 M keys.
    flushUsPerKey: 0.7,
    diskBytesPerSec: Infinity,
    commandUs: 0,
    luaInstructionNs: 4,
    luaCallNs: 1000,
  };
}

export function forkCost(m: CostModel, usedMemoryBytes: number): Micros {
  return Math.ceil(m.forkBaseUs + (m.forkUsPerMb * usedMemoryBytes) / (1024 * 1024));
}

export function rdbSaveCost(m: CostModel, keys: number, rdbBytes: number): Micros {
  return Math.ceil(m.rdbSaveBaseUs + m.rdbSaveUsPerKey * keys + m.rdbSaveUsPerByte * rdbBytes);
}

export function rdbLoadCost(m: CostModel, keys: number, rdbBytes: number): Micros {
  return Math.ceil(m.rdbLoadBaseUs + m.rdbLoadUsPerKey * keys + m.rdbLoadUsPerByte * rdbBytes);
}

export function flushCost(m: CostModel, keys: number): Micros {
  return Math.ceil(m.flushUsPerKey * keys);
}

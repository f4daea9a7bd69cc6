/**
 * The scenario's `costs:` section: the cost model's parameters (sim/redis/cost-model.ts)
 * in the units people measure them in, so a `replsim calibrate` run on one's own hardware
 * can be pasted into a scenario. Each name carries its unit; each converts to the model's
 * µs-per-thing fields. Omitted names keep the defaults (docs/calibration.md).
 */
import { z } from 'zod';
import { defaultCostModel, type CostModel } from '../redis/index.js';

const MB = 1024 * 1024;

interface CostParameter {
  /** The key in `costs:`. */
  name: string;
  description: string;
  /** Smallest value allowed; rates must be > 0 (`exclusive`). */
  min: number;
  exclusive: boolean;
  /**
   * Largest value allowed (scenarios/FORMAT.md "Limits"): far beyond any real machine, and
   * low enough that every derived delay stays a finite, safe integer of µs.
   */
  max: number;
  toModel(v: number): Partial<CostModel>;
  fromModel(m: CostModel): number;
}

export const COST_PARAMETERS: readonly CostParameter[] = [
  {
    name: 'fork-base-ms', description: 'fork(): fixed part, in ms', min: 0, exclusive: false, max: 60_000,
    toModel: (v) => ({ forkBaseUs: v * 1000 }), fromModel: (m) => m.forkBaseUs / 1000,
  },
  {
    name: 'fork-ms-per-gb', description: 'fork(): ms per GB of used_memory', min: 0, exclusive: false, max: 60_000,
    toModel: (v) => ({ forkUsPerMb: (v * 1000) / 1024 }), fromModel: (m) => (m.forkUsPerMb * 1024) / 1000,
  },
  {
    name: 'rdb-save-base-ms', description: 'fixed part of every RDB the child writes (file open, fsync, rename), in ms', min: 0, exclusive: false, max: 60_000,
    toModel: (v) => ({ rdbSaveBaseUs: v * 1000 }), fromModel: (m) => m.rdbSaveBaseUs / 1000,
  },
  {
    name: 'rdb-save-keys-per-sec', description: 'keys per second the BGSAVE child writes', min: 1, exclusive: false, max: 1e12,
    toModel: (v) => ({ rdbSaveUsPerKey: 1e6 / v }), fromModel: (m) => 1e6 / m.rdbSaveUsPerKey,
  },
  {
    name: 'rdb-save-ms-per-mb', description: 'extra child time per MB of RDB written, in ms', min: 0, exclusive: false, max: 60_000,
    toModel: (v) => ({ rdbSaveUsPerByte: (v * 1000) / MB }), fromModel: (m) => (m.rdbSaveUsPerByte * MB) / 1000,
  },
  {
    name: 'rdb-load-base-ms', description: 'fixed part of every RDB load, in ms', min: 0, exclusive: false, max: 60_000,
    toModel: (v) => ({ rdbLoadBaseUs: v * 1000 }), fromModel: (m) => m.rdbLoadBaseUs / 1000,
  },
  {
    name: 'rdb-load-keys-per-sec', description: 'keys per second a replica loads', min: 1, exclusive: false, max: 1e12,
    toModel: (v) => ({ rdbLoadUsPerKey: 1e6 / v }), fromModel: (m) => 1e6 / m.rdbLoadUsPerKey,
  },
  {
    name: 'rdb-load-ms-per-mb', description: 'extra load time per MB of RDB, in ms', min: 0, exclusive: false, max: 60_000,
    toModel: (v) => ({ rdbLoadUsPerByte: (v * 1000) / MB }), fromModel: (m) => (m.rdbLoadUsPerByte * MB) / 1000,
  },
  {
    name: 'rdb-transfer-mb-per-sec',
    description: 'MB/s at which a master sends a finished RDB file to a replica (sendBulkToSlave), when slower than the link; 0 = only the link limits it',
    min: 0, exclusive: false, max: 1e9,
    toModel: (v) => ({ rdbTransferBytesPerSec: v > 0 ? v * MB : Infinity }), fromModel: (m) => (Number.isFinite(m.rdbTransferBytesPerSec) ? m.rdbTransferBytesPerSec / MB : 0),
  },
  {
    name: 'flush-keys-per-sec', description: 'keys per second a replica frees when it flushes its old data', min: 1, exclusive: false, max: 1e12,
    toModel: (v) => ({ flushUsPerKey: 1e6 / v }), fromModel: (m) => 1e6 / m.flushUsPerKey,
  },
  {
    name: 'disk-mb-per-sec', description: 'disk write speed for RDB files in MB/s; 0 = not a bottleneck', min: 0, exclusive: false, max: 1e9,
    toModel: (v) => ({ diskBytesPerSec: v > 0 ? v * MB : Infinity }), fromModel: (m) => (Number.isFinite(m.diskBytesPerSec) ? m.diskBytesPerSec / MB : 0),
  },
  {
    name: 'command-us', description: 'CPU time of each command on the server, in µs', min: 0, exclusive: false, max: 1_000_000,
    toModel: (v) => ({ commandUs: Math.round(v) }), fromModel: (m) => m.commandUs,
  },
  {
    name: 'lua-instruction-ns', description: 'CPU time of one Lua VM instruction of a script, in ns', min: 0, exclusive: false, max: 1_000_000,
    toModel: (v) => ({ luaInstructionNs: v }), fromModel: (m) => m.luaInstructionNs,
  },
  {
    name: 'lua-call-us', description: 'CPU time of one redis.call from a script beyond the command, in µs', min: 0, exclusive: false, max: 1_000_000,
    toModel: (v) => ({ luaCallNs: v * 1000 }), fromModel: (m) => m.luaCallNs / 1000,
  },
];

const BY_NAME = new Map(COST_PARAMETERS.map((p) => [p.name, p]));

/** A default as people write it: whole numbers for rates, three digits for the rest. */
function defaultText(p: CostParameter): string {
  const v = p.fromModel(defaultCostModel());
  return String(Number.isInteger(v) ? v : v >= 1000 ? Math.round(v) : Number(v.toPrecision(3)));
}

function numberSchema(p: CostParameter) {
  const what = `${p.description} (default ${defaultText(p)})`;
  const n = z.number().max(p.max).meta({ description: p.exclusive ? `a number > ${p.min}: ${what}` : `a number from ${p.min} to ${p.max}: ${what}` });
  return (p.exclusive ? n.gt(p.min) : n.min(p.min)).optional();
}

export const costsSchema = z
  .strictObject(Object.fromEntries(COST_PARAMETERS.map((p) => [p.name, numberSchema(p)])) as Record<string, ReturnType<typeof numberSchema>>)
  .meta({ id: 'costs', description: 'cost-model parameters like { rdb-load-keys-per-sec: 600000, fork-ms-per-gb: 60 }' });

export type CostsInput = Record<string, number | undefined>;

/** `costs:` as written → the CostModel fields it overrides. */
export function costModelOverrides(input: CostsInput | undefined): Partial<CostModel> {
  const out: Partial<CostModel> = {};
  for (const [name, v] of Object.entries(input ?? {})) {
    const p = BY_NAME.get(name);
    if (p === undefined || v === undefined) continue;
    Object.assign(out, p.toModel(v));
  }
  return out;
}

/** A cost model as a `costs:` section (every parameter), e.g. for `replsim calibrate`. */
export function costsSection(m: CostModel): Record<string, number> {
  return Object.fromEntries(COST_PARAMETERS.map((p) => [p.name, p.fromModel(m)]));
}

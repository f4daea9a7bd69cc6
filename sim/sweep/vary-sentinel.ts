/**
 * `--vary sentinel.<option>=…` (every Sentinel) and `--vary sentinels.<name>.<option>=…`
 * (one Sentinel): the sentinel.conf options a scenario's `sentinel:` section sets, by their
 * sentinel.conf names, applied to what each Sentinel's sentinel.conf would hold (the
 * per-master options of every monitored master, or the SENTINEL DEBUG timing), so a sweep
 * answers sizing questions such as down-after-milliseconds against min-replicas-max-lag.
 *
 *   down-after-milliseconds | failover-timeout | master-reboot-down-after-period   milliseconds
 *   parallel-syncs | quorum                                                        whole numbers
 *   debug.<param>   a SENTINEL DEBUG timing in ms (info-period, ping-period, …)
 *
 * Milliseconds are written as sentinel.conf writes them (5000), or as a duration (5s).
 */
import { parseDuration, UnitError } from '../engine/index.js';
import { SENTINEL_DEBUG_PARAMS, type SentinelMasterConfig } from '../sentinel/index.js';
import type { Scenario, SentinelSpec } from '../scenario/scenario.js';

/** The per-master options a sweep can vary, and the field each sets. */
const MASTER_OPTIONS: Record<string, { field: keyof SentinelMasterConfig; ms: boolean; min: number }> = {
  'down-after-milliseconds': { field: 'downAfterMs', ms: true, min: 1 },
  'failover-timeout': { field: 'failoverTimeoutMs', ms: true, min: 1 },
  'master-reboot-down-after-period': { field: 'masterRebootDownAfterPeriodMs', ms: true, min: 0 },
  'parallel-syncs': { field: 'parallelSyncs', ms: false, min: 0 },
  quorum: { field: 'quorum', ms: false, min: 1 },
};

export const SENTINEL_VARY_OPTIONS: readonly string[] = [...Object.keys(MASTER_OPTIONS), ...SENTINEL_DEBUG_PARAMS.map(([p]) => `debug.${p}`)];

/** "5000" or "5s" → 5000 (ms); plain numbers for counts. */
function parseValue(value: string, ms: boolean, min: number, fail: (m: string) => never): number {
  let n: number;
  if (/^\d+$/.test(value)) n = Number(value);
  else if (!ms) return fail('expected a whole number');
  else {
    try {
      n = parseDuration(value) / 1000;
    } catch (e) {
      if (e instanceof UnitError) return fail(`expected milliseconds like 5000, or a duration like 5s (${e.message})`);
      throw e;
    }
    if (!Number.isInteger(n)) fail('expected a whole number of milliseconds');
  }
  if (!Number.isSafeInteger(n) || n < min) fail(`expected a whole number ≥ ${min}`);
  return n;
}

function setOption(spec: SentinelSpec, option: string, value: string, sentinels: number, fail: (m: string) => never): void {
  if (option.startsWith('debug.')) {
    const param = SENTINEL_DEBUG_PARAMS.find(([p]) => `debug.${p}` === option);
    if (!param) fail(`unknown SENTINEL DEBUG parameter "${option.slice(6)}"; known: ${SENTINEL_DEBUG_PARAMS.map(([p]) => p).join(', ')}`);
    spec.config.timings[param![1]] = parseValue(value, true, 1, fail);
    spec.optionsText[option] = String(spec.config.timings[param![1]]);
    return;
  }
  const o = MASTER_OPTIONS[option];
  if (!o) fail(`unknown Sentinel option "${option}"; known: ${SENTINEL_VARY_OPTIONS.join(', ')}`);
  const n = parseValue(value, o!.ms, o!.min, fail);
  if (option === 'quorum' && n > sentinels) fail(`quorum ${n} > ${sentinels} Sentinels: the master could never be objectively down`);
  for (const m of spec.config.masters) (m[o!.field] as number) = n;
  if (option !== 'quorum') spec.optionsText[option] = String(n);
}

/**
 * Applies a `sentinel.` or `sentinels.<name>.` key to `s` (already a copy) and returns true,
 * or returns false for a key of another kind.
 */
export function applySentinelVary(s: Scenario, key: string, value: string, fail: (m: string) => never): boolean {
  let targets: SentinelSpec[];
  let option: string;
  let m: RegExpExecArray | null;
  if ((m = /^sentinel\.(.+)$/.exec(key))) {
    targets = s.sentinels ?? [];
    option = m[1]!;
  } else if ((m = /^sentinels\.([A-Za-z0-9_-]+)\.(.+)$/.exec(key))) {
    const one = (s.sentinels ?? []).find((x) => x.name === m![1]);
    if (!one && (s.sentinels ?? []).length > 0) fail(`no Sentinel "${m[1]}" (Sentinels: ${s.sentinels!.map((x) => x.name).join(', ')})`);
    targets = one ? [one] : [];
    option = m[2]!;
  } else {
    return false;
  }
  if ((s.sentinels ?? []).length === 0) fail('the scenario has no Sentinels');
  for (const spec of targets) setOption(spec, option, value, s.sentinels!.length, fail);
  return true;
}

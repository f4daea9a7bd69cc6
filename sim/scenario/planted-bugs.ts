/**
 * Every bug a run can plant (`--bug NAME`): the replication ones of redis/planted-bugs.ts and
 * the Sentinel ones of sentinel/planted-bugs.ts, one list for the CLI and the runner, and
 * the split that hands each layer its own.
 */
import { PLANTED_BUGS, isPlantedBug, type PlantedBug } from '../redis/index.js';
import { SENTINEL_PLANTED_BUGS, isSentinelPlantedBug, type SentinelPlantedBug } from '../sentinel/index.js';

export const ALL_PLANTED_BUGS: Readonly<Record<string, string>> = { ...PLANTED_BUGS, ...SENTINEL_PLANTED_BUGS };

export function isAnyPlantedBug(name: string): boolean {
  return isPlantedBug(name) || isSentinelPlantedBug(name);
}

/** The names as each layer's bugs; throws on a name that is neither. */
export function splitPlantedBugs(names: readonly string[]): { redis: PlantedBug[]; sentinel: SentinelPlantedBug[] } {
  const out: { redis: PlantedBug[]; sentinel: SentinelPlantedBug[] } = { redis: [], sentinel: [] };
  for (const b of names) {
    if (isPlantedBug(b)) out.redis.push(b);
    else if (isSentinelPlantedBug(b)) out.sentinel.push(b);
    else throw new Error(`unknown planted bug "${b}"; known: ${Object.keys(ALL_PLANTED_BUGS).join(', ')}`);
  }
  return out;
}

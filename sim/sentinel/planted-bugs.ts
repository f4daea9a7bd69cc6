/**
 * Sentinel bugs planted on purpose, off unless a run names them (`--bug NAME`), beside the
 * replication ones of redis/planted-bugs.ts (this layer may not import those). Each breaks
 * one rule of sentinel.c the way a real implementation bug would, silently, and
 * `replsim fuzz --profile sentinel` must find it.
 */
export const SENTINEL_PLANTED_BUGS = {
  'sentinel-double-vote':
    'sentinelVoteLeader grants a second vote in an epoch it already voted in, to another candidate (two leaders can win one epoch)',
  'sentinel-promotes-priority-zero':
    'sentinelSelectSlave keeps replicas with replica-priority 0, and compareSlavesForPromotion then prefers them (lowest priority first)',
} as const;

export type SentinelPlantedBug = keyof typeof SENTINEL_PLANTED_BUGS;

export function isSentinelPlantedBug(name: string): name is SentinelPlantedBug {
  return Object.prototype.hasOwnProperty.call(SENTINEL_PLANTED_BUGS, name);
}

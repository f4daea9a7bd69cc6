/**
 * Bugs planted on purpose, off unless a run names them (`--bug NAME`). They are how the
 * checkers and the fuzzer prove they bite: each breaks one rule of Redis's protocol the
 * way a real implementation bug would, silently, and a campaign must find it.
 */
export const PLANTED_BUGS = {
  'psync-ignores-backlog-range': 'the master accepts PSYNC for an offset its backlog no longer holds and streams from what it has',
  'skip-select-after-resync': 'a full resync does not reset the stream DB and the RDB omits repl-stream-db, so the replica runs the next commands in the wrong DB',
  'backlog-off-by-one': 'a partial resync starts one propagation late: the replica misses the first unit it asked for',
  'replica-expires-keys': 'replicas run the active expire cycle themselves instead of waiting for the master\'s DEL',
  'ack-before-apply': 'replicas acknowledge (REPLCONF ACK) one second of stream ahead of what they applied',
  'hidden-global-state': 'test-only nondeterminism: replication ids come from a counter shared by every run in the process, so a second run of the same seed differs (what --check-determinism must catch)',
} as const;

export type PlantedBug = keyof typeof PLANTED_BUGS;

export function isPlantedBug(name: string): name is PlantedBug {
  return Object.prototype.hasOwnProperty.call(PLANTED_BUGS, name);
}

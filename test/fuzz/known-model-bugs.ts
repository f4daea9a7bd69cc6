/**
 * Bugs of the Redis model itself that replsim fuzz found (not planted ones), each with a
 * reproducer in test/fuzz/found/ and a precise way to tell its failures from new ones. The
 * clean campaign (no bug planted) accepts failures only when one of these explains them;
 * found.test.ts checks every reproducer still fails as described — when a model fix lands,
 * it turns red: delete the reproducer and its entry here.
 */
import type { FuzzCase } from '../../sim/fuzz/case.js';
import { runCase, type CaseRun } from '../../sim/fuzz/property.js';

export interface KnownModelBug {
  name: string;
  /** What is wrong, and where Redis differs. */
  description: string;
  /** Reproducer under test/fuzz/found/, and the checker it fails. */
  reproducer: string;
  checker: string;
  /** Does this failing run come from this bug? */
  explains(run: CaseRun): boolean;
}

/** The same case with every key in db 0 (data, load): the stream never needs a SELECT after a sync. */
function inDbZero(c: FuzzCase): FuzzCase {
  return { ...c, dataset: { ...c.dataset, db: 0 }, workloads: c.workloads.map((w) => ({ ...w, db: 0 })) };
}

const HISTLEN = /repl_backlog_histlen \d+ exceeds repl-backlog-size/;

export const KNOWN_MODEL_BUGS: KnownModelBug[] = [
  {
    name: 'replica-stream-db',
    description:
      'A replica does not carry the stream\'s current DB into its own RDB nor back out of it. rdb-child.ts fork() ' +
      '(and SAVE in server-commands.ts) write repl-stream-db from slaveseldb, which a replica never sets (-1 → 0), where ' +
      'Redis\'s rdbPopulateSaveInfo uses the master client\'s db (server.master->db->id); and boot.ts rebuilds the cached ' +
      'master of a restarted replica without selecting the RDB\'s repl-stream-db (the StreamApplier keeps the DB its ' +
      'previous incarnation last selected), where Redis does selectDb(server.cached_master, rsi.repl_stream_db). So a ' +
      'sub-replica that full-syncs from a replica, or a replica restarted from its RDB, applies the commands that follow ' +
      '(until the master\'s next SELECT) in the wrong DB, and the data diverges for good.',
    reproducer: 'replica-stream-db-chain.yaml',
    checker: 'prefix-consistency',
    explains(run) {
      const checker = run.failure?.checker;
      if (checker === undefined || checker === 'info-consistency' || checker === 'crash') return false;
      // With all keys in db 0 the same case must be clean (but for the other known bug).
      const db0 = runCase(inDbZero(run.fuzzCase));
      return (db0.result.check?.violations ?? []).every((v) => v.checker === 'info-consistency' && HISTLEN.test(v.message));
    },
  },
  {
    name: 'backlog-trim-on-release',
    description:
      'The shared replication buffer is trimmed only when a block is appended (and when a replica is freed), not when a ' +
      'replica\'s writes release its reference to the oldest blocks. Redis 7.0 also trims there (networking.c ' +
      '_writeToClient: when a replica moves to the next block, incrementalTrimReplicationBacklog). After a burst written ' +
      'while a replica held the buffer (e.g. during its full sync), the model keeps repl_backlog_histlen far above ' +
      'repl-backlog-size until the next block is allocated: INFO shows it, and PSYNCs are accepted from a range Redis ' +
      'would have dropped.',
    reproducer: 'backlog-trim-on-release.yaml',
    checker: 'info-consistency',
    explains(run) {
      return run.failure?.checker === 'info-consistency' && HISTLEN.test(run.failure.message);
    },
  },
];

export function knownBugOf(run: CaseRun): KnownModelBug | null {
  return KNOWN_MODEL_BUGS.find((b) => b.explains(run)) ?? null;
}

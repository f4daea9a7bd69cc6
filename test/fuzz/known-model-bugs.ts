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

/**
 * Open model bugs. Fixed ones (replica-stream-db: a replica's RDB and a restarted replica's
 * cached master now carry the master client's DB; backlog-trim-on-release: the backlog is
 * trimmed when a replica's writes release blocks) live on as regressions/*.yaml.
 */
export const KNOWN_MODEL_BUGS: KnownModelBug[] = [];


export function knownBugOf(run: CaseRun): KnownModelBug | null {
  return KNOWN_MODEL_BUGS.find((b) => b.explains(run)) ?? null;
}

/**
 * The checkers, by name, and running a selection of them over one history. Each is a pure
 * function (History, FinalState) → CheckerResult, linear in the history.
 */
import { checkConvergence } from './convergence.js';
import { checkDurability } from './durability.js';
import type { FinalState, History } from './history.js';
import { checkInfoConsistency } from './info-consistency.js';
import { checkLiveness } from './liveness.js';
import { checkMonotonicOffsets } from './monotonic.js';
import { checkPrefixConsistency } from './prefix.js';
import { checkReadOnlyReplicas } from './read-only.js';
import { checkSentinelAgreement } from './sentinel-agreement.js';
import { checkSentinelClientWrites } from './sentinel-client-writes.js';
import { checkSentinelElection } from './sentinel-election.js';
import { checkSentinelPromotion } from './sentinel-promotion.js';
import { CHECKER_NAMES, type CheckerName, type CheckerResult, type Violation } from './violation.js';

export type Checker = (h: History, f: FinalState) => CheckerResult;

export const CHECKERS: Record<CheckerName, Checker> = {
  convergence: checkConvergence,
  'prefix-consistency': checkPrefixConsistency,
  durability: checkDurability,
  liveness: checkLiveness,
  'monotonic-offsets': checkMonotonicOffsets,
  'read-only-replicas': checkReadOnlyReplicas,
  'info-consistency': checkInfoConsistency,
  'sentinel-agreement': checkSentinelAgreement,
  'sentinel-election': checkSentinelElection,
  'sentinel-promotion': checkSentinelPromotion,
  'sentinel-client-writes': checkSentinelClientWrites,
};

export interface CheckReport {
  ok: boolean;
  results: CheckerResult[];
  /** All violations, in checker order. */
  violations: Violation[];
  samples: number;
  events: number;
}

export function runCheckers(h: History, f: FinalState, names: readonly CheckerName[] = CHECKER_NAMES): CheckReport {
  const results = names.map((n) => CHECKERS[n](h, f));
  const violations = results.flatMap((r) => r.violations);
  return { ok: violations.length === 0, results, violations, samples: h.samples.length, events: h.events.length };
}

/** The checkers' public API: record a history, run checkers over it, read their findings. */
export { HistoryRecorder, rootOf, type History, type HistoryMeta, type NodeSample, type FinalState, type AckedWriteOp, type WriterInfo } from './history.js';
export { CHECKERS, runCheckers, type Checker, type CheckReport } from './checkers.js';
export { CHECKER_NAMES, isCheckerName, formatViolation, type CheckerName, type CheckerResult, type Violation, type Anomaly } from './violation.js';
export { convergenceBound, type BoundInputs, type ConvergenceBound } from './bounds.js';
export { checkConvergence } from './convergence.js';
export { checkPrefixConsistency } from './prefix.js';
export { checkDurability } from './durability.js';
export { checkLiveness } from './liveness.js';
export { checkMonotonicOffsets } from './monotonic.js';
export { checkReadOnlyReplicas } from './read-only.js';
export { checkInfoConsistency } from './info-consistency.js';
export { type DurabilitySummary, summarizeDurability } from './durability-summary.js';
export { linkDownText } from './link-state.js';
export { LOSS_CAUSES, LOST_WRITES_DOC } from './loss-causes.js';
export { type Failover, type FailoverStep, findFailovers } from './failovers.js';
export { SentinelEventLog, sentinelEventOf } from './sentinel-events.js';
export { parseEventInstance, type ClientWrite, type ReplicaView, type SentinelHistory } from './sentinel-history.js';
export { SENTINEL_LOSS_CAUSES, type ClientWritesSummary, type LostClientWrite, type SentinelLossCause, explainClientWrites, summarizeClientWrites } from './sentinel-losses.js';

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

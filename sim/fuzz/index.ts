/** Property-based fault testing: generators, the case property with shrinking, campaigns. */
export { scenarioArb, fuzzCaseArb, type ScenarioArbOptions } from './arbitraries.js';
export { caseArb, type FuzzCase, type CaseEpisode, type CaseWorkload } from './case.js';
export { FAULT_KINDS, PROFILES, profileNamed, type FaultKind, type Profile } from './profiles.js';
export { caseScenario, caseText, caseSteps, type CaseTextOptions } from './scenario-text.js';
export { runCase, runFuzzScenario, searchSeed, generateCase, failureOf, stepCount, type CaseRun, type Failure, type RunStats, type SearchOutcome } from './property.js';
export { hunt, runIndex, type CampaignConfig, type HuntOptions, type HuntResult, type RunRecord, type Reproducer } from './campaign.js';
export { caseSeedOf, parseShard, shardIndex, type Shard } from './shards.js';
export { reproducerText, reproducerFileName } from './reproducer.js';
export { addRun, emptySummary, formatSummary, mergeSummaries, type FuzzSummary } from './summary.js';
export { canonicalTime, determinismFailure, firstCanonicalDifference, hashOnlyFinding } from './case-determinism.js';
export { bugFlags, TRACE_HASH_LINE } from './reproducer-file.js';
export { formatLong, summaryProblem } from './summary.js';

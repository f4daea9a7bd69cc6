/**
 * One scenario run → ReportData: runs the scenario with a ReportCollector watching, then
 * derives the syncs, fault bands, series and summary from what it saw. No I/O.
 */
import { runScenario } from '../scenario/runner.js';
import { scenarioBaseConfig } from '../scenario/defaults.js';
import type { RunResult } from '../scenario/result.js';
import type { Scenario } from '../scenario/scenario.js';
import { ReportCollector, SAMPLE_EVERY_US, type Observation } from './collector.js';
import { buildFaultBands } from './fault-bands.js';
import { REPORT_FORMAT_VERSION, type ReportData } from './report-data.js';
import { buildSeries } from './series.js';
import { buildSentinelReport } from './sentinel-report.js';
import { summarize } from './summary.js';
import { buildSyncs } from './sync-phases.js';

export interface CollectOptions {
  seed?: string;
}

export interface CollectedRun {
  data: ReportData;
  result: RunResult;
}

export function collectReport(scenario: Scenario, opts: CollectOptions = {}): CollectedRun {
  const collector = new ReportCollector(scenario.durationUs);
  const result = runScenario(scenario, { ...(opts.seed !== undefined ? { seed: opts.seed } : {}), observe: collector });
  return { data: buildReportData(scenario, result, collector.finish()), result };
}

/** The report of a run that a ReportCollector watched. */
export function buildReportData(scenario: Scenario, result: RunResult, obs: Observation): ReportData {
  const endUs = result.virtualTimeUs;
  const names = scenario.nodes.map((n) => n.name);
  const syncs = buildSyncs(obs.records, endUs);
  const faults = buildFaultBands(obs.records, endUs);
  const series = buildSeries(obs.samples, names, SAMPLE_EVERY_US);
  const replicas = names.filter((n) => series.nodes[n]!.role.some((r) => r === 'replica') || syncs.some((s) => s.replica === n));
  const base = scenarioBaseConfig();
  const backlogSizeBytes = Math.max(...scenario.nodes.map((n) => ({ ...base, ...scenario.config, ...n.config }).replBacklogSizeBytes));
  const summary = summarize({
    syncs, faults, records: obs.records, samples: obs.samples, series, replicas, workload: obs.workload, staleReads: obs.staleReads,
    largestFork: obs.largestFork, backlogSizeBytes,
  });
  const appendonly = scenario.config.appendonly === true || scenario.nodes.some((n) => n.config.appendonly === true);
  const sentinel = buildSentinelReport(scenario, obs, endUs);
  return {
    format: 'replsim-report',
    version: REPORT_FORMAT_VERSION,
    scenario: {
      name: scenario.name,
      description: scenario.description,
      file: scenario.file,
      seed: result.seed,
      durationUs: scenario.durationUs,
      config: scenario.configText,
      nodes: scenario.nodes.map((n) => ({ name: n.name, replicaof: n.replicaof })),
      costs: scenario.costsText ?? {},
      appendonly,
    },
    run: {
      ok: result.ok,
      traceHash: result.traceHash,
      virtualTimeUs: result.virtualTimeUs,
      error: result.error ?? null,
      expectations: result.expectations.map((e) => ({ description: e.description, ok: e.ok, actual: e.actual })),
      converged: result.convergence.ok,
    },
    syncs,
    faults,
    series,
    summary,
    ...(sentinel !== undefined ? { sentinel } : {}),
    ...(result.durability !== undefined ? { durability: result.durability } : {}),
  };
}

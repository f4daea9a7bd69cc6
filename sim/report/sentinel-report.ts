/**
 * The Sentinel part of a report (ReportData.sentinel): each Sentinel's lane, the failovers
 * as Gantt rows, the Sentinel-aware clients' windows without a writable master, and every
 * lost acknowledged write with its cause (check/sentinel-losses.ts, docs/lost-writes.md), from what the
 * collector kept of the run. Pure.
 */
import type { Micros } from '../engine/index.js';
import { SENTINEL_LOSS_CAUSES } from '../check/index.js';
import type { Scenario } from '../scenario/scenario.js';
import { clientAvailability, commonOutage } from './client-availability.js';
import type { Observation } from './collector.js';
import { failoverReports } from './failover-phases.js';
import type { SentinelReport } from './report-data.js';
import { buildSentinelLanes } from './sentinel-lanes.js';

export function buildSentinelReport(scenario: Scenario, obs: Observation, endUs: Micros): SentinelReport | undefined {
  const specs = scenario.sentinels ?? [];
  if (specs.length === 0) return undefined;
  const monitor = specs[0]!.config.masters[0]!;
  const answers = obs.sentinelAnswers;
  const lanes = buildSentinelLanes(obs.records, {
    sentinels: specs.map((s) => s.name), names: obs.sentinelIds, master: monitor.name, monitoredHost: monitor.host, endUs,
  });
  const clients = clientAvailability(obs.records, (scenario.sentinelClients ?? []).map((c) => c.host), endUs);
  const outage = commonOutage(clients, endUs);
  const w = answers?.clientWrites;
  const byCause: Record<string, number> = {};
  for (const cause of Object.keys(SENTINEL_LOSS_CAUSES)) {
    const n = w?.byCause[cause as keyof typeof SENTINEL_LOSS_CAUSES];
    if (n !== undefined && n > 0) byCause[cause] = n;
  }
  return {
    master: monitor.name,
    options: { quorum: String(monitor.quorum), ...specs[0]!.optionsText },
    lanes,
    failovers: failoverReports(answers?.failovers ?? [], endUs),
    clients,
    outage,
    outageUs: outage.reduce((a, o) => a + (o.toUs ?? endUs) - o.fromUs, 0),
    writes: w === undefined ? null : {
      written: w.written, acknowledged: w.acknowledged, failed: w.failed, indeterminate: w.indeterminate, finalMaster: w.finalMaster, lost: w.lost, byCause,
    },
    lostWrites: (answers?.lostWrites ?? []).map((l) => ({ client: l.client, key: l.key, node: l.node, acknowledgedUs: l.acknowledgedUs, cause: l.cause })),
  };
}

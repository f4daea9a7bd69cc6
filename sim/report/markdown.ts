/**
 * ReportData → report.md: the HTML's figures as tables (summary, recovery, syncs with
 * their phase durations, lag per replica, the sampled series once a second).
 */
import { formatSeconds, mdTable } from './format.js';
import type { ReportData } from './report-data.js';
import { lagTable, recoveryTable, seriesTable, summaryTable, syncTable, type Table } from './tables.js';
import { clientTable, durabilityLine, durabilityTable, failoverTable, lossTable, sentinelViewTable, writesLine } from './sentinel-tables.js';
import { LOST_WRITES_DOC } from '../check/index.js';

function table(t: Table): string {
  return mdTable(t.header, t.rows, t.align);
}

export function renderReportMarkdown(d: ReportData): string {
  const sc = d.scenario;
  const passed = d.run.error === null && d.run.ok;
  const out: string[] = [
    `# ${sc.name} — replsim timing report`,
    '',
    sc.description,
    '',
    `- file: ${sc.file ?? '(in memory)'}, seed \`${sc.seed}\`, ${formatSeconds(sc.durationUs)} of virtual time, trace \`${d.run.traceHash}\``,
    `- nodes: ${sc.nodes.map((n) => (n.replicaof ? `${n.name} → ${n.replicaof}` : `${n.name} (master)`)).join(', ')}`,
    `- config: ${Object.entries(sc.config).map(([k, v]) => `${k} ${v}`).join(', ') || 'Redis defaults'}`,
    ...(Object.keys(sc.costs).length > 0 ? [`- costs: ${Object.entries(sc.costs).map(([k, v]) => `${k} ${v}`).join(', ')}`] : []),
    ...(sc.appendonly ? ['- appendonly yes: the AOF rewrite a replica starts after loading is marked, but replsim gives it no cost.'] : []),
    ...(d.sentinel ? [`- Sentinels ${d.sentinel.lanes.map((l) => l.sentinel).join(', ')} monitor ${d.sentinel.master}: ${Object.entries(d.sentinel.options).map(([k, v]) => `${k} ${v}`).join(', ')}`] : []),
    `- verdict: ${d.run.error !== null ? 'crashed' : passed ? 'expectations held' : 'expectations failed'}`,
    '',
    '## Summary',
    '',
    table(summaryTable(d)),
    '',
  ];
  out.push(...sentinelSections(d));
  if (d.faults.length > 0) {
    out.push('## Faults and recovery', '', 'Recovered: every replica connected, done catching up, holding every byte its master had when the fault was lifted.', '', table(recoveryTable(d)), '');
  }
  out.push('## Lag per replica', '', table(lagTable(d)), '');
  if (d.syncs.length > 0) {
    out.push('## Syncs and where their time went', '', 'Phase durations; each sync starts when the master receives SYNC/PSYNC.', '', table(syncTable(d)), '');
  }
  out.push('## Offsets and lag, once a second', '', table(seriesTable(d)), '');
  if (d.run.error !== null) out.push('## The run crashed', '', '```', d.run.error, '```', '');
  else if (d.run.expectations.length > 0) {
    out.push('## Expectations', '', mdTable(['', 'expectation', 'actual'], d.run.expectations.map((e) => [e.ok ? '✓' : '✗', e.description, String(e.actual)])), '');
  }
  return out.join('\n');
}

/** Failovers, each Sentinel's view, the clients' windows without a writable master, the lost writes by cause. */
function sentinelSections(d: ReportData): string[] {
  const s = d.sentinel;
  const out: string[] = [];
  if (d.durability) {
    out.push('## Writes of the wait: clients', '', `${durabilityLine(d)} The causes, and what helps against each: ${LOST_WRITES_DOC}.`, '');
    if (d.durability.byCause.length > 0) out.push(table(durabilityTable(d)), '');
  }
  if (!s) return out;
  if (s.failovers.length > 0) out.push('## Failovers', '', 'Durations of each phase, from the fault before it (read from the Sentinels\' events).', '', table(failoverTable(d)), '');
  else out.push('## Failovers', '', 'No failover was attempted.', '');
  out.push('## What each Sentinel saw', '', table(sentinelViewTable(d)), '');
  if (s.clients.length > 0) out.push('## Sentinel-aware clients', '', writesLine(d), '', table(clientTable(d)), '');
  if (s.writes && s.writes.lost > 0) out.push('## Lost acknowledged writes by cause', '', `What happened to each, and what helps against it: ${LOST_WRITES_DOC}.`, '', table(lossTable(d)), '');
  return out;
}

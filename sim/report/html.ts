/**
 * ReportData → one self-contained HTML page: inline CSS and SVG only, no script, no font,
 * no image, no URL, so it opens the same offline, from a mail attachment or a CI artifact.
 * Top to bottom: verdict and key numbers, replica state over time with the faults, lag,
 * offsets and backlog window, output buffers, the sync Gantt, then the tables.
 */
import { syncGantt } from './chart-gantt.js';
import { lagBytesChart, lagSecondsChart, offsetsChart, outputBufferChart, stateStrips, type Chart, type LegendItem } from './chart-time.js';
import { escapeHtml, formatBytes, formatDuration, formatSeconds } from './format.js';
import type { ReportData } from './report-data.js';
import { lagTable, recoveryTable, summaryTable, syncTable, type Table } from './tables.js';
import { sentinelLanesChart } from './chart-sentinel.js';
import { clientsChart } from './chart-clients.js';
import { failoverGantt, timeToSwitch } from './chart-failover.js';
import { clientTable, durabilityLine, durabilityTable, failoverTable, lossTable, sentinelViewTable, writesLine } from './sentinel-tables.js';
import { LOST_WRITES_DOC } from '../check/index.js';

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;margin:0;background:#f6f7f9}
main{max-width:1120px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:16px;margin:28px 0 4px;border-bottom:1px solid #dde;padding-bottom:3px}
p.lead{margin:2px 0 8px;color:#444;max-width:900px}
.meta{color:#666;font-size:12.5px}
.meta code{font-size:12px}
.verdict{display:inline-block;padding:1px 9px;border-radius:10px;font-weight:600;font-size:12.5px;margin-left:8px;vertical-align:3px}
.ok{background:#d9f2e0;color:#17622f}.fail{background:#fbdada;color:#8a1010}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:10px;margin:14px 0 4px}
.card{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:9px 12px}
.card .v{font-size:22px;font-weight:650;white-space:nowrap}
.card .k{font-size:12px;color:#555}
.card.warn{border-color:#e8a0a0;background:#fff6f6}.card.warn .v{color:#a50f15}
.panel{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:8px 10px 4px;margin-top:6px}
.hint{color:#666;font-size:12.5px;margin:2px 0 6px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:#333;margin:2px 0 6px}
.legend span.sw{display:inline-block;width:16px;height:10px;margin-right:5px;vertical-align:-1px;border-radius:2px}
.legend span.ln{display:inline-block;width:18px;height:0;border-top:2.5px solid;margin-right:5px;vertical-align:3px}
.legend span.dash{border-top-style:dashed}
svg.chart{display:block}
svg text{font-family:inherit}
.tick{font-size:11px;fill:#555}.ylabel{font-size:11.5px;fill:#444}
.rowlabel{font-size:12.5px;fill:#222;font-weight:600}.sublabel{font-size:10.5px;fill:#666}
.bad{fill:#a50f15}.skipped{font-size:12px;fill:#555;font-style:italic}
.inbar{font-size:11px;fill:#fff;font-weight:600;pointer-events:none}
.flabel{font-size:11px;font-weight:600}
.axis{stroke:#888;stroke-width:1}.grid{stroke:#eceef2;stroke-width:1}
table{border-collapse:collapse;background:#fff;font-size:12.5px;margin-top:6px}
th,td{border:1px solid #e1e4ea;padding:3px 7px;vertical-align:top}
th{background:#f0f2f5;text-align:left;font-weight:600}
td.r{text-align:right;white-space:nowrap}
.scroll{overflow-x:auto}
details{margin-top:8px}summary{cursor:pointer;color:#345}
`;

function legendHtml(items: readonly LegendItem[]): string {
  return `<div class="legend">${items.map((i) => {
    const mark = i.area
      ? `<span class="sw" style="background:${i.color}"></span>`
      : `<span class="ln${i.dashed ? ' dash' : ''}" style="border-top-color:${i.color}"></span>`;
    return `<span>${mark}${escapeHtml(i.label)}</span>`;
  }).join('')}</div>`;
}

function panel(title: string, hint: string, chart: Chart | null): string {
  if (chart === null) return '';
  return `<h2>${escapeHtml(title)}</h2><p class="hint">${escapeHtml(hint)}</p><div class="panel">${legendHtml(chart.legend)}${chart.svg}</div>`;
}

export function tableHtml(t: Table): string {
  const head = `<tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${t.align[i] === 'r' ? ' class="r"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<div class="scroll"><table>${head}${body}</table></div>`;
}

function card(value: string, label: string, warn = false): string {
  return `<div class="card${warn ? ' warn' : ''}"><div class="v">${escapeHtml(value)}</div><div class="k">${escapeHtml(label)}</div></div>`;
}

function cards(d: ReportData): string {
  const s = d.summary;
  const rec = s.recoveries;
  const worst = rec.reduce<number | null>((a, r) => (r.recoveryUs === null ? a : Math.max(a ?? 0, r.recoveryUs)), null);
  const unrecovered = rec.some((r) => r.recoveryUs === null && d.faults.find((f) => f.id === r.fault)?.endUs !== null);
  const out = [
    card(String(s.fullSyncs), 'full syncs', s.syncLoop),
    card(String(s.partialSyncs), 'partial syncs'),
    card(String(s.abortedSyncs), s.syncLoop ? 'aborted syncs — a sync loop' : 'aborted syncs', s.abortedSyncs > 0),
    card(rec.length === 0 ? '—' : unrecovered ? 'never' : formatDuration(worst), rec.length === 0 ? 'no faults' : 'worst time to recover after a fault', unrecovered),
    card(formatBytes(s.rdbBytes + s.backlogBytes), 'resync data (RDB + backlog)'),
    card(s.peakOutputBuffer === null ? '0 B' : formatBytes(s.peakOutputBuffer.bytes), 'peak replica output buffer'),
    card(String(s.writesRefused), 'writes refused', s.writesRefused > 0),
    card(String(s.staleReads), 'stale reads served', s.staleReads > 0),
  ];
  return `<div class="cards">${[...sentinelCards(d), ...out].join('')}</div>`;
}

/** With Sentinels: failovers, the first one's fault → +switch-master, the worst client outage, lost writes. */
function sentinelCards(d: ReportData): string[] {
  const s = d.sentinel;
  if (!s) return [];
  const switched = s.failovers.filter((f) => f.outcome === 'switched');
  const first = switched[0];
  const worst = s.clients.reduce<number | null>((a, c) => Math.max(a ?? 0, c.unavailableUs), null);
  const out = [
    card(String(switched.length), s.failovers.length > switched.length ? `failovers switched (${s.failovers.length - switched.length} aborted or unfinished)` : 'failovers', s.failovers.length > switched.length),
    card(first === undefined ? '—' : formatDuration(timeToSwitch(first)), `${first?.fault === null ? 'first Sentinel event' : 'fault'} → +switch-master (first failover)`),
  ];
  if (worst !== null) out.push(card(worst === 0 ? '0 s' : formatDuration(worst), 'longest time a client had no writable master', worst > 0));
  if (s.writes) out.push(card(String(s.writes.lost), 'acknowledged writes lost', s.writes.lost > 0));
  return out;
}

function durabilityHtml(d: ReportData): string {
  if (!d.durability) return '';
  const table = d.durability.byCause.length > 0 ? tableHtml(durabilityTable(d)) : '';
  return `<h2>Writes of the wait: clients</h2><p class="hint">${escapeHtml(durabilityLine(d))} The causes, and what helps against each: ${escapeHtml(LOST_WRITES_DOC)}.</p>${table}`;
}

function sentinelTables(d: ReportData): string {
  const s = d.sentinel;
  if (!s) return durabilityHtml(d);
  return [
    s.failovers.length > 0 ? `<h2>Failovers</h2><p class="hint">Durations of each phase (check/failovers.ts reads them from the Sentinels' events).</p>${tableHtml(failoverTable(d))}` : '<h2>Failovers</h2><p class="hint">No failover was attempted.</p>',
    `<h2>What each Sentinel saw</h2>${tableHtml(sentinelViewTable(d))}`,
    s.clients.length > 0 ? `<h2>Sentinel-aware clients</h2><p class="hint">${escapeHtml(writesLine(d))}</p>${tableHtml(clientTable(d))}` : '',
    durabilityHtml(d),
    s.writes && s.writes.lost > 0 ? `<h2>Lost acknowledged writes by cause</h2><p class="hint">What happened to each, and what helps against it: ${escapeHtml(LOST_WRITES_DOC)}. An unexplained loss would be a bug in the model.</p>${tableHtml(lossTable(d))}` : '',
  ].join('\n');
}

function header(d: ReportData): string {
  const sc = d.scenario;
  const passed = d.run.error === null && d.run.ok;
  const verdict = `<span class="verdict ${passed ? 'ok' : 'fail'}">${d.run.error !== null ? 'crashed' : passed ? 'expectations held' : 'expectations failed'}</span>`;
  const config = Object.entries(sc.config).map(([k, v]) => `${k} ${v}`).join(', ') || 'Redis defaults';
  const costs = Object.entries(sc.costs).map(([k, v]) => `${k} ${v}`).join(', ');
  return `<h1>${escapeHtml(sc.name)}${verdict}</h1>
<p class="lead">${escapeHtml(sc.description)}</p>
<div class="meta">${escapeHtml(sc.file ?? '')} · seed <code>${escapeHtml(sc.seed)}</code> · ${formatSeconds(sc.durationUs)} virtual ·
nodes ${escapeHtml(sc.nodes.map((n) => (n.replicaof ? `${n.name} → ${n.replicaof}` : `${n.name} (master)`)).join(', '))} ·
trace <code>${escapeHtml(d.run.traceHash)}</code><br>config: ${escapeHtml(config)}${costs ? `<br>costs: ${escapeHtml(costs)}` : ''}
${d.sentinel ? `<br>Sentinels ${escapeHtml(d.sentinel.lanes.map((l) => l.sentinel).join(', '))} monitor ${escapeHtml(d.sentinel.master)}: ${escapeHtml(Object.entries(d.sentinel.options).map(([k, v]) => `${k} ${v}`).join(', '))}` : ''}
${sc.appendonly ? '<br>appendonly yes: the AOF rewrite a replica starts after loading is marked, but replsim gives it no cost.' : ''}</div>`;
}

function expectationsHtml(d: ReportData): string {
  if (d.run.error !== null) return `<h2>The run crashed</h2><pre>${escapeHtml(d.run.error)}</pre>`;
  if (d.run.expectations.length === 0) return '';
  const rows = d.run.expectations.map((e) => [e.ok ? '✓' : '✗', e.description, String(e.actual)]);
  return `<h2>Expectations</h2>${tableHtml({ header: ['', 'expectation', 'actual'], rows, align: ['l', 'l', 'l'] })}`;
}

export function renderReportHtml(d: ReportData): string {
  const body = [
    header(d),
    cards(d),
    panel('Replicas over time', 'Link state from samples every 100 ms; each sync on top (hover for details). Faults are the shaded bands.', stateStrips(d)),
    ...(d.sentinel ? [
      panel('Sentinels over time', `Each Sentinel's view of ${d.sentinel.master}: the node it names as master (top strip), the master subjectively down (SDOWN) and objectively down (ODOWN, inner bar), the failover it runs (thin bar), and its votes, election and switches (marks; hover for details).`, sentinelLanesChart(d)),
      panel('Sentinel-aware clients: writable master and lost writes', 'Each client\'s windows without a writable master (its first failed write to its next acknowledged one, or a write that waited more than 1 s for its OK), and the acknowledged writes missing at the end, by when they were acknowledged and why they were lost.', clientsChart(d)),
      panel('Where the time of each failover went', 'Each row starts at the fault before the failover; the thin bar is what follows the leader\'s +switch-master.', failoverGantt(d)),
    ] : []),
    panel('Replication lag (bytes)', 'How far each replica is behind its master. While a replica stays under its master\'s backlog window (dashed), a reconnect can resync partially.', lagBytesChart(d)),
    panel('Replication lag (time)', 'How long ago the master was at the replica\'s offset (read off the master\'s offsets, sampled every 100 ms).', lagSecondsChart(d)),
    panel('Offsets and the backlog window', 'master_repl_offset, each replica\'s offset, and the bytes the backlog still holds (shaded). A replica whose offset falls below the shaded window can only full-sync.', offsetsChart(d)),
    panel('Replica output buffers', 'What the master buffers for each replica (7.0 shared replication buffer: written, not yet taken by the kernel), with client-output-buffer-limit replica; dashed: what the kernels hold on the way (socket send and receive buffers).', outputBufferChart(d)),
    panel('Where the time of each sync went', 'Each row starts at the master receiving SYNC/PSYNC; thin bars run beside the critical path.', syncGantt(d)),
    `<h2>Summary</h2>${tableHtml(summaryTable(d))}`,
    sentinelTables(d),
    d.faults.length > 0 ? `<h2>Faults and recovery</h2><p class="hint">Recovered: every replica connected, done catching up, holding every byte its master had when the fault was lifted.</p>${tableHtml(recoveryTable(d))}` : '',
    `<h2>Lag per replica</h2>${tableHtml(lagTable(d))}`,
    d.syncs.length > 0 ? `<h2>Syncs</h2>${tableHtml(syncTable(d))}` : '',
    expectationsHtml(d),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>replsim report: ${escapeHtml(d.scenario.name)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
<p class="meta" style="margin-top:28px">replsim timing report · raw series in data.json · same seed, same report.</p>
</main>
</body>
</html>
`;
}

/**
 * The Sentinel part of a report as rows of text, shared by the HTML and the Markdown
 * writers: each failover's phases with their durations, each Sentinel's view (how long it
 * held the master down, its votes and switches), each client's windows without a writable
 * master, and the lost acknowledged writes by cause — the Sentinel-aware clients' and the
 * `wait:` clients' (their own accounting, check/loss-causes.ts).
 */
import { LOSS_CAUSES, SENTINEL_LOSS_CAUSES, type SentinelLossCause } from '../check/index.js';
import { LOSS_CAUSE_TITLES } from './chart-clients.js';
import { failoverTitle, FAILOVER_PHASE_LABELS, timeToSwitch } from './chart-failover.js';
import { formatDuration, formatSeconds } from './format.js';
import { FAILOVER_PHASE_NAMES, type ReportData, type SentinelBand, type SentinelReport } from './report-data.js';
import type { Table } from './tables.js';

function phasesPresent(s: SentinelReport): typeof FAILOVER_PHASE_NAMES[number][] {
  const present = new Set(s.failovers.flatMap((f) => f.phases.filter((p) => p.endUs > p.startUs).map((p) => p.name)));
  return FAILOVER_PHASE_NAMES.filter((n) => present.has(n));
}

export function failoverTable(d: ReportData): Table {
  const s = d.sentinel!;
  const phases = phasesPresent(s);
  const rows = s.failovers.map((f) => {
    const dur = (name: string): string => {
      const ps = f.phases.filter((p) => p.name === name && p.endUs > p.startUs);
      return ps.length === 0 ? '' : formatDuration(ps.reduce((a, p) => a + p.endUs - p.startUs, 0));
    };
    const sw = timeToSwitch(f);
    return [
      String(f.id), failoverTitle(f).replace(/^failover \d+: /, ''), String(f.epoch), f.leader ?? '—', f.fault ?? '—', formatSeconds(f.startUs),
      ...phases.map(dur),
      sw === null ? '—' : formatDuration(sw),
      f.outcome === 'aborted' ? `aborted (${f.abort ?? ''})` : f.outcome,
      f.why ?? '',
    ];
  });
  return {
    header: ['#', 'failover', 'epoch', 'leader', 'after', 'from', ...phases.map((p) => FAILOVER_PHASE_LABELS[p].split(':')[0]!), 'to +switch-master (from the fault, or the first event)', 'outcome', 'replica chosen because'],
    rows,
    align: ['r', 'l', 'r', 'l', 'l', 'r', ...phases.map(() => 'r' as const), 'r', 'l', 'l'],
  };
}

function intervals(bands: readonly SentinelBand[], endUs: number): string {
  if (bands.length === 0) return '—';
  return bands.map((b) => `${formatSeconds(b.startUs)}–${b.endUs === null ? 'end' : formatSeconds(b.endUs)} (${formatDuration((b.endUs ?? endUs) - b.startUs)})`).join(', ');
}

export function sentinelViewTable(d: ReportData): Table {
  const s = d.sentinel!;
  const endUs = d.run.virtualTimeUs;
  const rows = s.lanes.map((l) => {
    const of = (k: SentinelBand['kind']): SentinelBand[] => l.bands.filter((b) => b.kind === k);
    const marks = (k: string): string => l.marks.filter((m) => m.kind === k).map((m) => `${formatSeconds(m.t)} ${m.text}`).join('; ') || '—';
    return [
      l.sentinel,
      intervals(of('sdown'), endUs),
      intervals(of('odown'), endUs),
      marks('vote'),
      marks('elected-leader'),
      marks('switch-master'),
      [...of('tilt').map((b) => `TILT ${intervals([b], endUs)}`), ...of('down').map((b) => `down ${intervals([b], endUs)}`)].join('; ') || '—',
      l.names.at(-1)!.node,
    ];
  });
  return {
    header: ['Sentinel', `${s.master} SDOWN`, `${s.master} ODOWN`, 'votes', 'elected', 'switches', 'TILT / down', 'names at the end'],
    rows,
    align: ['l', 'l', 'l', 'l', 'l', 'l', 'l', 'l'],
  };
}

export function clientTable(d: ReportData): Table {
  const s = d.sentinel!;
  const rows = s.clients.map((c) => [
    c.client,
    String(c.written),
    String(c.acknowledged),
    String(c.failed),
    c.windows.map((w) => `${formatSeconds(w.fromUs)}–${w.toUs === null ? 'end' : formatSeconds(w.toUs)} (${w.reply})`).join('; ') || '—',
    formatDuration(c.unavailableUs),
  ]);
  return { header: ['client', 'writes', 'acknowledged', 'failed', 'no writable master (first failed reply)', 'in all'], rows, align: ['l', 'r', 'r', 'r', 'l', 'r'] };
}

export function lossTable(d: ReportData): Table {
  const w = d.sentinel!.writes!;
  const rows = (Object.keys(SENTINEL_LOSS_CAUSES) as SentinelLossCause[]).filter((c) => (w.byCause[c] ?? 0) > 0).map((c) => {
    const lost = d.sentinel!.lostWrites.filter((l) => l.cause === c);
    const span = lost.length === 0 ? '' : `${formatSeconds(lost[0]!.acknowledgedUs)} – ${formatSeconds(lost.at(-1)!.acknowledgedUs)}`;
    return [LOSS_CAUSE_TITLES[c], String(w.byCause[c]), span, SENTINEL_LOSS_CAUSES[c]];
  });
  return { header: ['cause', 'lost', 'acknowledged between', 'what happened'], rows, align: ['l', 'r', 'l', 'l'] };
}

/** One line: how many acknowledged writes were lost, of how many, and the final master. */
export function writesLine(d: ReportData): string {
  const w = d.sentinel?.writes;
  if (!w) return '';
  const pct = w.acknowledged === 0 ? '' : ` (${((100 * w.lost) / w.acknowledged).toFixed(1)}% of the acknowledged)`;
  const s = d.sentinel!;
  const outage = s.clients.length >= 2 ? ` No client could write for ${formatDuration(s.outageUs)} in all.` : '';
  return `${w.written} writes sent, ${w.acknowledged} acknowledged, ${w.failed} refused, ${w.indeterminate} without reply; ${w.lost} acknowledged writes lost${pct}, judged on the final master ${w.finalMaster ?? '(none)'}.${outage}`;
}

/** The `wait:` clients' lost writes by cause (check/loss-causes.ts), as run's durability section counts them. */
export function durabilityTable(d: ReportData): Table {
  const u = d.durability!;
  const rows = u.byCause.map((c) => [c.title, String(c.lost), String(c.lostAcknowledged), LOSS_CAUSES[c.cause]?.explains ?? '']);
  return { header: ['cause', 'lost (answered OK)', 'of them WAIT-acknowledged', 'what happened'], rows, align: ['l', 'r', 'r', 'l'] };
}

export function durabilityLine(d: ReportData): string {
  const u = d.durability!;
  return `${u.writes} writes, ${u.ok} answered OK, ${u.acknowledged} of them WAIT-acknowledged; ${u.lost} lost (${u.lostAcknowledged} WAIT-acknowledged).`;
}

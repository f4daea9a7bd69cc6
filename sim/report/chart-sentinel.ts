/**
 * The Sentinel charts on the run's time axis, beside the fault bands: one lane per
 * Sentinel (the node it names as master; the master subjectively and objectively down;
 * TILT; the process down; the failover it ran; its votes, election and switch), then one
 * strip per Sentinel-aware client (the windows without a writable master) and one row per
 * cause of lost acknowledged writes (how many were acknowledged in each time bin). Every
 * band carries its name in words inside it or in its row label, and a tooltip, so no
 * meaning rests on colour alone.
 */
import { formatDuration, formatSeconds } from './format.js';
import { FAULT_COLORS, faultShapes, svgWrap, timeAxis, timeScale, uniqueFaultKinds, type Chart, type LegendItem } from './chart-time.js';
import type { ReportData, SentinelBandKind, SentinelLane, SentinelMark } from './report-data.js';
import { escapeHtml } from './format.js';
import { line, rect, text, type Scale } from './svg.js';

export const SENTINEL_BAND_STYLE: Record<SentinelBandKind, { fill: string; ink: string; label: string; legend: string }> = {
  sdown: { fill: '#fdd0a2', ink: '#7f2704', label: 'SDOWN', legend: 'master subjectively down (+sdown … -sdown)' },
  odown: { fill: '#d94801', ink: '#ffffff', label: 'ODOWN', legend: 'master objectively down: quorum agrees (+odown … -odown), the lower half' },
  tilt: { fill: '#fee391', ink: '#662506', label: 'TILT', legend: 'TILT mode: the Sentinel does not act' },
  down: { fill: '#9e9e9e', ink: '#ffffff', label: 'down', legend: 'the Sentinel process is down' },
  failover: { fill: '#3182bd', ink: '#ffffff', label: 'failover', legend: 'a failover this Sentinel runs (+try-failover … +switch-master or abort), the thin bar' },
};

const MARK_WORDS: Record<SentinelMark['kind'], (m: SentinelMark) => string> = {
  'try-failover': () => 'try',
  vote: (m) => `vote ${/votes for (\S+)/.exec(m.text)?.[1] === 'itself' ? 'self' : (/votes for (\S+)/.exec(m.text)?.[1] ?? '')}`,
  'elected-leader': () => 'leader',
  'switch-master': (m) => `→ ${m.text.split(' → ')[1] ?? ''}`,
  abort: () => 'abort',
  'convert-to-slave': () => 'convert',
};

const LANE_H = 60;
const NAME_ALTERNATES = ['#eef3f8', '#e3ecd9'];

function titled(title: string, body: string): string {
  return `<g><title>${escapeHtml(title)}</title>${body}</g>`;
}

/** The "names m1 / names r2" strip at the top of a lane: what GET-MASTER-ADDR-BY-NAME answered there. */
function namesStrip(lane: SentinelLane, x: Scale, y: number, endUs: number): string {
  return lane.names.map((n, i) => {
    const to = lane.names[i + 1]?.fromUs ?? endUs;
    const x0 = x(n.fromUs);
    const w = Math.max(1, x(to) - x0);
    const label = w > 70 ? `names ${n.node}` : w > 24 ? n.node : '';
    return titled(`${lane.sentinel} names ${n.node} as the master from ${formatSeconds(n.fromUs)}`,
      rect(x0, y, w, 13, { fill: NAME_ALTERNATES[i % 2]!, stroke: '#c8d0da', 'stroke-width': 0.5 }) + (label ? text(x0 + 3, y + 10, label, { class: 'sublabel' }) : ''));
  }).join('');
}

function bandShapes(lane: SentinelLane, x: Scale, y: number, endUs: number): string {
  const out: string[] = [];
  for (const b of lane.bands) {
    const st = SENTINEL_BAND_STYLE[b.kind];
    const x0 = x(b.startUs);
    const w = Math.max(2, x(b.endUs ?? endUs) - x0);
    // SDOWN fills the row with its label on top; ODOWN (always within an SDOWN) is the lower half, labelled inside.
    const [by, bh] = b.kind === 'odown' ? [y + 10, 10] : b.kind === 'failover' ? [y + 22, 5] : [y, 20];
    const baseline = b.kind === 'sdown' ? by + 8.5 : b.kind === 'odown' ? by + 8.5 : by + 13.5;
    const title = `${lane.sentinel}: ${st.legend.split(' (')[0]}${b.instance ? ` (${b.instance})` : ''} ${formatSeconds(b.startUs)} – ${b.endUs === null ? 'the end' : formatSeconds(b.endUs)} (${formatDuration((b.endUs ?? endUs) - b.startUs)})`;
    const label = b.kind !== 'failover' && w > st.label.length * 6 + 6 ? text(x0 + 3, baseline, st.label, { class: 'inbar', style: `font-size:8.5px;fill:${st.ink}` }) : '';
    out.push(titled(title, rect(x0, by, w, bh, { fill: st.fill, stroke: b.kind === 'odown' ? '#7f2704' : 'none', 'stroke-width': 0.5 }) + label));
  }
  return out.join('');
}

/** Marks and their short words; words that would overlap the previous ones join them ("vote self · leader"). */
function markShapes(lane: SentinelLane, x: Scale, y: number): string {
  const out: string[] = [];
  const groups: Array<{ x: number; words: string[]; titles: string[] }> = [];
  for (const m of lane.marks) {
    const px = x(m.t);
    out.push(line(px, y - 30, px, y + 2, { stroke: '#333', 'stroke-width': 1, 'stroke-dasharray': m.kind === 'vote' ? '2,2' : undefined }));
    const last = groups.at(-1);
    const words = MARK_WORDS[m.kind](m);
    const title = `${formatSeconds(m.t)} ${lane.sentinel} ${m.text}`;
    if (last && px - last.x < last.words.join(' · ').length * 6 + 8) {
      last.words.push(words);
      last.titles.push(title);
    } else {
      groups.push({ x: px, words: [words], titles: [title] });
    }
  }
  for (const g of groups) out.push(titled(g.titles.join('\n'), text(g.x + 2, y + 11, g.words.join(' · '), { class: 'sublabel' })));
  return out.join('');
}

export function sentinelLanesChart(report: ReportData): Chart | null {
  const s = report.sentinel;
  if (!s) return null;
  const x = timeScale(report);
  const endUs = report.run.virtualTimeUs;
  const top = 28;
  const height = top + s.lanes.length * LANE_H + 24;
  const parts: string[] = [faultShapes(report, x, 2, height - 22, true)];
  s.lanes.forEach((lane, i) => {
    const y0 = top + i * LANE_H;
    parts.push(text(x.range[0] - 6, y0 + 30, lane.sentinel, { class: 'rowlabel', 'text-anchor': 'end' }));
    parts.push(namesStrip(lane, x, y0, endUs));
    parts.push(bandShapes(lane, x, y0 + 16, endUs));
    parts.push(markShapes(lane, x, y0 + 44));
  });
  parts.push(timeAxis(x, height - 22, true));
  const kinds = new Set(s.lanes.flatMap((l) => l.bands.map((b) => b.kind)));
  const legend: LegendItem[] = [
    { label: 'names <node>: the master this Sentinel gives clients', color: NAME_ALTERNATES[0]!, area: true },
    ...(Object.keys(SENTINEL_BAND_STYLE) as SentinelBandKind[]).filter((k) => kinds.has(k)).map((k) => ({ label: SENTINEL_BAND_STYLE[k].legend, color: SENTINEL_BAND_STYLE[k].fill, area: true })),
    ...(s.lanes.some((l) => l.marks.length > 0)
      ? [{ label: 'marks: try = +try-failover, vote <who> = +vote-for-leader (dashed), leader = +elected-leader, → <node> = +switch-master, convert = +convert-to-slave, abort = -failover-abort-*', color: '#333333' }]
      : []),
    ...uniqueFaultKinds(report).map((k) => ({ label: k, color: FAULT_COLORS[k], area: true })),
  ];
  return { svg: svgWrap(height, parts.join(''), `Each Sentinel's view of ${s.master} over time: the node it names, SDOWN and ODOWN bands, its failovers, votes and switches`), legend };
}

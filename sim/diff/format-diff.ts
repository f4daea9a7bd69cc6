/**
 * `replsim diff` output: a header with what ran and how long it took (timings are
 * reported, never compared), a side-by-side table per node (real | replsim | ✓/✗), the
 * timeline commands' replies side by side, the scenario's expectations as real Redis and
 * replsim each answered them, and one verdict line.
 */
import type { ChalkInstance } from 'chalk';
import type { ExpectationResult } from '../scenario/result.js';
import type { DiffReport } from './diff.js';

const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;
const padEndVisible = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - visible(s)));

function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((row) => `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : padEndVisible(cell, widths[i]!))).join('  ')}`.trimEnd());
}

export function formatDiffHeader(r: DiffReport, c: ChalkInstance): string {
  const t = r.real.timings;
  return [
    `${c.bold('replsim diff')} ${c.bold(r.scenario)}${r.file ? c.dim(` (${r.file})`) : ''}  ${c.dim('seed')} ${r.seed}`,
    `${c.dim('real:')} redis-server ${r.redis.version} ${c.dim(`(${r.redis.binary})`)}  ` +
      `${c.dim('setup')} ${Math.round(t.setupMs)}ms  ${c.dim('latest step')} ${t.maxLateMs.toFixed(1)}ms ${c.dim('late')}  ` +
      `${c.dim('collect')} ${Math.round(t.collectMs)}ms   ${c.dim('replsim: trace')} ${r.sim.traceHash || '-'}`,
  ].join('\n') + '\n';
}

export function formatDiffNodes(r: DiffReport, c: ChalkInstance): string {
  const out: string[] = [];
  const nodes = [...new Set(r.fields.map((f) => f.node))];
  for (const node of nodes) {
    const rows: string[][] = [[c.dim('field'), c.dim('real redis'), c.dim('replsim'), '']];
    for (const f of r.fields.filter((x) => x.node === node)) {
      const mark = f.equal ? c.green('✓') : f.known ? c.yellow('≈ known') : c.red('✗');
      const realText = String(f.real);
      const simText = String(f.sim);
      rows.push([f.field, f.equal ? realText : c.red(realText), f.equal ? c.dim(simText) : c.red(simText), mark]);
    }
    out.push(c.bold(`node ${node}`), ...table(rows));
  }
  return `${out.join('\n')}\n`;
}

/** Sentinels: final fields, event sequences (paired: real name ↔ replsim's), the failover timeline. */
export function formatDiffSentinels(r: DiffReport, c: ChalkInstance): string {
  const x = r.sentinels;
  if (x === undefined) return '';
  const mark = (equal: boolean, aspect: string): string => (equal ? c.green('✓') : x.known[aspect] ? c.yellow('≈ known') : c.red('✗'));
  const out: string[] = [c.bold('sentinels') + c.dim(` (real ↔ replsim: ${Object.entries(x.pairing).map(([a, b]) => `${a}↔${b}`).join(', ')}; real ones up ${(x.startedUs / 1000).toFixed(0)} ms after time 0)`)];
  const rows: string[][] = [[c.dim('sentinel'), c.dim('master'), c.dim('field'), c.dim('real'), c.dim('replsim'), '']];
  for (const f of x.fields) rows.push([f.sentinel, f.master, f.field, f.real, f.sim, mark(f.equal, `sentinel.${f.field}`)]);
  out.push(...table(rows));
  for (const q of x.sequences) {
    out.push(`  ${c.bold(q.sentinel)} events from the first fault ${mark(q.equal, 'sentinel.events')}`);
    if (q.equal) out.push(`    ${q.real.join(' · ')}`);
    else out.push(`    real:    ${q.real.join(' · ')}`, `    replsim: ${q.sim.join(' · ')}`);
    for (const e of q.excused) out.push(c.dim(`    (${e})`));
  }
  if (x.timings.length > 0) {
    const t: string[][] = [[c.dim('after the fault'), c.dim('real'), c.dim('replsim'), c.dim('step: real'), c.dim('replsim'), c.dim('tolerance'), '']];
    const ms = (v: number | null): string => (v === null ? '-' : `${v} ms`);
    for (const s2 of x.timings) {
      t.push([s2.step, ms(s2.realMs), ms(s2.simMs), ms(s2.realStepMs), ms(s2.simStepMs), `±${s2.toleranceMs} ms`, mark(s2.equal, 'sentinel.timing')]);
    }
    out.push(...table(t));
  }
  return `${out.join('\n')}\n`;
}

export function formatDiffCommands(r: DiffReport, c: ChalkInstance): string {
  if (r.commands.length === 0) return '';
  const rows: string[][] = [[c.dim('at'), c.dim('node'), c.dim('command'), c.dim('real redis'), c.dim('replsim'), '']];
  for (const x of r.commands) {
    const mark = !x.compared ? c.dim('(not compared)') : x.equal ? c.green('✓') : x.known ? c.yellow('≈ known') : c.red('✗');
    const oneLine = (s: string): string => (s.includes('\n') ? `${s.split('\n')[0]} …` : s);
    rows.push([`${(x.atUs / 1e6).toFixed(3)}s`, x.node, x.command, oneLine(x.real), oneLine(x.sim), mark]);
  }
  return `${c.bold('timeline commands')}\n${table(rows).join('\n')}\n`;
}

/** Commands each workload client sent in both worlds (the same seed draws the same sequence). */
function formatDiffWorkload(r: DiffReport, c: ChalkInstance): string {
  if (r.workload.length === 0) return '';
  const rows: string[][] = [[c.dim('workload'), c.dim('node'), c.dim('sent: real redis'), c.dim('replsim'), '']];
  for (const w of r.workload) rows.push([`workload[${w.index}]`, w.node, String(w.real), String(w.sim), w.equal ? c.green('✓') : c.red('✗')]);
  return `${c.bold('workload (commands sent; both sides send the sequence the seed draws)')}\n${table(rows).join('\n')}\n`;
}

export function formatDiffExpectations(r: DiffReport, c: ChalkInstance): string {
  if (r.realExpectations.length === 0) return '';
  const rows: string[][] = [[c.dim('expectation'), c.dim('real redis'), c.dim('replsim'), c.dim('line')]];
  const cell = (e: ExpectationResult | undefined): string =>
    e === undefined ? '-' : `${e.ok ? c.green('✓') : c.red('✗')} ${e.actual === null ? '-' : String(e.actual)}`;
  // replsim's list also holds the timeline's `reply:` verdicts and command errors before the
  // expect: entries: pair each real verdict with replsim's of the same line and text.
  const simOf = (e: ExpectationResult): ExpectationResult | undefined =>
    r.simExpectations.find((s) => s.line === e.line && s.description === e.description && s.kind === e.kind);
  for (const e of r.realExpectations) rows.push([e.description, cell(e), cell(simOf(e)), String(e.line)]);
  const lines = [c.bold('expectations (the scenario\'s expect:, checked against each final state)'), ...table(rows)];
  if (!r.real.convergence.ok) {
    lines.push(c.bold('real redis did not converge'));
    for (const p of r.real.convergence.problems) lines.push(`  ${c.yellow('•')} ${p}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatDiffNotes(r: DiffReport, c: ChalkInstance): string {
  const lines: string[] = [];
  for (const n of r.real.notes) lines.push(`  ${c.yellow('•')} ${n}`);
  if (r.sim.error !== undefined) lines.push(`  ${c.red('•')} replsim crashed: ${r.sim.error.split('\n')[0]}`);
  const shown = new Set<string>();
  for (const f of [...r.fields, ...r.commands]) {
    if (f.equal || !f.known || shown.has(f.known.target)) continue;
    shown.add(f.known.target);
    lines.push(`  ${c.yellow('≈')} ${f.known.target}: ${f.known.reason}`);
  }
  for (const k of Object.values(r.sentinels?.known ?? {})) {
    if (!k || shown.has(k.target)) continue;
    shown.add(k.target);
    lines.push(`  ${c.yellow('≈')} ${k.target}: ${k.reason}`);
  }
  for (const k of r.knownNotSeen) lines.push(`  ${c.dim(`○ ${k.target}: written down as a known difference (line ${k.line}) but both agreed this time`)}`);
  return lines.length > 0 ? `${c.bold('notes')}\n${lines.join('\n')}\n` : '';
}

export function formatDiffVerdict(r: DiffReport, c: ChalkInstance): string {
  const st = r.sentinels;
  const sentinelAspects = st ? [
    ...st.fields.map((f) => ({ equal: f.equal, aspect: `sentinel.${f.field}` })),
    ...st.sequences.map((q) => ({ equal: q.equal, aspect: 'sentinel.events' })),
    ...st.timings.map((t) => ({ equal: t.equal, aspect: 'sentinel.timing' })),
  ] : [];
  const compared = r.fields.length + r.commands.filter((x) => x.compared).length + sentinelAspects.length + r.workload.length;
  const knownSeen = r.fields.filter((f) => !f.equal && f.known).length + r.commands.filter((x) => !x.equal && x.known).length +
    sentinelAspects.filter((a) => !a.equal && st!.known[a.aspect]).length;
  const realHeld = r.realExpectations.filter((e) => e.ok).length;
  const exp = r.realExpectations.length > 0 ? `; real redis holds ${realHeld}/${r.realExpectations.length} expectations` : '';
  if (r.ok) {
    const known = knownSeen > 0 ? ` (${knownSeen} known difference${knownSeen === 1 ? '' : 's'})` : '';
    return `${c.green.bold('SAME')} ${r.scenario}: real redis and replsim agree on ${compared - knownSeen}/${compared} compared values${known}${exp}  seed ${r.seed}\n`;
  }
  return `${c.red.bold('DIFF')} ${r.scenario}: ${r.unexpected} unexpected difference${r.unexpected === 1 ? '' : 's'} out of ${compared} compared values${exp}  seed ${r.seed}\n`;
}

export function formatDiff(r: DiffReport, c: ChalkInstance): string {
  return [formatDiffHeader(r, c), formatDiffNodes(r, c), formatDiffSentinels(r, c), formatDiffCommands(r, c), formatDiffWorkload(r, c), formatDiffExpectations(r, c), formatDiffNotes(r, c), formatDiffVerdict(r, c)]
    .filter((p) => p !== '')
    .join('\n');
}

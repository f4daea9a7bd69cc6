/**
 * After a run: the nodes table, each expectation ✓/✗ with what was actually seen, the
 * convergence verdict, and the footer with seed, trace hash and the replay command.
 */
import type { ChalkInstance } from 'chalk';
import { formatClock, formatMicros } from '../engine/index.js';
import type { NodeReport, RunResult, SlaveInfo } from '../scenario/result.js';
import { padEndVisible, replayCommand } from './format-units.js';
import { formatBytes } from '../report/format.js';

const short = (s: unknown, n = 8): string => (typeof s === 'string' && s !== '' ? s.slice(0, n) : '-');
const text = (v: unknown): string => (v === undefined || v === null ? '-' : String(v));

/** The replica's lag as its master reports it (slaveN lag=…), else seconds since the master last spoke. */
function lagOf(name: string, report: NodeReport, all: Record<string, NodeReport>): string {
  const host = report.info['master_host'];
  const master = typeof host === 'string' ? all[host] : undefined;
  const slaves = master?.info['slaves'];
  const me = Array.isArray(slaves) ? (slaves as SlaveInfo[]).find((s) => s.name === name) : undefined;
  if (me) return `${me.lag}s`;
  const io = report.info['master_last_io_seconds_ago'];
  return typeof io === 'number' && io >= 0 ? `${io}s` : '-';
}

export function formatNodes(result: RunResult, c: ChalkInstance): string {
  // Sentinels have no replication row: formatSentinels shows them.
  const names = Object.keys(result.nodes).filter((n) => result.nodes[n]!.sentinel === undefined);
  if (names.length === 0) return '';
  const header = ['node', 'role', 'master', 'replid', 'offset', 'link', 'lag', 'keys', 'used_memory', 'rdb', 'digest'];
  const rows = names.map((name) => {
    const r = result.nodes[name]!;
    const isReplica = r.info['role'] === 'slave';
    const status = r.info['master_link_status'];
    const link = isReplica
      ? (status === 'up' ? c.green('up') : c.red(text(status)))
      : `${text(r.info['connected_slaves'])} replicas`;
    return [
      c.bold(name),
      text(r.info['role']),
      isReplica ? text(r.info['master_host']) : '-',
      short(r.info['master_replid']),
      text(r.info['master_repl_offset']),
      link,
      isReplica ? lagOf(name, r, result.nodes) : '-',
      String(r.keys),
      r.usedMemory === undefined ? '-' : formatBytes(r.usedMemory),
      r.rdbBytes === undefined ? '-' : formatBytes(r.rdbBytes),
      short(r.digest),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.replace(/\x1b\[[0-9;]*m/g, '').length)));
  const fmt = (row: string[]): string => `  ${row.map((cell, i) => padEndVisible(cell, widths[i]!)).join('  ').trimEnd()}`;
  return `${c.bold('nodes')}\n${c.dim(fmt(header))}\n${rows.map(fmt).join('\n')}\n`;
}

export function formatExpectations(result: RunResult, c: ChalkInstance): string {
  const lines: string[] = [];
  if (result.expectations.length > 0) {
    lines.push(c.bold('expectations'));
    const width = Math.max(...result.expectations.map((e) => e.description.length));
    for (const e of result.expectations) {
      const mark = e.ok ? c.green('✓') : c.red('✗');
      const actual = e.ok ? c.dim(`actual ${text(e.actual)}`) : c.red(`actual ${text(e.actual)}`);
      // line 0: asked for on the command line (--liveness, --check), not written in the file.
      lines.push(`  ${mark} ${e.description.padEnd(width)}  ${actual}  ${c.dim(e.line > 0 ? `line ${e.line}` : 'command line')}`);
    }
  }
  if (!result.convergence.ok && result.convergence.problems.length > 0) {
    lines.push(c.bold(result.liveness ? `not converged at ${formatMicros(result.liveness.healedAtUs)}, before heal-all` : 'not converged'));
    for (const p of result.convergence.problems) lines.push(`  ${c.yellow('•')} ${p}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** `run --liveness`: what heal-all lifted, the bound with its terms, and how long convergence took. */
export function formatLiveness(result: RunResult, c: ChalkInstance): string {
  const l = result.liveness;
  if (!l) return '';
  const b = l.bound;
  const lines = [c.bold('liveness')];
  lines.push(`  heal-all at ${formatMicros(l.healedAtUs)}: ${l.healed.join(', ')}`);
  lines.push(`  bound ${formatMicros(b.boundUs)} ${c.dim(`(detect ${formatMicros(b.detectUs)} ×2, per level ${formatMicros(b.perLevelUs)}, drain ${formatMicros(b.drainUs)}, boot ${formatMicros(b.bootUs)})`)}`);
  if (l.convergedAfterUs !== null) lines.push(`  ${c.green('✓')} converged ${formatMicros(l.convergedAfterUs)} after heal-all`);
  else {
    lines.push(`  ${c.red('✗')} not converged within the bound`);
    for (const p of l.problems) lines.push(`    ${c.yellow('•')} ${p}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `costsFile`: the run's --costs FILE, which its replay line must carry. */
export function formatFooter(result: RunResult, c: ChalkInstance, costsFile?: string): string {
  const lines: string[] = [];
  if (result.error !== undefined) lines.push(c.red.bold(`${result.stopped === true ? 'stopped' : 'crashed'}: ${result.error}`));
  lines.push(
    `${c.dim('seed')} ${c.bold(result.seed)}  ${c.dim('trace')} ${result.traceHash || '-'}  ` +
      `${c.dim('virtual')} ${formatClock(result.virtualTimeUs)}s  ${c.dim('events')} ${result.events}  ${c.dim('wall')} ${Math.round(result.wallMs)}ms`,
  );
  lines.push(`${c.dim('replay')}  ${replayOf(result, costsFile)}`);
  return `${lines.join('\n')}\n`;
}

/** The command that replays this run (a liveness phase is part of the run and of its hash, as are the costs). */
function replayOf(result: RunResult, costsFile: string | undefined): string {
  return replayCommand(result.file, result.seed, {
    bugs: result.bugs ?? [], liveness: result.liveness !== undefined, strict: result.strict === true, ...(costsFile !== undefined ? { costs: costsFile } : {}),
  });
}

/** One line per run: what --quiet prints, and the last line otherwise. */
export function formatVerdict(result: RunResult, c: ChalkInstance, costsFile?: string): string {
  const held = result.expectations.filter((e) => e.ok).length;
  const total = result.expectations.length;
  const word = result.stopped === true ? c.red.bold('STOPPED') : result.error !== undefined ? c.red.bold('CRASH') : result.ok ? c.green.bold('PASS') : c.red.bold('FAIL');
  const detail = result.error !== undefined ? result.error.split('\n')[0] : `${held}/${total} expectations held`;
  // A run without a file (a fuzz case replayed by its seed) is replayed the way its caller says.
  const replay = result.ok || result.file === null ? '' : `  (${replayOf(result, costsFile)})`;
  return `${word} ${result.scenario}: ${detail}  seed ${result.seed}${replay}\n`;
}

/**
 * `run`'s answers for a cluster under Sentinel: the Sentinels' final views, one section per
 * failover (fault → +sdown → +odown → +elected-leader → +promoted-slave → +switch-master →
 * replicas reconfigured, with the time since the fault; the replica chosen and why; how
 * long each client had no writable master), and the clients' writes with each lost
 * acknowledged write's cause.
 */
import type { ChalkInstance } from 'chalk';
import type { Failover } from '../check/index.js';
import { LOST_WRITES_DOC, SENTINEL_LOSS_CAUSES, type SentinelLossCause } from '../check/index.js';
import { formatMicros } from '../engine/index.js';
import type { RunResult } from '../scenario/result.js';

const secs = (us: number): string => `${(us / 1e6).toFixed(3)}s`;

export function formatSentinels(result: RunResult, c: ChalkInstance): string {
  const rows = Object.entries(result.nodes).filter(([, r]) => r.sentinel !== undefined);
  if (rows.length === 0) return '';
  const lines = [c.bold('sentinels')];
  for (const [name, r] of rows) {
    const s = r.sentinel!;
    if (!s.alive) {
      lines.push(`  ${c.bold(name)}  ${c.red('down')}`);
      continue;
    }
    const masters = Object.entries(s.masters).map(([m, f]) => `${m} → ${f['address']} [${f['flags']}] config-epoch ${f['config-epoch']}`);
    lines.push(`  ${c.bold(name)}  epoch ${s.currentEpoch}${s.tilt ? c.yellow(' TILT') : ''}  ${masters.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatFailovers(result: RunResult, c: ChalkInstance): string {
  const fs = result.failovers;
  if (!fs || fs.length === 0) return result.nodes && Object.values(result.nodes).some((r) => r.sentinel) ? `${c.bold('failovers')}  none\n` : '';
  return fs.map((f, i) => formatFailover(f, i + 1, c)).join('');
}

function formatFailover(f: Failover, n: number, c: ChalkInstance): string {
  const outcome = f.outcome === 'switched' ? c.green(`${f.from} → ${f.to}`) : f.outcome === 'aborted' ? c.red(`aborted (${f.abort})`) : c.yellow('unfinished at the end');
  const lines = [`${c.bold(`failover ${n}`)}  ${f.master} epoch ${f.epoch}  ${outcome}  ${c.dim(`leader ${f.leader ?? '-'}${f.candidates.length > 1 ? `, candidates ${f.candidates.join(', ')} (split vote)` : ''}`)}`];
  const t0 = f.steps[0]?.t ?? 0;
  for (const s of f.steps) {
    lines.push(`  ${formatMicros(s.t).padStart(10)}  ${c.dim(`+${secs(s.t - t0)}`.padStart(9))}  ${s.step.padEnd(28)} ${s.by.padEnd(4)} ${c.dim(s.detail)}`);
  }
  if (f.allSwitchedUs !== null) lines.push(`  all ${f.sentinelsSwitched} Sentinels switched by ${formatMicros(f.allSwitchedUs)}`);
  else if (f.outcome === 'switched') lines.push(`  ${c.yellow(`${f.sentinelsSwitched} Sentinel(s) switched; the others still name ${f.from}`)}`);
  if (f.why !== null) lines.push(`  why ${f.to}: ${f.why}`);
  for (const o of f.clientOutages) {
    lines.push(`  ${o.client}: no writable master ${o.toUs === null ? `from ${formatMicros(o.fromUs)} to the end` : `for ${secs(o.toUs - o.fromUs)} (${formatMicros(o.fromUs)} – ${formatMicros(o.toUs)})`}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatClientWrites(result: RunResult, c: ChalkInstance): string {
  const w = result.clientWrites;
  if (!w) return '';
  const lines = [c.bold('client writes')];
  lines.push(`  ${w.written} sent, ${w.acknowledged} acknowledged (OK), ${w.failed} refused, ${w.indeterminate} without reply; final master ${w.finalMaster ?? '-'}`);
  const lost = w.lost === 0 ? c.green('0 acknowledged writes lost') : c.yellow(`${w.lost} acknowledged writes lost (${((100 * w.lost) / Math.max(1, w.acknowledged)).toFixed(1)}%)`);
  lines.push(`  ${lost}`);
  for (const [cause, n] of Object.entries(w.byCause) as Array<[SentinelLossCause, number]>) {
    const text = `${String(n).padStart(6)}  ${cause}: ${SENTINEL_LOSS_CAUSES[cause]}`;
    lines.push(cause === 'unexplained' ? c.red(text) : text);
  }
  for (const l of w.examples) lines.push(c.dim(`          e.g. ${l.key} (${l.client} → ${l.node}, OK at ${formatMicros(l.acknowledgedUs)}): ${l.story}`));
  if (w.lost > 0) lines.push(c.dim(`  the causes and what helps against each: ${LOST_WRITES_DOC}`));
  return `${lines.join('\n')}\n`;
}

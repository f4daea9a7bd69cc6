/**
 * Samples → the columns of `data.json` (one array per quantity, parallel to `tUs`), with
 * each replica's lag in bytes (its master's master_repl_offset minus its own) and in time:
 * how long ago its master's offset was where the replica's is now, read off the master's
 * own sampled offsets with linear interpolation between samples. Pure.
 */
import type { Micros } from '../engine/index.js';
import type { Sample } from './collector.js';
import type { NodeSeries, Series } from './report-data.js';

export function buildSeries(samples: readonly Sample[], nodeNames: readonly string[], sampleEveryUs: Micros): Series {
  const tUs = samples.map((s) => s.tUs);
  const nodes: Record<string, NodeSeries> = {};
  const replicaNames = new Set<string>();
  for (const s of samples) for (const n of Object.values(s.nodes)) for (const r of Object.keys(n.outputBuffer)) replicaNames.add(r);
  for (const name of nodeNames) {
    const col: NodeSeries = {
      role: [], offset: [], master: [], linkUp: [], lagBytes: [], lagUs: [], backlogFirst: [], backlogLast: [], outputBuffer: {}, inKernel: {},
    };
    const cobNames = [...replicaNames].filter((r) => samples.some((s) => s.nodes[name]?.outputBuffer[r] !== undefined));
    for (const r of cobNames) {
      col.outputBuffer[r] = [];
      col.inKernel[r] = [];
    }
    samples.forEach((s, i) => {
      const n = s.nodes[name]!;
      col.role.push(n.alive ? n.role : 'down');
      col.offset.push(n.offset);
      col.master.push(n.master);
      col.linkUp.push(n.linkUp);
      col.backlogFirst.push(n.alive ? n.backlogFirst : null);
      col.backlogLast.push(n.alive ? n.backlogLast : null);
      for (const r of cobNames) {
        col.outputBuffer[r]!.push(n.alive ? (n.outputBuffer[r] ?? null) : null);
        col.inKernel[r]!.push(n.alive ? (n.inKernel[r] ?? null) : null);
      }
      const m = n.master !== null ? s.nodes[n.master] : undefined;
      if (!n.alive || n.applied === null || m === undefined || !m.alive) {
        col.lagBytes.push(null);
        col.lagUs.push(null);
        return;
      }
      const lag = Math.max(0, m.offset - n.applied);
      col.lagBytes.push(lag);
      col.lagUs.push(lag === 0 ? 0 : timeBehind(samples, n.master!, n.applied, i));
    });
    nodes[name] = col;
  }
  return { sampleEveryUs, tUs, nodes };
}

/**
 * Time since `master` first had an offset ≥ `applied`, at sample i. Scans back to the last
 * sample where the master was still at or below it and interpolates the crossing; if the
 * master was beyond it from the first sample on, the lag is the whole time since then.
 */
export function timeBehind(samples: readonly Sample[], master: string, applied: number, i: number): Micros {
  const now = samples[i]!.tUs;
  for (let j = i; j >= 0; j--) {
    const mj = samples[j]!.nodes[master];
    if (!mj || !mj.alive || mj.offset > applied) continue;
    const next = samples[j + 1];
    const mk = next?.nodes[master];
    if (!next || !mk || mk.offset <= mj.offset) return now - samples[j]!.tUs;
    const frac = (applied - mj.offset) / (mk.offset - mj.offset);
    const crossed = samples[j]!.tUs + Math.round(frac * (next.tUs - samples[j]!.tUs));
    return Math.max(0, now - crossed);
  }
  return now - samples[0]!.tUs;
}

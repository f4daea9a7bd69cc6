/**
 * Sentinel agreement (the liveness half of sentinel.c: sentinelFailoverStateMachine, sentinelProcessHelloMessage, the +convert-to-slave and +fix-slave-config of sentinelRefreshInstanceInfo): once the faults are
 * over and the settle bound has passed (the Redis convergence bound plus the Sentinel one,
 * sentinel-facts.ts), there is exactly one master, every Sentinel is running and names it
 * with the same config epoch, and every other Redis node replicates from it with its link up.
 * Checked on the final state, which the fuzzer places past the bound.
 */
import { formatMicros } from '../engine/index.js';
import type { FinalState, History } from './history.js';
import { runBound } from './topology.js';
import { Findings, type CheckerResult } from './violation.js';

export function checkSentinelAgreement(h: History, f: FinalState): CheckerResult {
  const out = new Findings('sentinel-agreement', h.meta.seed);
  const facts = h.sentinel;
  if (facts === undefined) {
    out.note('not checked: no Sentinels');
    return out.result();
  }
  const q = h.meta.quietFromUs;
  if (q === null) {
    out.note('not checked: a fault never ends');
    return out.result();
  }
  const deadline = q + runBound(h, f).boundUs;
  if (f.t < deadline) {
    out.note(`not decided: the run ended ${formatMicros(deadline - f.t)} before the settle deadline (faults over at ${formatMicros(q)})`);
    return out.result();
  }
  const views = Object.entries(facts.views);
  const problems: Array<[string | null, string]> = [];
  const dead = views.filter(([, v]) => !v.alive).map(([n]) => n);
  if (dead.length > 0) problems.push([dead[0]!, `Sentinel(s) ${dead.join(', ')} not running`]);
  const live = views.filter(([, v]) => v.alive);
  const said = live.map(([n, v]) => `${n}: ${v.address ?? 'none'} epoch ${v.configEpoch ?? '?'}${v.flags.includes('down') ? ` (${v.flags})` : ''}`).join(', ');
  const addresses = new Set(live.map(([, v]) => v.address));
  const epochs = new Set(live.map(([, v]) => v.configEpoch));
  if (addresses.size > 1 || epochs.size > 1) problems.push([null, `the Sentinels disagree on ${facts.master}: ${said}`]);
  const address = live[0]?.[1].address ?? null;
  const master = address === null ? null : address.split(':')[0]!;
  if (address === null && live.length > 0) problems.push([live[0]![0], `${live[0]![0]} names no master for ${facts.master}`]);
  if (master !== null && addresses.size === 1) {
    const m = f.nodes[master];
    if (m === undefined) problems.push([null, `the Sentinels name ${address}, not a node of the cluster`]);
    else if (m.role !== 'master') problems.push([master, `the Sentinels name ${master}, which is ${m.alive ? `a replica of ${m.masterHost ?? '?'}` : 'down'}`]);
    for (const [name, n] of Object.entries(f.nodes)) {
      if (name === master) continue;
      if (n.role === 'master') problems.push([name, `${name} is a master too (the Sentinels name ${master})`]);
      else if (n.role === 'slave' && (n.masterHost !== master || n.link !== 'connected')) {
        problems.push([name, `${name} replicates from ${n.masterHost ?? '?'} (link ${n.link}), not from ${master}`]);
      } else if (n.role === 'down') problems.push([name, `${name} is down`]);
    }
  }
  for (const [node, msg] of problems) {
    out.violation(node, f.t, `${formatMicros(f.t - q)} after the faults ended (settle bound ${formatMicros(deadline - q)}): ${msg}`);
  }
  if (problems.length === 0) out.note(`one master, ${master ?? '?'}, named by every Sentinel in config epoch ${[...epochs][0] ?? '?'}`);
  return out.result();
}

/**
 * What happened to the Sentinel-aware clients' writes, and for every acknowledged write
 * (the SET was answered OK) missing at the end on the master the Sentinels name, which of
 * the documented ways (docs/lost-writes.md, Sentinel-aware clients) lost it. The checker accepts exactly
 * these causes; a loss none of them explains is `unexplained` — for a model of Redis and
 * Sentinel, a bug to report.
 *
 * The official master at time t is the monitored node until a failover's leader sees its
 * replica promoted (`+promoted-slave`: from then on it answers the new address), and so on.
 */
import type { Micros } from '../engine/index.js';
import type { Failover } from './failovers.js';
import { cutOff, type ClientWrite, type SentinelHistory } from './sentinel-history.js';

export const SENTINEL_LOSS_CAUSES = {
  'async-lag-at-promotion': 'acknowledged by the master, not yet on the replica that was promoted (asynchronous replication)',
  'minority-side-master': 'written to the old master cut off from the Sentinel majority and the new master (split brain)',
  'old-master-before-conversion': 'written to the old master after the switch, before +convert-to-slave made it a replica (returning or manually failed-over master)',
  'stale-discovery': 'a Sentinel still named the old master after the switch, and the client wrote there',
  'restart-without-persistence': 'the master restarted empty and kept its role; its replicas resynced the empty dataset',
  unexplained: 'none of the documented causes explains it',
} as const;

export type SentinelLossCause = keyof typeof SENTINEL_LOSS_CAUSES;

export interface LostClientWrite {
  client: string;
  key: string;
  node: string;
  acknowledgedUs: Micros;
  cause: SentinelLossCause;
  story: string;
}

export interface ClientWritesSummary {
  /** Writes sent by the Sentinel-aware clients. */
  written: number;
  /** Answered OK. */
  acknowledged: number;
  /** Answered with an error (-READONLY, -NOREPLICAS, …). */
  failed: number;
  /** No reply before the connection ended (or the run did): maybe applied, maybe not. */
  indeterminate: number;
  /** The master the Sentinels name at the end, where acknowledged writes must be. */
  finalMaster: string | null;
  /** Acknowledged writes missing there. */
  lost: number;
  byCause: Partial<Record<SentinelLossCause, number>>;
  /** The first lost writes (by acknowledgement time), at most 5, and every unexplained one (at most 20). */
  examples: LostClientWrite[];
}

interface Switch {
  /** When the new master was promoted (REPLICAOF NO ONE took effect): two masters from then on. */
  t: Micros;
  /** When the leader saw it (+promoted-slave) and began to give its address to clients. */
  announcedUs: Micros;
  from: string;
  to: string;
}

export function summarizeClientWrites(
  h: SentinelHistory,
  failovers: readonly Failover[],
  monitored: string,
  finalMaster: string | null,
  present: ReadonlySet<string>,
): ClientWritesSummary {
  return explainClientWrites(h, failovers, monitored, finalMaster, present).summary;
}

/**
 * The summary, and every lost acknowledged write with its cause (the summary keeps a few
 * examples; a report draws all of them on its timeline).
 */
export function explainClientWrites(
  h: SentinelHistory,
  failovers: readonly Failover[],
  monitored: string,
  finalMaster: string | null,
  present: ReadonlySet<string>,
): { summary: ClientWritesSummary; lost: LostClientWrite[] } {
  const switches: Switch[] = [];
  for (const f of failovers) {
    const promoted = f.steps.find((s) => s.step === '+promoted-slave');
    if (f.outcome !== 'switched' || f.to === null) continue;
    const announcedUs = (promoted ?? f.steps.find((s) => s.step === '+switch-master')!).t;
    // The Redis side of the promotion: the last replica.promoted of that node in this attempt,
    // before the leader saw it. None when SLAVEOF NO ONE found it a master already (an old
    // master not yet converted, picked by SENTINEL FAILOVER): then it is the leader's view.
    const startUs = f.steps.find((x) => x.step === '+try-failover')?.t ?? 0;
    let t = announcedUs;
    for (const r of h.faults) {
      if (r.t > announcedUs) break;
      if (r.kind === 'replica.promoted' && r.node === f.to && r.t >= startUs) t = r.t;
    }
    switches.push({ t, announcedUs, from: f.from, to: f.to });
  }
  switches.sort((a, b) => a.t - b.t);
  const official = (t: Micros): { node: string; since: Micros; announcedUs: Micros } => {
    let node = monitored;
    let since = 0;
    let announcedUs = 0;
    for (const s of switches) if (s.t <= t) ({ to: node, t: since, announcedUs } = s);
    return { node, since, announcedUs };
  };
  const s: ClientWritesSummary = { written: h.writes.length, acknowledged: 0, failed: 0, indeterminate: 0, finalMaster, lost: 0, byCause: {}, examples: [] };
  const unexplained: LostClientWrite[] = [];
  const lost: LostClientWrite[] = [];
  /** Every lost write, in the order they were sent. */
  const all: LostClientWrite[] = [];
  for (const w of h.writes) {
    if (w.reply === 'OK') s.acknowledged++;
    else if (w.reply === null || w.reply === 'no reply') s.indeterminate++;
    else s.failed++;
    if (w.reply !== 'OK' || finalMaster === null || present.has(w.key)) continue;
    const l = explain(h, w, official, switches);
    s.lost++;
    s.byCause[l.cause] = (s.byCause[l.cause] ?? 0) + 1;
    (l.cause === 'unexplained' ? unexplained : lost).push(l);
    all.push(l);
  }
  s.examples = [...lost.slice(0, 5), ...unexplained.slice(0, 20)];
  return { summary: s, lost: all };
}

function explain(h: SentinelHistory, w: ClientWrite, official: (t: Micros) => { node: string; since: Micros; announcedUs: Micros }, switches: readonly Switch[]): LostClientWrite {
  const tc = w.completedUs!;
  const base = { client: w.client, key: w.key, node: w.node, acknowledgedUs: tc };
  const at = (t: Micros): string => `${(t / 1e6).toFixed(3)}s`;
  const o = official(tc);
  const nextSwitch = switches.find((x) => x.t >= w.invokedUs && x.from === w.node);
  const restart = h.lacking.find((l) => l.kind === 'restart' && l.node === w.node && l.t >= tc && l.keys.has(w.key));
  if (restart && (!nextSwitch || restart.t < nextSwitch.t)) {
    return { ...base, cause: 'restart-without-persistence', story: `${w.node} restarted at ${at(restart.t)} without it, still the master` };
  }
  if (o.node === w.node) {
    if (nextSwitch) {
      const promoted = h.lacking.find((l) => l.kind === 'promoted' && l.node === nextSwitch.to && l.t >= w.invokedUs && l.keys.has(w.key));
      if (promoted) {
        return cutOff(h.faults, w.node, nextSwitch.to, tc)
          ? { ...base, cause: 'minority-side-master', story: `acknowledged by ${w.node} while cut off from ${nextSwitch.to}, which was promoted at ${at(promoted.t)} without it` }
          : { ...base, cause: 'async-lag-at-promotion', story: `${nextSwitch.to} was promoted at ${at(promoted.t)} before it had replicated it` };
      }
    }
    return { ...base, cause: 'unexplained', story: `acknowledged by ${w.node}, the master then, and missing at the end` };
  }
  const discovery = [...h.discoveries].reverse().find((d) => d.client === w.client && d.t <= w.invokedUs && d.address !== '');
  if (discovery && discovery.t >= o.announcedUs && discovery.address.split(':')[0] === w.node) {
    return { ...base, cause: 'stale-discovery', story: `${discovery.sentinel} still named ${w.node} at ${at(discovery.t)}, after the switch to ${o.node} at ${at(o.since)}` };
  }
  if (cutOff(h.faults, w.node, o.node, tc)) {
    return { ...base, cause: 'minority-side-master', story: `acknowledged by ${w.node} on the minority side, after ${o.node} took over at ${at(o.since)}` };
  }
  return { ...base, cause: 'old-master-before-conversion', story: `acknowledged by ${w.node} after the switch to ${o.node} at ${at(o.since)}, before it was converted to a replica` };
}

/**
 * The answers a run with Sentinels gives (scenarios/FORMAT.md "Answers"): one section per failover
 * attempt (sim/check/failovers.ts) and what happened to the Sentinel-aware clients' writes,
 * each lost acknowledged write with its cause (sim/check/sentinel-losses.ts, docs/lost-writes.md), judged on
 * the master the Sentinels name at the end.
 */
import { findFailovers, type Failover } from '../check/index.js';
import type { SentinelHistory } from '../check/index.js';
import { explainClientWrites, type ClientWritesSummary, type LostClientWrite } from '../check/index.js';
import type { Scenario } from './scenario.js';
import type { World } from './world.js';

export interface SentinelAnswers {
  failovers: Failover[];
  clientWrites?: ClientWritesSummary;
  /** Every lost acknowledged write (clientWrites keeps a few examples): for a RunObserver, not the RunResult. */
  lostWrites?: LostClientWrite[];
}

/** The node most live Sentinels name as the master of `name` (ties: the first Sentinel's). */
export function agreedMaster(w: World, name: string): string | null {
  const votes = new Map<string, number>();
  for (const s of w.sentinels.values()) {
    const a = s.masterAddress(name);
    if (a !== null) votes.set(a.host, (votes.get(a.host) ?? 0) + 1);
  }
  let best: string | null = null;
  let n = 0;
  for (const [host, c] of votes) if (c > n) [best, n] = [host, c];
  return best;
}

export function sentinelAnswers(w: World, scenario: Scenario, h: SentinelHistory): SentinelAnswers {
  const failovers = findFailovers(h, w.sentinels.size);
  const out: SentinelAnswers = { failovers };
  const clients = scenario.sentinelClients ?? [];
  if (clients.length === 0) return out;
  const master = clients[0]!.master;
  const monitored = scenario.sentinels![0]!.config.masters.find((m) => m.name === master)!.host;
  const finalMaster = agreedMaster(w, master);
  const present = new Set<string>();
  const srv = finalMaster === null ? undefined : w.servers.get(finalMaster);
  if (srv?.alive) {
    for (const x of h.writes) {
      if (x.reply !== 'OK') continue;
      const db = clients.find((c) => c.host === x.client)?.db ?? 0;
      const v = srv.keyspace.get(db, x.key);
      if (v !== undefined && String(v) === x.value) present.add(x.key);
    }
  }
  const { summary, lost } = explainClientWrites(h, failovers, monitored, srv?.alive ? finalMaster : null, present);
  out.clientWrites = summary;
  out.lostWrites = lost;
  return out;
}

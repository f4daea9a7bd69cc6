/**
 * Each Sentinel at the end of a run: its SENTINEL MASTER fields per monitored master (plus
 * the address it gives clients, GET-MASTER-ADDR-BY-NAME), myid, current epoch and TILT, as
 * `nodes.<name>` of `run --json` reports them, the event counts expectations compare, and
 * the facts the Sentinel checkers read.
 */
import type { SentinelEventLog } from '../check/index.js';
import type { ClientWritesSummary, SentinelFacts, SentinelHistory, SentinelView } from '../check/index.js';
import { sentinelSettings } from './invariants.js';
import type { Scenario } from './scenario.js';
import type { World } from './world.js';
import type { SentinelProcess } from '../sentinel/index.js';
import type { NodeReport } from './result.js';
import type { SentinelFinal } from './sentinel-expect.js';

/** What `nodes.<sentinel>.sentinel` holds in the JSON. */
export interface SentinelNodeReport {
  alive: boolean;
  myid: string;
  currentEpoch: number;
  tilt: boolean;
  /** Per master name: the SENTINEL MASTER fields (Redis's names, values as Redis prints them) and `address` (host:port). */
  masters: Record<string, Record<string, string>>;
}

export function sentinelMasters(s: SentinelProcess, names: readonly string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  if (!s.alive) return out;
  for (const name of names) {
    const fields = s.masterState(name);
    if (fields === null) continue;
    const a = s.masterAddress(name);
    out[name] = { ...fields, address: a === null ? '' : `${a.host}:${a.port}` };
  }
  return out;
}

export function sentinelFinal(s: SentinelProcess, names: readonly string[], log: SentinelEventLog): SentinelFinal {
  return { alive: s.alive, masters: sentinelMasters(s, names), events: log.counts(s.name) };
}

/** A Sentinel in the `nodes` map: INFO says role sentinel; the replication fields are empty. */
export function sentinelNodeReport(s: SentinelProcess, final: SentinelFinal): NodeReport {
  return {
    info: { role: s.alive ? 'sentinel' : 'down', redis_mode: 'sentinel' },
    stats: {},
    persistence: {},
    dbsize: 0,
    digest: '',
    keys: 0,
    sentinel: { alive: s.alive, myid: s.myid, currentEpoch: s.currentEpoch, tilt: s.tilt, masters: final.masters },
  };
}

/** What the Sentinel checkers read (sim/check/sentinel-facts.ts), for the first monitored master. */
export function sentinelFacts(w: World, scenario: Scenario, history: SentinelHistory, clientWrites: ClientWritesSummary | undefined): SentinelFacts | undefined {
  const master = scenario.sentinels?.[0]?.config.masters[0];
  const settings = sentinelSettings(scenario);
  if (master === undefined || settings === null) return undefined;
  const views: Record<string, SentinelView> = {};
  for (const [name, s] of w.sentinels) {
    const fields = s.alive ? s.masterState(master.name) : null;
    const a = s.alive ? s.masterAddress(master.name) : null;
    views[name] = {
      alive: s.alive,
      myid: s.myid,
      address: a === null ? null : `${a.host}:${a.port}`,
      configEpoch: fields === null ? null : Number(fields['config-epoch']),
      flags: fields?.['flags'] ?? '',
    };
  }
  return { master: master.name, quorum: master.quorum, views, settings, history, ...(clientWrites ? { clientWrites } : {}) };
}

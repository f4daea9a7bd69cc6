/**
 * Each Sentinel at the end of a run: its SENTINEL MASTER fields per monitored master (plus
 * the address it gives clients, GET-MASTER-ADDR-BY-NAME), myid, current epoch and TILT, as
 * `nodes.<name>` of `run --json` reports them, and the event counts expectations compare.
 */
import type { SentinelEventLog } from '../check/index.js';
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

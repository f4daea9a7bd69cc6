/**
 * The instance tables: createSentinelRedisInstance for masters, replicas and Sentinels,
 * releaseInstance, sentinelResetMaster, sentinelResetMasterAndChangeAddress and
 * sentinelResetMastersByPattern (SENTINEL RESET).
 */
import { stringMatch } from '../redis/protocol/index.js';
import type { SentinelMasterConfig } from './config.js';
import { sentinelEvent } from './events.js';
import {
  FAILOVER_STATE_NONE,
  SRI_MASTER,
  SRI_SENTINEL,
  SRI_SLAVE,
  SentinelRedisInstance,
  replicaKey,
} from './instance.js';
import { InstanceLink } from './link.js';
import type { SentinelProcess } from './sentinel.js';

/** `sentinel monitor` / SENTINEL MONITOR: event `+monitor %@ quorum <q>`. */
export function createMaster(s: SentinelProcess, c: SentinelMasterConfig, now: number): SentinelRedisInstance {
  const m = new SentinelRedisInstance(SRI_MASTER, c.name, c.host, c.port, null, new InstanceLink(now), now);
  m.quorum = c.quorum;
  m.downAfterPeriod = c.downAfterMs;
  m.failoverTimeout = c.failoverTimeoutMs;
  m.parallelSyncs = c.parallelSyncs;
  m.authPass = c.authPass ?? null;
  m.authUser = c.authUser ?? null;
  m.masterRebootDownAfterPeriod = c.masterRebootDownAfterPeriodMs;
  s.masters.set(c.name, m);
  sentinelEvent(s, 'warning', '+monitor', m, `quorum ${m.quorum}`);
  return m;
}

/** A replica discovered from INFO (or re-created at a switch); null if it already exists. */
export function createSlave(s: SentinelProcess, m: SentinelRedisInstance, host: string, port: number, now: number): SentinelRedisInstance | null {
  const key = replicaKey(host, port);
  if (m.slaves.has(key)) return null;
  const r = new SentinelRedisInstance(SRI_SLAVE, key, host, port, m, new InstanceLink(now), now);
  m.slaves.set(key, r);
  return r;
}

/** A Sentinel discovered from a hello, named by its runid. */
export function createSentinel(
  s: SentinelProcess,
  m: SentinelRedisInstance,
  host: string,
  port: number,
  runid: string,
  now: number,
): SentinelRedisInstance {
  const ri = new SentinelRedisInstance(SRI_SENTINEL, runid, host, port, m, new InstanceLink(now), now);
  ri.runid = runid;
  m.sentinels.set(runid, ri);
  return ri;
}

export function releaseInstance(ri: SentinelRedisInstance): void {
  ri.link.release();
}

/**
 * sentinelResetMaster: drop replicas (and Sentinels unless kept), close the master's links,
 * back to a plain monitored master. config_epoch, leader_epoch and info_refresh survive.
 */
export function sentinelResetMaster(m: SentinelRedisInstance, keepSentinels: boolean, now: number): void {
  for (const r of m.slaves.values()) releaseInstance(r);
  m.slaves.clear();
  if (!keepSentinels) {
    for (const r of m.sentinels.values()) releaseInstance(r);
    m.sentinels.clear();
  }
  m.link.release();
  m.flags &= SRI_MASTER;
  m.leader = null;
  m.failoverState = FAILOVER_STATE_NONE;
  m.failoverStateChangeTime = 0;
  m.failoverStartTime = 0;
  m.promotedSlave = null;
  m.runid = null;
  m.info = null;
  const link = m.link;
  link.actPingTime = now;
  link.lastPingTime = 0;
  link.lastAvailTime = now;
  link.lastPongTime = now;
  m.roleReported = 'master';
  m.roleReportedTime = now;
}

/**
 * sentinelResetMasterAndChangeAddress: remember the replicas (minus the new master, plus the
 * old master), reset, move to the new address, re-create the replicas (`+slave` each), flush.
 */
export function sentinelResetMasterAndChangeAddress(
  s: SentinelProcess,
  m: SentinelRedisInstance,
  host: string,
  port: number,
  now: number,
): void {
  const keep: Array<[string, number]> = [];
  for (const r of m.slaves.values()) {
    if (r.host === host && r.port === port) continue;
    keep.push([r.host, r.port]);
  }
  if (!(m.host === host && m.port === port)) keep.push([m.host, m.port]);
  sentinelResetMaster(m, true, now);
  m.host = host;
  m.port = port;
  m.sDownSinceTime = 0;
  m.oDownSinceTime = 0;
  for (const [h, p] of keep) {
    const r = createSlave(s, m, h, p, now);
    if (r !== null) sentinelEvent(s, 'notice', '+slave', r);
  }
  s.flushConfig();
}

/** SENTINEL RESET <pattern>: full reset (Sentinels too), `+reset-master`; returns the count. */
export function sentinelResetMastersByPattern(s: SentinelProcess, pattern: string, now: number): number {
  let n = 0;
  for (const m of s.masters.values()) {
    if (!stringMatch(pattern, m.name)) continue;
    sentinelResetMaster(m, false, now);
    sentinelEvent(s, 'warning', '+reset-master', m);
    n++;
  }
  // SENTINEL RESET does not flush the config file (sentinelCommand "reset").
  return n;
}

/** The down-after of a master is copied to its replicas and Sentinels on every change. */
export function propagateDownAfterPeriod(m: SentinelRedisInstance): void {
  for (const r of m.slaves.values()) r.downAfterPeriod = m.downAfterPeriod;
  for (const r of m.sentinels.values()) r.downAfterPeriod = m.downAfterPeriod;
}

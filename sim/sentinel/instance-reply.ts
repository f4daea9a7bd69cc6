/**
 * addReplySentinelRedisInstance: the field list of SENTINEL MASTER / MASTERS / REPLICAS /
 * SENTINELS, in Redis's order, with times as "ms ago". Also what masterState() returns.
 */
import { array, bulk, type Reply } from '../redis/protocol/index.js';
import {
  FAILOVER_STATE_NAMES,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_MASTER,
  SRI_O_DOWN,
  SRI_SLAVE,
  SRI_S_DOWN,
  flagsString,
  type SentinelRedisInstance,
} from './instance.js';
import type { SentinelProcess } from './sentinel.js';

export function instanceFields(_s: SentinelProcess, ri: SentinelRedisInstance, now: number): Array<[string, string]> {
  const link = ri.link;
  const f: Array<[string, string]> = [
    ['name', ri.name],
    ['ip', ri.host],
    ['port', String(ri.port)],
    ['runid', ri.runid ?? ''],
    ['flags', flagsString(ri)],
    ['link-pending-commands', String(link.pendingCommands)],
    ['link-refcount', String(link.refcount)],
  ];
  if (ri.flags & SRI_FAILOVER_IN_PROGRESS) f.push(['failover-state', FAILOVER_STATE_NAMES[ri.failoverState]!]);
  f.push(['last-ping-sent', String(link.actPingTime ? now - link.actPingTime : 0)]);
  f.push(['last-ok-ping-reply', String(now - link.lastAvailTime)]);
  f.push(['last-ping-reply', String(now - link.lastPongTime)]);
  if (ri.flags & SRI_S_DOWN) f.push(['s-down-time', String(now - ri.sDownSinceTime)]);
  if (ri.flags & SRI_O_DOWN) f.push(['o-down-time', String(now - ri.oDownSinceTime)]);
  f.push(['down-after-milliseconds', String(ri.downAfterPeriod)]);
  if (ri.flags & (SRI_MASTER | SRI_SLAVE)) {
    f.push(['info-refresh', String(ri.infoRefresh ? now - ri.infoRefresh : 0)]);
    f.push(['role-reported', ri.roleReported]);
    f.push(['role-reported-time', String(now - ri.roleReportedTime)]);
  }
  if (ri.flags & SRI_MASTER) {
    f.push(['config-epoch', String(ri.configEpoch)]);
    f.push(['num-slaves', String(ri.slaves.size)]);
    f.push(['num-other-sentinels', String(ri.sentinels.size)]);
    f.push(['quorum', String(ri.quorum)]);
    f.push(['failover-timeout', String(ri.failoverTimeout)]);
    f.push(['parallel-syncs', String(ri.parallelSyncs)]);
  } else if (ri.flags & SRI_SLAVE) {
    f.push(['master-link-down-time', String(ri.masterLinkDownTime)]);
    f.push(['master-link-status', ri.slaveMasterLinkStatusUp ? 'ok' : 'err']);
    f.push(['master-host', ri.slaveMasterHost ?? '?']);
    f.push(['master-port', String(ri.slaveMasterPort)]);
    f.push(['slave-priority', String(ri.slavePriority)]);
    f.push(['slave-repl-offset', String(ri.slaveReplOffset)]);
    f.push(['replica-announced', String(ri.replicaAnnounced)]);
  } else {
    f.push(['last-hello-message', String(now - ri.lastHelloTime)]);
    f.push(['voted-leader', ri.leader ?? '?']);
    f.push(['voted-leader-epoch', String(ri.leaderEpoch)]);
  }
  return f;
}

/** SENTINEL MASTER's fields (the scenario layer's view of a master). */
export function masterFields(s: SentinelProcess, m: SentinelRedisInstance, now: number): Array<[string, string]> {
  return instanceFields(s, m, now);
}

/** RESP2: a flat array of bulk strings, name then value. */
export function instanceReply(s: SentinelProcess, ri: SentinelRedisInstance, now: number): Reply {
  const items: Reply[] = [];
  for (const [k, v] of instanceFields(s, ri, now)) items.push(bulk(k), bulk(v));
  return array(items);
}

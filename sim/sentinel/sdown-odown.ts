/**
 * Failure detection: sentinelCheckSubjectivelyDown (with the idle-link closing at its top),
 * sentinelCheckObjectivelyDown, sentinelAskMasterStateToOtherSentinels (SENTINEL
 * is-master-down-by-addr, also the vote request once a failover runs) and
 * sentinelReceiveIsMasterDownReply.
 */
import type { Reply } from '../redis/protocol/index.js';
import { sentinelEvent } from './events.js';
import {
  FAILOVER_STATE_NONE,
  SRI_MASTER,
  SRI_MASTER_DOWN,
  SRI_MASTER_REBOOT,
  SRI_O_DOWN,
  SRI_SCRIPT_KILL_SENT,
  SRI_S_DOWN,
  type SentinelRedisInstance,
} from './instance.js';
import type { SentinelProcess } from './sentinel.js';

export function sentinelCheckSubjectivelyDown(s: SentinelProcess, ri: SentinelRedisInstance, now: number): void {
  const link = ri.link;
  const t = s.timings;
  const elapsed = link.actPingTime !== 0 ? now - link.actPingTime : link.disconnected ? now - link.lastAvailTime : 0;
  const halfDown = Math.trunc(ri.downAfterPeriod / 2);
  // A command link with PINGs unanswered for half down-after (and old enough) is closed:
  // the instance may be fine and only this connection broken.
  if (
    link.cc !== null &&
    now - link.ccConnTime > t.minLinkReconnectPeriodMs &&
    link.actPingTime !== 0 &&
    now - link.actPingTime > halfDown &&
    now - link.lastPongTime > halfDown
  ) {
    link.closeConnection('cc');
  }
  // A pub/sub link silent for three hello periods (we hear our own hellos there) is closed.
  if (link.pc !== null && now - link.pcConnTime > t.minLinkReconnectPeriodMs && now - link.pcLastActivity > t.publishPeriodMs * 3) {
    link.closeConnection('pc');
  }
  if (
    elapsed > ri.downAfterPeriod ||
    (ri.flags & SRI_MASTER && ri.roleReported === 'slave' && now - ri.roleReportedTime > ri.downAfterPeriod + t.infoPeriodMs * 2) ||
    (ri.flags & SRI_MASTER_REBOOT && now - ri.masterRebootSinceTime > ri.masterRebootDownAfterPeriod)
  ) {
    if (!(ri.flags & SRI_S_DOWN)) {
      sentinelEvent(s, 'warning', '+sdown', ri);
      ri.sDownSinceTime = now;
      ri.flags |= SRI_S_DOWN;
    }
  } else if (ri.flags & SRI_S_DOWN) {
    sentinelEvent(s, 'warning', '-sdown', ri);
    ri.flags &= ~(SRI_S_DOWN | SRI_SCRIPT_KILL_SENT);
  }
}

/** ODOWN: SDOWN here plus enough Sentinels that said "down" within the last 5 s. */
export function sentinelCheckObjectivelyDown(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  let quorum = 0;
  let odown = false;
  if (m.flags & SRI_S_DOWN) {
    quorum = 1;
    for (const si of m.sentinels.values()) if (si.flags & SRI_MASTER_DOWN) quorum++;
    if (quorum >= m.quorum) odown = true;
  }
  if (odown) {
    if (!(m.flags & SRI_O_DOWN)) {
      sentinelEvent(s, 'warning', '+odown', m, `#quorum ${quorum}/${m.quorum}`);
      m.flags |= SRI_O_DOWN;
      m.oDownSinceTime = now;
    }
  } else if (m.flags & SRI_O_DOWN) {
    sentinelEvent(s, 'warning', '-odown', m);
    m.flags &= ~SRI_O_DOWN;
  }
}

export function sentinelAskMasterStateToOtherSentinels(s: SentinelProcess, m: SentinelRedisInstance, now: number, forced: boolean): void {
  const askPeriod = s.timings.askPeriodMs;
  for (const si of m.sentinels.values()) {
    // Stale answers expire: a Sentinel that stopped answering no longer says "down".
    if (now - si.lastMasterDownReplyTime > askPeriod * 5) {
      si.flags &= ~SRI_MASTER_DOWN;
      si.leader = null;
    }
    if (!(m.flags & SRI_S_DOWN)) continue;
    if (si.link.disconnected) continue;
    if (!forced && now - si.lastMasterDownReplyTime < askPeriod) continue;
    const runid = m.failoverState > FAILOVER_STATE_NONE ? s.myid : '*';
    si.link.command(
      s,
      si,
      ['SENTINEL', 'is-master-down-by-addr', m.host, String(m.port), String(s.currentEpoch), runid],
      sentinelReceiveIsMasterDownReply,
    );
  }
}

/** sentinelReceiveIsMasterDownReply: only a well-formed [int, string, int] reply counts. */
function sentinelReceiveIsMasterDownReply(s: SentinelProcess, si: SentinelRedisInstance, r: Reply): void {
  si.link.pendingCommands--;
  if (r.type !== 'array' || r.items === null || r.items.length !== 3) return;
  const [down, leader, epoch] = r.items as [Reply, Reply, Reply];
  if (down.type !== 'int' || leader.type !== 'bulk' || leader.value === null || epoch.type !== 'int') return;
  si.lastMasterDownReplyTime = s.mstime();
  if (down.value === 1) si.flags |= SRI_MASTER_DOWN;
  else si.flags &= ~SRI_MASTER_DOWN;
  if (leader.value !== '*') {
    si.leader = leader.value;
    si.leaderEpoch = epoch.value;
  }
}

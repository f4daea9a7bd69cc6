/**
 * The failover state machine (sentinelFailoverStateMachine) and its steps:
 * sentinelStartFailoverIfNeeded / sentinelStartFailover, WAIT_START (election, or forced),
 * SELECT_SLAVE, SEND_SLAVEOF_NOONE, WAIT_PROMOTION (promotion itself is seen in INFO,
 * info-parse.ts), RECONF_SLAVES (sentinelFailoverReconfNextSlave + sentinelFailoverDetectEnd),
 * UPDATE_CONFIG (sentinelFailoverSwitchToPromotedSlave) and sentinelAbortFailover.
 *
 * The five uses of failover-timeout: the 2× retry gate (sentinelStartFailoverIfNeeded), the
 * election cap (WAIT_START), SEND_SLAVEOF_NOONE and WAIT_PROMOTION aborts, the forced end of
 * RECONF_SLAVES, and fix-slave-config (info-parse.ts).
 */
import { simAssert } from '../engine/index.js';
import { SENTINEL_MAX_DESYNC, sentinelGetLeader } from './election.js';
import { sentinelEvent } from './events.js';
import {
  FAILOVER_STATE_NONE,
  FAILOVER_STATE_RECONF_SLAVES,
  FAILOVER_STATE_SELECT_SLAVE,
  FAILOVER_STATE_SEND_SLAVEOF_NOONE,
  FAILOVER_STATE_UPDATE_CONFIG,
  FAILOVER_STATE_WAIT_PROMOTION,
  FAILOVER_STATE_WAIT_START,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_FORCE_FAILOVER,
  SRI_MASTER,
  SRI_O_DOWN,
  SRI_PROMOTED,
  SRI_RECONF_DONE,
  SRI_RECONF_INPROG,
  SRI_RECONF_SENT,
  SRI_S_DOWN,
  type SentinelRedisInstance,
} from './instance.js';
import { sentinelResetMasterAndChangeAddress } from './registry.js';
import { sentinelSelectSlave } from './select-replica.js';
import type { SentinelProcess } from './sentinel.js';
import { SENTINEL_SIMFAILURE_CRASH_AFTER_ELECTION, sentinelSimFailureCrash } from './simulate-failure.js';
import { sentinelSendSlaveOf } from './slaveof.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

/** ODOWN, no failover running, and 2 × failover-timeout since our last start (or vote for another). */
export function sentinelStartFailoverIfNeeded(s: SentinelProcess, m: SentinelRedisInstance, now: number): boolean {
  if (!(m.flags & SRI_O_DOWN)) return false;
  if (m.flags & SRI_FAILOVER_IN_PROGRESS) return false;
  if (now - m.failoverStartTime < m.failoverTimeout * 2) {
    if (m.failoverDelayLogged !== m.failoverStartTime) {
      m.failoverDelayLogged = m.failoverStartTime;
      s.sim.record('sentinel.log', s.name, {
        msg: `Next failover delay: I will not start a failover before ${m.failoverStartTime + m.failoverTimeout * 2}`,
      });
    }
    return false;
  }
  sentinelStartFailover(s, m, now);
  return true;
}

/** New epoch, WAIT_START; failover_start_time shifted by rand()%1000 (no wait in 7.0.15). */
export function sentinelStartFailover(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  m.failoverState = FAILOVER_STATE_WAIT_START;
  m.flags |= SRI_FAILOVER_IN_PROGRESS;
  m.failoverEpoch = ++s.currentEpoch;
  sentinelEvent(s, 'warning', '+new-epoch', null, String(s.currentEpoch));
  sentinelEvent(s, 'warning', '+try-failover', m);
  m.failoverStartTime = now + s.rng.int(0, SENTINEL_MAX_DESYNC - 1);
  m.failoverStateChangeTime = now;
}

export function sentinelFailoverStateMachine(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  if (!(m.flags & SRI_MASTER) || !(m.flags & SRI_FAILOVER_IN_PROGRESS)) return;
  switch (m.failoverState) {
    case FAILOVER_STATE_WAIT_START:
      return sentinelFailoverWaitStart(s, m, now);
    case FAILOVER_STATE_SELECT_SLAVE:
      return sentinelFailoverSelectSlave(s, m, now);
    case FAILOVER_STATE_SEND_SLAVEOF_NOONE:
      return sentinelFailoverSendSlaveOfNoOne(s, m, now);
    case FAILOVER_STATE_WAIT_PROMOTION:
      return sentinelFailoverWaitPromotion(s, m, now);
    case FAILOVER_STATE_RECONF_SLAVES:
      return sentinelFailoverReconfNextSlave(s, m, now);
  }
}

function setState(m: SentinelRedisInstance, state: number, now: number): void {
  m.failoverState = state;
  m.failoverStateChangeTime = now;
}

function sentinelFailoverWaitStart(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  const leader = sentinelGetLeader(s, m, m.failoverEpoch, now);
  const isLeader = leader !== null && leader.toLowerCase() === s.myid.toLowerCase();
  if (!isLeader && !(m.flags & SRI_FORCE_FAILOVER)) {
    const electionTimeout = Math.min(s.timings.electionTimeoutMs, m.failoverTimeout);
    if (now - m.failoverStartTime > electionTimeout) {
      sentinelEvent(s, 'warning', '-failover-abort-not-elected', m);
      sentinelAbortFailover(m, now);
    }
    return;
  }
  sentinelEvent(s, 'warning', '+elected-leader', m);
  if (s.simfailureFlags & SENTINEL_SIMFAILURE_CRASH_AFTER_ELECTION) return sentinelSimFailureCrash(s);
  setState(m, FAILOVER_STATE_SELECT_SLAVE, now);
  sentinelEvent(s, 'warning', '+failover-state-select-slave', m);
}

function sentinelFailoverSelectSlave(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  const slave = sentinelSelectSlave(s, m, now);
  if (slave === null) {
    sentinelEvent(s, 'warning', '-failover-abort-no-good-slave', m);
    sentinelAbortFailover(m, now);
    return;
  }
  sentinelEvent(s, 'warning', '+selected-slave', slave);
  slave.flags |= SRI_PROMOTED;
  m.promotedSlave = slave;
  setState(m, FAILOVER_STATE_SEND_SLAVEOF_NOONE, now);
  sentinelEvent(s, 'notice', '+failover-state-send-slaveof-noone', slave);
}

function sentinelFailoverSendSlaveOfNoOne(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  const p = m.promotedSlave!;
  // An unreachable promoted replica is waited for, up to failover-timeout in this state.
  if (p.link.disconnected) {
    if (now - m.failoverStateChangeTime > m.failoverTimeout) {
      sentinelEvent(s, 'warning', '-failover-abort-slave-timeout', m);
      sentinelAbortFailover(m, now);
    }
    return;
  }
  if (!sentinelSendSlaveOf(s, p, null, 0)) return;
  sentinelEvent(s, 'notice', '+failover-state-wait-promotion', p);
  setState(m, FAILOVER_STATE_WAIT_PROMOTION, now);
}

/** Only the timeout lives here: the promotion is noticed by the replica's INFO. */
function sentinelFailoverWaitPromotion(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  if (now - m.failoverStateChangeTime > m.failoverTimeout) {
    sentinelEvent(s, 'warning', '-failover-abort-slave-timeout', m);
    sentinelAbortFailover(m, now);
  }
}

/** sentinelAbortFailover: legal only up to WAIT_PROMOTION; failover_start_time is kept (retry gate). */
export function sentinelAbortFailover(m: SentinelRedisInstance, now: number): void {
  if (m.failoverState > FAILOVER_STATE_WAIT_PROMOTION) throw new Error(`sentinel: abort of a failover in state ${m.failoverState}`);
  m.flags &= ~(SRI_FAILOVER_IN_PROGRESS | SRI_FORCE_FAILOVER);
  setState(m, FAILOVER_STATE_NONE, now);
  if (m.promotedSlave !== null) {
    m.promotedSlave.flags &= ~SRI_PROMOTED;
    m.promotedSlave = null;
  }
}

/** Up to parallel-syncs replicas at a time get SLAVEOF <promoted>; then DetectEnd. */
function sentinelFailoverReconfNextSlave(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  const p = m.promotedSlave!;
  let inProgress = 0;
  for (const r of m.slaves.values()) if (r.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) inProgress++;
  for (const r of m.slaves.values()) {
    if (inProgress >= m.parallelSyncs) break;
    if (r.flags & (SRI_PROMOTED | SRI_RECONF_DONE)) continue;
    if (r.flags & SRI_RECONF_SENT && now - r.slaveReconfSentTime > s.timings.slaveReconfTimeoutMs) {
      sentinelEvent(s, 'notice', '-slave-reconf-sent-timeout', r);
      r.flags = (r.flags & ~SRI_RECONF_SENT) | SRI_RECONF_DONE;
    }
    if (r.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) continue;
    if (r.link.disconnected) continue;
    if (sentinelSendSlaveOf(s, r, p.host, p.port)) {
      r.flags |= SRI_RECONF_SENT;
      r.slaveReconfSentTime = now;
      sentinelEvent(s, 'notice', '+slave-reconf-sent', r);
      inProgress++;
    }
  }
  sentinelFailoverDetectEnd(s, m, now);
}

function sentinelFailoverDetectEnd(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  const p = m.promotedSlave;
  // A promoted replica that went down stops the failover here: no end, no timeout either.
  if (p === null || p.flags & SRI_S_DOWN) return;
  let notReconfigured = 0;
  for (const r of m.slaves.values()) {
    if (r.flags & (SRI_PROMOTED | SRI_RECONF_DONE)) continue;
    if (r.flags & SRI_S_DOWN) continue;
    notReconfigured++;
  }
  let timeout = false;
  if (now - m.failoverStateChangeTime > m.failoverTimeout) {
    notReconfigured = 0;
    timeout = true;
    sentinelEvent(s, 'warning', '+failover-end-for-timeout', m);
  }
  if (notReconfigured === 0) {
    sentinelEvent(s, 'warning', '+failover-end', m);
    setState(m, FAILOVER_STATE_UPDATE_CONFIG, now);
  }
  if (timeout) {
    // Best effort: tell every replica not yet told.
    for (const r of m.slaves.values()) {
      if (r.flags & (SRI_PROMOTED | SRI_RECONF_DONE | SRI_RECONF_SENT)) continue;
      if (r.link.disconnected) continue;
      if (sentinelSendSlaveOf(s, r, p.host, p.port)) {
        sentinelEvent(s, 'notice', '+slave-reconf-sent-be', r);
        r.flags |= SRI_RECONF_SENT;
      }
    }
  }
}

/** UPDATE_CONFIG, at the end of the tick: +switch-master and the master moves to the promoted replica. */
export function sentinelFailoverSwitchToPromotedSlave(s: SentinelProcess, m: SentinelRedisInstance, now: number): void {
  simAssert(m.failoverState === FAILOVER_STATE_UPDATE_CONFIG, s.sim, 'switch outside UPDATE_CONFIG');
  const ref = m.promotedSlave ?? m;
  sentinelEvent(s, 'warning', '+switch-master', null, `${m.name} ${m.host} ${m.port} ${ref.host} ${ref.port}`);
  sentinelResetMasterAndChangeAddress(s, m, ref.host, ref.port, now);
}

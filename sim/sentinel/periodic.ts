/**
 * sentinelSendPeriodicCommands and the reply callbacks of what it sends
 * (sentinelPingReplyCallback, sentinelInfoReplyCallback). Runs every tick for every
 * instance, TILT included, so it allocates nothing when there is nothing to send.
 */
import type { Reply } from '../redis/protocol/index.js';
import { SENTINEL_MAX_PENDING_COMMANDS } from './config.js';
import { sentinelSendHello } from './hello.js';
import { sentinelRefreshInstanceInfo } from './info-parse.js';
import {
  SRI_FAILOVER_IN_PROGRESS,
  SRI_MASTER_REBOOT,
  SRI_O_DOWN,
  SRI_SCRIPT_KILL_SENT,
  SRI_SENTINEL,
  SRI_SLAVE,
  SRI_S_DOWN,
  type SentinelRedisInstance,
} from './instance.js';
import { sentinelSendPing } from './link.js';
import type { SentinelProcess } from './sentinel.js';

const SCRIPT_KILL = ['SCRIPT', 'KILL'];

export function sentinelSendPeriodicCommands(s: SentinelProcess, ri: SentinelRedisInstance, now: number): void {
  const link = ri.link;
  if (link.disconnected) return;
  // "Don't send commands if we have too many pending": the hung-instance brake.
  if (link.pendingCommands >= SENTINEL_MAX_PENDING_COMMANDS * link.refcount) return;
  const t = s.timings;
  // Replicas of a master in ODOWN or under failover, or with their own link down, every second.
  let infoPeriod = t.infoPeriodMs;
  if (ri.flags & SRI_SLAVE && (ri.master!.flags & (SRI_O_DOWN | SRI_FAILOVER_IN_PROGRESS) || ri.masterLinkDownTime !== 0)) {
    infoPeriod = 1000;
  }
  // "We ping instances every time the last received pong is older than the configured
  // 'down-after-milliseconds' time, but every second anyway if down-after is greater."
  const pingPeriod = ri.downAfterPeriod < t.pingPeriodMs ? ri.downAfterPeriod : t.pingPeriodMs;
  if (!(ri.flags & SRI_SENTINEL) && (ri.infoRefresh === 0 || now - ri.infoRefresh > infoPeriod)) {
    link.info(sentinelInfoReplyCallback);
  }
  if (now - link.lastPongTime > pingPeriod && now - link.lastPingTime > Math.trunc(pingPeriod / 2)) {
    sentinelSendPing(s, ri, now);
  }
  if (now - ri.lastPubTime > t.publishPeriodMs) sentinelSendHello(s, ri, now);
}

/**
 * sentinelPingReplyCallback: PONG, -LOADING and -MASTERDOWN prove the instance alive; any
 * reply at all counts as a pong for the PING period.
 */
export function sentinelPingReplyCallback(s: SentinelProcess, ri: SentinelRedisInstance, r: Reply): void {
  const link = ri.link;
  link.pendingCommands--;
  const now = s.mstime();
  if (r.type === 'status' || r.type === 'error') {
    const text = r.text;
    if (text.startsWith('PONG') || text.startsWith('LOADING') || text.startsWith('MASTERDOWN')) {
      link.lastAvailTime = now;
      link.actPingTime = 0;
      if (ri.flags & SRI_MASTER_REBOOT && text.startsWith('PONG')) ri.flags &= ~SRI_MASTER_REBOOT;
    } else if (text.startsWith('BUSY') && ri.flags & SRI_S_DOWN && !(ri.flags & SRI_SCRIPT_KILL_SENT)) {
      if (link.command(s, ri, SCRIPT_KILL, null)) ri.flags |= SRI_SCRIPT_KILL_SENT;
    }
  }
  link.lastPongTime = now;
}

/** sentinelInfoReplyCallback */
export function sentinelInfoReplyCallback(s: SentinelProcess, ri: SentinelRedisInstance, r: Reply): void {
  ri.link.pendingCommands--;
  if (r.type === 'bulk' && r.value !== null) sentinelRefreshInstanceInfo(s, ri, r.value, s.mstime());
}

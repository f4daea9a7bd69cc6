/**
 * sentinelRefreshInstanceInfo: parse an INFO reply (the fields Sentinel reads, by their
 * exact prefixes), then act on it: promotion detected (+promoted-slave), a replica reporting
 * master converted back (+convert-to-slave), a replica pointing elsewhere fixed
 * (+fix-slave-config), and RECONF_SENT → INPROG → DONE. The acting half is skipped in TILT,
 * and runs only when an INFO reply is processed.
 */
import { sentinelEvent } from './events.js';
import { sentinelForceHelloUpdateForMaster } from './hello.js';
import {
  FAILOVER_STATE_RECONF_SLAVES,
  FAILOVER_STATE_WAIT_PROMOTION,
  SRI_FAILOVER_IN_PROGRESS,
  SRI_MASTER,
  SRI_MASTER_REBOOT,
  SRI_O_DOWN,
  SRI_PROMOTED,
  SRI_RECONF_DONE,
  SRI_RECONF_INPROG,
  SRI_RECONF_SENT,
  SRI_SLAVE,
  SRI_S_DOWN,
  type ReportedRole,
  type SentinelRedisInstance,
} from './instance.js';
import { createSlave } from './registry.js';
import type { SentinelProcess } from './sentinel.js';
import { SENTINEL_SIMFAILURE_CRASH_AFTER_PROMOTION, sentinelSimFailureCrash } from './simulate-failure.js';
import { sentinelSendSlaveOf } from './slaveof.js';

/** "ip=<ip>,port=<port>,…" or the pre-2.8 "<ip>,<port>,<state>" form of a slaveN line. */
function parseSlaveLine(v: string): [string, number] | null {
  if (v.includes('ip=')) {
    let ip: string | null = null;
    let port: string | null = null;
    for (const kv of v.split(',')) {
      if (kv.startsWith('ip=')) ip = kv.slice(3);
      else if (kv.startsWith('port=')) port = kv.slice(5);
    }
    if (ip === null || port === null) return null;
    return [ip, Number.parseInt(port, 10)];
  }
  const parts = v.split(',');
  if (parts.length < 2) return null;
  return [parts[0]!, Number.parseInt(parts[1]!, 10)];
}

const CHAR_R = 0x72;
const CHAR_S = 0x73;
const CHAR_M = 0x6d;
const CHAR_CR = 0x0d;

/**
 * The end of the line starting at `at`: the first "\r\n" at or after it, else the text's end.
 * Found through the first LF after it whose previous character is a CR: a one-character
 * search is faster than a two-character one, and the character before an LF at `at` itself
 * is the LF ending the previous line, so the CR found is never before `at`.
 */
function lineEnd(info: string, at: number, n: number): number {
  let lf = info.indexOf('\n', at);
  // (charCodeAt(-1) is NaN: an LF at 0 ends no line either.)
  while (lf >= 0 && info.charCodeAt(lf - 1) !== CHAR_CR) lf = info.indexOf('\n', lf + 1);
  return lf < 0 ? n : lf - 1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function sentinelRefreshInstanceInfo(s: SentinelProcess, ri: SentinelRedisInstance, info: string, now: number): void {
  ri.info = info;
  ri.masterLinkDownTime = 0;
  let role: ReportedRole | null = null;
  // sdssplitlen(info, "\r\n") walked in place: each line is [at, end) of `info`, tested by
  // prefix at its offset (no prefix holds a CR, so none reads past its line), and only the
  // values Sentinel keeps are sliced out — an INFO reply is ≈ 120 lines, every 10 s from
  // every instance to every Sentinel.
  const n = info.length;
  for (let at = 0; at <= n; ) {
    const end = lineEnd(info, at, n);
    const len = end - at;
    // Every prefix below starts with 'r', 's' or 'm', and no two share a line: a line is
    // tested only against the prefixes of its first letter (most lines against none).
    const c0 = info.charCodeAt(at);
    if (c0 === CHAR_R) {
      if (len >= 47 && info.startsWith('run_id:', at)) {
        const runid = info.slice(at + 7, at + 47);
        if (ri.runid === null) ri.runid = runid;
        else if (ri.runid !== runid) {
          sentinelEvent(s, 'notice', '+reboot', ri);
          if (ri.flags & SRI_MASTER && ri.masterRebootDownAfterPeriod !== 0) {
            ri.flags |= SRI_MASTER_REBOOT;
            ri.masterRebootSinceTime = now;
          }
          ri.runid = runid;
        }
      } else if (info.startsWith('role:master', at)) role = 'master';
      else if (info.startsWith('role:slave', at)) role = 'slave';
      else if (role === 'slave' && info.startsWith('replica_announced:', at)) ri.replicaAnnounced = Number.parseInt(info.slice(at + 18, end), 10);
    } else if (c0 === CHAR_S) {
      if (ri.flags & SRI_MASTER && len >= 7 && info.startsWith('slave', at) && isDigit(info.charCodeAt(at + 5))) {
        const colon = info.indexOf(':', at);
        const addr = colon < 0 || colon >= end ? null : parseSlaveLine(info.slice(colon + 1, end));
        if (addr !== null && Number.isFinite(addr[1])) {
          const r = createSlave(s, ri, addr[0], addr[1], now);
          if (r !== null) {
            sentinelEvent(s, 'notice', '+slave', r);
            s.flushConfig();
          }
        }
      } else if (role === 'slave') {
        if (info.startsWith('slave_priority:', at)) ri.slavePriority = Number.parseInt(info.slice(at + 15, end), 10);
        else if (info.startsWith('slave_repl_offset:', at)) ri.slaveReplOffset = Number.parseInt(info.slice(at + 18, end), 10);
      }
    } else if (c0 === CHAR_M) {
      if (info.startsWith('master_link_down_since_seconds:', at)) {
        ri.masterLinkDownTime = Number.parseInt(info.slice(at + 31, end), 10) * 1000;
      } else if (role === 'slave') {
        if (info.startsWith('master_host:', at)) {
          const h = info.slice(at + 12, end);
          if (ri.slaveMasterHost === null || h.toLowerCase() !== ri.slaveMasterHost.toLowerCase()) {
            ri.slaveMasterHost = h;
            ri.slaveConfChangeTime = now;
          }
        } else if (info.startsWith('master_port:', at)) {
          const p = Number.parseInt(info.slice(at + 12, end), 10);
          if (ri.slaveMasterPort !== p) {
            ri.slaveMasterPort = p;
            ri.slaveConfChangeTime = now;
          }
        } else if (info.startsWith('master_link_status:', at)) ri.slaveMasterLinkStatusUp = len === 21 && info.startsWith('up', at + 19);
      }
    }
    at = end + 2;
  }
  ri.infoRefresh = now;

  // Model choice: an INFO without a role line (never sent by Redis) leaves role_reported alone.
  if (role !== null && role !== ri.roleReported) {
    ri.roleReportedTime = now;
    ri.roleReported = role;
    if (role === 'slave') ri.slaveConfChangeTime = now;
    const coherent = (ri.flags & SRI_MASTER && role === 'master') || (ri.flags & SRI_SLAVE && role === 'slave');
    sentinelEvent(s, 'verbose', coherent ? '+role-change' : '-role-change', ri, `new reported role is ${role}`);
  }

  if (s.tilt) return;
  if (!(ri.flags & SRI_SLAVE)) return;
  const m = ri.master!;

  if (role === 'master') {
    if (ri.flags & SRI_PROMOTED && m.flags & SRI_FAILOVER_IN_PROGRESS && m.failoverState === FAILOVER_STATE_WAIT_PROMOTION) {
      m.configEpoch = m.failoverEpoch;
      m.failoverState = FAILOVER_STATE_RECONF_SLAVES;
      m.failoverStateChangeTime = now;
      s.flushConfig();
      sentinelEvent(s, 'warning', '+promoted-slave', ri);
      if (s.simfailureFlags & SENTINEL_SIMFAILURE_CRASH_AFTER_PROMOTION) return sentinelSimFailureCrash(s);
      sentinelEvent(s, 'warning', '+failover-state-reconf-slaves', m);
      sentinelForceHelloUpdateForMaster(s, m);
    } else {
      const waitTime = s.timings.publishPeriodMs * 4;
      if (
        !(ri.flags & SRI_PROMOTED) &&
        sentinelMasterLooksSane(s, m, now) &&
        sentinelRedisInstanceNoDownFor(ri, waitTime, now) &&
        now - ri.roleReportedTime > waitTime
      ) {
        if (sentinelSendSlaveOf(s, ri, m.host, m.port)) sentinelEvent(s, 'notice', '+convert-to-slave', ri);
      }
    }
  }

  if (role === 'slave' && (ri.slaveMasterPort !== m.port || ri.slaveMasterHost === null || ri.slaveMasterHost.toLowerCase() !== m.host.toLowerCase())) {
    const waitTime = m.failoverTimeout;
    if (sentinelMasterLooksSane(s, m, now) && sentinelRedisInstanceNoDownFor(ri, waitTime, now) && now - ri.slaveConfChangeTime > waitTime) {
      if (sentinelSendSlaveOf(s, ri, m.host, m.port)) sentinelEvent(s, 'notice', '+fix-slave-config', ri);
    }
  }

  if (role === 'slave' && ri.flags & (SRI_RECONF_SENT | SRI_RECONF_INPROG)) {
    const p = m.promotedSlave;
    if (
      ri.flags & SRI_RECONF_SENT &&
      p !== null &&
      ri.slaveMasterHost !== null &&
      ri.slaveMasterHost.toLowerCase() === p.host.toLowerCase() &&
      ri.slaveMasterPort === p.port
    ) {
      ri.flags = (ri.flags & ~SRI_RECONF_SENT) | SRI_RECONF_INPROG;
      sentinelEvent(s, 'notice', '+slave-reconf-inprog', ri);
    }
    if (ri.flags & SRI_RECONF_INPROG && ri.slaveMasterLinkStatusUp) {
      ri.flags = (ri.flags & ~SRI_RECONF_INPROG) | SRI_RECONF_DONE;
      sentinelEvent(s, 'notice', '+slave-reconf-done', ri);
    }
  }
}

/** sentinelMasterLooksSane */
export function sentinelMasterLooksSane(s: SentinelProcess, m: SentinelRedisInstance, now: number): boolean {
  return (
    (m.flags & SRI_MASTER) !== 0 &&
    m.roleReported === 'master' &&
    (m.flags & (SRI_S_DOWN | SRI_O_DOWN)) === 0 &&
    now - m.infoRefresh < s.timings.infoPeriodMs * 2
  );
}

/** sentinelRedisInstanceNoDownFor: no SDOWN or ODOWN entered in the last `ms`. */
export function sentinelRedisInstanceNoDownFor(ri: SentinelRedisInstance, ms: number, now: number): boolean {
  const mostRecent = Math.max(ri.sDownSinceTime, ri.oDownSinceTime);
  return mostRecent === 0 || now - mostRecent > ms;
}

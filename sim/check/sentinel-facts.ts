/**
 * What the Sentinel checkers read about a run besides the Redis history: the Sentinels'
 * history (events, faults, client writes), the clients' write accounting, each Sentinel's
 * view at the end, and the settings the settle bound is derived from. The scenario layer
 * fills it in (History.sentinel) before the checkers run; a run without Sentinels has none.
 */
import type { Micros } from '../engine/index.js';
import type { SentinelHistory } from './sentinel-history.js';
import type { ClientWritesSummary } from './sentinel-losses.js';

/** One Sentinel at the end of the run. */
export interface SentinelView {
  alive: boolean;
  /** Its Sentinel id (myid, kept across restarts in its config file): votes name it. */
  myid: string;
  /** host:port it gives clients for the monitored master (GET-MASTER-ADDR-BY-NAME), null when it has none. */
  address: string | null;
  configEpoch: number | null;
  flags: string;
}

/** The sentinel.conf settings the settle bound depends on, in ms. */
export interface SentinelSettings {
  downAfterMs: number;
  failoverTimeoutMs: number;
  infoPeriodMs: number;
  pingPeriodMs: number;
  askPeriodMs: number;
  publishPeriodMs: number;
  tiltPeriodMs: number;
  electionTimeoutMs: number;
  slaveReconfTimeoutMs: number;
}

export interface SentinelFacts {
  /** The monitored master's name and quorum. */
  master: string;
  quorum: number;
  /** Every Sentinel of the run, by name (the voters of sentinelGetLeader: all of them once discovered). */
  views: Record<string, SentinelView>;
  settings: SentinelSettings;
  history: SentinelHistory;
  /** With Sentinel-aware clients: their writes, each lost one with its cause (docs/lost-writes.md). */
  clientWrites?: ClientWritesSummary;
}

/**
 * How long after the faults end the Sentinels may take to settle on one master that every
 * replica follows (sentinelTimer's detection, election and failover state machine), generous as bounds.ts is:
 *
 *   tilt      a Sentinel paused or clock-stepped at the end of the faults judges nothing for tilt-period;
 *   retry     an attempt begun just before may block the next for 2 × failover-timeout;
 *   detect    down-after + ping-period (SDOWN), ask-period × 2 (ODOWN), 1 s of timer jitter;
 *   elect     a split vote aborts after min(election-timeout, failover-timeout), then the retry gate again;
 *   promote   SEND_SLAVEOF_NOONE, WAIT_PROMOTION and RECONF_SLAVES, each up to failover-timeout,
 *             the last at least slave-reconf-timeout per replica;
 *   spread    hellos carry the new config in 2 × publish-period, INFO shows roles in info-period;
 *   fix       a returning old master is converted, a replica of the wrong master fixed
 *             (+convert-to-slave, +fix-slave-config) after failover-timeout and 4 × publish-period.
 */
export function sentinelSettleBoundUs(s: SentinelSettings, replicas: number): Micros {
  const ft = s.failoverTimeoutMs;
  const ms =
    s.tiltPeriodMs +
    2 * ft +
    s.downAfterMs + s.pingPeriodMs + 2 * s.askPeriodMs + 1000 +
    Math.min(s.electionTimeoutMs, ft) + 2 * ft +
    3 * ft + Math.max(1, replicas) * s.slaveReconfTimeoutMs +
    2 * s.publishPeriodMs + 2 * s.infoPeriodMs +
    ft + 4 * s.publishPeriodMs + s.infoPeriodMs;
  return ms * 1000;
}

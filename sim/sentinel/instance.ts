/**
 * sentinelRedisInstance: a master, a replica or another Sentinel as this Sentinel sees it
 * (createSentinelRedisInstance, the SRI_* flags, sentinelRedisInstanceTypeStr, and the
 * `%@` instance prefix of sentinelEvent). All times are ms of this Sentinel's wall clock.
 */
import type { HelloText } from './hello.js';
import type { InstanceLink } from './link.js';
import { SENTINEL_DEFAULT_SLAVE_PRIORITY } from './config.js';

export const SRI_MASTER = 1 << 0;
export const SRI_SLAVE = 1 << 1;
export const SRI_SENTINEL = 1 << 2;
export const SRI_S_DOWN = 1 << 3;
export const SRI_O_DOWN = 1 << 4;
export const SRI_MASTER_DOWN = 1 << 5;
export const SRI_FAILOVER_IN_PROGRESS = 1 << 6;
export const SRI_PROMOTED = 1 << 7;
export const SRI_RECONF_SENT = 1 << 8;
export const SRI_RECONF_INPROG = 1 << 9;
export const SRI_RECONF_DONE = 1 << 10;
export const SRI_FORCE_FAILOVER = 1 << 11;
export const SRI_SCRIPT_KILL_SENT = 1 << 12;
export const SRI_MASTER_REBOOT = 1 << 13;

/** failover_state values; the strings are what SENTINEL MASTER prints (sentinelFailoverStateStr). */
export const FAILOVER_STATE_NONE = 0;
export const FAILOVER_STATE_WAIT_START = 1;
export const FAILOVER_STATE_SELECT_SLAVE = 2;
export const FAILOVER_STATE_SEND_SLAVEOF_NOONE = 3;
export const FAILOVER_STATE_WAIT_PROMOTION = 4;
export const FAILOVER_STATE_RECONF_SLAVES = 5;
export const FAILOVER_STATE_UPDATE_CONFIG = 6;
export const FAILOVER_STATE_NAMES = [
  'none',
  'wait_start',
  'select_slave',
  'send_slaveof_noone',
  'wait_promotion',
  'reconf_slaves',
  'update_config',
] as const;

export type ReportedRole = 'master' | 'slave';

/** The flags column of SENTINEL MASTER/REPLICAS/SENTINELS, in addReplySentinelRedisInstance order. */
export function flagsString(ri: SentinelRedisInstance): string {
  const f = ri.flags;
  const out: string[] = [];
  if (f & SRI_S_DOWN) out.push('s_down');
  if (f & SRI_O_DOWN) out.push('o_down');
  if (f & SRI_MASTER) out.push('master');
  if (f & SRI_SLAVE) out.push('slave');
  if (f & SRI_SENTINEL) out.push('sentinel');
  if (ri.link.disconnected) out.push('disconnected');
  if (f & SRI_MASTER_DOWN) out.push('master_down');
  if (f & SRI_FAILOVER_IN_PROGRESS) out.push('failover_in_progress');
  if (f & SRI_PROMOTED) out.push('promoted');
  if (f & SRI_RECONF_SENT) out.push('reconf_sent');
  if (f & SRI_RECONF_INPROG) out.push('reconf_inprog');
  if (f & SRI_RECONF_DONE) out.push('reconf_done');
  if (f & SRI_FORCE_FAILOVER) out.push('force_failover');
  if (f & SRI_SCRIPT_KILL_SENT) out.push('script_kill_sent');
  return out.join(',');
}

export class SentinelRedisInstance {
  flags: number;
  /** master: configured name; replica: "ip:port"; Sentinel: its runid. */
  name: string;
  runid: string | null = null;
  host: string;
  port: number;
  /** The master this replica or Sentinel belongs to; null for a master. */
  readonly master: SentinelRedisInstance | null;
  link: InstanceLink;

  configEpoch = 0;
  downAfterPeriod: number;
  infoRefresh = 0;
  roleReported: ReportedRole;
  // Times get a starting value although the constructor sets them: through a bare
  // `x: number;` field V8 keeps the ms timestamps (beyond the small integers) boxed, and
  // each store allocates (as in net/pipe.ts's Segment).
  roleReportedTime = 0;
  slaveConfChangeTime = 0;
  sDownSinceTime = 0;
  oDownSinceTime = 0;
  lastPubTime = 0;
  lastHelloTime = 0;
  lastMasterDownReplyTime = 0;

  // --- master only ---
  readonly sentinels = new Map<string, SentinelRedisInstance>();
  readonly slaves = new Map<string, SentinelRedisInstance>();
  quorum = 0;
  parallelSyncs = 1;
  authPass: string | null = null;
  authUser: string | null = null;
  /** master: this Sentinel's vote; Sentinel: the vote it reported. */
  leader: string | null = null;
  leaderEpoch = 0;
  /** The epoch in which planted bug sentinel-double-vote already granted its second vote (election.ts). */
  doubleVotedEpoch = -1;
  failoverEpoch = 0;
  failoverState = FAILOVER_STATE_NONE;
  failoverStateChangeTime = 0;
  failoverStartTime = 0;
  failoverTimeout = 180_000;
  /** failover_delay_logged: the "Next failover delay" log is printed once per failover_start_time. */
  failoverDelayLogged = 0;
  promotedSlave: SentinelRedisInstance | null = null;
  masterRebootDownAfterPeriod = 0;
  masterRebootSinceTime = 0;
  /** The last INFO text (SENTINEL INFO-CACHE). */
  info: string | null = null;
  /** The last hello sent to this instance, reused while its parts are unchanged (hello.ts). */
  helloText: HelloText | null = null;

  // --- replica only ---
  masterLinkDownTime = 0;
  slavePriority = SENTINEL_DEFAULT_SLAVE_PRIORITY;
  replicaAnnounced = 1;
  slaveMasterHost: string | null = null;
  slaveMasterPort = 0;
  slaveMasterLinkStatusUp = false;
  slaveReplOffset = 0;
  slaveReconfSentTime = 0;

  constructor(
    type: number,
    name: string,
    host: string,
    port: number,
    master: SentinelRedisInstance | null,
    link: InstanceLink,
    now: number,
  ) {
    this.flags = type;
    this.name = name;
    this.host = host;
    this.port = port;
    this.master = master;
    this.link = link;
    this.downAfterPeriod = master === null ? 30_000 : master.downAfterPeriod;
    this.roleReported = type & SRI_SLAVE ? 'slave' : 'master';
    this.roleReportedTime = now;
    this.slaveConfChangeTime = now;
    this.lastPubTime = now;
    this.lastHelloTime = now;
    this.lastMasterDownReplyTime = now;
  }

  get isMaster(): boolean {
    return (this.flags & SRI_MASTER) !== 0;
  }
  get isSlave(): boolean {
    return (this.flags & SRI_SLAVE) !== 0;
  }

  /** The `%@` prefix of sentinelEvent: type, name, address, then `@ <master>` for non-masters. */
  eventPrefix(): string {
    const type = this.flags & SRI_MASTER ? 'master' : this.flags & SRI_SLAVE ? 'slave' : 'sentinel';
    const m = this.master;
    if (m === null) return `${type} ${this.name} ${this.host} ${this.port}`;
    return `${type} ${this.name} ${this.host} ${this.port} @ ${m.name} ${m.host} ${m.port}`;
  }
}

/** Key of a replica in its master's dict (announceSentinelAddr into "ip:port"). */
export function replicaKey(host: string, port: number): string {
  return `${host}:${port}`;
}

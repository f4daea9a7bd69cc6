/**
 * The commands Sentinel mode serves (sentinelCommand, sentinelInfoCommand, sentinelRoleCommand,
 * sentinelPublishCommand): every SENTINEL subcommand of 7.0.15 — get-master-addr-by-name |
 * masters | master | replicas | slaves | sentinels | ckquorum | failover | set | reset |
 * is-master-down-by-addr | myid | flushconfig | debug | monitor | remove | config
 * (config-command.ts) | help | info-cache | pending-scripts | simulate-failure
 * (simulate-failure.ts) — INFO (sentinel section), ROLE, and PUBLISH for hellos. Arity and
 * unknown names are checked first, as processCommand does (command-table.ts).
 */
import { array, bulk, err, ERR_NOT_INTEGER, int, nil, nilArray, ok, status, type Reply } from '../redis/protocol/index.js';
import { sentinelHelpReply, sentinelSubcommandError } from './command-table.js';
import { SENTINEL_DEBUG_PARAMS, SENTINEL_HELLO_CHANNEL, monitoredMaster } from './config.js';
import { sentinelConfigCommand } from './config-command.js';
import { sentinelVoteLeader } from './election.js';
import { sentinelEvent } from './events.js';
import { sentinelStartFailover } from './failover.js';
import { sentinelProcessHelloMessage } from './hello.js';
import {
  SRI_FAILOVER_IN_PROGRESS,
  SRI_FORCE_FAILOVER,
  SRI_MASTER,
  SRI_O_DOWN,
  SRI_S_DOWN,
  type SentinelRedisInstance,
} from './instance.js';
import { instanceReply } from './instance-reply.js';
import { createMaster, propagateDownAfterPeriod, releaseInstance, sentinelResetMastersByPattern } from './registry.js';
import { sentinelSelectSlave } from './select-replica.js';
import { sentinelSimulateFailureCommand } from './simulate-failure.js';
import { currentMasterAddress, type SentinelProcess } from './sentinel.js';
import type {} from './trace-kinds.js'; // the kinds this file records (TraceKinds)

const NO_SUCH_MASTER = 'ERR No such master with that name';

function strictInt(v: string): number | null {
  return /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : null;
}

export function sentinelCommand(s: SentinelProcess, argv: readonly string[]): Reply {
  const rejected = sentinelSubcommandError(argv);
  if (rejected !== null) return rejected;
  const sub = argv[1]!.toLowerCase();
  const now = s.mstime();
  switch (sub) {
    case 'help':
      return sentinelHelpReply();
    case 'myid':
      return bulk(s.myid);
    case 'masters':
      return array([...s.masters.values()].map((m) => instanceReply(s, m, now)));
    case 'master': {
      const m = s.masters.get(argv[2]!);
      return m === undefined ? err(NO_SUCH_MASTER) : instanceReply(s, m, now);
    }
    case 'replicas':
    case 'slaves':
    case 'sentinels': {
      const m = s.masters.get(argv[2]!);
      if (m === undefined) return err(NO_SUCH_MASTER);
      const list = sub === 'sentinels' ? [...m.sentinels.values()] : [...m.slaves.values()].filter((r) => r.replicaAnnounced !== 0);
      return array(list.map((r) => instanceReply(s, r, now)));
    }
    case 'get-master-addr-by-name': {
      const m = s.masters.get(argv[2]!);
      if (m === undefined) return nilArray();
      const a = currentMasterAddress(m);
      return array([bulk(a.host), bulk(String(a.port))]);
    }
    case 'is-master-down-by-addr': {
      const port = strictInt(argv[3]!);
      const reqEpoch = strictInt(argv[4]!);
      if (port === null || reqEpoch === null) return ERR_NOT_INTEGER;
      let ri: SentinelRedisInstance | null = null;
      for (const m of s.masters.values()) if (m.host === argv[2] && m.port === port) ri = m;
      // In TILT the answer is always "not down" — but votes are still granted.
      const isdown = !s.tilt && ri !== null && (ri.flags & SRI_S_DOWN) !== 0 && (ri.flags & SRI_MASTER) !== 0 ? 1 : 0;
      let leader: string | null = null;
      let leaderEpoch = 0;
      if (ri !== null && ri.flags & SRI_MASTER && argv[5] !== '*') {
        const v = sentinelVoteLeader(s, ri, reqEpoch, argv[5]!, now);
        leader = v.leader;
        leaderEpoch = v.leaderEpoch;
      }
      return array([int(isdown), bulk(leader ?? '*'), int(leaderEpoch)]);
    }
    case 'ckquorum': {
      const m = s.masters.get(argv[2]!);
      if (m === undefined) return err(NO_SUCH_MASTER);
      return ckquorum(m);
    }
    case 'failover': {
      const m = s.masters.get(argv[2]!);
      if (m === undefined) return err(NO_SUCH_MASTER);
      if (m.flags & SRI_FAILOVER_IN_PROGRESS) return err('INPROG Failover already in progress');
      if (sentinelSelectSlave(s, m, now) === null) return err('NOGOODSLAVE No suitable replica to promote');
      s.sim.record('sentinel.log', s.name, { msg: `Executing user requested FAILOVER of '${m.name}'` });
      sentinelStartFailover(s, m, now);
      m.flags |= SRI_FORCE_FAILOVER;
      return ok();
    }
    case 'reset':
      return int(sentinelResetMastersByPattern(s, argv[2]!, now));
    case 'flushconfig':
      s.flushConfig();
      return ok();
    case 'set':
      return sentinelSetCommand(s, argv, now);
    case 'config':
      return sentinelConfigCommand(s, argv);
    case 'info-cache':
      return sentinelInfoCacheCommand(s, argv, now);
    case 'pending-scripts':
      // sentinelPendingScriptsCommand lists the script queue; scripts are not run by the model,
      // so the queue is always empty (as on a real Sentinel with no script configured).
      return array([]);
    case 'simulate-failure':
      return sentinelSimulateFailureCommand(s, argv);
    case 'debug':
      return sentinelDebugCommand(s, argv);
    case 'monitor': {
      const port = strictInt(argv[4]!);
      const quorum = strictInt(argv[5]!);
      if (port === null || port <= 0 || port > 65535) return err('ERR Invalid port');
      if (quorum === null) return err('ERR Invalid quorum');
      if (quorum <= 0) return err('ERR Quorum must be 1 or greater.');
      if (s.masters.has(argv[2]!)) return err('ERR Duplicate master name.');
      createMaster(s, monitoredMaster(argv[2]!, argv[3]!, port, quorum, s.timings), now);
      s.flushConfig();
      return ok();
    }
    case 'remove': {
      const m = s.masters.get(argv[2]!);
      if (m === undefined) return err(NO_SUCH_MASTER);
      sentinelEvent(s, 'warning', '-monitor', m);
      for (const r of m.slaves.values()) releaseInstance(r);
      for (const r of m.sentinels.values()) releaseInstance(r);
      releaseInstance(m);
      s.masters.delete(m.name);
      s.flushConfig();
      return ok();
    }
  }
  // addReplySubcommandSyntaxError: unreachable while the table and the switch agree.
  return err(`ERR unknown subcommand '${argv[1]}'. Try SENTINEL HELP.`);
}

/**
 * SENTINEL INFO-CACHE <name>…: for each named master (unknown and repeated names skipped),
 * its name and an array of [age ms, last INFO text or null], the master's first, then each
 * replica's. As in 7.0.15, a replica's age is 0 only when the *master's* info_refresh is 0:
 * a replica never refreshed under a refreshed master shows now - 0.
 */
function sentinelInfoCacheCommand(s: SentinelProcess, argv: readonly string[], now: number): Reply {
  const picked = new Set<SentinelRedisInstance>();
  for (const name of argv.slice(2)) {
    const m = s.masters.get(name);
    if (m !== undefined) picked.add(m);
  }
  const out: Reply[] = [];
  const entry = (age: number, info: string | null): Reply => array([int(age), info === null ? nil() : bulk(info)]);
  for (const m of picked) {
    const list = [entry(m.infoRefresh ? now - m.infoRefresh : 0, m.info)];
    for (const r of m.slaves.values()) list.push(entry(m.infoRefresh ? now - r.infoRefresh : 0, r.info));
    out.push(bulk(m.name), array(list));
  }
  return array(out);
}

/** sentinelIsQuorumReachable as SENTINEL CKQUORUM words it. */
function ckquorum(m: SentinelRedisInstance): Reply {
  const voters = m.sentinels.size + 1;
  let usable = 1;
  for (const si of m.sentinels.values()) if (!(si.flags & (SRI_S_DOWN | SRI_O_DOWN))) usable++;
  const noQuorum = usable < m.quorum;
  const noAuth = usable < Math.trunc(voters / 2) + 1;
  if (!noQuorum && !noAuth) return status(`OK ${usable} usable Sentinels. Quorum and failover authorization can be reached`);
  let e = `NOQUORUM ${usable} usable Sentinels. `;
  if (noQuorum) e += 'Not enough available Sentinels to reach the specified quorum for this master';
  if (noAuth) e += `${noQuorum ? '. ' : ''}Not enough available Sentinels to reach the majority and authorize a failover`;
  return err(e);
}

/** SENTINEL SET <name> <option> <value> …: options applied in order until a bad one. */
function sentinelSetCommand(s: SentinelProcess, argv: readonly string[], now: number): Reply {
  const m = s.masters.get(argv[2]!);
  if (m === undefined) return err(NO_SUCH_MASTER);
  let changes = 0;
  for (let j = 3; j < argv.length; j += 2) {
    const opt = argv[j]!.toLowerCase();
    const value = argv[j + 1];
    if (value === undefined) {
      if (changes) s.flushConfig();
      return err(`ERR Unknown option or number of arguments for SENTINEL SET '${argv[j]}'`);
    }
    const n = strictInt(value);
    const bad = (): Reply => {
      if (changes) s.flushConfig();
      return err(`ERR Invalid argument '${value}' for SENTINEL SET '${opt}'`);
    };
    switch (opt) {
      case 'down-after-milliseconds':
        if (n === null || n <= 0) return bad();
        m.downAfterPeriod = n;
        propagateDownAfterPeriod(m);
        break;
      case 'failover-timeout':
        if (n === null || n <= 0) return bad();
        m.failoverTimeout = n;
        break;
      case 'parallel-syncs':
        if (n === null || n <= 0) return bad();
        m.parallelSyncs = n;
        break;
      case 'quorum':
        if (n === null || n <= 0) return bad();
        m.quorum = n;
        break;
      case 'master-reboot-down-after-period':
        if (n === null || n < 0) return bad();
        m.masterRebootDownAfterPeriod = n;
        break;
      case 'auth-pass':
      case 'auth-user':
        if (opt === 'auth-pass') m.authPass = value === '' ? null : value;
        else m.authUser = value === '' ? null : value;
        // dropInstanceConnections: the master's and replicas' links reconnect with the new credentials.
        m.link.release();
        for (const r of m.slaves.values()) r.link.release();
        break;
      default:
        if (changes) s.flushConfig();
        return err(`ERR Unknown option or number of arguments for SENTINEL SET '${argv[j]}'`);
    }
    changes++;
    // The option as the client wrote it; only auth-pass is redacted.
    sentinelEvent(s, 'warning', '+set', m, `${argv[j]} ${opt === 'auth-pass' ? '******' : value}`);
  }
  if (changes) s.flushConfig();
  void now;
  return ok();
}

/** SENTINEL DEBUG: no arguments lists the 13 timings; pairs change them (each > 0). */
function sentinelDebugCommand(s: SentinelProcess, argv: readonly string[]): Reply {
  if (argv.length === 2) {
    const items: Reply[] = [];
    for (const [name, key] of SENTINEL_DEBUG_PARAMS) items.push(bulk(name.toUpperCase()), bulk(String(s.timings[key])));
    return array(items);
  }
  for (let j = 2; j < argv.length; j += 2) {
    const p = argv[j]!.toLowerCase();
    const entry = SENTINEL_DEBUG_PARAMS.find(([name]) => name === p);
    const value = argv[j + 1];
    if (entry === undefined || value === undefined) return err(`ERR Unknown option or number of arguments for SENTINEL DEBUG '${argv[j]}'`);
    const n = strictInt(value);
    if (n === null || n <= 0) return err(`ERR Invalid argument '${value}' for SENTINEL DEBUG '${argv[j]}'`);
    s.timings[entry[1]] = n;
  }
  return ok();
}

/** sentinelPublishCommand: only hellos are accepted, and processed as if heard on a channel. */
export function sentinelPublishCommand(s: SentinelProcess, channel: string, message: string): Reply {
  if (channel !== SENTINEL_HELLO_CHANNEL) return err('ERR Only HELLO messages are accepted by Sentinel instances.');
  sentinelProcessHelloMessage(s, message);
  return int(1);
}

/** ROLE in Sentinel mode: ["sentinel", [master names]]. */
export function sentinelRoleCommand(s: SentinelProcess): Reply {
  return array([bulk('sentinel'), array([...s.masters.keys()].map((n) => bulk(n)))]);
}

/**
 * INFO in Sentinel mode: the sections server, clients, cpu, stats and sentinel only (default,
 * all and everything mean all five), with the fields the model has; the rest of a real
 * server's fields (build, memory of the process, CPU times) are not modelled.
 */
export function sentinelInfoCommand(s: SentinelProcess, argv: readonly string[]): Reply {
  const asked = argv.length > 1 ? argv.slice(1).map((a) => a.toLowerCase()) : ['default'];
  const all = asked.some((x) => x === 'default' || x === 'all' || x === 'everything');
  const want = (x: string): boolean => all || asked.includes(x);
  const now = s.mstime();
  const parts: string[] = [];
  if (want('server')) {
    parts.push(
      [
        '# Server',
        'redis_version:7.0.15',
        'redis_mode:sentinel',
        `run_id:${s.runId}`,
        `tcp_port:${s.config.port}`,
        `uptime_in_seconds:${Math.trunc((now - s.bootedAtMs) / 1000)}`,
        `uptime_in_days:${Math.trunc((now - s.bootedAtMs) / 86_400_000)}`,
        `hz:${s.hz}`,
        'configured_hz:10',
      ].join('\r\n'),
    );
  }
  if (want('clients')) parts.push(['# Clients', `connected_clients:${s.clients.connected}`, 'blocked_clients:0'].join('\r\n'));
  if (want('stats')) {
    const [ch, pa] = s.clients.pubsubCounts();
    parts.push(
      [
        '# Stats',
        `total_connections_received:${s.clients.totalConnections}`,
        `total_commands_processed:${s.clients.totalCommands}`,
        `pubsub_channels:${ch}`,
        `pubsub_patterns:${pa}`,
      ].join('\r\n'),
    );
  }
  if (want('cpu')) parts.push('# CPU');
  if (want('sentinel')) {
    const lines = [
      '# Sentinel',
      `sentinel_masters:${s.masters.size}`,
      `sentinel_tilt:${s.tilt ? 1 : 0}`,
      `sentinel_tilt_since_seconds:${s.tilt ? Math.trunc((now - s.tiltStartTime) / 1000) : -1}`,
      'sentinel_running_scripts:0',
      'sentinel_scripts_queue_length:0',
      `sentinel_simulate_failure_flags:${s.simfailureFlags}`,
    ];
    let i = 0;
    for (const m of s.masters.values()) {
      const st = m.flags & SRI_O_DOWN ? 'odown' : m.flags & SRI_S_DOWN ? 'sdown' : 'ok';
      const a = currentMasterAddress(m);
      lines.push(`master${i++}:name=${m.name},status=${st},address=${a.host}:${a.port},slaves=${m.slaves.size},sentinels=${m.sentinels.size + 1}`);
    }
    parts.push(lines.join('\r\n'));
  }
  return bulk(parts.join('\r\n\r\n') + '\r\n');
}

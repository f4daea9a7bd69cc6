/**
 * Sentinel configuration: what sentinel.conf holds (sentinelHandleConfiguration in
 * sentinel.c 7.0.15) and the hidden timing constants that SENTINEL DEBUG shows and changes
 * (sentinel_info_period … sentinel_script_retry_delay, in the order SENTINEL DEBUG lists them).
 *
 * parseSentinelConf reads sentinel.conf text ("sentinel monitor mymaster m1 6379 2", …);
 * an unknown directive is an error with a did-you-mean, as for redis.conf.
 */
import { didYouMean } from '../engine/index.js';

export interface SentinelMasterConfig {
  name: string;
  host: string;
  port: number;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  authPass?: string;
  authUser?: string;
  /** master-reboot-down-after-period (7.0): 0 = off. */
  masterRebootDownAfterPeriodMs: number;
}

/** The file-scope timing variables of sentinel.c, in SENTINEL DEBUG order. */
export interface SentinelTimings {
  infoPeriodMs: number;
  pingPeriodMs: number;
  askPeriodMs: number;
  publishPeriodMs: number;
  defaultDownAfterMs: number;
  defaultFailoverTimeoutMs: number;
  tiltTriggerMs: number;
  tiltPeriodMs: number;
  slaveReconfTimeoutMs: number;
  minLinkReconnectPeriodMs: number;
  electionTimeoutMs: number;
  scriptMaxRuntimeMs: number;
  scriptRetryDelayMs: number;
}

/** SENTINEL DEBUG parameter name → field, in the order `SENTINEL DEBUG` prints them. */
export const SENTINEL_DEBUG_PARAMS: readonly (readonly [string, keyof SentinelTimings])[] = [
  ['info-period', 'infoPeriodMs'],
  ['ping-period', 'pingPeriodMs'],
  ['ask-period', 'askPeriodMs'],
  ['publish-period', 'publishPeriodMs'],
  ['default-down-after', 'defaultDownAfterMs'],
  ['default-failover-timeout', 'defaultFailoverTimeoutMs'],
  ['tilt-trigger', 'tiltTriggerMs'],
  ['tilt-period', 'tiltPeriodMs'],
  ['slave-reconf-timeout', 'slaveReconfTimeoutMs'],
  ['min-link-reconnect-period', 'minLinkReconnectPeriodMs'],
  ['election-timeout', 'electionTimeoutMs'],
  ['script-max-runtime', 'scriptMaxRuntimeMs'],
  ['script-retry-delay', 'scriptRetryDelayMs'],
];

export interface SentinelConfig {
  /** initSentinelConfig forces 26379 unless the file says otherwise. */
  port: number;
  /** 40 hex chars; random from the Sentinel's own stream when absent (sentinelIsRunning). */
  myid?: string;
  currentEpoch: number;
  announceIp?: string;
  announcePort?: number;
  sentinelUser?: string;
  sentinelPass?: string;
  /** resolve-hostnames / announce-hostnames (yes|no, default no): stored and shown only (sentinel.ts SentinelGlobals). */
  resolveHostnames?: boolean;
  announceHostnames?: boolean;
  masters: SentinelMasterConfig[];
  timings: SentinelTimings;
}

export const SENTINEL_DEFAULT_PORT = 26379;
/** SENTINEL_MAX_PENDING_COMMANDS */
export const SENTINEL_MAX_PENDING_COMMANDS = 100;
export const SENTINEL_HELLO_CHANNEL = '__sentinel__:hello';
export const SENTINEL_DEFAULT_SLAVE_PRIORITY = 100;

export function defaultSentinelTimings(): SentinelTimings {
  return {
    infoPeriodMs: 10_000,
    pingPeriodMs: 1_000,
    askPeriodMs: 1_000,
    publishPeriodMs: 2_000,
    defaultDownAfterMs: 30_000,
    defaultFailoverTimeoutMs: 180_000,
    tiltTriggerMs: 2_000,
    tiltPeriodMs: 30_000,
    slaveReconfTimeoutMs: 10_000,
    minLinkReconnectPeriodMs: 15_000,
    electionTimeoutMs: 10_000,
    scriptMaxRuntimeMs: 60_000,
    scriptRetryDelayMs: 30_000,
  };
}

export function defaultSentinelConfig(): SentinelConfig {
  return { port: SENTINEL_DEFAULT_PORT, currentEpoch: 0, masters: [], timings: defaultSentinelTimings() };
}

/** A master as `sentinel monitor` creates it: the global defaults for everything else. */
export function monitoredMaster(
  name: string,
  host: string,
  port: number,
  quorum: number,
  timings: SentinelTimings = defaultSentinelTimings(),
): SentinelMasterConfig {
  return {
    name,
    host,
    port,
    quorum,
    downAfterMs: timings.defaultDownAfterMs,
    failoverTimeoutMs: timings.defaultFailoverTimeoutMs,
    parallelSyncs: 1,
    masterRebootDownAfterPeriodMs: 0,
  };
}

export class SentinelConfigError extends Error {
  constructor(
    /** 1-based line in the sentinel.conf text (0 when not from a file). */
    readonly line: number,
    /** The directive as written, e.g. `down-after-milliseconds`. */
    readonly option: string,
    message: string,
    readonly hint?: string,
  ) {
    super(hint === undefined ? message : `${message} (${hint})`);
    this.name = 'SentinelConfigError';
  }
}

/** Directives that take `<master name>` first, and their argument counts after it. */
const MASTER_DIRECTIVES: Readonly<Record<string, number>> = {
  'down-after-milliseconds': 1,
  'failover-timeout': 1,
  'parallel-syncs': 1,
  'auth-pass': 1,
  'auth-user': 1,
  'master-reboot-down-after-period': 1,
  'config-epoch': 1,
  'leader-epoch': 1,
};
const GLOBAL_DIRECTIVES = [
  'announce-ip',
  'announce-port',
  'sentinel-user',
  'sentinel-pass',
  'current-epoch',
  'myid',
  'resolve-hostnames',
  'announce-hostnames',
];
/** Real directives the model accepts and ignores (scripts are not run). */
const IGNORED_DIRECTIVES = [
  'notification-script',
  'client-reconfig-script',
  'rename-command',
  'known-replica',
  'known-slave',
  'known-sentinel',
  'deny-scripts-reconfig',
];
const ALL_DIRECTIVES = ['monitor', ...Object.keys(MASTER_DIRECTIVES), ...GLOBAL_DIRECTIVES, ...IGNORED_DIRECTIVES];

/** yesnotoi: "yes"/"no" in any case, else null. */
export function yesNo(v: string): boolean | null {
  const l = v.toLowerCase();
  return l === 'yes' ? true : l === 'no' ? false : null;
}

function positiveInt(line: number, option: string, v: string, min: number): number {
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) {
    throw new SentinelConfigError(line, option, `${option}: expected an integer ≥ ${min}, got "${v}"`);
  }
  return n;
}

/**
 * Parses sentinel.conf text. As loadSentinelConfigFromQueue does, `monitor` lines are applied
 * before the per-master options that need the master, whatever their order in the file.
 */
export function parseSentinelConf(text: string): SentinelConfig {
  const cfg = defaultSentinelConfig();
  const deferred: Array<{ line: number; words: string[] }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const words = raw.split(/\s+/);
    const lineNo = i + 1;
    if (words[0]!.toLowerCase() === 'port') {
      cfg.port = positiveInt(lineNo, 'port', words[1] ?? '', 1);
      continue;
    }
    if (words[0]!.toLowerCase() !== 'sentinel') {
      throw new SentinelConfigError(lineNo, words[0]!, `unknown directive "${words[0]}"`, 'Sentinel options start with "sentinel"');
    }
    const opt = (words[1] ?? '').toLowerCase();
    const args = words.slice(2);
    if (opt === 'monitor') {
      if (args.length !== 4) throw new SentinelConfigError(lineNo, opt, 'monitor: expected <name> <host> <port> <quorum>');
      const [name, host, port, quorum] = args as [string, string, string, string];
      if (cfg.masters.some((m) => m.name === name)) throw new SentinelConfigError(lineNo, opt, 'Duplicate master name.');
      const q = Number(quorum);
      if (!Number.isInteger(q) || q <= 0) throw new SentinelConfigError(lineNo, opt, 'Quorum must be 1 or greater.');
      cfg.masters.push(monitoredMaster(name, host, positiveInt(lineNo, 'port', port, 1), q, cfg.timings));
    } else if (opt in MASTER_DIRECTIVES || GLOBAL_DIRECTIVES.includes(opt) || IGNORED_DIRECTIVES.includes(opt)) {
      deferred.push({ line: lineNo, words: [opt, ...args] });
    } else {
      const guess = didYouMean(opt, ALL_DIRECTIVES);
      throw new SentinelConfigError(
        lineNo,
        opt,
        `unknown sentinel option "${opt}"`,
        guess === undefined ? undefined : `did you mean "${guess}"?`,
      );
    }
  }
  for (const { line, words } of deferred) applyDirective(cfg, line, words[0]!, words.slice(1));
  return cfg;
}

function applyDirective(cfg: SentinelConfig, line: number, opt: string, args: string[]): void {
  if (IGNORED_DIRECTIVES.includes(opt)) return;
  if (GLOBAL_DIRECTIVES.includes(opt)) {
    const v = args[0] ?? '';
    switch (opt) {
      // sentinelHandleConfiguration skips an empty announce-ip, sentinel-user and sentinel-pass.
      case 'announce-ip':
        if (v !== '') cfg.announceIp = v;
        return;
      case 'announce-port':
        cfg.announcePort = positiveInt(line, opt, v, 0);
        return;
      case 'sentinel-user':
        if (v !== '') cfg.sentinelUser = v;
        return;
      case 'sentinel-pass':
        if (v !== '') cfg.sentinelPass = v;
        return;
      case 'resolve-hostnames':
      case 'announce-hostnames': {
        const yes = yesNo(v);
        if (yes === null) throw new SentinelConfigError(line, opt, `Please specify yes or no for the ${opt} option.`);
        if (opt === 'resolve-hostnames') cfg.resolveHostnames = yes;
        else cfg.announceHostnames = yes;
        return;
      }
      case 'current-epoch':
        cfg.currentEpoch = positiveInt(line, opt, v, 0);
        return;
      case 'myid':
        if (v.length !== 40) throw new SentinelConfigError(line, opt, 'Malformed Sentinel id in myid option.');
        cfg.myid = v;
        return;
    }
  }
  const m = cfg.masters.find((x) => x.name === args[0]);
  if (m === undefined) throw new SentinelConfigError(line, opt, `${opt}: No such master with specified name.`);
  const v = args[1] ?? '';
  switch (opt) {
    case 'down-after-milliseconds':
      m.downAfterMs = positiveInt(line, opt, v, 1);
      return;
    case 'failover-timeout':
      m.failoverTimeoutMs = positiveInt(line, opt, v, 1);
      return;
    case 'parallel-syncs':
      m.parallelSyncs = positiveInt(line, opt, v, 0);
      return;
    case 'auth-pass':
      m.authPass = v;
      return;
    case 'auth-user':
      m.authUser = v;
      return;
    case 'master-reboot-down-after-period':
      m.masterRebootDownAfterPeriodMs = positiveInt(line, opt, v, 0);
      return;
  }
}

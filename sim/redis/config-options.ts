/**
 * The table of redis.conf options replsim models: name, aliases, how Redis parses the value
 * (config.c in 7.0: yes/no booleans, string2ll integers with ranges, memtoll sizes,
 * case-insensitive enums) and how CONFIG GET prints it back. Parsing entry points and errors
 * live in config-parse.ts; this file is only the table and its value parsers.
 */
import { parseSize, UnitError } from '../engine/index.js';
import { didYouMean } from '../engine/index.js';
import type { OutputBufferLimit, RedisConfig, SavePoint } from './config.js';

/** Thrown by value parsers; config-parse.ts adds the option name. */
export class ValueError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ValueError';
  }
}

export interface RedisOption {
  /** The redis.conf name (7.0 spelling). */
  name: string;
  /** Older names Redis still accepts (slave-* etc.). */
  aliases: string[];
  /** CONFIG SET refuses it at runtime (Redis marks it IMMUTABLE_CONFIG). */
  immutable: boolean;
  /** What a value looks like, for messages and scenarios/FORMAT.md. */
  expects: string;
  /** Text → the typed fields it sets (usually one). */
  parse(text: string): Partial<RedisConfig>;
  /** Typed config → text, in CONFIG GET form (sizes in bytes, booleans yes/no). */
  format(config: RedisConfig): string;
}

const INT_MAX = 2147483647;

function quoted(text: string): string {
  return JSON.stringify(text);
}

function yesNo(text: string): boolean {
  const t = text.toLowerCase();
  if (t === 'yes') return true;
  if (t === 'no') return false;
  const hint = t === 'true' || t === 'false' || t === '1' || t === '0' ? 'redis.conf booleans are spelled yes or no' : undefined;
  throw new ValueError(`expected yes or no, got ${quoted(text)}`, hint);
}

function integer(text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim())) {
    const hint = /^\d+(\.\d+)?\s*[a-z]+$/i.test(text.trim()) ? 'this option takes a plain integer (seconds or a count), no unit' : undefined;
    throw new ValueError(`expected an integer from ${min} to ${max}, got ${quoted(text)}`, hint);
  }
  const n = Number(text.trim());
  if (n < min || n > max) throw new ValueError(`expected an integer from ${min} to ${max}, got ${quoted(text)}`);
  return n;
}

/** memtoll: "1mb" = 1048576, "1m" = 1000000, a bare number is bytes. */
function memory(text: string, min: number): number {
  let n: number;
  try {
    n = parseSize(text.trim(), 'a size');
  } catch (e) {
    if (e instanceof UnitError) throw new ValueError(e.message, 'sizes follow redis.conf: 1kb = 1024, 1k = 1000, 1mb = 1048576');
    throw e;
  }
  if (!Number.isInteger(n)) throw new ValueError(`expected a whole number of bytes, got ${quoted(text)}`);
  if (n < min) throw new ValueError(`expected a size of at least ${min} bytes, got ${quoted(text)}`);
  return n;
}

function oneOf<T extends string>(text: string, values: readonly T[]): T {
  const t = text.toLowerCase();
  const found = values.find((v) => v === t);
  if (found !== undefined) return found;
  const guess = didYouMean(t, values);
  throw new ValueError(
    `expected one of ${values.join(', ')}, got ${quoted(text)}`,
    guess !== undefined ? `did you mean ${guess}?` : undefined,
  );
}

/** `save ""` disables snapshots; otherwise "<seconds> <changes>" pairs, as config.c reads them. */
function savePoints(text: string): SavePoint[] {
  const words = text.trim().split(/\s+/).filter((w) => w !== '' && w !== '""');
  if (words.length === 0) return [];
  if (words.length % 2 !== 0) {
    throw new ValueError(`expected "<seconds> <changes>" pairs like "3600 1 300 100", or "" to disable, got ${quoted(text)}`);
  }
  const points: SavePoint[] = [];
  for (let i = 0; i < words.length; i += 2) {
    points.push({ seconds: integer(words[i]!, 1, INT_MAX), changes: integer(words[i + 1]!, 0, INT_MAX) });
  }
  return points;
}

/**
 * "replica 256mb 64mb 60", possibly with other classes in the same line as CONFIG GET
 * prints it. Only the replica class affects replication; normal and pubsub are accepted
 * and ignored so a pasted CONFIG GET line works.
 */
function outputBufferLimit(text: string): Partial<RedisConfig> {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words.length % 4 !== 0) {
    throw new ValueError(`expected "<class> <hard> <soft> <soft-seconds>" like "replica 256mb 64mb 60", got ${quoted(text)}`);
  }
  let replica: OutputBufferLimit | undefined;
  for (let i = 0; i < words.length; i += 4) {
    const cls = oneOf(words[i]!, ['replica', 'slave', 'normal', 'pubsub'] as const);
    const limit: OutputBufferLimit = {
      hardBytes: memory(words[i + 1]!, 0),
      softBytes: memory(words[i + 2]!, 0),
      softSeconds: integer(words[i + 3]!, 0, INT_MAX),
    };
    if (cls === 'replica' || cls === 'slave') replica = limit;
  }
  return replica ? { clientOutputBufferLimitReplica: replica } : {};
}

function replicaof(text: string): Partial<RedisConfig> {
  const words = text.trim().split(/\s+/);
  if (words.length === 2 && words[0]!.toLowerCase() === 'no' && words[1]!.toLowerCase() === 'one') return { replicaof: null };
  if (words.length !== 2 || words[0] === '') throw new ValueError(`expected "<host> <port>", got ${quoted(text)}`);
  return { replicaof: { host: words[0]!, port: integer(words[1]!, 0, 65535) } };
}

const yn = (b: boolean): string => (b ? 'yes' : 'no');

function boolOption(name: string, field: keyof RedisConfig, aliases: string[] = []): RedisOption {
  return {
    name, aliases, immutable: false, expects: 'yes or no',
    parse: (t) => ({ [field]: yesNo(t) }),
    format: (c) => yn(c[field] as boolean),
  };
}

function intOption(name: string, field: keyof RedisConfig, min: number, max: number, aliases: string[] = []): RedisOption {
  return {
    name, aliases, immutable: false, expects: `an integer from ${min} to ${max}`,
    parse: (t) => ({ [field]: integer(t, min, max) }),
    format: (c) => String(c[field]),
  };
}

function memoryOption(name: string, field: keyof RedisConfig, min: number): RedisOption {
  return {
    name, aliases: [], immutable: false, expects: 'a size like 1mb (1048576), 64kb, 1m (1000000) or bytes',
    parse: (t) => ({ [field]: memory(t, min) }),
    format: (c) => String(c[field]),
  };
}

function enumOption<T extends string>(name: string, field: keyof RedisConfig, values: readonly T[]): RedisOption {
  return {
    name, aliases: [], immutable: false, expects: `one of ${values.join(', ')}`,
    parse: (t) => ({ [field]: oneOf(t, values) }),
    format: (c) => String(c[field]),
  };
}

export const REDIS_OPTIONS: readonly RedisOption[] = [
  intOption('port', 'port', 0, 65535),
  {
    name: 'replicaof', aliases: ['slaveof'], immutable: true, expects: '"<host> <port>"',
    parse: replicaof,
    format: (c) => (c.replicaof ? `${c.replicaof.host} ${c.replicaof.port}` : ''),
  },
  {
    name: 'masterauth', aliases: [], immutable: false, expects: 'a password',
    parse: (t) => ({ masterauth: t === '' ? null : t }),
    format: (c) => c.masterauth ?? '',
  },
  {
    name: 'requirepass', aliases: [], immutable: false, expects: 'a password',
    parse: (t) => ({ requirepass: t === '' ? null : t }),
    format: (c) => c.requirepass ?? '',
  },
  boolOption('replica-serve-stale-data', 'replicaServeStaleData', ['slave-serve-stale-data']),
  boolOption('replica-read-only', 'replicaReadOnly', ['slave-read-only']),
  boolOption('repl-diskless-sync', 'replDisklessSync'),
  intOption('repl-diskless-sync-delay', 'replDisklessSyncDelaySec', 0, INT_MAX),
  intOption('repl-diskless-sync-max-replicas', 'replDisklessSyncMaxReplicas', 0, INT_MAX),
  enumOption('repl-diskless-load', 'replDisklessLoad', ['disabled', 'on-empty-db', 'swapdb'] as const),
  intOption('repl-ping-replica-period', 'replPingReplicaPeriodSec', 1, INT_MAX, ['repl-ping-slave-period']),
  intOption('repl-timeout', 'replTimeoutSec', 1, INT_MAX),
  // A long long in Redis (createLongLongConfig, 0..LONG_MAX); scripts are the only busy source here.
  intOption('busy-reply-threshold', 'busyReplyThresholdMs', 0, Number.MAX_SAFE_INTEGER, ['lua-time-limit']),
  // Redis accepts ≥ 1 here and clamps the real backlog to 16kb (CONFIG_REPL_BACKLOG_MIN_SIZE) internally.
  memoryOption('repl-backlog-size', 'replBacklogSizeBytes', 1),
  intOption('repl-backlog-ttl', 'replBacklogTtlSec', 0, INT_MAX),
  intOption('replica-priority', 'replicaPriority', 0, INT_MAX, ['slave-priority']),
  boolOption('replica-announced', 'replicaAnnounced'),
  {
    name: 'replica-announce-ip', aliases: ['slave-announce-ip'], immutable: false, expects: 'an address',
    parse: (t) => ({ replicaAnnounceIp: t === '' ? null : t }),
    format: (c) => c.replicaAnnounceIp ?? '',
  },
  intOption('replica-announce-port', 'replicaAnnouncePort', 0, 65535, ['slave-announce-port']),
  intOption('min-replicas-to-write', 'minReplicasToWrite', 0, INT_MAX, ['min-slaves-to-write']),
  intOption('min-replicas-max-lag', 'minReplicasMaxLagSec', 0, INT_MAX, ['min-slaves-max-lag']),
  boolOption('replica-lazy-flush', 'replicaLazyFlush', ['slave-lazy-flush']),
  boolOption('replica-ignore-maxmemory', 'replicaIgnoreMaxmemory', ['slave-ignore-maxmemory']),
  {
    name: 'client-output-buffer-limit', aliases: [], immutable: false, expects: '"replica <hard> <soft> <soft-seconds>"',
    parse: outputBufferLimit,
    format: (c) => {
      const l = c.clientOutputBufferLimitReplica;
      return `replica ${l.hardBytes} ${l.softBytes} ${l.softSeconds}`;
    },
  },
  boolOption('rdb-del-sync-files', 'rdbDelSyncFiles'),
  {
    name: 'save', aliases: [], immutable: false, expects: '"<seconds> <changes> …" or "" (no snapshots)',
    parse: (t) => ({ save: savePoints(t) }),
    format: (c) => c.save.map((p) => `${p.seconds} ${p.changes}`).join(' '),
  },
  boolOption('appendonly', 'appendonly'),
  enumOption('appendfsync', 'appendfsync', ['always', 'everysec', 'no'] as const),
  intOption('shutdown-timeout', 'shutdownTimeoutSec', 0, INT_MAX),
  boolOption('lazyfree-lazy-expire', 'lazyfreeLazyExpire'),
  boolOption('lazyfree-lazy-user-del', 'lazyfreeLazyUserDel'),
  boolOption('lazyfree-lazy-eviction', 'lazyfreeLazyEviction'),
  memoryOption('maxmemory', 'maxmemoryBytes', 0),
  enumOption('maxmemory-policy', 'maxmemoryPolicy', [
    'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
    'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction',
  ] as const),
  {
    // config.c accepts any int and serverCron clamps it to [CONFIG_MIN_HZ, CONFIG_MAX_HZ] = [1, 500].
    name: 'hz', aliases: [], immutable: false, expects: 'an integer (clamped to 1…500 like Redis)',
    parse: (t) => ({ hz: Math.min(500, Math.max(1, integer(t, 0, INT_MAX))) }),
    format: (c) => String(c.hz),
  },
  { ...intOption('databases', 'databases', 1, INT_MAX), immutable: true },
  boolOption('rdbcompression', 'rdbcompression'),
  boolOption('stop-writes-on-bgsave-error', 'stopWritesOnBgsaveError'),
  // Not a redis.conf option: DEBUG SET-ACTIVE-EXPIRE 0|1, exposed so scenarios can turn off the expire cycle.
  boolOption('active-expire', 'activeExpireEnabled'),
];

/**
 * redis.conf names and values (as a scenario file writes them) → Partial<RedisConfig>.
 * Unknown names are errors with a did-you-mean; real Redis options that the model does not
 * simulate are errors too, so nobody believes `tcp-keepalive: 30` changed a run.
 * The option table itself is in config-options.ts.
 */
import { didYouMean } from '../engine/index.js';
import { REDIS_OPTIONS, ValueError, type RedisOption } from './config-options.js';
import { defaultRedisConfig, type RedisConfig } from './config.js';

export class ConfigError extends Error {
  constructor(
    /** The option as written. */
    readonly option: string,
    message: string,
    readonly hint?: string,
    /** Whether the name or the value is at fault (the loader points at the key or the value). */
    readonly reason: 'unknown-option' | 'not-modelled' | 'bad-value' = 'bad-value',
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Canonical redis.conf names replsim models, in table order. */
export const KNOWN_REDIS_OPTIONS: readonly string[] = REDIS_OPTIONS.map((o) => o.name);

/** Older spellings Redis still accepts → canonical name. */
export const REDIS_OPTION_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  REDIS_OPTIONS.flatMap((o) => o.aliases.map((a) => [a, o.name])),
);

/**
 * Real Redis 7.0 options that do not change anything replsim simulates. Listed so that
 * the error can say "real, but not modelled" instead of "unknown".
 */
export const UNMODELLED_REDIS_OPTIONS: readonly string[] = [
  'bind', 'bind-source-addr', 'protected-mode', 'tcp-backlog', 'unixsocket', 'unixsocketperm', 'timeout',
  'tcp-keepalive', 'daemonize', 'supervised', 'pidfile', 'loglevel', 'logfile', 'syslog-enabled', 'syslog-ident',
  'crash-log-enabled', 'crash-memcheck-enabled', 'always-show-logo', 'set-proc-title', 'proc-title-template',
  'locale-collate', 'sanitize-dump-payload', 'rdbchecksum', 'dbfilename', 'dir', 'masteruser',
  'repl-disable-tcp-nodelay', 'propagation-error-behavior', 'replica-ignore-disk-write-errors', 'tls-port',
  'tls-replication', 'tls-cluster', 'tls-cert-file', 'tls-key-file', 'tls-ca-cert-file', 'acllog-max-len',
  'aclfile', 'rename-command', 'maxclients', 'maxmemory-samples', 'maxmemory-eviction-tenacity', 'lazyfree-lazy-server-del',
  'lazyfree-lazy-user-flush', 'io-threads', 'io-threads-do-reads', 'oom-score-adj', 'oom-score-adj-values',
  'disable-thp', 'appendfilename', 'appenddirname', 'no-appendfsync-on-rewrite', 'auto-aof-rewrite-percentage',
  'auto-aof-rewrite-min-size', 'aof-load-truncated', 'aof-use-rdb-preamble', 'aof-timestamp-enabled',
  'shutdown-on-sigint', 'shutdown-on-sigterm', 'cluster-enabled',
  'cluster-config-file', 'cluster-node-timeout', 'slowlog-log-slower-than', 'slowlog-max-len',
  'latency-monitor-threshold', 'latency-tracking', 'notify-keyspace-events', 'hash-max-listpack-entries',
  'hash-max-listpack-value', 'list-max-listpack-size', 'list-compress-depth', 'set-max-intset-entries',
  'zset-max-listpack-entries', 'zset-max-listpack-value', 'hll-sparse-max-bytes', 'stream-node-max-bytes',
  'stream-node-max-entries', 'activerehashing', 'client-query-buffer-limit', 'proto-max-bulk-len', 'dynamic-hz',
  'aof-rewrite-incremental-fsync', 'rdb-save-incremental-fsync', 'lfu-log-factor', 'lfu-decay-time',
  'activedefrag', 'jemalloc-bg-thread', 'enable-protected-configs', 'enable-debug-command', 'enable-module-command',
  'loadmodule', 'include', 'ignore-warnings', 'active-expire-effort',
];

const BY_NAME = new Map<string, RedisOption>();
for (const o of REDIS_OPTIONS) {
  BY_NAME.set(o.name, o);
  for (const a of o.aliases) BY_NAME.set(a, o);
}
const UNMODELLED = new Set(UNMODELLED_REDIS_OPTIONS);

/** The option spec for a name or alias (case-insensitive like Redis), or undefined. */
export function lookupRedisOption(name: string): RedisOption | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/**
 * A YAML scalar as redis.conf text: strings as written, numbers in decimal, booleans as
 * yes/no (YAML 1.2 reads `yes` as a string but `true` as a boolean), null (`save:`) as "".
 */
export function configValueText(option: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw === 'boolean') return raw ? 'yes' : 'no';
  if (raw === null || raw === undefined) return '';
  throw new ConfigError(option, `expected a redis.conf value (a string, number or yes/no), got ${Array.isArray(raw) ? 'a list' : 'a map'}`,
    'write the value as redis.conf would, e.g. "replica 256mb 64mb 60" or "3600 1 300 100"');
}

/** Throws ConfigError for a name that replsim does not accept. */
export function resolveRedisOption(name: string): RedisOption {
  const spec = lookupRedisOption(name);
  if (spec) return spec;
  const lower = name.toLowerCase();
  if (UNMODELLED.has(lower) || lower.startsWith('tls-') || lower.startsWith('cluster-')) {
    throw new ConfigError(name, `"${name}" is a real Redis option that replsim does not model`,
      'remove it: only options that change replication behaviour are simulated (scenarios/FORMAT.md lists them)', 'not-modelled');
  }
  const guess = didYouMean(lower, [...KNOWN_REDIS_OPTIONS, ...Object.keys(REDIS_OPTION_ALIASES)]);
  throw new ConfigError(name, `unknown redis.conf option "${name}"`,
    guess !== undefined ? `did you mean ${guess}?` : 'scenarios/FORMAT.md lists the options replsim models', 'unknown-option');
}

/** One option: name (or alias) and raw value → the fields it sets. */
export function parseRedisConfigOption(name: string, raw: unknown): Partial<RedisConfig> {
  const spec = resolveRedisOption(name);
  const text = configValueText(name, raw);
  try {
    return spec.parse(text);
  } catch (e) {
    if (e instanceof ValueError) throw new ConfigError(name, e.message, e.hint);
    throw e;
  }
}

/**
 * A whole `config:` map. Throws ConfigError on the first bad option (in map order), and
 * when one option is given twice through an alias (`slave-read-only` and `replica-read-only`).
 */
export function parseRedisConfig(raw: Record<string, unknown>): Partial<RedisConfig> {
  const out: Partial<RedisConfig> = {};
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    const spec = resolveRedisOption(name);
    const earlier = seen.get(spec.name);
    if (earlier !== undefined) {
      throw new ConfigError(name, `"${name}" sets the same option as "${earlier}"`, 'keep one of them');
    }
    seen.set(spec.name, name);
    Object.assign(out, parseRedisConfigOption(name, value));
  }
  return out;
}

/**
 * The CONFIG GET text of an option under a (partial) config, defaults filling the gaps:
 * sizes in bytes, booleans yes/no. Undefined for names replsim does not model.
 */
export function formatConfigValue(option: string, config: Partial<RedisConfig> = {}): string | undefined {
  const spec = lookupRedisOption(option);
  if (!spec) return undefined;
  return spec.format({ ...defaultRedisConfig(), ...config });
}

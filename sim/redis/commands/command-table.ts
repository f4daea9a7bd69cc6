/**
 * The command table: name, arity and flags of every command the model knows, copied from
 * Redis 7.0.15's generated src/commands.c (sentinel-only flags dropped), so the server can
 * apply processCommand's gates exactly: unknown command, arity, -READONLY (write),
 * -MASTERDOWN (no stale flag), -LOADING (no loading flag), -OOM (denyoom), -NOREPLICAS.
 *
 * `executor` says who runs it: 'keyspace' commands are run by executeCommand (commands.ts);
 * 'server' commands (MULTI/EXEC, WAIT, INFO, REPLICAOF, CONFIG, CLIENT, ROLE, SHUTDOWN,
 * SYNC/PSYNC/REPLCONF, …) are looked up here but executed by the server, and
 * executeCommand throws ServerCommandError for them. DEBUG is split: executeCommand runs
 * POPULATE, DIGEST, DIGEST-VALUE and throws for the rest (SLEEP, SET-ACTIVE-EXPIRE, …).
 */
import { err, errArity, type Reply } from '../protocol/reply.js';

export interface CommandFlags {
  readonly write: boolean;
  readonly readonly: boolean;
  readonly denyOom: boolean;
  /** Allowed while the master link is down with replica-serve-stale-data no. */
  readonly stale: boolean;
  /** Allowed while loading an RDB. */
  readonly loading: boolean;
  readonly fast?: boolean;
  readonly admin?: boolean;
  readonly noscript?: boolean;
  readonly pubsub?: boolean;
  readonly noMulti?: boolean;
  readonly noAsyncLoading?: boolean;
  readonly mayReplicate?: boolean;
  readonly touchesArbitraryKeys?: boolean;
  readonly allowBusy?: boolean;
  readonly noAuth?: boolean;
  readonly protected?: boolean;
}

export interface CommandSpec {
  /** Lower-case name (subcommands: just the subcommand, e.g. 'get'). */
  readonly name: string;
  /** Redis's fullname, used in error texts: 'set', 'config|get'. */
  readonly fullname: string;
  /** Redis convention: N = exactly N arguments including the name, -N = at least N. */
  readonly arity: number;
  readonly flags: CommandFlags;
  readonly executor: 'keyspace' | 'server';
  /** Container commands (CONFIG, CLIENT, COMMAND): their subcommands by lower-case name. */
  readonly subcommands?: ReadonlyMap<string, CommandSpec>;
}

type Row = [name: string, arity: number, flags: string, executor: 'keyspace' | 'server', subs?: Array<[string, number, string]>];

// Generated from commands.c at 7.0.15; keep in that form when adding commands.
const ROWS: Row[] = [
  ['set', -3, 'write denyoom', 'keyspace'],
  ['setex', 4, 'write denyoom', 'keyspace'],
  ['psetex', 4, 'write denyoom', 'keyspace'],
  ['setnx', 3, 'write denyoom fast', 'keyspace'],
  ['get', 2, 'readonly fast', 'keyspace'],
  ['getset', 3, 'write denyoom fast', 'keyspace'],
  ['getdel', 2, 'write fast', 'keyspace'],
  ['getex', -2, 'write fast', 'keyspace'],
  ['mset', -3, 'write denyoom', 'keyspace'],
  ['msetnx', -3, 'write denyoom', 'keyspace'],
  ['mget', -2, 'readonly fast', 'keyspace'],
  ['del', -2, 'write', 'keyspace'],
  ['unlink', -2, 'write fast', 'keyspace'],
  ['exists', -2, 'readonly fast', 'keyspace'],
  ['touch', -2, 'readonly fast', 'keyspace'],
  ['incr', 2, 'write denyoom fast', 'keyspace'],
  ['incrby', 3, 'write denyoom fast', 'keyspace'],
  ['decr', 2, 'write denyoom fast', 'keyspace'],
  ['decrby', 3, 'write denyoom fast', 'keyspace'],
  ['incrbyfloat', 3, 'write denyoom fast', 'keyspace'],
  ['append', 3, 'write denyoom fast', 'keyspace'],
  ['strlen', 2, 'readonly fast', 'keyspace'],
  ['getrange', 4, 'readonly', 'keyspace'],
  ['setrange', 4, 'write denyoom', 'keyspace'],
  ['rename', 3, 'write', 'keyspace'],
  ['renamenx', 3, 'write fast', 'keyspace'],
  ['copy', -3, 'write denyoom', 'keyspace'],
  ['expire', -3, 'write fast', 'keyspace'],
  ['pexpire', -3, 'write fast', 'keyspace'],
  ['expireat', -3, 'write fast', 'keyspace'],
  ['pexpireat', -3, 'write fast', 'keyspace'],
  ['persist', 2, 'write fast', 'keyspace'],
  ['ttl', 2, 'readonly fast', 'keyspace'],
  ['pttl', 2, 'readonly fast', 'keyspace'],
  ['expiretime', 2, 'readonly fast', 'keyspace'],
  ['pexpiretime', 2, 'readonly fast', 'keyspace'],
  ['type', 2, 'readonly fast', 'keyspace'],
  ['dbsize', 1, 'readonly fast', 'keyspace'],
  ['flushdb', -1, 'write', 'keyspace'],
  ['flushall', -1, 'write', 'keyspace'],
  ['select', 2, 'loading stale fast', 'keyspace'],
  ['swapdb', 3, 'write fast', 'keyspace'],
  ['keys', 2, 'readonly', 'keyspace'],
  ['randomkey', 1, 'readonly touches-arbitrary-keys', 'keyspace'],
  ['sadd', -3, 'write denyoom fast', 'keyspace'],
  ['srem', -3, 'write fast', 'keyspace'],
  ['spop', -2, 'write fast', 'keyspace'],
  ['smembers', 2, 'readonly', 'keyspace'],
  ['scard', 2, 'readonly fast', 'keyspace'],
  ['sismember', 3, 'readonly fast', 'keyspace'],
  ['smismember', -3, 'readonly fast', 'keyspace'],
  ['hset', -4, 'write denyoom fast', 'keyspace'],
  ['hmset', -4, 'write denyoom fast', 'keyspace'],
  ['hsetnx', 4, 'write denyoom fast', 'keyspace'],
  ['hget', 3, 'readonly fast', 'keyspace'],
  ['hmget', -3, 'readonly fast', 'keyspace'],
  ['hdel', -3, 'write fast', 'keyspace'],
  ['hlen', 2, 'readonly fast', 'keyspace'],
  ['hstrlen', 3, 'readonly fast', 'keyspace'],
  ['hexists', 3, 'readonly fast', 'keyspace'],
  ['hgetall', 2, 'readonly', 'keyspace'],
  ['hkeys', 2, 'readonly', 'keyspace'],
  ['hvals', 2, 'readonly', 'keyspace'],
  ['hincrby', 4, 'write denyoom fast', 'keyspace'],
  ['hincrbyfloat', 4, 'write denyoom fast', 'keyspace'],
  ['lpush', -3, 'write denyoom fast', 'keyspace'],
  ['rpush', -3, 'write denyoom fast', 'keyspace'],
  ['lpushx', -3, 'write denyoom fast', 'keyspace'],
  ['rpushx', -3, 'write denyoom fast', 'keyspace'],
  ['lpop', -2, 'write fast', 'keyspace'],
  ['rpop', -2, 'write fast', 'keyspace'],
  ['llen', 2, 'readonly fast', 'keyspace'],
  ['lrange', 4, 'readonly', 'keyspace'],
  ['lindex', 3, 'readonly', 'keyspace'],
  ['lset', 4, 'write denyoom', 'keyspace'],
  ['lrem', 4, 'write', 'keyspace'],
  ['ltrim', 4, 'write', 'keyspace'],
  ['linsert', 5, 'write denyoom', 'keyspace'],
  ['lmove', 5, 'write denyoom', 'keyspace'],
  ['rpoplpush', 3, 'write denyoom', 'keyspace'],
  ['blpop', -3, 'write noscript blocking', 'keyspace'],
  ['brpop', -3, 'write noscript blocking', 'keyspace'],
  ['blmove', 6, 'write denyoom noscript blocking', 'keyspace'],
  ['brpoplpush', 4, 'write denyoom noscript blocking', 'keyspace'],
  ['zadd', -4, 'write denyoom fast', 'keyspace'],
  ['zincrby', 4, 'write denyoom fast', 'keyspace'],
  ['zrem', -3, 'write fast', 'keyspace'],
  ['zscore', 3, 'readonly fast', 'keyspace'],
  ['zmscore', -3, 'readonly fast', 'keyspace'],
  ['zcard', 2, 'readonly fast', 'keyspace'],
  ['zrank', 3, 'readonly fast', 'keyspace'],
  ['zrevrank', 3, 'readonly fast', 'keyspace'],
  ['zcount', 4, 'readonly fast', 'keyspace'],
  ['zpopmin', -2, 'write fast', 'keyspace'],
  ['zpopmax', -2, 'write fast', 'keyspace'],
  ['zrange', -4, 'readonly', 'keyspace'],
  ['zrevrange', -4, 'readonly', 'keyspace'],
  ['zrangebyscore', -4, 'readonly', 'keyspace'],
  ['zrevrangebyscore', -4, 'readonly', 'keyspace'],
  ['scan', -2, 'readonly', 'keyspace'],
  ['sscan', -3, 'readonly', 'keyspace'],
  ['hscan', -3, 'readonly', 'keyspace'],
  ['zscan', -3, 'readonly', 'keyspace'],
  ['object', -2, '', 'keyspace', [['encoding', 3, 'readonly'], ['freq', 3, 'readonly'], ['help', 2, 'loading stale'], ['idletime', 3, 'readonly'], ['refcount', 3, 'readonly']]],
  ['xadd', -5, 'write denyoom fast', 'keyspace'],
  ['xlen', 2, 'readonly fast', 'keyspace'],
  ['xrange', -4, 'readonly', 'keyspace'],
  ['xrevrange', -4, 'readonly', 'keyspace'],
  ['xdel', -3, 'write fast', 'keyspace'],
  ['xtrim', -4, 'write', 'keyspace'],
  ['xread', -4, 'readonly blocking', 'keyspace'],
  ['xreadgroup', -7, 'write blocking', 'keyspace'],
  ['xack', -4, 'write fast', 'keyspace'],
  ['xclaim', -6, 'write fast', 'keyspace'],
  ['xautoclaim', -6, 'write fast', 'keyspace'],
  ['xpending', -3, 'readonly', 'keyspace'],
  ['xsetid', -3, 'write denyoom fast', 'keyspace'],
  ['xgroup', -2, '', 'keyspace', [['create', -5, 'write denyoom'], ['createconsumer', 5, 'write denyoom'], ['delconsumer', 5, 'write'], ['destroy', 4, 'write'], ['help', 2, 'loading stale'], ['setid', -5, 'write']]],
  ['xinfo', -2, '', 'keyspace', [['consumers', 4, 'readonly'], ['groups', 3, 'readonly'], ['help', 2, 'loading stale'], ['stream', -3, 'readonly']]],
  ['publish', 3, 'pubsub loading stale fast may-replicate', 'keyspace'],
  ['echo', 2, 'loading stale fast', 'keyspace'],
  ['ping', -1, 'fast', 'keyspace'],
  ['debug', -2, 'admin noscript loading stale protected', 'keyspace'],
  ['multi', 1, 'noscript loading stale fast allow-busy', 'server'],
  ['exec', 1, 'noscript loading stale skip-slowlog', 'server'],
  ['discard', 1, 'noscript loading stale fast allow-busy', 'server'],
  ['watch', -2, 'noscript loading stale fast allow-busy', 'server'],
  ['unwatch', 1, 'noscript loading stale fast allow-busy', 'server'],
  ['wait', 3, 'noscript', 'server'],
  ['info', -1, 'loading stale', 'server'],
  ['replicaof', 3, 'no-async-loading admin noscript stale', 'server'],
  ['slaveof', 3, 'no-async-loading admin noscript stale', 'server'],
  ['config', -2, '', 'server', [['get', -3, 'admin noscript loading stale'], ['help', 2, 'loading stale'], ['resetstat', 2, 'admin noscript loading stale'], ['rewrite', 2, 'admin noscript loading stale'], ['set', -4, 'admin noscript loading stale']]],
  ['client', -2, '', 'server', [['caching', 3, 'noscript loading stale'], ['getname', 2, 'noscript loading stale'], ['getredir', 2, 'noscript loading stale'], ['help', 2, 'loading stale'], ['id', 2, 'noscript loading stale'], ['info', 2, 'noscript loading stale'], ['kill', -3, 'admin noscript loading stale'], ['list', -2, 'admin noscript loading stale'], ['no-evict', 3, 'admin noscript loading stale'], ['pause', -3, 'admin noscript loading stale'], ['reply', 3, 'noscript loading stale'], ['setname', 3, 'noscript loading stale'], ['tracking', -3, 'noscript loading stale'], ['trackinginfo', 2, 'noscript loading stale'], ['unblock', -3, 'admin noscript loading stale'], ['unpause', 2, 'admin noscript loading stale']]],
  ['role', 1, 'noscript loading stale fast', 'server'],
  ['shutdown', -1, 'admin noscript loading stale no-multi allow-busy', 'server'],
  ['sync', 1, 'no-async-loading admin no-multi noscript', 'server'],
  ['psync', -3, 'no-async-loading admin no-multi noscript', 'server'],
  ['replconf', -1, 'admin noscript loading stale allow-busy', 'server'],
  ['failover', -1, 'admin noscript stale', 'server'],
  ['bgsave', -1, 'no-async-loading admin noscript', 'server'],
  ['save', 1, 'no-async-loading admin noscript no-multi', 'server'],
  ['bgrewriteaof', 1, 'no-async-loading admin noscript', 'server'],
  ['lastsave', 1, 'loading stale fast', 'server'],
  ['time', 1, 'loading stale fast', 'server'],
  ['command', -1, 'loading stale', 'server', [['count', 2, 'loading stale'], ['docs', -2, 'loading stale'], ['getkeys', -4, 'loading stale'], ['getkeysandflags', -4, 'loading stale'], ['help', 2, 'loading stale'], ['info', -2, 'loading stale'], ['list', -2, 'loading stale']]],
  ['auth', -2, 'noscript loading stale fast no-auth allow-busy', 'server'],
  ['hello', -1, 'noscript loading stale fast no-auth allow-busy', 'server'],
  ['quit', -1, 'allow-busy noscript loading stale fast no-auth', 'server'],
  ['reset', 1, 'noscript loading stale fast no-auth allow-busy', 'server'],
  ['subscribe', -2, 'pubsub noscript loading stale', 'server'],
  ['unsubscribe', -1, 'pubsub noscript loading stale', 'server'],
  ['psubscribe', -2, 'pubsub noscript loading stale', 'server'],
  ['punsubscribe', -1, 'pubsub noscript loading stale', 'server'],
  ['monitor', 1, 'admin noscript loading stale', 'server'],
  // Scripting (sim/redis/scripting/): keyspace executors, they run against the data.
  ['eval', -3, 'noscript skip-monitor may-replicate no-mandatory-keys stale', 'keyspace'],
  ['evalsha', -3, 'noscript skip-monitor may-replicate no-mandatory-keys stale', 'keyspace'],
  ['eval_ro', -3, 'noscript skip-monitor no-mandatory-keys stale readonly', 'keyspace'],
  ['evalsha_ro', -3, 'noscript skip-monitor no-mandatory-keys stale readonly', 'keyspace'],
  ['fcall', -3, 'noscript skip-monitor may-replicate no-mandatory-keys stale', 'keyspace'],
  ['fcall_ro', -3, 'noscript skip-monitor no-mandatory-keys stale readonly', 'keyspace'],
  ['function', -2, '', 'keyspace', [['delete', 3, 'noscript write'], ['dump', 2, 'noscript'], ['flush', -2, 'noscript write'], ['help', 2, 'loading stale'], ['kill', 2, 'noscript allow-busy'], ['list', -2, 'noscript'], ['load', -3, 'noscript write denyoom'], ['restore', -3, 'noscript write denyoom'], ['stats', 2, 'noscript allow-busy']]],
  ['script', -2, '', 'keyspace', [['debug', 3, 'noscript'], ['exists', -3, 'noscript'], ['flush', -2, 'noscript'], ['help', 2, 'loading stale'], ['kill', 2, 'noscript allow-busy'], ['load', 3, 'noscript stale']]],
];

function parseFlags(text: string): CommandFlags {
  const f = new Set(text.split(' ').filter((x) => x !== ''));
  return Object.freeze({
    write: f.has('write'),
    readonly: f.has('readonly'),
    denyOom: f.has('denyoom'),
    stale: f.has('stale'),
    loading: f.has('loading'),
    fast: f.has('fast'),
    admin: f.has('admin'),
    noscript: f.has('noscript'),
    pubsub: f.has('pubsub'),
    noMulti: f.has('no-multi'),
    noAsyncLoading: f.has('no-async-loading'),
    mayReplicate: f.has('may-replicate'),
    touchesArbitraryKeys: f.has('touches-arbitrary-keys'),
    allowBusy: f.has('allow-busy'),
    noAuth: f.has('no-auth'),
    protected: f.has('protected'),
  });
}

const TABLE = new Map<string, CommandSpec>();
for (const [name, arity, flags, executor, subs] of ROWS) {
  let subcommands: Map<string, CommandSpec> | undefined;
  if (subs) {
    subcommands = new Map();
    for (const [sub, subArity, subFlags] of subs) {
      subcommands.set(sub, Object.freeze({ name: sub, fullname: `${name}|${sub}`, arity: subArity, flags: parseFlags(subFlags), executor }));
    }
  }
  const spec: CommandSpec = Object.freeze({ name, fullname: name, arity, flags: parseFlags(flags), executor, ...(subcommands ? { subcommands } : {}) });
  TABLE.set(name, spec);
  // Also index the upper-case spelling: most clients send one of the two, and an exact
  // Map hit avoids a toLowerCase() allocation on the hot path.
  TABLE.set(name.toUpperCase(), spec);
}

/** The top-level command named `name`, case-insensitively. */
export function lookupCommand(name: string): CommandSpec | undefined {
  return TABLE.get(name) ?? TABLE.get(name.toLowerCase());
}

/**
 * Redis lookupCommand(argv): for a container command with at least one more argument,
 * the subcommand's spec (undefined if unknown); otherwise the command's.
 */
export function lookupCommandByArgv(argv: readonly string[]): CommandSpec | undefined {
  const base = lookupCommand(argv[0] ?? '');
  if (!base || !base.subcommands || argv.length === 1) return base;
  return base.subcommands.get(argv[1]!.toLowerCase());
}

/** All top-level specs, once each, in table order. */
export function allCommands(): CommandSpec[] {
  return [...new Set(TABLE.values())];
}

/**
 * processCommand's first two gates: the "unknown command" / "unknown subcommand" and
 * arity errors, with Redis's exact texts. Returns null when argv may run.
 */
export function checkCommand(argv: readonly string[]): Reply | null {
  const spec = lookupCommandByArgv(argv);
  if (!spec) return unknownCommandError(argv);
  return checkArity(spec, argv.length);
}

export function checkArity(spec: CommandSpec, argc: number): Reply | null {
  if ((spec.arity > 0 && spec.arity !== argc) || argc < -spec.arity) return errArity(spec.fullname);
  return null;
}

/** server.c commandCheckExistence's message. */
export function unknownCommandError(argv: readonly string[]): Reply {
  const name = argv[0] ?? '';
  const base = lookupCommand(name);
  let text: string;
  if (base?.subcommands && argv.length > 1) {
    text = `ERR unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${name.toUpperCase()} HELP.`;
  } else {
    let args = '';
    for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i]!.slice(0, 128 - args.length)}' `;
    text = `ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${args}`;
  }
  // Redis replaces newlines so the error stays one protocol line.
  return err(text.replace(/[\r\n]/g, ' '));
}

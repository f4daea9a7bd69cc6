/**
 * executeCommand: runs one data command against a keyspace, returns its reply and appends
 * what Redis would propagate to ctx.ops.
 *
 * It checks existence and arity itself (cheap, and the errors are Redis's), but none of
 * the server's gates (READONLY, MASTERDOWN, LOADING, NOREPLICAS, MULTI queueing): the
 * server applies those first, using lookupCommand / checkCommand from command-table.ts.
 * Commands the server executes (command-table executor 'server', and DEBUG subcommands
 * other than POPULATE/DIGEST/DIGEST-VALUE) throw ServerCommandError: routing one of them
 * here is a simulator bug and must be loud.
 *
 * Dispatch is one Map lookup (the table indexes lower- and upper-case names, so the usual
 * spellings need no toLowerCase) to a handler; handlers parse integers by hand and keep
 * closures and regexes off the hot path.
 */
import type { Reply } from '../protocol/reply.js';
import { lookupCommand, checkArity, unknownCommandError, type CommandSpec } from './command-table.js';
import { type ExecContext, ServerCommandError } from './exec-context.js';
import * as range from './commands-range.js';
import * as rename from './commands-rename.js';
import * as str from './commands-string.js';
import * as counter from './commands-counter.js';
import * as exp from './commands-expire.js';
import * as keys from './commands-keys.js';
import * as sets from './commands-set.js';
import * as hashes from './commands-hash.js';
import * as lists from './commands-list.js';
import * as zsets from './commands-zset.js';
import * as misc from './commands-misc.js';
import * as streams from './commands-stream.js';
import * as streamReads from './commands-stream-read.js';
import * as streamGroups from './commands-stream-groups.js';
import * as streamClaims from './commands-stream-claim.js';
import * as streamInfo from './commands-stream-info.js';
import * as scans from './commands-scan.js';
import * as objects from './commands-object.js';
import * as scripting from '../scripting/eval.js';
import * as functions from '../scripting/functions.js';

export type CommandHandler = (ctx: ExecContext, argv: string[]) => Reply;

const HANDLERS: Record<string, CommandHandler> = {
  set: str.setCommand,
  setex: str.setexCommand,
  psetex: str.psetexCommand,
  setnx: str.setnxCommand,
  get: str.getCommand,
  getset: str.getsetCommand,
  getdel: str.getdelCommand,
  getex: str.getexCommand,
  mset: str.msetCommand,
  msetnx: str.msetnxCommand,
  mget: str.mgetCommand,
  append: str.appendCommand,
  strlen: str.strlenCommand,
  getrange: range.getrangeCommand,
  setrange: range.setrangeCommand,
  rename: rename.renameCommand,
  renamenx: rename.renamenxCommand,
  copy: rename.copyCommand,
  incr: counter.incrCommand,
  decr: counter.decrCommand,
  incrby: counter.incrbyCommand,
  decrby: counter.decrbyCommand,
  incrbyfloat: counter.incrbyfloatCommand,
  expire: exp.expireCommand,
  pexpire: exp.pexpireCommand,
  expireat: exp.expireatCommand,
  pexpireat: exp.pexpireatCommand,
  persist: exp.persistCommand,
  ttl: exp.ttlCommand,
  pttl: exp.pttlCommand,
  expiretime: exp.expiretimeCommand,
  pexpiretime: exp.pexpiretimeCommand,
  del: keys.delCommand,
  unlink: keys.unlinkCommand,
  exists: keys.existsCommand,
  touch: keys.existsCommand,
  type: keys.typeCommand,
  dbsize: keys.dbsizeCommand,
  flushdb: keys.flushdbCommand,
  flushall: keys.flushallCommand,
  select: keys.selectCommand,
  swapdb: keys.swapdbCommand,
  keys: keys.keysCommand,
  randomkey: keys.randomkeyCommand,
  sadd: sets.saddCommand,
  srem: sets.sremCommand,
  spop: sets.spopCommand,
  smembers: sets.smembersCommand,
  scard: sets.scardCommand,
  sismember: sets.sismemberCommand,
  smismember: sets.smismemberCommand,
  hset: hashes.hsetCommand,
  hmset: hashes.hmsetCommand,
  hsetnx: hashes.hsetnxCommand,
  hget: hashes.hgetCommand,
  hmget: hashes.hmgetCommand,
  hdel: hashes.hdelCommand,
  hlen: hashes.hlenCommand,
  hstrlen: hashes.hstrlenCommand,
  hexists: hashes.hexistsCommand,
  hgetall: hashes.hgetallCommand,
  hkeys: hashes.hkeysCommand,
  hvals: hashes.hvalsCommand,
  hincrby: hashes.hincrbyCommand,
  hincrbyfloat: hashes.hincrbyfloatCommand,
  lpush: lists.lpushCommand,
  rpush: lists.rpushCommand,
  lpushx: lists.lpushxCommand,
  rpushx: lists.rpushxCommand,
  lpop: lists.lpopCommand,
  rpop: lists.rpopCommand,
  llen: lists.llenCommand,
  lrange: lists.lrangeCommand,
  lindex: lists.lindexCommand,
  lset: lists.lsetCommand,
  lrem: lists.lremCommand,
  ltrim: lists.ltrimCommand,
  linsert: lists.linsertCommand,
  lmove: lists.lmoveCommand,
  rpoplpush: lists.rpoplpushCommand,
  blpop: lists.blpopCommand,
  brpop: lists.brpopCommand,
  blmove: lists.blmoveCommand,
  brpoplpush: lists.brpoplpushCommand,
  zadd: zsets.zaddCommand,
  zincrby: zsets.zincrbyCommand,
  zrem: zsets.zremCommand,
  zscore: zsets.zscoreCommand,
  zmscore: zsets.zmscoreCommand,
  zcard: zsets.zcardCommand,
  zrank: zsets.zrankCommand,
  zrevrank: zsets.zrevrankCommand,
  zcount: zsets.zcountCommand,
  zpopmin: zsets.zpopminCommand,
  zpopmax: zsets.zpopmaxCommand,
  zrange: zsets.zrangeCommand,
  zrevrange: zsets.zrevrangeCommand,
  zrangebyscore: zsets.zrangebyscoreCommand,
  zrevrangebyscore: zsets.zrevrangebyscoreCommand,
  scan: scans.scanCommand,
  sscan: scans.sscanCommand,
  hscan: scans.hscanCommand,
  zscan: scans.zscanCommand,
  object: objects.objectCommand,
  xadd: streams.xaddCommand,
  xlen: streams.xlenCommand,
  xrange: streams.xrangeCommand,
  xrevrange: streams.xrevrangeCommand,
  xdel: streams.xdelCommand,
  xtrim: streams.xtrimCommand,
  xread: streamReads.xreadCommand,
  xreadgroup: streamReads.xreadCommand,
  xgroup: streamGroups.xgroupCommand,
  xsetid: streamGroups.xsetidCommand,
  xack: streamGroups.xackCommand,
  xpending: streamGroups.xpendingCommand,
  xclaim: streamClaims.xclaimCommand,
  xautoclaim: streamClaims.xautoclaimCommand,
  xinfo: streamInfo.xinfoCommand,
  ping: misc.pingCommand,
  echo: misc.echoCommand,
  publish: misc.publishCommand,
  debug: misc.debugCommand,
  eval: scripting.evalCommand,
  evalsha: scripting.evalShaCommand,
  eval_ro: scripting.evalRoCommand,
  evalsha_ro: scripting.evalShaRoCommand,
  script: scripting.scriptCommand,
  function: functions.functionCommand,
  fcall: functions.fcallCommand,
  fcall_ro: functions.fcallRoCommand,
};

/** Spec → handler, resolved once so the hot path is a single Map.get. */
const BY_SPEC = new Map<CommandSpec, CommandHandler>();
for (const [name, handler] of Object.entries(HANDLERS)) {
  const spec = lookupCommand(name);
  if (!spec || spec.executor !== 'keyspace') throw new Error(`command table and handlers disagree on '${name}'`);
  BY_SPEC.set(spec, handler);
}

export function executeCommand(ctx: ExecContext, argv: string[]): Reply {
  const spec = lookupCommand(argv[0] ?? '');
  if (spec === undefined) return unknownCommandError(argv);
  return executeSpec(ctx, spec, argv);
}

/** executeCommand once argv[0] is looked up (`spec`): the subcommand and arity checks, then the handler. */
export function executeSpec(ctx: ExecContext, spec: CommandSpec, argv: string[]): Reply {
  const handler = BY_SPEC.get(spec);
  if (handler === undefined) {
    if (spec.subcommands && argv.length > 1 && !spec.subcommands.has(argv[1]!.toLowerCase())) return unknownCommandError(argv);
    throw new ServerCommandError(spec.name);
  }
  const arityError = checkArity(spec, argv.length);
  if (arityError) return arityError;
  return handler(ctx, argv);
}

/**
 * executeCommand for a caller that has already looked `spec` up and checked its arity
 * (processCommand): the handler straight away, one Map.get instead of three lookups.
 */
export function executeLookedUp(ctx: ExecContext, spec: CommandSpec, argv: string[]): Reply {
  const handler = BY_SPEC.get(spec);
  return handler === undefined ? executeCommand(ctx, argv) : handler(ctx, argv);
}

/** Whether executeCommand runs this argv (rather than throwing ServerCommandError). */
export function isKeyspaceCommand(argv: readonly string[]): boolean {
  const spec = lookupCommand(argv[0] ?? '');
  if (!spec || spec.executor !== 'keyspace') return false;
  if (spec.name !== 'debug') return true;
  const sub = (argv[1] ?? '').toLowerCase();
  return sub === 'populate' || sub === 'digest' || sub === 'digest-value';
}

export { lookupCommand, lookupCommandByArgv, checkCommand, allCommands } from './command-table.js';
export type { CommandSpec, CommandFlags } from './command-table.js';
export type { ExecContext, PropagatedOp, ExecStats } from './exec-context.js';
export { ServerCommandError } from './exec-context.js';

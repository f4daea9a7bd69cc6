/**
 * Connection, pub/sub and debug commands that touch no replication state: PING, ECHO,
 * PUBLISH, and DEBUG POPULATE / DIGEST / DIGEST-VALUE. The other DEBUG subcommands
 * (SLEEP, SET-ACTIVE-EXPIRE, RELOAD, …) are the server's.
 */
import { ok, bulk, int, status, array, errArity, type Reply } from '../protocol/reply.js';
import { type ExecContext, expireIfNeeded, ServerCommandError } from './exec-context.js';
import { optionIs, parsePositiveLongArg } from './command-args.js';
import { redisDatasetDigest, redisValueDigest } from '../data/redis-digest.js';
import { PopulatedRange } from '../data/populated-range.js';

/** PING [message]: +PONG or the message as a bulk string (outside pub/sub mode). */
export function pingCommand(_ctx: ExecContext, argv: string[]): Reply {
  if (argv.length > 2) return errArity('ping');
  return argv.length === 1 ? status('PONG') : bulk(argv[1]!);
}

export function echoCommand(_ctx: ExecContext, argv: string[]): Reply {
  return bulk(argv[1]!);
}

/**
 * PUBLISH: delivered to this server's subscribers (ctx.publish, pubsub.ts; 0 receivers
 * without one), and forced to the replicas only (forceCommandPropagation(c, PROPAGATE_REPL)
 * outside cluster mode), so a replica's subscribers get it too; never to the AOF.
 */
export function publishCommand(ctx: ExecContext, argv: string[]): Reply {
  const receivers = ctx.publish ? ctx.publish(argv[1]!, argv[2]!) : 0;
  ctx.ops.push({ db: ctx.db, argv, replOnly: true });
  return int(receivers);
}

export function debugCommand(ctx: ExecContext, argv: string[]): Reply {
  const sub = argv[1]!;
  if (optionIs(sub, 'populate') && argv.length >= 3 && argv.length <= 5) return debugPopulate(ctx, argv);
  if (optionIs(sub, 'digest') && argv.length === 2) {
    return status(redisDatasetDigest((visit) => ctx.keyspace.forEachEntry(visit)));
  }
  if (optionIs(sub, 'digest-value')) {
    // Like Redis, a raw lookup: logically expired keys are digested too.
    const items: Reply[] = [];
    for (let j = 2; j < argv.length; j++) {
      const key = argv[j]!;
      items.push(status(redisValueDigest(key, ctx.keyspace.get(ctx.db, key), ctx.keyspace.getExpire(ctx.db, key) !== -1)));
    }
    return array(items);
  }
  throw new ServerCommandError(`debug ${sub.toLowerCase()}`);
}

/**
 * DEBUG POPULATE count [prefix] [size]. Not propagated (it does not touch server.dirty),
 * which is why Redis's tests populate a master before its replicas full-sync. Each key is
 * looked up for write first, so on a master an expired `prefix:<i>` is expired (and its
 * DEL propagated) and then re-created.
 */
function debugPopulate(ctx: ExecContext, argv: string[]): Reply {
  const count = parsePositiveLongArg(argv[2]!);
  if (typeof count !== 'number') return count;
  let size = 0;
  if (argv.length === 5) {
    const s = parsePositiveLongArg(argv[4]!);
    if (typeof s !== 'number') return s;
    size = s;
  }
  const prefix = argv.length >= 4 ? argv[3]! : 'key';
  const ks = ctx.keyspace;
  if (ks.expiresCount(ctx.db) > 0) {
    // Only keys with a TTL can be expired: walk those rather than all `count` names.
    const probe = new PopulatedRange(prefix, 0, count, size);
    const candidates: string[] = [];
    for (const [key] of ks.volatileKeys(ctx.db)) if (probe.indexOf(key) >= 0) candidates.push(key);
    for (const key of candidates) expireIfNeeded(ctx, key, true);
  }
  ks.populate(ctx.db, count, prefix, size);
  return ok();
}

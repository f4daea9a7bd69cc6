/**
 * Where the keys are in a command's arguments: Redis 7.0.15's key specs (src/commands/*.json,
 * generated into commands.c), evaluated as getKeysUsingKeySpecs does — a begin search (an
 * index, or a keyword searched from an index) and a find-keys rule (a range with a step and a
 * limit, or a count of keys read from an argument). Specs of keys that are not keys
 * (NOT_KEY) are left out, and so are SORT's BY/GET/STORE specs, which Redis marks unknown and
 * finds with sortGetKeys. Used by the MONITOR replay to sample and rename keys.
 */

type BeginSearch = number | [keyword: string, startfrom: number];
type FindKeys = ['range', lastkey: number, step: number, limit: number] | ['keynum', keynumidx: number, firstkey: number, step: number];
type KeySpec = [BeginSearch, FindKeys];

// Generated from src/commands/*.json at 7.0.15: [command or container|subcommand, ...key specs].
const SPECS: Array<[string, ...KeySpec[]]> = [
  ['append', [1, ['range', 0, 1, 0]]],
  ['bitcount', [1, ['range', 0, 1, 0]]],
  ['bitfield', [1, ['range', 0, 1, 0]]],
  ['bitfield_ro', [1, ['range', 0, 1, 0]]],
  ['bitop', [2, ['range', 0, 1, 0]], [3, ['range', -1, 1, 0]]],
  ['bitpos', [1, ['range', 0, 1, 0]]],
  ['blmove', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['blmpop', [2, ['keynum', 0, 1, 1]]],
  ['blpop', [1, ['range', -2, 1, 0]]],
  ['brpop', [1, ['range', -2, 1, 0]]],
  ['brpoplpush', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['bzmpop', [2, ['keynum', 0, 1, 1]]],
  ['bzpopmax', [1, ['range', -2, 1, 0]]],
  ['bzpopmin', [1, ['range', -2, 1, 0]]],
  ['copy', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['decr', [1, ['range', 0, 1, 0]]],
  ['decrby', [1, ['range', 0, 1, 0]]],
  ['del', [1, ['range', -1, 1, 0]]],
  ['dump', [1, ['range', 0, 1, 0]]],
  ['eval', [2, ['keynum', 0, 1, 1]]],
  ['eval_ro', [2, ['keynum', 0, 1, 1]]],
  ['evalsha', [2, ['keynum', 0, 1, 1]]],
  ['evalsha_ro', [2, ['keynum', 0, 1, 1]]],
  ['exists', [1, ['range', -1, 1, 0]]],
  ['expire', [1, ['range', 0, 1, 0]]],
  ['expireat', [1, ['range', 0, 1, 0]]],
  ['expiretime', [1, ['range', 0, 1, 0]]],
  ['fcall', [2, ['keynum', 0, 1, 1]]],
  ['fcall_ro', [2, ['keynum', 0, 1, 1]]],
  ['geoadd', [1, ['range', 0, 1, 0]]],
  ['geodist', [1, ['range', 0, 1, 0]]],
  ['geohash', [1, ['range', 0, 1, 0]]],
  ['geopos', [1, ['range', 0, 1, 0]]],
  ['georadius', [1, ['range', 0, 1, 0]], [['STORE', 6], ['range', 0, 1, 0]], [['STOREDIST', 6], ['range', 0, 1, 0]]],
  ['georadius_ro', [1, ['range', 0, 1, 0]]],
  ['georadiusbymember', [1, ['range', 0, 1, 0]], [['STORE', 5], ['range', 0, 1, 0]], [['STOREDIST', 5], ['range', 0, 1, 0]]],
  ['georadiusbymember_ro', [1, ['range', 0, 1, 0]]],
  ['geosearch', [1, ['range', 0, 1, 0]]],
  ['geosearchstore', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['get', [1, ['range', 0, 1, 0]]],
  ['getbit', [1, ['range', 0, 1, 0]]],
  ['getdel', [1, ['range', 0, 1, 0]]],
  ['getex', [1, ['range', 0, 1, 0]]],
  ['getrange', [1, ['range', 0, 1, 0]]],
  ['getset', [1, ['range', 0, 1, 0]]],
  ['hdel', [1, ['range', 0, 1, 0]]],
  ['hexists', [1, ['range', 0, 1, 0]]],
  ['hget', [1, ['range', 0, 1, 0]]],
  ['hgetall', [1, ['range', 0, 1, 0]]],
  ['hincrby', [1, ['range', 0, 1, 0]]],
  ['hincrbyfloat', [1, ['range', 0, 1, 0]]],
  ['hkeys', [1, ['range', 0, 1, 0]]],
  ['hlen', [1, ['range', 0, 1, 0]]],
  ['hmget', [1, ['range', 0, 1, 0]]],
  ['hmset', [1, ['range', 0, 1, 0]]],
  ['hrandfield', [1, ['range', 0, 1, 0]]],
  ['hscan', [1, ['range', 0, 1, 0]]],
  ['hset', [1, ['range', 0, 1, 0]]],
  ['hsetnx', [1, ['range', 0, 1, 0]]],
  ['hstrlen', [1, ['range', 0, 1, 0]]],
  ['hvals', [1, ['range', 0, 1, 0]]],
  ['incr', [1, ['range', 0, 1, 0]]],
  ['incrby', [1, ['range', 0, 1, 0]]],
  ['incrbyfloat', [1, ['range', 0, 1, 0]]],
  ['lcs', [1, ['range', 1, 1, 0]]],
  ['lindex', [1, ['range', 0, 1, 0]]],
  ['linsert', [1, ['range', 0, 1, 0]]],
  ['llen', [1, ['range', 0, 1, 0]]],
  ['lmove', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['lmpop', [1, ['keynum', 0, 1, 1]]],
  ['lpop', [1, ['range', 0, 1, 0]]],
  ['lpos', [1, ['range', 0, 1, 0]]],
  ['lpush', [1, ['range', 0, 1, 0]]],
  ['lpushx', [1, ['range', 0, 1, 0]]],
  ['lrange', [1, ['range', 0, 1, 0]]],
  ['lrem', [1, ['range', 0, 1, 0]]],
  ['lset', [1, ['range', 0, 1, 0]]],
  ['ltrim', [1, ['range', 0, 1, 0]]],
  ['memory|usage', [2, ['range', 0, 1, 0]]],
  ['mget', [1, ['range', -1, 1, 0]]],
  ['migrate', [3, ['range', 0, 1, 0]], [['KEYS', -2], ['range', -1, 1, 0]]],
  ['move', [1, ['range', 0, 1, 0]]],
  ['mset', [1, ['range', -1, 2, 0]]],
  ['msetnx', [1, ['range', -1, 2, 0]]],
  ['object|encoding', [2, ['range', 0, 1, 0]]],
  ['object|freq', [2, ['range', 0, 1, 0]]],
  ['object|idletime', [2, ['range', 0, 1, 0]]],
  ['object|refcount', [2, ['range', 0, 1, 0]]],
  ['persist', [1, ['range', 0, 1, 0]]],
  ['pexpire', [1, ['range', 0, 1, 0]]],
  ['pexpireat', [1, ['range', 0, 1, 0]]],
  ['pexpiretime', [1, ['range', 0, 1, 0]]],
  ['pfadd', [1, ['range', 0, 1, 0]]],
  ['pfcount', [1, ['range', -1, 1, 0]]],
  ['pfdebug', [2, ['range', 0, 1, 0]]],
  ['pfmerge', [1, ['range', 0, 1, 0]], [2, ['range', -1, 1, 0]]],
  ['psetex', [1, ['range', 0, 1, 0]]],
  ['pttl', [1, ['range', 0, 1, 0]]],
  ['rename', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['renamenx', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['restore', [1, ['range', 0, 1, 0]]],
  ['restore-asking', [1, ['range', 0, 1, 0]]],
  ['rpop', [1, ['range', 0, 1, 0]]],
  ['rpoplpush', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['rpush', [1, ['range', 0, 1, 0]]],
  ['rpushx', [1, ['range', 0, 1, 0]]],
  ['sadd', [1, ['range', 0, 1, 0]]],
  ['scard', [1, ['range', 0, 1, 0]]],
  ['sdiff', [1, ['range', -1, 1, 0]]],
  ['sdiffstore', [1, ['range', 0, 1, 0]], [2, ['range', -1, 1, 0]]],
  ['set', [1, ['range', 0, 1, 0]]],
  ['setbit', [1, ['range', 0, 1, 0]]],
  ['setex', [1, ['range', 0, 1, 0]]],
  ['setnx', [1, ['range', 0, 1, 0]]],
  ['setrange', [1, ['range', 0, 1, 0]]],
  ['sinter', [1, ['range', -1, 1, 0]]],
  ['sintercard', [1, ['keynum', 0, 1, 1]]],
  ['sinterstore', [1, ['range', 0, 1, 0]], [2, ['range', -1, 1, 0]]],
  ['sismember', [1, ['range', 0, 1, 0]]],
  ['smembers', [1, ['range', 0, 1, 0]]],
  ['smismember', [1, ['range', 0, 1, 0]]],
  ['smove', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['sort', [1, ['range', 0, 1, 0]]],
  ['sort_ro', [1, ['range', 0, 1, 0]]],
  ['spop', [1, ['range', 0, 1, 0]]],
  ['srandmember', [1, ['range', 0, 1, 0]]],
  ['srem', [1, ['range', 0, 1, 0]]],
  ['sscan', [1, ['range', 0, 1, 0]]],
  ['strlen', [1, ['range', 0, 1, 0]]],
  ['substr', [1, ['range', 0, 1, 0]]],
  ['sunion', [1, ['range', -1, 1, 0]]],
  ['sunionstore', [1, ['range', 0, 1, 0]], [2, ['range', -1, 1, 0]]],
  ['touch', [1, ['range', -1, 1, 0]]],
  ['ttl', [1, ['range', 0, 1, 0]]],
  ['type', [1, ['range', 0, 1, 0]]],
  ['unlink', [1, ['range', -1, 1, 0]]],
  ['watch', [1, ['range', -1, 1, 0]]],
  ['xack', [1, ['range', 0, 1, 0]]],
  ['xadd', [1, ['range', 0, 1, 0]]],
  ['xautoclaim', [1, ['range', 0, 1, 0]]],
  ['xclaim', [1, ['range', 0, 1, 0]]],
  ['xdel', [1, ['range', 0, 1, 0]]],
  ['xgroup|create', [2, ['range', 0, 1, 0]]],
  ['xgroup|createconsumer', [2, ['range', 0, 1, 0]]],
  ['xgroup|delconsumer', [2, ['range', 0, 1, 0]]],
  ['xgroup|destroy', [2, ['range', 0, 1, 0]]],
  ['xgroup|setid', [2, ['range', 0, 1, 0]]],
  ['xinfo|consumers', [2, ['range', 0, 1, 0]]],
  ['xinfo|groups', [2, ['range', 0, 1, 0]]],
  ['xinfo|stream', [2, ['range', 0, 1, 0]]],
  ['xlen', [1, ['range', 0, 1, 0]]],
  ['xpending', [1, ['range', 0, 1, 0]]],
  ['xrange', [1, ['range', 0, 1, 0]]],
  ['xread', [['STREAMS', 1], ['range', -1, 1, 2]]],
  ['xreadgroup', [['STREAMS', 4], ['range', -1, 1, 2]]],
  ['xrevrange', [1, ['range', 0, 1, 0]]],
  ['xsetid', [1, ['range', 0, 1, 0]]],
  ['xtrim', [1, ['range', 0, 1, 0]]],
  ['zadd', [1, ['range', 0, 1, 0]]],
  ['zcard', [1, ['range', 0, 1, 0]]],
  ['zcount', [1, ['range', 0, 1, 0]]],
  ['zdiff', [1, ['keynum', 0, 1, 1]]],
  ['zdiffstore', [1, ['range', 0, 1, 0]], [2, ['keynum', 0, 1, 1]]],
  ['zincrby', [1, ['range', 0, 1, 0]]],
  ['zinter', [1, ['keynum', 0, 1, 1]]],
  ['zintercard', [1, ['keynum', 0, 1, 1]]],
  ['zinterstore', [1, ['range', 0, 1, 0]], [2, ['keynum', 0, 1, 1]]],
  ['zlexcount', [1, ['range', 0, 1, 0]]],
  ['zmpop', [1, ['keynum', 0, 1, 1]]],
  ['zmscore', [1, ['range', 0, 1, 0]]],
  ['zpopmax', [1, ['range', 0, 1, 0]]],
  ['zpopmin', [1, ['range', 0, 1, 0]]],
  ['zrandmember', [1, ['range', 0, 1, 0]]],
  ['zrange', [1, ['range', 0, 1, 0]]],
  ['zrangebylex', [1, ['range', 0, 1, 0]]],
  ['zrangebyscore', [1, ['range', 0, 1, 0]]],
  ['zrangestore', [1, ['range', 0, 1, 0]], [2, ['range', 0, 1, 0]]],
  ['zrank', [1, ['range', 0, 1, 0]]],
  ['zrem', [1, ['range', 0, 1, 0]]],
  ['zremrangebylex', [1, ['range', 0, 1, 0]]],
  ['zremrangebyrank', [1, ['range', 0, 1, 0]]],
  ['zremrangebyscore', [1, ['range', 0, 1, 0]]],
  ['zrevrange', [1, ['range', 0, 1, 0]]],
  ['zrevrangebylex', [1, ['range', 0, 1, 0]]],
  ['zrevrangebyscore', [1, ['range', 0, 1, 0]]],
  ['zrevrank', [1, ['range', 0, 1, 0]]],
  ['zscan', [1, ['range', 0, 1, 0]]],
  ['zscore', [1, ['range', 0, 1, 0]]],
  ['zunion', [1, ['keynum', 0, 1, 1]]],
  ['zunionstore', [1, ['range', 0, 1, 0]], [2, ['keynum', 0, 1, 1]]],
];

const BY_NAME = new Map(SPECS.map(([name, ...specs]) => [name, specs]));

/** The positions of the keys in argv (argv[0] is the command name), in spec order. */
export function keyPositions(argv: readonly string[]): number[] {
  const name = argv[0]?.toLowerCase() ?? '';
  const specs = BY_NAME.get(name) ?? (argv.length > 1 ? BY_NAME.get(`${name}|${argv[1]!.toLowerCase()}`) : undefined);
  if (specs === undefined) return [];
  const out: number[] = [];
  for (const [begin, find] of specs) {
    const first = beginSearch(argv, begin);
    if (first === 0) continue;
    const range = findKeys(argv, first, find);
    if (range === null) continue;
    const [from, last, step] = range;
    // Out of bounds: a syntax error the command reports itself; no keys from this spec.
    if (last >= argv.length || last < from || from >= argv.length) continue;
    for (let i = from; i <= last; i += step) out.push(i);
  }
  return out;
}

/** The index of the first key, or 0 when a keyword the spec searches for is absent. */
function beginSearch(argv: readonly string[], begin: BeginSearch): number {
  if (typeof begin === 'number') return begin;
  const [keyword, startfrom] = begin;
  const argc = argv.length;
  const start = startfrom > 0 ? startfrom : argc + startfrom;
  const end = startfrom > 0 ? argc - 1 : 1;
  for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (argv[i]!.toLowerCase() === keyword.toLowerCase()) return i + 1;
  }
  return 0;
}

/** [first, last, step] of the keys, or null when the key count is not a number. */
function findKeys(argv: readonly string[], first: number, find: FindKeys): [number, number, number] | null {
  const argc = argv.length;
  if (find[0] === 'range') {
    const [, lastkey, step, limit] = find;
    if (lastkey >= 0) return [first, first + lastkey, step];
    if (limit === 0) return [first, argc + lastkey, step];
    return [first, first + (Math.floor((argc - first) / limit) + lastkey), step];
  }
  const [, keynumidx, firstkey, step] = find;
  if (first + keynumidx >= argc) return null;
  const raw = argv[first + keynumidx]!;
  if (!/^(0|[1-9][0-9]*)$/.test(raw)) return null;
  const from = first + firstkey;
  return [from, from + Number(raw) - 1, step];
}

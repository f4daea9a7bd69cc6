/**
 * Differential fuzz of scripts and functions: random EVAL / EVAL_RO / EVALSHA / SCRIPT /
 * FUNCTION / FCALL sequences, the
 * script bodies assembled from fragments that write, read, fail, switch databases, call
 * redis.set_repl, use cjson / cmsgpack / struct / bit and return every Lua type, run on a real redis-server 7.0.15 and through
 * executeCommand with a scripting host. Both sides must agree on every reply, on what the
 * master propagates (a fake replica records the real stream: a script's effects, wrapped
 * in MULTI/EXEC when more than one) and on the final DEBUG DIGEST.
 *
 * One scripting host lives as long as the real server: the script cache and math.random's
 * rand.c sequence are process-wide on both sides. Skipped without a redis-server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { findRedisServer } from '../../sim/cli/diff.js';
import { startRealServer, type RealServer } from '../helpers/real-server.js';
import { compareWithReal, maskAbsoluteMs } from '../helpers/differential-compare.js';
import { makeCtx } from '../helpers/exec.js';
import type { PropagatedOp } from '../../sim/redis/commands/exec-context.js';
import { standaloneScriptingHost } from '../../sim/redis/scripting/script-host.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';

const REDIS = findRedisServer(process.env);

const STATEMENTS = [
  "redis.call('set', KEYS[1], ARGV[1])",
  "redis.call('incr', KEYS[1])",
  "redis.pcall('incr', KEYS[1])",
  "redis.call('del', KEYS[2])",
  "redis.call('expire', KEYS[1], 100)",
  "redis.call('set', KEYS[2], ARGV[1], 'EX', 1000)",
  "redis.call('getex', KEYS[1], 'PX', 5000)",
  "redis.call('lpush', 'l', ARGV[1])",
  "redis.call('hset', 'h', KEYS[1], ARGV[1])",
  "redis.call('sadd', 's', ARGV[1])",
  "redis.call('zadd', 'z', tonumber(ARGV[1]) or 1, KEYS[1])",
  "redis.call('incrbyfloat', KEYS[2], 1.5)",
  "redis.call('select', '1')",
  "redis.call('select', '0')",
  'redis.set_repl(redis.REPL_NONE)',
  'redis.set_repl(redis.REPL_ALL)',
  "local v = redis.call('get', KEYS[1])",
  "local t = redis.call('lrange', 'l', 0, -1)",
  "redis.call('set', KEYS[1], tonumber(ARGV[1]) and tonumber(ARGV[1]) / 3 or ARGV[1])",
  "redis.call('publish', 'ch', ARGV[1])",
  "redis.call('hincrby', 'h', KEYS[2], 2)",
  "redis.call('rpoplpush', 'l', 'l2')",
];
const FAILURES = ["error('boom')", 'x = 1', "redis.call('nosuch')", "redis.call('get')", "redis.call('blpop', 'l', 0)", 'return y'];
const RETURNS = [
  "return redis.call('get', KEYS[1])",
  "return {1, 'a', {ok='x'}, {err='E bad'}, 2.9, false, 3}",
  'return cjson.encode({a = tonumber(ARGV[1]) or ARGV[1], b = {1, 2}})',
  'return math.random(1000)',
  'return tostring(tonumber(ARGV[1]) and tonumber(ARGV[1]) / 3)',
  'return redis.sha1hex(ARGV[1])',
  'return bit.bxor(tonumber(ARGV[1]) or 0, 5)',
  'return 3.7',
  'return nil',
  "return redis.pcall('incr', KEYS[1])",
  "return redis.call('lrange', 'l', 0, -1)",
  "return redis.call('hgetall', 'h')",
  "return redis.status_reply('FINE')",
  "return redis.error_reply('MINE x')",
  'return #KEYS + #ARGV * 10',
  // cmsgpack and struct: binary output compared as hex (bytes that are not UTF-8 cannot leave a script intact).
  "return (cmsgpack.pack(tonumber(ARGV[1]) or ARGV[1], {1, 2}, {k = KEYS[1]}, 300, -70000, 0.1):gsub('.', function(c) return string.format('%02x', c:byte()) end))",
  'return {cmsgpack.unpack(cmsgpack.pack(tonumber(ARGV[1]) or ARGV[1], KEYS[1], {5, 6}))}',
  "return (struct.pack('>i2Bd', tonumber(ARGV[1]) or 7, 200, 0.5):gsub('.', function(c) return string.format('%02x', c:byte()) end))",
  "return {struct.unpack('<i4c0', struct.pack('<i4', 3) .. ARGV[1])}",
];

const bodyArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '', '', '#!lua\n', '#!lua flags=no-writes\n', '#!lua flags=allow-oom\n'),
    fc.array(fc.constantFrom(...STATEMENTS), { maxLength: 5 }),
    fc.option(fc.constantFrom(...FAILURES), { freq: 5 }),
    fc.constantFrom(...RETURNS),
  )
  .map(([shebang, stmts, fail, ret]) => `${shebang}${[...stmts, ...(fail ? [fail] : []), ret].join('\n')}`);
const keyArb = fc.constantFrom('k0', 'k1', 'k2');
const valArb = fc.constantFrom('0', '1', '-5', 'abc', '1.5', 'x y', '42');

/** Libraries the fuzz loads: writes, reads, errors, flags; one collides with another's function. */
const LIBRARIES = [
  "#!lua name=w\nredis.register_function('wset', function(keys, args) redis.call('set', keys[1], args[1]); return redis.call('incr', 'cnt') end)\nredis.register_function{function_name='wpeek', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}",
  "#!lua name=r\nredis.register_function{function_name='rlen', callback=function(keys, args) return #keys + #args end, flags={'no-writes', 'allow-stale'}, description='counts'}",
  "#!lua name=e\nredis.register_function('efail', function(keys) redis.call('set', keys[1], 'x'); return redis.call('incr', keys[1]) end)",
  "#!lua name=c\nredis.register_function('wset', function() return 1 end)",
  "#!lua name=w\nredis.register_function('wset', function(keys, args) return redis.call('lpush', keys[1], args[1]) end)",
];
const FUNCTION_NAMES = ['wset', 'wpeek', 'rlen', 'efail', 'nosuch'];

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

const commandArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('EVAL', 'EVAL', 'eval_ro'), bodyArb, keyArb, keyArb, valArb).map(([c, b, k1, k2, v]) => [c, b, '2', k1, k2, v]) },
  { weight: 2, arbitrary: fc.tuple(bodyArb, keyArb, keyArb, valArb, fc.boolean()).map(([b, k1, k2, v, upper]) => ['EVALSHA', upper ? sha1(b).toUpperCase() : sha1(b), '2', k1, k2, v]) },
  { weight: 1, arbitrary: bodyArb.map((b) => ['SCRIPT', 'LOAD', b]) },
  { weight: 1, arbitrary: bodyArb.map((b) => ['SCRIPT', 'EXISTS', sha1(b), 'ffffffffffffffffffffffffffffffffffffffff']) },
  { weight: 1, arbitrary: fc.tuple(keyArb, valArb).map(([k, v]) => ['SET', k, v]) },
  { weight: 1, arbitrary: keyArb.map((k) => ['GET', k]) },
  { weight: 2, arbitrary: fc.tuple(fc.boolean(), fc.constantFrom(...LIBRARIES)).map(([replace, lib]) => ['FUNCTION', 'LOAD', ...(replace ? ['REPLACE'] : []), lib]) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('FCALL', 'FCALL_RO'), fc.constantFrom(...FUNCTION_NAMES), keyArb, valArb).map(([c, f, k, v]) => [c, f, '1', k, v]) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['FUNCTION', 'DELETE', 'w'], ['FUNCTION', 'DELETE', 'e'], ['FUNCTION', 'FLUSH'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'w', 'WITHCODE'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'r'], ['FCALL', 'wset', 'x'], ['FUNCTION', 'STATS']) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['SCRIPT', 'FLUSH'], ['SELECT', '1'], ['SELECT', '0'], ['EVAL', 'return 1', 'x'], ['EVAL', 'return 1', '3', 'a'], ['EVALSHA', 'abc', '0']) },
);

/** sim/diff's RespParser reads integers into JS numbers: compare at that precision. */
function normalizeReply(r: Reply, argv: readonly string[] = []): string {
  if (r.type === 'int') return `(integer) ${r.value}`;
  if (argv[0]?.toUpperCase() === 'FUNCTION' && argv[1]?.toUpperCase() === 'LIST') return formatReply(sortFunctionList(r));
  return formatReply(r);
}

/** FUNCTION LIST walks Redis dicts (seeded hash order, arbitrary): compare libraries and functions sorted. */
function sortFunctionList(r: Reply): Reply {
  if (r.type !== 'array' || r.items === null) return r;
  const key = (x: Reply): string => formatReply(x);
  const libs = r.items.map((lib) => {
    if (lib.type !== 'array' || lib.items === null) return lib;
    const items = lib.items.map((item, i) => {
      const prev = lib.items![i - 1];
      if (prev?.type === 'bulk' && prev.value === 'functions' && item.type === 'array' && item.items) {
        return { ...item, items: [...item.items].sort((a, b) => key(a).localeCompare(key(b))) };
      }
      return item;
    });
    return { ...lib, items };
  });
  return { ...r, items: libs.sort((a, b) => key(a).localeCompare(key(b))) };
}

/** The stream for one unit: replica-bound ops only, MULTI/EXEC when the unit had more than one op. */
class ScriptStreamEmulator {
  readonly commands: string[][] = [];
  private selected = -1;
  unit(ops: readonly PropagatedOp[]): void {
    const repl = ops.filter((op) => op.target === undefined || (op.target & 2) !== 0);
    if (repl.length === 0) return;
    const items = ops.length > 1 ? [{ db: repl[0]!.db, argv: ['MULTI'] }, ...repl, { db: repl[repl.length - 1]!.db, argv: ['EXEC'] }] : repl;
    for (const { db, argv } of items) {
      if (db !== this.selected) {
        this.commands.push(['SELECT', String(db)]);
        this.selected = db;
      }
      this.commands.push(argv);
    }
  }
}


describe.skipIf(REDIS === null)('scripts vs a real redis-server 7.0.15', () => {
  let real: RealServer;
  const host = standaloneScriptingHost();
  // One keyspace for all runs, as the real server has: FLUSHALL keeps the FUNCTION libraries.
  const keyspace = makeCtx().keyspace;
  let runs = 0;

  beforeAll(async () => {
    real = await startRealServer(REDIS!, 'scripts');
  }, 30_000);

  afterAll(async () => {
    await real?.close();
  });

  async function compare(commands: string[][]): Promise<string[]> {
    const ctx = makeCtx({ nowMs: Date.now(), scripting: host, keyspace });
    return compareWithReal(real, ++runs, ctx, new ScriptStreamEmulator(), commands, {
      normalize: (argv, r) => normalizeReply(r, argv),
      streamText: (sim, realCmds) => [maskAbsoluteMs(sim), maskAbsoluteMs(realCmds)],
      tickClock: true,
    });
  }

  test('random script sequences: same replies, stream and digest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 15 }), async (commands) => {
        expect(await compare(commands)).toEqual([]);
      }),
      { numRuns: 500, seed: 18, endOnFailure: true },
    );
  }, 180_000);
});

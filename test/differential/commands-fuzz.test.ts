/**
 * Differential fuzz of the data layer: random command sequences run on a real
 * redis-server 7.0.15 and through executeCommand, and must agree on
 *   - every reply (redis-cli form; unordered replies such as SMEMBERS/KEYS sorted),
 *   - the replication stream: a fake replica (PSYNC ? -1, RDB skipped) records what the
 *     master propagates; the simulated ops, with the server's MULTI/EXEC wrapping and
 *     SELECT insertion emulated here, must equal it (absolute ms of relative TTLs masked),
 *   - the final DEBUG DIGEST.
 * Skipped without a redis-server on the PATH.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { findRedisServer } from '../../sim/cli/diff.js';
import { startRealServer, type RealServer } from '../helpers/real-server.js';
import { compareWithReal, maskAbsoluteMs } from '../helpers/differential-compare.js';
import { makeCtx } from '../helpers/exec.js';
import { StreamEmulator } from '../helpers/stream-reader.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';

const REDIS = findRedisServer(process.env);

const keyArb = fc.constantFrom('k0', 'k1', 'k2');
const setKeyArb = fc.constantFrom('s0', 's1');
const anyKeyArb = fc.constantFrom('k0', 'k1', 'k2', 's0', 's1');
const valArb = fc.constantFrom('0', '1', '-5', '42', '9223372036854775807', 'abc', '1.5', '', 'x y', '007');
const future = (): string => String(Math.floor(Date.now() / 1000) + 100_000);
const commandArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(keyArb, valArb, fc.subarray(['NX', 'XX', 'GET', 'KEEPTTL'])).map(([k, v, opts]) => ['SET', k, v, ...opts]),
  fc.tuple(keyArb, valArb, fc.constantFrom(['EX', '1000'], ['px', '1000000'], ['EXAT', 'FUTURE'], ['PXAT', '1000'], ['EX', '0'])).map(([k, v, t]) => ['SET', k, v, ...t]),
  fc.tuple(keyArb, valArb).map(([k, v]) => ['setex', k, '1000', v]),
  fc.tuple(keyArb, valArb).map(([k, v]) => ['SETNX', k, v]),
  fc.tuple(keyArb, valArb).map(([k, v]) => ['GETSET', k, v]),
  anyKeyArb.map((k) => ['GET', k]),
  anyKeyArb.map((k) => ['GETDEL', k]),
  fc.tuple(anyKeyArb, fc.constantFrom('0', '-1', '2', '-3', 'x'), fc.constantFrom('-1', '0', '3', '100', '-100')).map(([k, a, b]) => ['GETRANGE', k, a, b]),
  fc.tuple(anyKeyArb, fc.constantFrom('0', '3', '10', '-1', 'x'), fc.constantFrom('', 'ab', 'xyz')).map(([k, o, v]) => ['SETRANGE', k, o, v]),
  fc.tuple(anyKeyArb, anyKeyArb, fc.constantFrom('RENAME', 'RENAMENX')).map(([a, b, c]) => [c, a, b]),
  fc.tuple(anyKeyArb, anyKeyArb, fc.subarray(['REPLACE', 'DB'])).map(([a, b, o]) => ['COPY', a, b, ...o.flatMap((x) => (x === 'DB' ? ['DB', '1'] : [x]))]),
  fc.tuple(anyKeyArb, fc.constantFrom([], ['PERSIST'], ['EX', '1000'], ['EXAT', '1000'], ['pxat', 'FUTURE'])).map(([k, o]) => ['GETEX', k, ...o]),
  fc.tuple(keyArb, valArb, keyArb, valArb).map(([a, x, b, y]) => ['MSET', a, x, b, y]),
  fc.tuple(keyArb, valArb, keyArb, valArb).map(([a, x, b, y]) => ['MSETNX', a, x, b, y]),
  fc.tuple(anyKeyArb, anyKeyArb).map(([a, b]) => ['MGET', a, b]),
  fc.tuple(anyKeyArb, anyKeyArb).map(([a, b]) => ['DEL', a, b]),
  anyKeyArb.map((k) => ['unlink', k]),
  fc.tuple(anyKeyArb, anyKeyArb).map(([a, b]) => ['EXISTS', a, b]),
  fc.tuple(anyKeyArb, fc.constantFrom('INCR', 'DECR', 'incr')).map(([k, c]) => [c, k]),
  fc.tuple(anyKeyArb, valArb, fc.constantFrom('INCRBY', 'DECRBY')).map(([k, v, c]) => [c, k, v]),
  fc.tuple(anyKeyArb, fc.constantFrom('0.1', '-1.5', '1e3', 'abc', '3')).map(([k, v]) => ['INCRBYFLOAT', k, v]),
  fc.tuple(anyKeyArb, valArb).map(([k, v]) => ['APPEND', k, v]),
  anyKeyArb.map((k) => ['STRLEN', k]),
  fc.tuple(anyKeyArb, fc.constantFrom('EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT', 'pexpireat'), fc.constantFrom('1000', '-1', 'FUTURE'), fc.subarray(['NX', 'xx', 'GT', 'LT'], { maxLength: 2 })).map(([k, c, t, f]) => [c, k, t, ...f]),
  anyKeyArb.map((k) => ['PERSIST', k]),
  anyKeyArb.map((k) => ['TTL', k]),
  anyKeyArb.map((k) => ['TYPE', k]),
  fc.constant<string[]>(['DBSIZE']),
  fc.constantFrom<string[]>(['SELECT', '0'], ['SELECT', '1']),
  fc.tuple(setKeyArb, fc.subarray(['a', 'b', '1', '2', 'c'], { minLength: 1 })).map(([k, m]) => ['SADD', k, ...m]),
  fc.tuple(anyKeyArb, fc.subarray(['a', 'b', '1', 'zz'], { minLength: 1 })).map(([k, m]) => ['SREM', k, ...m]),
  anyKeyArb.map((k) => ['SMEMBERS', k]),
  anyKeyArb.map((k) => ['SCARD', k]),
  fc.tuple(anyKeyArb, fc.constantFrom('a', '1')).map(([k, m]) => ['SISMEMBER', k, m]),
  anyKeyArb.map((k) => ['SPOP', k, '100']), // always ≥ size: deterministic (DEL)
  fc.constantFrom<string[]>(['KEYS', '*'], ['KEYS', 'k?'], ['PING'], ['ECHO', 'hi'], ['PUBLISH', 'ch', 'm'], ['FLUSHDB'], ['SWAPDB', '0', '1'], ['SWAPDB', '1', '1'], ['SWAPDB', '0', 'x'], ['OBJECT', 'REFCOUNT', 'k1']),
);

/** Replies whose element order is Redis's hash order: compare as sorted. */
function normalizeReply(argv: readonly string[], r: Reply): string {
  const name = argv[0]!.toUpperCase();
  if ((name === 'SMEMBERS' || name === 'KEYS' || name === 'SPOP') && r.type === 'array' && r.items) {
    return formatReply({ type: 'array', items: [...r.items].sort((a, b) => formatReply(a).localeCompare(formatReply(b))) });
  }
  // sim/diff's RespParser reads integers into JS numbers: compare at that precision.
  if (r.type === 'int') return `(integer) ${r.value}`;
  return formatReply(r);
}

describe.skipIf(REDIS === null)('data commands vs a real redis-server 7.0.15', () => {
  let real: RealServer;

  beforeAll(async () => {
    real = await startRealServer(REDIS!, 'fuzz');
  }, 30_000);

  afterAll(async () => {
    await real?.close();
  });

  test('random sequences: same replies, same stream, same digest', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 25 }), async (commands) => {
        const argvs = commands.map((c) => c.map((a) => (a === 'FUTURE' ? future() : a)));
        const problems = await compareWithReal(real, ++run, makeCtx({ nowMs: Date.now() }), new StreamEmulator(), argvs, {
          normalize: normalizeReply,
          streamText: (sim, realCmds) => [maskAbsoluteMs(sim), maskAbsoluteMs(realCmds)],
          tickClock: true,
        });
        expect(problems).toEqual([]);
      }),
      { numRuns: 500, seed: 42, endOnFailure: true },
    );
  }, 120_000);
});

/**
 * Differential fuzz of the stream consumer-group commands (XGROUP, XSETID, XREADGROUP with
 * and without NOACK, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO) against a real
 * redis-server 7.0.15: replies, the propagated stream (XREADGROUP's XCLAIM / XGROUP SETID /
 * XGROUP CREATECONSUMER effects) and DEBUG DIGEST must agree.
 *
 * The model's clock is set to the test's wall clock before each command, so delivery times
 * agree to within the few ms a round trip takes: idle times in replies are masked, and the
 * TIME of a propagated XCLAIM must be within 1 s of the real one, then masked. Min-idle
 * thresholds are 0 or far from any real idle time (IDLE 60000 against 30000), so which
 * entries qualify does not depend on timing. Skipped without a redis-server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { findRedisServer } from '../../sim/cli/diff.js';
import { startRealServer, type RealServer } from '../helpers/real-server.js';
import { compareWithReal } from '../helpers/differential-compare.js';
import { makeCtx } from '../helpers/exec.js';
import { StreamEmulator } from '../helpers/stream-reader.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';

const REDIS = findRedisServer(process.env);

const keyArb = fc.constantFrom('s', 's', 's', 't');
const groupArb = fc.constantFrom('g', 'g', 'h');
const consumerArb = fc.constantFrom('alice', 'bob', 'Carol');
const idArb = fc.integer({ min: 0, max: 12 }).map((n) => `${n}-1`);
const commandArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(keyArb, fc.integer({ min: 1, max: 12 }), fc.constantFrom('-1', '-1', '-0'), fc.constantFrom(['f', 'v'], ['a', '1', 'b', '2'])).map(([k, ms, seq, f]) => ['XADD', k, `${ms}${seq}`, ...f]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(keyArb, groupArb, fc.constantFrom('$', '0', '3', '3-1', '99'), fc.constantFrom<string[]>([], ['MKSTREAM'], ['ENTRIESREAD', '2'], ['ENTRIESREAD', 'x']))
      .map(([k, g, id, o]) => ['XGROUP', 'CREATE', k, g, id, ...o]),
  },
  { weight: 1, arbitrary: fc.tuple(keyArb, groupArb, fc.constantFrom('$', '0', '4-1', '+', '-'), fc.constantFrom<string[]>([], ['ENTRIESREAD', '3'])).map(([k, g, id, o]) => ['XGROUP', 'SETID', k, g, id, ...o]) },
  { weight: 1, arbitrary: fc.tuple(keyArb, groupArb).map(([k, g]) => ['XGROUP', 'DESTROY', k, g]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('CREATECONSUMER', 'DELCONSUMER'), keyArb, groupArb, consumerArb).map(([sub, k, g, c]) => ['XGROUP', sub, k, g, c]) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(groupArb, consumerArb, fc.constantFrom<string[]>([], ['COUNT', '2'], ['NOACK'], ['COUNT', '1', 'NOACK']), keyArb, fc.constantFrom('>', '>', '0', '5-1'))
      .map(([g, c, o, k, id]) => ['XREADGROUP', 'GROUP', g, c, ...o, 'STREAMS', k, id]),
  },
  { weight: 1, arbitrary: fc.tuple(groupArb, consumerArb).map(([g, c]) => ['XREADGROUP', 'GROUP', g, c, 'STREAMS', 's', 't', '>', '>']) },
  { weight: 3, arbitrary: fc.tuple(keyArb, groupArb, idArb, idArb).map(([k, g, a, b]) => ['XACK', k, g, a, b]) },
  { weight: 2, arbitrary: fc.tuple(keyArb, groupArb).map(([k, g]) => ['XPENDING', k, g]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(keyArb, groupArb, fc.constantFrom<string[]>([], ['IDLE', '30000']), fc.constantFrom('-', '(3-1', '2'), fc.constantFrom('+', '8-1'), fc.constantFrom('10', '2', '0'), fc.constantFrom<string[]>([], ['bob']))
      .map(([k, g, idle, a, b, n, c]) => ['XPENDING', k, g, ...idle, a, b, n, ...c]),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(keyArb, groupArb, consumerArb, fc.constantFrom('0', '30000'), idArb, fc.constantFrom('4', '7-1'), fc.constantFrom<string[]>([], ['JUSTID'], ['FORCE'], ['IDLE', '60000'], ['RETRYCOUNT', '5', 'JUSTID'], ['FORCE', 'LASTID', '11-1'], ['LASTID', '12-5'], ['BOGUS']))
      .map(([k, g, c, idle, a, b, o]) => ['XCLAIM', k, g, c, idle, a, b, ...o]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(keyArb, groupArb, consumerArb, fc.constantFrom('0', '30000'), fc.constantFrom('0', '(3-1', '5'), fc.constantFrom<string[]>([], ['COUNT', '1'], ['COUNT', '2', 'JUSTID'], ['COUNT', '0']))
      .map(([k, g, c, idle, start, o]) => ['XAUTOCLAIM', k, g, c, idle, start, ...o]),
  },
  { weight: 2, arbitrary: fc.tuple(keyArb, idArb).map(([k, id]) => ['XDEL', k, id]) },
  { weight: 1, arbitrary: keyArb.map((k) => ['XTRIM', k, 'MAXLEN', '3']) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('GROUPS', 'STREAM'), keyArb).map(([sub, k]) => ['XINFO', sub, k]) },
  { weight: 1, arbitrary: fc.tuple(keyArb, groupArb).map(([k, g]) => ['XINFO', 'CONSUMERS', k, g]) },
  { weight: 1, arbitrary: keyArb.map((k) => ['XINFO', 'STREAM', k, 'FULL']) },
  { weight: 1, arbitrary: fc.tuple(keyArb, fc.constantFrom('12-9', '1-0')).map(([k, id]) => ['XSETID', k, id]) },
  { weight: 1, arbitrary: keyArb.map((k) => ['DEL', k]) },
);

/** Idle times: XPENDING's 3rd field per entry, XINFO CONSUMERS' idle, XINFO FULL's times. */
function maskTimes(argv: string[], r: Reply): Reply {
  const cmd = argv.map((a) => a.toUpperCase());
  const mask = (x: Reply): Reply => (x.type === 'int' ? { type: 'bulk', value: 'T' } : x);
  if (r.type !== 'array' || r.items === null) return r;
  if (cmd[0] === 'XPENDING' && argv.length > 3) return { ...r, items: r.items.map((e) => (e.type === 'array' && e.items ? { ...e, items: e.items.map((x, i) => (i === 2 ? mask(x) : x)) } : e)) };
  if (cmd[0] === 'XINFO' && cmd[1] === 'CONSUMERS') return { ...r, items: r.items.map((e) => (e.type === 'array' && e.items ? { ...e, items: e.items.map((x, i) => (i === 5 ? mask(x) : x)) } : e)) };
  if (cmd[0] === 'XINFO' && cmd[3] === 'FULL') return maskFull(r);
  return r;
}

/** Any integer above 10^12 is a unix-ms time (delivery or seen time). */
function maskFull(r: Reply): Reply {
  if (r.type === 'int' && r.value > 1e12) return { type: 'bulk', value: 'T' };
  if (r.type === 'array' && r.items) return { ...r, items: r.items.map(maskFull) };
  return r;
}

function normalizeReply(argv: string[], r: Reply): string {
  const m = maskTimes(argv, r);
  return m.type === 'int' ? `(integer) ${m.value}` : formatReply(m);
}

/** XCLAIM … TIME <ms>: masked after checking the two agree within a second. */
function maskStream(sim: string[][], real: string[][], problems: string[]): [string[], string[]] {
  const fix = (a: string[][], b: string[][]): string[] =>
    a.map((c, i) => {
      const other = b[i];
      if (c[0] === 'XCLAIM' && c[6] === 'TIME' && other?.[0] === 'XCLAIM') {
        if (Math.abs(Number(c[7]) - Number(other[7])) > 1000) problems.push(`XCLAIM TIME ${c[7]} vs ${other[7]}`);
        return [...c.slice(0, 7), 'T', ...c.slice(8)].join(' ');
      }
      return c.join(' ');
    });
  return [fix(sim, real), fix(real, sim)];
}

describe.skipIf(REDIS === null)('stream consumer groups vs a real redis-server 7.0.15', () => {
  let real: RealServer;
  let runs = 0;

  beforeAll(async () => {
    real = await startRealServer(REDIS!, 'stream-groups');
  }, 30_000);

  afterAll(async () => {
    await real?.close();
  });

  async function compare(commands: string[][]): Promise<string[]> {
    return compareWithReal(real, ++runs, makeCtx({ nowMs: Date.now() }), new StreamEmulator(), commands, {
      normalize: normalizeReply,
      streamText: maskStream,
      tickClock: true,
    });
  }

  test('a group read, acked, claimed and auto-claimed: replies and the XCLAIM stream', async () => {
    const cmds: string[][] = [
      ['XADD', 's', '1-1', 'f', 'a'],
      ['XADD', 's', '2-1', 'f', 'b'],
      ['XADD', 's', '3-1', 'f', 'c'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'STREAMS', 's', '>'],
      ['XPENDING', 's', 'g'],
      ['XPENDING', 's', 'g', '-', '+', '10'],
      ['XACK', 's', 'g', '1-1', '9-9'],
      ['XCLAIM', 's', 'g', 'bob', '0', '2-1', '3', 'IDLE', '60000'],
      ['XAUTOCLAIM', 's', 'g', 'Carol', '30000', '0', 'COUNT', '5'],
      ['XDEL', 's', '2-1'],
      ['XREADGROUP', 'GROUP', 'g', 'Carol', 'STREAMS', 's', '0'],
      ['XAUTOCLAIM', 's', 'g', 'alice', '0', '0'],
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'CONSUMERS', 's', 'g'],
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'STREAM', 's', 'FULL'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'alice'],
      ['XGROUP', 'HELP'],
      ['XINFO', 'HELP'],
    ];
    expect(await compare(cmds)).toEqual([]);
  });

  test('errors and edge replies: arity, options, empty streams, XSETID, BUSYGROUP, NOGROUP', async () => {
    const cmds: string[][] = [
      ['XGROUP', 'CREATE', 's', 'g', '$'],
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '-1'],
      ['XINFO', 'STREAM', 's', 'FULLER'],
      ['XINFO', 'BOGUS', 's'],
      ['XINFO', 'GROUPS'],
      ['XINFO', 'CONSUMERS', 's', 'nope'],
      ['XINFO', 'GROUPS', 'nokey'],
      ['XGROUP', 'BOGUS', 's', 'g'],
      ['XGROUP', 'DESTROY', 's'],
      ['XGROUP', 'SETID', 's', 'nope', '0'],
      ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '-5'],
      ['XGROUP', 'CREATE', 's', 'h', '0', 'ENTRIESREAD'],
      ['XGROUP', 'CREATECONSUMER', 'nokey', 'g', 'c'],
      ['XREADGROUP', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's'],
      ['XREADGROUP', 'GROUP', 'nope', 'c', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 'x', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '-1', 'STREAMS', 's', '>'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
      ['XREAD', 'NOACK', 'STREAMS', 's', '>'],
      ['XREAD', 'STREAMS', 's', '>'],
      ['XADD', 's', '5-5', 'f', 'v'],
      ['XCLAIM', 's', 'g', 'c', 'x', '5-5'],
      ['XCLAIM', 's', 'g', 'c', '0', '5-5', 'IDLE', 'x'],
      ['XCLAIM', 's', 'g', 'c', '0', '5-5', 'LASTID', 'bad'],
      ['XCLAIM', 's', 'nope', 'c', '0', '5-5'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '0'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '(18446744073709551615-18446744073709551615'],
      ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'BOGUS'],
      ['XPENDING', 's', 'g', '-', '+'],
      ['XPENDING', 's', 'g', 'IDLE', '5', '-', '+'],
      ['XPENDING', 's', 'g', '(0-0', '(0-0', '1'],
      ['XPENDING', 's', 'g', '-', '+', '5', 'nobody'],
      ['XACK', 's', 'g', 'bad'],
      ['XACK', 'nokey', 'g', '1-1'],
      ['XSETID', 's', '1-1'],
      ['XSETID', 's', '9-9', 'ENTRIESADDED', '0'],
      ['XSETID', 's', '9-9', 'MAXDELETEDID', '10-0'],
      ['XSETID', 's', '9-9', 'ENTRIESADDED', '7', 'MAXDELETEDID', '5-0'],
      ['XSETID', 'nokey', '1-1'],
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'DESTROY', 's', 'g'],
      ['XGROUP', 'DESTROY', 's', 'g'],
    ];
    expect(await compare(cmds)).toEqual([]);
  });

  test('radix-tree-nodes of XINFO STREAM across node splits and trims', async () => {
    const cmds: string[][] = [];
    for (let i = 1; i <= 450; i++) cmds.push(['XADD', 's', `${i * 7}-${i % 3}`, 'f', String(i)]);
    cmds.push(['XINFO', 'STREAM', 's']);
    cmds.push(['XTRIM', 's', 'MAXLEN', '~', '200'], ['XINFO', 'STREAM', 's']);
    for (let i = 1; i <= 300; i++) cmds.push(['XADD', 's', `${70000 + i * 65536}-0`, 'f', String(i)]);
    cmds.push(['XINFO', 'STREAM', 's']);
    // A whole middle node deleted entry by entry: its key leaves the rax.
    for (let i = 101; i <= 200; i++) cmds.push(['XDEL', 's', `${70000 + i * 65536}-0`]);
    cmds.push(['XINFO', 'STREAM', 's']);
    for (let i = 1; i <= 100; i++) cmds.push(['XDEL', 's', `${70000 + i * 65536}-0`]);
    cmds.push(['XINFO', 'STREAM', 's']);
    expect(await compare(cmds)).toEqual([]);
  });

  test('random sequences: same replies, stream and digest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 30 }), async (commands) => {
        expect(await compare(commands)).toEqual([]);
      }),
      { numRuns: 300, seed: 18, endOnFailure: true },
    );
  }, 180_000);
});

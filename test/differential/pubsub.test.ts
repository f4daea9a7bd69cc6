/**
 * Pub/sub and networked-client commands, differentially: the same script of commands on
 * three connections (a subscriber, a publisher, an admin) runs on a real redis-server and on
 * a simulated one reached over the simulated network; every message each connection
 * receives after each step (replies and pushes, in order) must be the same. Steps avoid
 * what Redis orders by a dict walk (UNSUBSCRIBE of several channels at once). Skipped
 * without a redis-server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import { RedisProcess, freePort } from '../../sim/diff/redis-process.js';
import { RespParser, encodeArgv } from '../../sim/diff/resp-client.js';
import type { Reply } from '../../sim/redis/protocol/reply.js';
import { TestCluster } from '../helpers/cluster.js';
import { NetClient, flat } from '../helpers/net-client.js';

const REDIS = findRedisServer(process.env);

type Who = 'sub' | 'pub' | 'admin';
const SCRIPT: Array<[Who, string[]]> = [
  ['sub', ['SUBSCRIBE', 'a', 'b']],
  ['sub', ['PSUBSCRIBE', 'c*', 'a*']],
  ['sub', ['PING']],
  ['sub', ['PING', 'hi']],
  ['sub', ['GET', 'x']],
  ['sub', ['MULTI']],
  ['sub', ['EXEC']],
  ['pub', ['PUBLISH', 'a', '1']],
  ['pub', ['PUBLISH', 'cx', '2']],
  ['pub', ['PUBLISH', 'zz', '3']],
  ['pub', ['PUBLISH', 'ab', '4']],
  ['sub', ['UNSUBSCRIBE', 'a']],
  ['sub', ['PUNSUBSCRIBE', 'a*', 'nope']],
  ['pub', ['PUBLISH', 'a', '5']],
  ['sub', ['UNSUBSCRIBE', 'b']],
  ['sub', ['PUNSUBSCRIBE']],
  ['sub', ['UNSUBSCRIBE']],
  ['sub', ['PING']],
  ['sub', ['SUBSCRIBE', 'a']],
  ['sub', ['RESET']],
  ['sub', ['GET', 'x']],
  ['pub', ['PUBLISH', 'a', '6']],
  ['pub', ['MULTI']],
  ['pub', ['SUBSCRIBE', 'q']],
  ['pub', ['EXEC']],
  ['sub', ['CLIENT', 'SETNAME', 'subscriber']],
  ['sub', ['CLIENT', 'GETNAME']],
  ['admin', ['CLIENT', 'KILL', 'TYPE', 'nope']],
  ['admin', ['CLIENT', 'KILL', 'ID', '0']],
  ['admin', ['CLIENT', 'KILL', 'TYPE', 'pubsub']],
  ['admin', ['CLIENT', 'KILL', 'TYPE', 'normal']],
  ['admin', ['MULTI']],
  ['admin', ['CONFIG', 'REWRITE']],
  ['admin', ['CLIENT', 'KILL', 'TYPE', 'normal']],
  ['admin', ['EXEC']],
  ['admin', ['QUIT']],
];

type Received = Record<Who, unknown[]>;

class RealConn {
  readonly got: Reply[] = [];
  private readonly parser = new RespParser();
  constructor(readonly sock: Socket) {
    sock.on('data', (chunk: Buffer) => {
      this.parser.feed(chunk);
      for (let r = this.parser.next(); r !== undefined; r = this.parser.next()) this.got.push(r);
    });
  }
  static open(port: number): Promise<RealConn> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RealConn(s)));
      s.on('error', reject);
    });
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runReal(binary: string): Promise<Received[]> {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-pubsub-'));
  const server = new RedisProcess('pubsub', binary, dir, await freePort(), ['--save', '', '--appendonly', 'no']);
  await server.start();
  try {
    const conns: Record<Who, RealConn> = { sub: await RealConn.open(server.port), pub: await RealConn.open(server.port), admin: await RealConn.open(server.port) };
    const out: Received[] = [];
    for (const [who, argv] of SCRIPT) {
      const before = { sub: conns.sub.got.length, pub: conns.pub.got.length, admin: conns.admin.got.length };
      if (!conns[who].sock.destroyed) conns[who].sock.write(encodeArgv(argv));
      await pause(40);
      out.push({ sub: conns.sub.got.slice(before.sub).map(flat), pub: conns.pub.got.slice(before.pub).map(flat), admin: conns.admin.got.slice(before.admin).map(flat) });
    }
    for (const c of Object.values(conns)) c.sock.destroy();
    return out;
  } finally {
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runModel(): Received[] {
  const c = new TestCluster('nodes:\n  m1: {}\n');
  const conns: Record<Who, NetClient> = { sub: new NetClient(c, 'sub', 'm1'), pub: new NetClient(c, 'pub', 'm1'), admin: new NetClient(c, 'admin', 'm1') };
  const out: Received[] = [];
  for (const [who, argv] of SCRIPT) {
    if (conns[who].closed === null) conns[who].send(...argv);
    c.runFor(0.1);
    out.push({ sub: conns.sub.unread().map(flat), pub: conns.pub.unread().map(flat), admin: conns.admin.unread().map(flat) });
  }
  return out;
}

describe.skipIf(REDIS === null)('pub/sub and client commands against redis-server', () => {
  it('every connection receives the same messages after every step', async () => {
    const real = await runReal(REDIS!);
    const model = runModel();
    for (let i = 0; i < SCRIPT.length; i++) {
      expect({ step: i, command: SCRIPT[i], got: model[i] }).toEqual({ step: i, command: SCRIPT[i], got: real[i] });
    }
  }, 60_000);
});

/**
 * One real redis-server for the data-layer differential tests: a temp dir, a free port, DEBUG
 * enabled, no persistence, a client connection and a fake replica (StreamReader) recording
 * what it propagates. Active expiry is off: the model's cycle is driven by the server, not
 * by commands, so the real one must not delete keys (and propagate DELs) between them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisProcess, freePort } from '../../sim/diff/redis-process.js';
import { RespClient } from '../../sim/diff/resp-client.js';
import { StreamReader } from './stream-reader.js';

export interface RealServer {
  client: RespClient;
  reader: StreamReader;
  close(): Promise<void>;
}

export async function startRealServer(binary: string, name: string): Promise<RealServer> {
  const dir = mkdtempSync(join(tmpdir(), `replsim-${name}-`));
  const server = new RedisProcess(name, binary, dir, await freePort(), [
    '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', '--repl-diskless-sync', 'no', '--repl-timeout', '3600',
  ]);
  await server.start();
  const client = await RespClient.connect(server.port);
  await client.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
  const reader = await StreamReader.attach(server.port);
  return {
    client,
    reader,
    async close() {
      reader.close();
      client.close();
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A bare real redis-server (no fake replica, no persistence) that tests open clients to. */
export interface PlainServer {
  connect(): Promise<RespClient>;
  close(): Promise<void>;
}

export async function startPlainServer(binary: string, name: string): Promise<PlainServer> {
  const dir = mkdtempSync(join(tmpdir(), `replsim-${name}-`));
  const server = new RedisProcess(name, binary, dir, await freePort(), ['--save', '', '--appendonly', 'no']);
  await server.start();
  const clients: RespClient[] = [];
  return {
    async connect() {
      const c = await RespClient.connect(server.port);
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A port from freePort() can be taken by someone else before our redis-server binds it: the
 * harness must then fail loudly, never talk to the other process (a developer's own Redis).
 * Started here with a real redis-server on a port we hold ourselves; skipped without one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../../sim/cli/diff.js';
import { freePort, RedisProcess } from '../../sim/diff/redis-process.js';
import { RespClient } from '../../sim/diff/resp-client.js';

const REDIS = findRedisServer(process.env);
const dir = mkdtempSync(join(tmpdir(), 'replsim-port-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(REDIS === null)('RedisProcess on a port someone else took', () => {
  it('refuses to start rather than use the other server, which keeps running', async () => {
    const port = await freePort();
    const theirs = new RedisProcess('theirs', REDIS!, mkdtempSync(join(dir, 'a-')), port, ['--save', '']);
    await theirs.start();
    try {
      const ours = new RedisProcess('ours', REDIS!, mkdtempSync(join(dir, 'b-')), port, ['--save', '']);
      await expect(ours.start(3000)).rejects.toThrow(/another process|Address already in use|at start/);
      const c = await RespClient.connect(port, 1000);
      try {
        expect(await c.callWithTimeout(['PING'], 1000)).toMatchObject({ type: 'status', text: 'PONG' });
      } finally {
        c.close();
      }
    } finally {
      await theirs.kill();
    }
  });
});

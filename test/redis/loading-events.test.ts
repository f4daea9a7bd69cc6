/**
 * A blocking load at boot still serves the network (rdbLoadProgressCallback →
 * processEventsWhileBlocked every loading-process-events-interval-bytes, 2 MB): redis-server
 * 7.0.15 accepts connections and answers them while it loads, `-LOADING Redis is loading the
 * dataset in memory` to commands without CMD_LOADING (PING, PSYNC, GET …) and a real reply to
 * those with it (INFO, ROLE, PUBLISH, SUBSCRIBE, REPLCONF). Timers (serverCron, replicationCron)
 * do not run. A file under 2 MB is never polled: its clients wait for the end of the load.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, digest, infoField, linkUp, offset, runUntilTrue, startWrites } from '../helpers/replication.js';
import { NetClient, flat } from '../helpers/net-client.js';
import { SentinelCluster } from '../helpers/sentinel-cluster.js';
import { SentinelClient } from '../../sim/workload/sentinel-client.js';

const LOADING = '(error) LOADING Redis is loading the dataset in memory';

/** m1 saved `keys` keys of 100 B, crashed and restarted: it is loading now. */
function loadingMaster(keys: number, extra = ''): TestCluster {
  const c = new TestCluster(`
config: { save: "3600 1", repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
${extra}dataset: { node: m1, keys: ${keys}, value-size: 100 }
`);
  c.text('m1', 'SAVE');
  c.act({ kind: 'crash', node: 'm1' });
  c.act({ kind: 'restart', node: 'm1' });
  return c;
}

function loadRecord(c: TestCluster): { us: number; bytes: number } {
  const r = c.traceKinds('server.load-rdb', 'm1').at(-1)! as unknown as { us: number; bytes: number };
  return { us: r.us, bytes: r.bytes };
}

describe('a loading server answers networked clients (processEventsWhileBlocked)', () => {
  it('-LOADING to PING and PSYNC, INFO and ROLE served, all before the load ends; PONG after', () => {
    const c = loadingMaster(500_000);
    const start = c.now;
    const { us, bytes } = loadRecord(c);
    expect(bytes).toBeGreaterThan(8 * 2 ** 20);
    const m1 = c.node('m1');
    const cc = new NetClient(c, 's1', 'm1');
    expect(m1.loading).toBe(true);
    expect(cc.run('PING')).toBe(LOADING);
    const info = flat((cc.send('INFO', 'persistence'), cc.next())) as string;
    expect(info).toContain('loading:1');
    expect(cc.run('ROLE')).toContain('master');
    expect(cc.run('PSYNC', '?', '-1')).toBe(LOADING);
    expect(cc.run('GET', 'k')).toBe(LOADING);
    // Every answer came from a poll, one interval of the load apart at most (plus the wire).
    const intervalUs = Math.ceil((us * 2 ** 20 * 2) / bytes);
    expect(m1.loading).toBe(true);
    expect(c.now - start).toBeLessThan(6 * (intervalUs + 10_000));
    runUntilTrue(c, () => !m1.loading, 'load done');
    expect(cc.run('PING')).toBe('PONG');
  });

  it('a file under 2 MB is never polled: the client waits for the end of the load', () => {
    const c = loadingMaster(10_000);
    const { us, bytes } = loadRecord(c);
    expect(bytes).toBeLessThan(2 * 2 ** 20);
    expect(us).toBeGreaterThan(0);
    const start = c.now;
    const cc = new NetClient(c, 's1', 'm1');
    expect(cc.run('PING')).toBe('PONG');
    expect(c.node('m1').loading).toBe(false);
    expect(c.now - start).toBeGreaterThanOrEqual(us);
  });

  it('a stopped process does not poll (SIGSTOP during the load)', () => {
    const c = loadingMaster(200_000);
    const m1 = c.node('m1');
    m1.freeze('sigstop');
    const cc = new NetClient(c, 's1', 'm1');
    cc.send('PING');
    runUntilTrue(c, () => !m1.loading, 'load done', 60, 1);
    expect(cc.unread()).toEqual([]);
    m1.thaw('sigstop');
    expect(cc.nextText()).toBe('PONG');
  });

  it("a replica's handshake PING to a loading master gets -LOADING; it retries each second and syncs after the load", () => {
    const c = loadingMaster(200_000, '  r1: { replicaof: m1 }\n');
    const m1 = c.node('m1');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'link up', 120);
    const errors = c.traceKinds('replica.handshake-error', 'r1').map((r) => (r as unknown as { reason: string }).reason);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors)).toEqual(new Set([`PING: ${LOADING.slice(8)}`]));
    expect(m1.loading).toBe(false);
    expect(infoField(c, 'r1', 'master_link_status')).toBe('up');
  });

  it('Sentinel counts -LOADING as a valid PING reply: a load longer than down-after is no +sdown', () => {
    const c = new SentinelCluster(
      `
config: { save: "3600 1", repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
dataset: { node: m1, keys: 600000, value-size: 100 }
`,
      { master: { downAfterMs: 400 } },
    );
    c.text('m1', 'SAVE');
    c.runFor(15);
    expect(c.of('+slave')).toHaveLength(3);
    const before = c.events.length;
    c.act({ kind: 'crash', node: 'm1' });
    c.act({ kind: 'restart', node: 'm1' });
    const m1 = c.node('m1');
    const { us } = loadRecord(c);
    expect(us).toBeGreaterThan(2 * 400_000);
    const restartMs = c.sentinel('s1').mstime();
    const link = () => c.sentinel('s1').masters.get('mymaster')!.link;
    // A reply counted valid while m1 is still loading: it came from a poll, and was -LOADING.
    runUntilTrue(c, () => link().lastAvailTime > restartMs, 'a valid reply from the loading master', 10, 1);
    expect(m1.loading).toBe(true);
    runUntilTrue(c, () => !m1.loading, 'load done', 10, 1);
    c.runFor(0.1);
    expect(c.events.slice(before).filter((e) => e.type.includes('sdown'))).toEqual([]);
  });

  it('the Sentinel-aware client: ROLE says master while loading, its writes get -LOADING until the load ends, then OK', () => {
    const c = new SentinelCluster(`
config: { save: "3600 1", repl-diskless-sync-delay: 0 }
nodes:
  m1: {}
dataset: { node: m1, keys: 500000, value-size: 100 }
`);
    c.text('m1', 'SAVE');
    const { sim, net } = c.world;
    net.addHost('app');
    const client = new SentinelClient(sim, net, {
      host: 'app',
      sentinels: ['s1', 's2', 's3'].map((name) => ({ name, host: name, port: 26379 })),
      master: 'mymaster',
      rateHz: 100,
      fromUs: c.now + 2_000_000,
      untilUs: c.now + 20_000_000,
      roleCheck: true,
      retryDelayUs: 100_000,
      connectTimeoutUs: 300_000,
      timeoutUs: 1_000_000,
      subscribe: false,
      keyPrefix: 'sc',
      db: 0,
    });
    client.start();
    c.runFor(5);
    c.act({ kind: 'crash', node: 'm1' });
    c.act({ kind: 'restart', node: 'm1' });
    const m1 = c.node('m1');
    const loadStart = c.now;
    runUntilTrue(c, () => !m1.loading, 'load done', 10, 1);
    // The load's own end, not the 1 ms step that saw it: a write sent right after it is OK.
    const load = c.traceKinds('server.load-rdb', 'm1').at(-1)! as unknown as { t: number; us: number };
    const loadEnd = load.t + load.us;
    expect(loadEnd).toBeLessThanOrEqual(c.now);
    c.runFor(2);
    const done = c.traceKinds('client.acked-write').map((r) => ({ t: r.t, set: (r as unknown as { set: string }).set }));
    // The write in flight at the crash ends with the connection ('no reply'); every later one
    // sent during the load is answered, with -LOADING.
    const during = done.filter((d) => d.t > loadStart && d.t <= loadEnd);
    expect(during[0]!.set).toBe('no reply');
    during.shift();
    // One write at a time, each answered at the next poll (≈ every 2 MB of the 17 MB file).
    expect(during.length).toBeGreaterThan(3);
    expect(new Set(during.map((d) => d.set))).toEqual(new Set([LOADING]));
    expect(done.filter((d) => d.t > loadEnd + 100_000).every((d) => d.set === 'OK')).toBe(true);
    expect(c.traceKinds('client.role-check')).toEqual([]);
  });

  it("a replica loading a full sync serves its clients but leaves the master link unread until the load ends", () => {
    const c = new TestCluster(`
config: { repl-diskless-sync: "no" }
nodes:
  m1: {}
  r1: {}
dataset: { node: m1, keys: 500000, value-size: 100 }
`);
    const r1 = c.node('r1');
    const cc = new NetClient(c, 's1', 'r1');
    expect(cc.run('PING')).toBe('PONG');
    cc.send('REPLICAOF', 'm1', '6379');
    expect(cc.nextText()).toBe('OK');
    runUntilTrue(c, () => r1.isFrozen('loading'), 'the blocking load', 60, 1);
    const loadStart = c.now;
    const offsetAtLoad = offset(c, 'm1');
    // A disk-based sync puts r1 online once the file is sent: writes during the load are
    // streamed at once, and wait in r1's kernel, not read before the load ends.
    startWrites(c, 'm1', { rateHz: 1000, seconds: 0.3 });
    expect(cc.run('PING')).toBe(LOADING);
    // readSyncBulkPayload sets REPL_STATE_CONNECTED only after rdbLoad: still a transfer.
    const info = flat((cc.send('INFO', 'replication'), cc.next())) as string;
    expect(info).toContain('master_link_status:down');
    expect(info).toContain('master_sync_in_progress:1');
    expect(r1.isFrozen('loading')).toBe(true);
    expect(c.now - loadStart).toBeLessThan(300_000);
    expect(offset(c, 'm1')).toBeGreaterThan(offsetAtLoad);
    expect(r1.replica.master).toBeNull();
    runUntilTrue(c, () => !r1.loading, 'load done', 60, 1);
    runUntilTrue(c, () => offset(c, 'r1') === offset(c, 'm1') && c.now > loadStart + 1_000_000, 'r1 caught up', 60);
    expect(digest(c, 'r1')).toBe(digest(c, 'm1'));
    expect(cc.run('PING')).toBe('PONG');
  });
});

describe('whileBlockedCron: cron loops counted through a blocking load', () => {
  /**
   * redis-server 7.0.15, replica with appendonly yes restarted (replica-aof-after-sync.yaml's
   * log): "DB loaded from append only file: 0.206 seconds" at 33.166, "Connecting to MASTER"
   * at 33.878 — the load's polls (2 MB of the base, the incremental file's first command)
   * advanced cronloops to 3, and replicationCron waits for cronloops % 10 == 0.
   */
  function restartedReplica(keys: number, appendonly: boolean): { c: TestCluster; loadEndUs: number; connectUs: number } {
    const c = new TestCluster(`
config: { repl-diskless-sync-delay: 0${appendonly ? ', appendonly: "yes"' : ', save: "3600 1"'} }
nodes:
  m1: {}
  r1: { replicaof: m1 }
dataset: { node: m1, keys: ${keys}, value-size: 100 }
`);
    c.runFor(2);
    expect(linkUp(c, 'r1')).toBe(true);
    c.cmd('m1', 'SET', 'a', '1');
    if (!appendonly) c.text('r1', 'SAVE');
    c.runFor(3); // past the AOF rewrite that follows the sync
    c.act({ kind: 'crash', node: 'r1' });
    c.act({ kind: 'restart', node: 'r1' });
    const restartUs = c.now;
    c.runFor(3);
    const loadEnd = c.traceKinds('server.load-done', 'r1').find((r) => r.t >= restartUs)!;
    const connect = c.traceKinds('replica.state', 'r1').find((r) => r.t >= restartUs && (r as unknown as { state: string }).state === 'connecting')!;
    return { c, loadEndUs: loadEnd.t, connectUs: connect.t };
  }

  it('a replica restarted with a load over 2 MB reconnects when cronloops next reaches a multiple of 10', () => {
    const { c, loadEndUs, connectUs } = restartedReplica(100_000, true);
    const r1 = c.node('r1');
    const loadMs = (loadEndUs - c.traceKinds('server.boot', 'r1').at(-1)!.t) / 1000;
    // Polls at 2 MB of the 3.4 MB base and at the incremental part's start: cronloops is
    // ceil-ish(load / 100 ms) when the first serverCron runs, not 0.
    const loopsAfterLoad = Math.ceil(loadMs / 100);
    expect(loopsAfterLoad).toBeGreaterThanOrEqual(2);
    const expectedUs = loadEndUs + (10 - loopsAfterLoad) * 100_000;
    expect(Math.abs(connectUs - expectedUs)).toBeLessThanOrEqual(2_000);
    expect(r1.cronLoops).toBeGreaterThan(10);
  });

  it('a load under 2 MB is never polled: the first serverCron after it runs replicationCron at once', () => {
    const { loadEndUs, connectUs } = restartedReplica(10_000, false);
    expect(connectUs - loadEndUs).toBeLessThanOrEqual(2_000);
  });
});

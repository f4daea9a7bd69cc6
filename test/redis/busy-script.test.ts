/**
 * Busy scripts (busy-script.ts, scripting/lua-call.ts, scripting/script-kill.ts): a script
 * takes virtual time (4 ns a fengari instruction, 1 µs a redis.call), the process serves
 * nobody while it runs, and past busy-reply-threshold other clients get -BUSY until it ends
 * or SCRIPT KILL / FUNCTION KILL stops it.
 *
 * Every reply text below is what redis-server 7.0.15 answered on loopback with
 * busy-reply-threshold 200 (`while true do end` scripts, a second redis-cli meanwhile):
 * PING, GET and INFO → -BUSY …SCRIPT KILL…; SCRIPT KILL → OK and the EVAL's client
 * "-ERR Script killed by user with SCRIPT KILL... script: <sha>, on @user_script:1.";
 * after a SET in the script SCRIPT KILL and FUNCTION KILL → -UNKILLABLE, PING → -BUSY, MULTI
 * → OK, and the script's reply when it ended; during an FCALL: FUNCTION STATS → running_script
 * name/command/duration_ms, SCRIPT KILL and SHUTDOWN → -BUSY …FUNCTION KILL…, FUNCTION KILL →
 * OK and "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.";
 * FUNCTION STATS during a busy EVAL → -BUSY …SCRIPT KILL….
 *
 * A real master (repl-timeout 2, repl-ping-replica-period 1, busy-reply-threshold 100) with a
 * real replica (repl-timeout 2), `while true do end` for 5 s then SCRIPT KILL: the replica
 * logged "MASTER timeout: no data nor PING received..." 2.55 s after the EVAL, then "Error
 * reply to PING from master: '-BUSY Redis is busy running a script. You can only call
 * SCRIPT KILL or SHUTDOWN NOSAVE.'" every second, and after the kill "Successful partial
 * resynchronization with master.".
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, linkUp, runUntilTrue, stat, traceTimes } from '../helpers/replication.js';
import { formatReply, type Reply } from '../../sim/redis/protocol/reply.js';
import { ms } from '../../sim/engine/time.js';
import { SentinelCluster } from '../helpers/sentinel-cluster.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const BUSY_EVAL = '(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
const BUSY_FUNCTION = '(error) BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
const UNKILLABLE =
  '(error) UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.';
const SPIN = 'local i=0 while true do i=i+1 end';
/** `while i<N` costs 3 fengari instructions an iteration: 12 ns. */
const loop = (n: number): string => `local i=0 while i<${n} do i=i+1 end return i`;

interface Sent {
  reply: Reply | null;
  at: number;
}

/** Sends argv from a new client now; the reply lands in the result when it comes. */
function send(c: TestCluster, node: string, ...argv: string[]): Sent {
  const s = c.node(node);
  const out: Sent = { reply: null, at: -1 };
  s.commands.call(s.commands.newSession('test', true), argv, (r) => {
    out.reply = r;
    out.at = c.now;
  });
  return out;
}

const text = (x: Sent): string => (x.reply === null ? '(no reply yet)' : formatReply(x.reply));

function single(threshold = 20, extra = ''): TestCluster {
  return new TestCluster(`
config:
  busy-reply-threshold: ${threshold}
nodes:
  m1: {}
${extra}`);
}

describe('a script takes virtual time', () => {
  it('a short script answers after its instructions and calls (3 µs for 100 iterations and 2 calls), and a command sent meanwhile waits for it', () => {
    const c = single();
    c.runFor(0.1);
    const t0 = c.now;
    const e = send(c, 'm1', 'EVAL', "redis.call('set','a','1') redis.call('get','a') " + loop(100), '0');
    const p = send(c, 'm1', 'PING');
    expect(e.reply).toBeNull();
    c.runFor(0.01);
    expect(text(e)).toBe('(integer) 100');
    // ≈ 300 instructions × 4 ns + 2 × 1 µs, rounded up: a few µs, not zero.
    expect(e.at - t0).toBeGreaterThanOrEqual(3);
    expect(e.at - t0).toBeLessThan(10);
    expect(text(p)).toBe('PONG');
    expect(p.at).toBeGreaterThanOrEqual(e.at);
  });

  it('a script under the threshold is not busy: others wait for it, no -BUSY', () => {
    const c = single(100);
    c.runFor(0.1);
    const t0 = c.now;
    const e = send(c, 'm1', 'EVAL', loop(2_000_000), '0'); // 6·10^6 instructions: 24 ms
    c.runUntil(t0 + ms(5));
    const p = send(c, 'm1', 'PING');
    c.runFor(0.1);
    expect(text(e)).toBe('(integer) 2000000');
    expect(e.at - t0).toBeGreaterThan(ms(23));
    expect(e.at - t0).toBeLessThan(ms(26));
    expect(text(p)).toBe('PONG');
    expect(p.at).toBe(e.at);
  });
});

describe('busy scripts', () => {
  it('past busy-reply-threshold other clients get -BUSY (a command sent before the threshold at the threshold), allowed commands run, the script ends normally', () => {
    const c = single(20);
    c.runFor(0.1);
    const t0 = c.now;
    const e = send(c, 'm1', 'EVAL', loop(5_000_000), '0'); // 60 ms
    c.runUntil(t0 + ms(5));
    const early = send(c, 'm1', 'PING');
    c.runUntil(t0 + ms(30));
    expect(text(early)).toBe(BUSY_EVAL);
    expect(early.at - t0).toBeGreaterThanOrEqual(ms(20));
    expect(early.at - t0).toBeLessThan(ms(21));
    const get = send(c, 'm1', 'GET', 'k');
    const info = send(c, 'm1', 'INFO', 'server');
    const multi = send(c, 'm1', 'MULTI');
    const shutdown = send(c, 'm1', 'SHUTDOWN');
    const fstats = send(c, 'm1', 'FUNCTION', 'STATS');
    c.runUntil(t0 + ms(31));
    expect(text(get)).toBe(BUSY_EVAL);
    expect(text(info)).toBe(BUSY_EVAL);
    expect(text(multi)).toBe('OK');
    expect(text(shutdown)).toBe(BUSY_EVAL);
    expect(text(fstats)).toBe(BUSY_EVAL);
    expect(e.reply).toBeNull();
    c.runFor(0.1);
    expect(text(e)).toBe('(integer) 5000000');
    expect(e.at - t0).toBeGreaterThan(ms(59));
    expect(e.at - t0).toBeLessThan(ms(61));
    expect(c.text('m1', 'PING')).toBe('PONG');
    expect(c.traceKinds('server.script-timedout', 'm1').length).toBe(1);
  }, 30_000);

  it('SCRIPT KILL stops a script that wrote nothing, even one that catches errors with pcall; FUNCTION KILL refuses it', () => {
    const c = single(20);
    c.runFor(0.1);
    const e = send(c, 'm1', 'EVAL', `while true do pcall(function() ${SPIN} end) end`, '0');
    c.runFor(0.03);
    const fk = send(c, 'm1', 'FUNCTION', 'KILL');
    c.runFor(0.001);
    expect(text(fk)).toBe(BUSY_EVAL);
    const kill = send(c, 'm1', 'SCRIPT', 'KILL');
    c.runFor(0.001);
    expect(text(kill)).toBe('OK');
    c.runFor(0.01);
    expect(text(e)).toMatch(/^\(error\) ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
    expect(c.text('m1', 'PING')).toBe('PONG');
    expect(c.text('m1', 'SCRIPT', 'KILL')).toBe('(error) NOTBUSY No scripts in execution right now.');
  }, 30_000);

  it('a script that wrote is UNKILLABLE to SCRIPT KILL and FUNCTION KILL; it ends on its own and its write is propagated then', () => {
    const c = single(20, '  r1: { replicaof: m1 }');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(1);
    const t0 = c.now;
    const e = send(c, 'm1', 'EVAL', `redis.call('set','x','1') ${loop(5_000_000)}`, '0');
    c.runUntil(t0 + ms(30));
    const sk = send(c, 'm1', 'SCRIPT', 'KILL');
    const fk = send(c, 'm1', 'FUNCTION', 'KILL');
    c.runUntil(t0 + ms(31));
    expect(text(sk)).toBe(UNKILLABLE);
    expect(text(fk)).toBe(UNKILLABLE);
    expect(c.text('r1', 'GET', 'x')).toBe('(nil)');
    c.runFor(0.1);
    expect(text(e)).toBe('(integer) 5000000');
    expect(c.text('r1', 'GET', 'x')).toBe('"1"');
  }, 30_000);

  it('FUNCTION KILL stops a busy FCALL; SCRIPT KILL and SHUTDOWN get the FUNCTION KILL text; FUNCTION STATS shows it running', () => {
    const c = single(20);
    c.runFor(0.1);
    expect(c.text('m1', 'FUNCTION', 'LOAD', `#!lua name=busylib\nredis.register_function('spin', function(keys, args) ${SPIN} end)`)).toBe('"busylib"');
    const e = send(c, 'm1', 'FCALL', 'spin', '0');
    c.runFor(0.03);
    const stats = send(c, 'm1', 'FUNCTION', 'STATS');
    const sk = send(c, 'm1', 'SCRIPT', 'KILL');
    const sd = send(c, 'm1', 'SHUTDOWN');
    c.runFor(0.001);
    expect(text(stats)).toMatch(/^1\) "running_script"\n2\) 1\) "name"\n {3}2\) "spin"\n {3}3\) "command"\n {3}4\) 1\) "FCALL"\n {6}2\) "spin"\n {6}3\) "0"\n {3}5\) "duration_ms"\n {3}6\) \(integer\) (2\d|30)\n/);
    expect(text(sk)).toBe(BUSY_FUNCTION);
    expect(text(sd)).toBe(BUSY_FUNCTION);
    const fk = send(c, 'm1', 'FUNCTION', 'KILL');
    c.runFor(0.01);
    expect(text(fk)).toBe('OK');
    expect(text(e)).toBe('(error) ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.');
  }, 30_000);

  it('SHUTDOWN NOSAVE ends the process under a busy script: its client sees the connection close', () => {
    const c = single(20);
    c.runFor(0.1);
    const e = send(c, 'm1', 'EVAL', SPIN, '0');
    c.runFor(0.03);
    send(c, 'm1', 'SHUTDOWN', 'NOSAVE');
    c.runFor(0.01);
    expect(c.node('m1').alive).toBe(false);
    expect(text(e)).toMatch(/^\(error\) /);
  }, 30_000);
});

describe('busy scripts catching errors', () => {
  it('xpcall cannot keep a killed script alive either (the kill is raised again at the next line)', () => {
    const c = single(20);
    c.runFor(0.1);
    const e = send(c, 'm1', 'EVAL', `while true do xpcall(function() ${SPIN} end, function(e) return e end) end`, '0');
    c.runFor(0.03);
    const kill = send(c, 'm1', 'SCRIPT', 'KILL');
    c.runFor(0.01);
    expect(text(kill)).toBe('OK');
    expect(text(e)).toMatch(/^\(error\) ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
  }, 30_000);
});

describe('what the replicas of a busy master see', () => {
  // 1 µs an instruction: the same model, 250× less Lua to run for a second of busy master.
  const REPL = (extra = '') => `
config:
  busy-reply-threshold: 100
  repl-timeout: 2
  repl-ping-replica-period: 1
  repl-diskless-sync: "no"
costs: { lua-instruction-ns: 1000 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
${extra}`;

  it('a busy master sends no PING: its replica times out after repl-timeout, its handshake PING gets -BUSY, and after SCRIPT KILL it resyncs partially', () => {
    const c = new TestCluster(REPL());
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(2.5);
    const t0 = c.now;
    const e = send(c, 'm1', 'EVAL', SPIN, '0');
    c.runFor(5);
    const timeouts = traceTimes(c, 'replica.timeout', 'r1');
    expect(timeouts.length).toBe(1);
    // repl-timeout 2 compared in whole seconds at a 1 Hz cron, the last PING ≤ 1 s before t0.
    expect(timeouts[0]! - t0).toBeGreaterThan(ms(1000));
    expect(timeouts[0]! - t0).toBeLessThanOrEqual(ms(4100));
    const errors = c.traceKinds('replica.handshake-error', 'r1').map((r) => r['reason']);
    expect(errors.length).toBeGreaterThan(0);
    expect(String(errors[0])).toContain('BUSY Redis is busy running a script');
    expect(e.reply).toBeNull();
    const kill = send(c, 'm1', 'SCRIPT', 'KILL');
    c.runFor(0.2); // a hook every 100,000 instructions: 100 ms at 1 µs each
    expect(text(kill)).toBe('OK');
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up again', 10);
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
    expect(stat(c, 'm1', 'sync_full')).toBe(1);
  }, 60_000);

  it('a script shorter than repl-timeout goes unnoticed by the replica (the PINGs resume after it)', () => {
    const c = new TestCluster(REPL());
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(2.5);
    const e = send(c, 'm1', 'EVAL', `redis.call('set','k','v') ${loop(300_000)}`, '0'); // 0.9 s
    c.runFor(3);
    expect(text(e)).toBe('(integer) 300000');
    expect(traceTimes(c, 'replica.timeout', 'r1').length).toBe(0);
    expect(c.text('r1', 'GET', 'k')).toBe('"v"');
  }, 60_000);
});

describe('a busy replica', () => {
  // Real 7.0.15 (replica busy-reply-threshold 100, both repl-timeout 2): GET on the busy replica
  // → -BUSY; the master logged "Disconnecting timedout replica (streaming sync)"; the replica
  // PSYNCed again — while still busy in Redis, after the script here (KNOWN-DIFFERENCES).
  it('leaves its master stream unread and sends no REPLCONF ACK: the master drops it after repl-timeout; after SCRIPT KILL it catches up by a partial resync', () => {
    const c = new TestCluster(`
config:
  busy-reply-threshold: 100
  repl-timeout: 2
  repl-diskless-sync: "no"
costs: { lua-instruction-ns: 1000 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
`);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up', 10);
    c.runFor(2.5);
    const t0 = c.now;
    const e = send(c, 'r1', 'EVAL_RO', SPIN, '0');
    c.runFor(0.5);
    expect(c.text('m1', 'SET', 'during', '1')).toBe('OK');
    const get = send(c, 'r1', 'GET', 'during');
    c.runFor(0.2);
    expect(text(get)).toBe(BUSY_EVAL);
    c.runFor(3.5);
    const drops = traceTimes(c, 'master.replica-timeout', 'm1');
    expect(drops.length).toBe(1);
    expect(drops[0]! - t0).toBeGreaterThan(ms(1000));
    expect(drops[0]! - t0).toBeLessThanOrEqual(ms(4100));
    const kill = send(c, 'r1', 'SCRIPT', 'KILL');
    c.runFor(0.2);
    expect(text(kill)).toBe('OK');
    expect(text(e)).toMatch(/^\(error\) ERR Script killed by user with SCRIPT KILL/);
    runUntilTrue(c, () => linkUp(c, 'r1'), 'r1 link up again', 10);
    expect(c.text('r1', 'GET', 'during')).toBe('"1"');
    expect(stat(c, 'm1', 'sync_partial_ok')).toBe(1);
  }, 60_000);
});

describe('Sentinels and a busy master', () => {
  // sentinelPingReplyCallback: -BUSY is not a valid PING reply; once the master is SDOWN a
  // Sentinel sends SCRIPT KILL (SRI_SCRIPT_KILL_SENT).
  it('the master answers their PING -BUSY, so it goes +sdown after down-after-milliseconds; a Sentinel then sends SCRIPT KILL, which ends a script that wrote nothing, and -sdown follows', () => {
    const c = new SentinelCluster(
      `
config:
  busy-reply-threshold: 100
costs: { lua-instruction-ns: 1000 }
nodes:
  m1: {}
  r1: { replicaof: m1 }
`,
      { quorum: 3, master: { downAfterMs: 1000, failoverTimeoutMs: 60000 } },
    );
    c.runFor(5);
    const t0 = c.now;
    const e = send(c, 'm1', 'EVAL', SPIN, '0');
    expect(c.runUntilTrue(() => e.reply !== null, 10)).toBe(true);
    const sdown = c.events.filter((x) => x.type === '+sdown' && x.msg.startsWith('master') && x.t > t0);
    expect(sdown.length).toBeGreaterThan(0);
    expect(sdown[0]!.t - t0).toBeGreaterThan(ms(1000));
    expect(text(e)).toMatch(/^\(error\) ERR Script killed by user with SCRIPT KILL\.\.\./);
    expect(e.at).toBeGreaterThan(sdown[0]!.t);
    c.runFor(3);
    expect(c.events.some((x) => x.type === '-sdown' && x.msg.startsWith('master') && x.t > e.at)).toBe(true);
  }, 60_000);
});

describe('timeline steps with client:', () => {
  it('each named client has its own connection: a PING behind a busy EVAL on another client gets -BUSY; on the same client it waits for the EVAL', () => {
    const s = parseScenario(
      `
duration: 1s
config: { busy-reply-threshold: 20 }
costs: { lua-instruction-ns: 100 }
nodes: { m1: {} }
timeline:
  - { at: 100ms, node: m1, client: a, command: "EVAL 'local i = 0 while i < 1000000 do i = i + 1 end return i' 0", reply: 1000000 }
  - { at: 150ms, node: m1, client: b, command: 'PING', reply: '(error) BUSY' }
  - { at: 150ms, node: m1, client: a, command: 'PING', reply: PONG }
`,
      't.yaml',
    );
    const r = runScenario(s, { seed: '1' });
    expect(r.error).toBeUndefined();
    expect(r.expectations.map((e) => e.ok)).toEqual([true, true, true]);
  }, 30_000);
});

describe('whileBlockedCron during a busy script', () => {
  it('cronloops counts on through the script (one per 1000/hz ms from its start), as serverCron would have', () => {
    const c = single(20);
    c.runFor(0.1);
    const m1 = c.node('m1');
    const before = m1.cronLoops;
    const t0 = c.now;
    const e = send(c, 'm1', 'EVAL', loop(25_000_000), '0'); // 300 ms, busy past 20 ms
    c.runUntil(t0 + ms(310));
    expect(text(e)).toBe('(integer) 25000000');
    // 300 ms at hz 10: three loops counted while blocked (no serverCron ran meanwhile).
    expect(m1.cronLoops - before).toBeGreaterThanOrEqual(3);
    expect(m1.cronLoops - before).toBeLessThanOrEqual(4);
  });
});

describe('long scripts that can be suspended', () => {
  it('run past 10^8 instructions before busy-reply-threshold without tripping the runaway guard (it applies only where a script cannot yield)', () => {
    const c = single(5000);
    c.runFor(0.1);
    const t0 = c.now;
    const e = send(c, 'm1', 'EVAL', loop(40_000_000), '0'); // 1.2·10^8 instructions: 480 ms, under 5 s
    c.runUntil(t0 + ms(500));
    expect(text(e)).toBe('(integer) 40000000');
    expect(e.at - t0).toBeGreaterThan(ms(470));
  });
});

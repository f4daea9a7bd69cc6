/**
 * SENTINEL SIMULATE-FAILURE: the reply shapes and flag handling seen on a real
 * redis-sentinel 7.0.15 (loopback, 2026-12-07, notes in /work/notes/scmd/real-1.txt), and
 * the two crash points of the failover state machine (sentinel.c sentinelFailoverWaitStart
 * and sentinelRefreshInstanceInfo), also seen on the real one: its log showed
 * `+elected-leader` then "Sentinel CRASH because of SENTINEL simulate-failure" and no
 * `+failover-state-select-slave`; with crash-after-promotion `+promoted-slave` then the
 * crash, no `+failover-state-reconf-slaves`, and the config file already holding
 * `sentinel monitor mymaster <promoted replica>` with the failover's config-epoch.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../sim/net/connection.js';
import { respCommandBytes } from '../../sim/redis/protocol/resp.js';
import type { Reply } from '../../sim/redis/protocol/reply.js';
import type { WireMessage } from '../../sim/redis/wire.js';
import { SentinelWorld } from '../helpers/sentinel-world.js';

const fast = { downAfterMs: 2000, failoverTimeoutMs: 6000, parallelSyncs: 1 };

function infoFlags(w: SentinelWorld, name: string): string {
  const r = w.call(w.sentinel(name), 'INFO', 'sentinel') as { value: string };
  return /sentinel_simulate_failure_flags:(\d+)/.exec(r.value)![1]!;
}

describe('SENTINEL SIMULATE-FAILURE replies (as redis-sentinel 7.0.15 answered)', () => {
  it('help lists the two modes and clears the flags; modes add up in INFO; unknown modes are refused', () => {
    const w = new SentinelWorld();
    w.runFor(1);
    const s1 = w.sentinel('s1');
    expect(w.call(s1, 'SENTINEL', 'SIMULATE-FAILURE', 'help')).toEqual({
      type: 'array',
      items: [{ type: 'bulk', value: 'crash-after-election' }, { type: 'bulk', value: 'crash-after-promotion' }],
    });
    expect(w.call(s1, 'SENTINEL', 'simulate-failure')).toEqual({ type: 'error', text: "ERR wrong number of arguments for 'sentinel|simulate-failure' command" });
    expect(w.call(s1, 'SENTINEL', 'simulate-failure', 'bogus')).toEqual({ type: 'error', text: 'ERR Unknown failure simulation specified' });
    // The word before the bad one was applied (flags 1 on the real one).
    expect(w.call(s1, 'SENTINEL', 'simulate-failure', 'crash-after-election', 'bogus')).toEqual({ type: 'error', text: 'ERR Unknown failure simulation specified' });
    expect(infoFlags(w, 's1')).toBe('1');
    expect(w.call(s1, 'SENTINEL', 'simulate-failure', 'CRASH-AFTER-ELECTION', 'crash-after-promotion')).toEqual({ type: 'status', text: 'OK' });
    expect(infoFlags(w, 's1')).toBe('3');
    w.call(s1, 'SENTINEL', 'simulate-failure', 'help');
    expect(infoFlags(w, 's1')).toBe('0');
    const logs = w.sim.trace.records().flatMap((r) => (r.kind === 'sentinel.log' && r.node === 's1' ? [r.msg] : []));
    expect(logs).toContain('Failure simulation: this Sentinel will crash after promoting the selected replica to master');
  });

  it('the flags are not persisted: a restarted Sentinel has none', () => {
    const w = new SentinelWorld();
    w.runFor(1);
    w.call(w.sentinel('s1'), 'SENTINEL', 'simulate-failure', 'crash-after-election');
    w.sentinel('s1').restart();
    expect(infoFlags(w, 's1')).toBe('0');
  });
});

describe('crash-after-election', () => {
  it('the elected leader exits right after +elected-leader; the voters wait 2 × failover-timeout, then another Sentinel fails over', () => {
    const w = new SentinelWorld({ master: fast });
    w.runFor(5);
    for (const s of w.sentinels) w.call(s, 'SENTINEL', 'simulate-failure', 'crash-after-election');
    w.peer('m1').crash();
    expect(w.runUntil(() => w.of('+elected-leader').length > 0, 10)).toBe(true);
    const leader = w.of('+elected-leader')[0]!;
    const dead = w.sentinel(leader.sentinel);
    expect(dead.alive).toBe(false);
    const crashLog = w.sim.trace.records().find((r) => r.kind === 'sentinel.log' && r.node === leader.sentinel && r.msg === 'Sentinel CRASH because of SENTINEL simulate-failure');
    expect(crashLog?.t).toBe(leader.t);
    // Nothing of the failover after the election point.
    expect(w.of('+failover-state-select-slave')).toHaveLength(0);
    // Clear the flag on the survivors (help resets it), as an operator would.
    const survivors = w.sentinels.filter((s) => s !== dead);
    for (const s of survivors) w.call(s, 'SENTINEL', 'simulate-failure', 'help');
    // The survivors voted for the dead leader: no new attempt before 2 × failover-timeout.
    w.runFor(10);
    expect(w.of('+try-failover').filter((e) => e.sentinel !== leader.sentinel && e.t > leader.t + 1_000_000)).toHaveLength(0);
    expect(w.runUntil(() => w.of('+switch-master').length > 0, 20)).toBe(true);
    const second = w.of('+elected-leader').filter((e) => e.sentinel !== leader.sentinel);
    expect(second).toHaveLength(1);
    expect(second[0]!.t - leader.t).toBeGreaterThanOrEqual(12_000_000 - 1_000_000); // 2 × 6 s, less the rand()%1000 ms shift
    for (const s of survivors) expect(s.masterAddress('mymaster')!.host).not.toBe('m1');
    // The scenario's restart of the crashed Sentinel works, and it learns the new master from hellos.
    dead.restart();
    const newMaster = survivors[0]!.masterAddress('mymaster')!.host;
    expect(w.runUntil(() => dead.masterAddress('mymaster')?.host === newMaster, 10)).toBe(true);
  });
});

describe('what a subscriber of the crashing Sentinel sees', () => {
  it('+try-failover arrives, +elected-leader does not: the process exits before writing it', () => {
    // Seen on a real 7.0.15 (replsim diff of sentinel-simulate-failure.yaml, 2026-12-07): s1's
    // log has +elected-leader then the CRASH line, and the harness's PSUBSCRIBE on s1 never
    // got +elected-leader (replies are written in beforeSleep; exit(99) comes first).
    const w = new SentinelWorld({ master: fast });
    const got: string[] = [];
    let ep: Endpoint | null = null;
    w.net.addHost('sub').connect('s1', 26379, {
      onConnect: (e) => {
        ep = e;
        e.onData = (p) => {
          const r = (p as WireMessage & { t: 'reply' }).reply as { items: readonly Reply[] };
          const channel = r.items[2] as { value: string };
          if (r.items.length === 4) got.push(channel.value);
        };
      },
      onError: () => {},
    });
    w.runFor(1);
    ep!.send(respCommandBytes(['PSUBSCRIBE', '*']), { t: 'cmd', argv: ['PSUBSCRIBE', '*'] } satisfies WireMessage);
    w.runFor(4);
    w.call(w.sentinel('s1'), 'SENTINEL', 'simulate-failure', 'crash-after-election');
    w.call(w.sentinel('s1'), 'SENTINEL', 'failover', 'mymaster');
    w.runFor(2);
    expect(w.sentinel('s1').alive).toBe(false);
    expect(w.of('+elected-leader', 's1')).toHaveLength(1); // traced, as the real one logs it
    expect(got).toContain('+try-failover');
    expect(got).not.toContain('+elected-leader');
  });
});

describe('crash-after-promotion', () => {
  it('the leader exits after +promoted-slave, its config file already naming the promoted replica; the others have not switched', () => {
    const w = new SentinelWorld({ master: fast });
    w.runFor(5);
    const s1 = w.sentinel('s1');
    w.call(s1, 'SENTINEL', 'simulate-failure', 'crash-after-promotion');
    expect(w.call(s1, 'SENTINEL', 'failover', 'mymaster')).toEqual({ type: 'status', text: 'OK' });
    expect(w.runUntil(() => !s1.alive, 10)).toBe(true);
    expect(w.of('+promoted-slave', 's1')).toHaveLength(1);
    expect(w.of('+failover-state-reconf-slaves')).toHaveLength(0);
    const promoted = w.of('+promoted-slave', 's1')[0]!.msg.split(' ')[2]!;
    const disk = s1.disk!.masters[0]!;
    expect(disk.config.host).toBe(promoted);
    expect(disk.configEpoch).toBe(s1.disk!.currentEpoch);
    // No hello announced the new configuration: the others still give the old master.
    w.runFor(3);
    expect(w.sentinel('s2').masterAddress('mymaster')!.host).toBe('m1');
    // After a restart it reads the promoted replica back, and its hellos (config-epoch of the
    // failover) switch the others.
    s1.restart();
    expect(s1.masterAddress('mymaster')!.host).toBe(promoted);
    expect(w.runUntil(() => w.sentinel('s2').masterAddress('mymaster')!.host === promoted, 10)).toBe(true);
  });
});

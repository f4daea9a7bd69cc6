/**
 * The Sentinel process against fake Redis peers: timer, discovery, failure detection and a
 * whole failover, with timing windows derived from the rules of sentinel.c (spec §2–§10).
 */
import { describe, expect, it } from 'vitest';
import { sec } from '../../sim/engine/time.js';
import { EPOCH_MS, SentinelWorld } from '../helpers/sentinel-world.js';

const DOWN_AFTER = 5000;

function world(seed = 'sentinel-test') {
  return new SentinelWorld({ seed, master: { downAfterMs: DOWN_AFTER, failoverTimeoutMs: 60000 } });
}

describe('sentinelTimer', () => {
  it('runs every 1000/hz ms with hz uniform in 10..19 (100, 90, 83, 76, 71, 66, 62, 58, 55 or 52 ms)', () => {
    const w = new SentinelWorld({ sentinels: 1, replicas: [] });
    const s = w.sentinels[0]!;
    const allowed = new Set([10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((hz) => Math.trunc(1000 / hz) * 1000));
    const times: number[] = [];
    const orig = s.sentinelTimer.bind(s);
    s.sentinelTimer = () => {
      times.push(w.now);
      orig();
    };
    w.runFor(60);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.every((g) => allowed.has(g))).toBe(true);
    // All ten periods occur over 60 s (≈840 draws), and the mean is ≈71 ms.
    expect(new Set(gaps).size).toBe(10);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length / 1000;
    expect(mean).toBeGreaterThan(68);
    expect(mean).toBeLessThan(75);
  });
});

describe('discovery (init tests: every Sentinel sees num-slaves and num-other-sentinels)', () => {
  it('finds the replicas from the first INFO and the other Sentinels from hellos within ≈2–3 s', () => {
    const w = world();
    w.runFor(1);
    for (const s of w.sentinels) expect(s.masterState('mymaster')!['num-slaves']).toBe('2');
    w.runFor(2.5);
    for (const s of w.sentinels) {
      const st = s.masterState('mymaster')!;
      expect(st['num-other-sentinels']).toBe('2');
      expect(st.flags).toBe('master');
      expect(st.runid).toBe(w.peer('m1').runId);
    }
    // The first hello goes out once publish-period (2 s) has passed since the instance was created.
    const firstSentinel = Math.min(...w.of('+sentinel').map((e) => e.t));
    expect(firstSentinel).toBeGreaterThan(sec(2));
  });
});

describe('00-base: master killed → failover', () => {
  it('SDOWN ≈ down-after + 0..1 s after the last valid reply, ODOWN within ≈1 s, election next tick, promotion ≤1.1 s after SLAVEOF NO ONE', () => {
    const w = world();
    w.runFor(10);
    const crashAt = w.now;
    w.peer('m1').crash();
    w.runFor(30);
    const sdown = w.of('+sdown').filter((e) => e.msg.startsWith('master mymaster m1'));
    expect(sdown.map((e) => e.sentinel).sort()).toEqual(['s1', 's2', 's3']);
    for (const e of sdown) {
      // The last valid PONG came at most ping-period (+ a tick + RTT) before the crash.
      expect(e.t).toBeGreaterThan(crashAt + sec(DOWN_AFTER / 1000) - sec(1.2));
      expect(e.t).toBeLessThanOrEqual(crashAt + sec(DOWN_AFTER / 1000) + sec(1.2));
    }
    const odown = w.of('+odown');
    expect(odown.length).toBeGreaterThan(0);
    const lastNeededSdown = sdown.map((e) => e.t).sort((a, b) => a - b)[1]!; // quorum 2
    expect(odown[0]!.t - lastNeededSdown).toBeLessThanOrEqual(sec(1.1));
    expect(odown[0]!.msg).toMatch(/^master mymaster m1 6379 #quorum [23]\/2$/);

    const leader = w.of('+elected-leader');
    expect(leader).toHaveLength(1);
    const L = leader[0]!.sentinel;
    const tried = w.of('+try-failover', L)[0]!;
    // Votes come back within an RTT, so the leader is elected on the next tick (≤100 ms).
    expect(leader[0]!.t - tried.t).toBeGreaterThan(0);
    expect(leader[0]!.t - tried.t).toBeLessThanOrEqual(100_000);
    // Every Sentinel voted once, for the leader, in epoch 1.
    const votes = w.of('+vote-for-leader');
    expect(new Set(votes.map((v) => v.sentinel)).size).toBe(3);
    expect(new Set(votes.map((v) => v.msg)).size).toBe(1);
    expect(votes[0]!.msg).toBe(`${w.sentinel(L).myid} 1`);

    const waitPromotion = w.of('+failover-state-wait-promotion', L)[0]!;
    const promoted = w.of('+promoted-slave', L)[0]!;
    expect(promoted.t - waitPromotion.t).toBeLessThanOrEqual(sec(1.1));

    // Leader's sequence, in order.
    const seq = w.events.filter((e) => e.sentinel === L && !e.type.endsWith('role-change')).map((e) => e.type);
    const order = ['+sdown', '+odown', '+new-epoch', '+try-failover', '+vote-for-leader', '+elected-leader', '+failover-state-select-slave',
      '+selected-slave', '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion', '+promoted-slave',
      '+failover-state-reconf-slaves', '+slave-reconf-sent', '+slave-reconf-inprog', '+slave-reconf-done', '+failover-end', '+switch-master'];
    let at = 0;
    for (const t of order) {
      at = seq.indexOf(t, at);
      expect(at, t).toBeGreaterThanOrEqual(0);
    }

    // Every Sentinel reports the new master (00-base "new master address"), with config epoch 1.
    const promotedName = promoted.msg.split(' ')[2]!;
    for (const s of w.sentinels) {
      expect(s.masterAddress('mymaster')).toEqual({ host: promotedName, port: 6379 });
      expect(s.masterState('mymaster')!['config-epoch']).toBe('1');
      expect(s.currentEpoch).toBe(1);
    }
    const sw = w.of('+switch-master');
    expect(sw).toHaveLength(3);
    for (const e of sw) expect(e.msg).toBe(`mymaster m1 6379 ${promotedName} 6379`);
    // 00-base: the promoted instance is a master, the other replica follows it.
    expect(w.peer(promotedName).role).toBe('master');
    const other = promotedName === 'r1' ? 'r2' : 'r1';
    expect(w.peer(other).masterHost).toBe(promotedName);
    // Observers learn the switch from the leader's forced hello, before the leader's own switch.
    const leaderSwitch = w.of('+switch-master', L)[0]!;
    for (const e of sw.filter((x) => x.sentinel !== L)) {
      expect(e.t).toBeLessThan(leaderSwitch.t);
      expect(w.of('+config-update-from', e.sentinel)[0]!.msg).toContain(`sentinel ${w.sentinel(L).myid} ${L} 26379 @ mymaster m1 6379`);
    }
  });

  it('00-base: the restarted old master is converted to a replica ≈10 s after its first INFO (+convert-to-slave)', () => {
    const w = world();
    w.runFor(10);
    w.peer('m1').crash();
    w.runUntil(() => w.sentinels.every((s) => s.masterAddress('mymaster')!.host !== 'm1'), 30);
    w.runFor(3);
    const newMaster = w.sentinels[0]!.masterAddress('mymaster')!.host;
    w.peer('m1').boot();
    const back = w.now;
    w.runFor(30);
    const conv = w.of('+convert-to-slave');
    expect(conv.length).toBeGreaterThanOrEqual(1);
    // role_reported_time is set at the first INFO after the restart (≤ 10 s INFO period + reconnect);
    // the conversion needs 8 s more, at an INFO (every 10 s): between 8 and 8 + 10 + 1 + 10 s after.
    expect(conv[0]!.t - back).toBeGreaterThan(sec(8));
    expect(conv[0]!.t - back).toBeLessThanOrEqual(sec(30));
    expect(conv[0]!.msg).toBe(`slave m1:6379 m1 6379 @ mymaster ${newMaster} 6379`);
    expect(w.peer('m1').role).toBe('slave');
    expect(w.peer('m1').masterHost).toBe(newMaster);
  });
});

describe('07-down-conditions', () => {
  it('a hung master (socket up, no replies) is SDOWN ≈ down-after after the first unanswered PING; clears on recovery', () => {
    const w = new SentinelWorld({ sentinels: 1, quorum: 2, master: { downAfterMs: DOWN_AFTER } });
    w.runFor(10);
    const s = w.sentinels[0]!;
    const m1 = w.peer('m1');
    m1.hung = true;
    const hungAt = w.now;
    w.runFor(10);
    const sd = w.of('+sdown', 's1').find((e) => e.msg.startsWith('master'))!;
    // Last valid reply ≤ 1 s before hanging; next PING ≤ 1.1 s after it; SDOWN at the first tick after PING + D.
    expect(sd.t - hungAt).toBeGreaterThan(sec(DOWN_AFTER / 1000) - sec(1));
    expect(sd.t - hungAt).toBeLessThanOrEqual(sec(DOWN_AFTER / 1000) + sec(1.2));
    expect(s.masterState('mymaster')!.flags).toBe('s_down,master');
    // Quorum 2 with one Sentinel: no ODOWN.
    expect(w.of('+odown')).toHaveLength(0);
    m1.hung = false;
    // The PINGs pile up in the socket; the link is closed after ≥15 s and reconnects.
    w.runFor(20);
    expect(w.of('-sdown', 's1').length).toBeGreaterThanOrEqual(1);
    expect(s.masterState('mymaster')!.flags).toBe('master');
  });

  it('a master reporting role:slave goes SDOWN after down-after + 2 × info-period (role-reported rule)', () => {
    const w = new SentinelWorld({ sentinels: 1, master: { downAfterMs: DOWN_AFTER } });
    w.runFor(10);
    w.peer('m1').replicaOf('elsewhere', 6379);
    const flipped = w.now;
    w.runFor(40);
    const rc = w.of('-role-change', 's1').find((e) => e.msg.startsWith('master'))!;
    expect(rc.msg).toBe('master mymaster m1 6379 new reported role is slave');
    expect(rc.t - flipped).toBeLessThanOrEqual(sec(10.2));
    const sd = w.of('+sdown', 's1')[0]!;
    expect(sd.t - rc.t).toBeGreaterThan(sec(DOWN_AFTER / 1000 + 20));
    expect(sd.t - rc.t).toBeLessThanOrEqual(sec(DOWN_AFTER / 1000 + 20) + 100_000);
  });

  it('-LOADING and -MASTERDOWN are valid PING replies; -MISCONF is not', () => {
    const w = new SentinelWorld({ sentinels: 1, master: { downAfterMs: DOWN_AFTER } });
    w.runFor(5);
    const m1 = w.peer('m1');
    m1.pingReply = { type: 'error', text: 'LOADING Redis is loading the dataset in memory' };
    w.runFor(15);
    expect(w.of('+sdown')).toHaveLength(0);
    m1.pingReply = { type: 'error', text: 'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no' };
    w.runFor(15);
    expect(w.of('+sdown')).toHaveLength(0);
    m1.pingReply = { type: 'error', text: 'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.' };
    w.runFor(8);
    expect(w.of('+sdown', 's1').map((e) => e.msg)).toEqual(['master mymaster m1 6379']);
  });
});

describe('00-base: no failover without quorum or majority', () => {
  it('quorum above the number of Sentinels: SDOWN everywhere, never ODOWN', () => {
    const w = new SentinelWorld({ quorum: 4, master: { downAfterMs: DOWN_AFTER } });
    w.runFor(5);
    w.peer('m1').crash();
    w.runFor(30);
    expect(w.of('+sdown').filter((e) => e.msg.startsWith('master'))).toHaveLength(3);
    expect(w.of('+odown')).toHaveLength(0);
    expect(w.of('+try-failover')).toHaveLength(0);
  });

  it('2 of 3 Sentinels killed: ODOWN impossible with quorum 2, and with quorum 1 the election fails (1 vote < 3/2+1)', () => {
    const w = new SentinelWorld({ quorum: 1, master: { downAfterMs: DOWN_AFTER, failoverTimeoutMs: 60000 } });
    w.runFor(5);
    w.sentinel('s2').crash();
    w.sentinel('s3').crash();
    w.peer('m1').crash();
    w.runFor(30);
    const tries = w.of('+try-failover', 's1');
    expect(tries).toHaveLength(1);
    expect(w.of('+elected-leader')).toHaveLength(0);
    const abort = w.of('-failover-abort-not-elected', 's1');
    expect(abort).toHaveLength(1);
    // Election timeout min(10 s, failover-timeout), measured from failover_start_time (+0..999 ms).
    expect(abort[0]!.t - tries[0]!.t).toBeGreaterThan(sec(10));
    expect(abort[0]!.t - tries[0]!.t).toBeLessThanOrEqual(sec(11.1));
    // The next try only after 2 × failover-timeout.
    w.runFor(60);
    expect(w.of('+try-failover', 's1')).toHaveLength(1);
    w.runFor(70);
    const again = w.of('+try-failover', 's1');
    expect(again).toHaveLength(2);
    expect(again[1]!.t - tries[0]!.t).toBeGreaterThanOrEqual(sec(120));
  });
});

describe('determinism', () => {
  it('same seed ⇒ same trace hash with Sentinels failing over; another seed ⇒ another hash', () => {
    const run = (seed: string) => {
      const w = world(seed);
      w.runFor(8);
      w.peer('m1').crash();
      w.runFor(25);
      return w.sim.trace.hash();
    };
    expect(run('a')).toBe(run('a'));
    expect(run('a')).not.toBe(run('b'));
  });
});

describe('links (sentinelReconnectInstance)', () => {
  it('opens cc + pc to the master and each replica, only cc to each Sentinel, and a healthy deployment never reconnects', () => {
    const w = world();
    w.runFor(600);
    const connects = w.sim.trace.records().filter((r) => r.kind === 'net.connect' && r.node === 's1');
    const per = new Map<string, number>();
    for (const r of connects) per.set(String(r.to), (per.get(String(r.to)) ?? 0) + 1);
    expect(Object.fromEntries(per)).toEqual({ m1: 2, r1: 2, r2: 2, s2: 1, s3: 1 });
  });
});

describe('a silent partition between a Sentinel and the master (§3, §20)', () => {
  it('the link stays "connected" with PINGs piling up to the 100-command cap, is closed after ≥ 15 s, and reconnects ≤ 1 s later, in a cycle', () => {
    const w = new SentinelWorld({ sentinels: 1, master: { downAfterMs: DOWN_AFTER } });
    w.runFor(20);
    w.net.partition([['s1'], ['m1', 'r1', 'r2']]);
    const cutAt = w.now;
    const s1 = w.sentinel('s1');
    let maxPending = 0;
    const link = s1.masters.get('mymaster')!.link;
    /** Wall-clock ms of each command-connection attempt (cc_conn_time) after the cut. */
    const attempts: number[] = [];
    for (let i = 0; i < 600; i++) {
      w.runForMs(100);
      maxPending = Math.max(maxPending, Number(s1.masterState('mymaster')!['link-pending-commands']));
      if (link.ccConnTime !== attempts.at(-1)) attempts.push(link.ccConnTime);
    }
    // INFO and PUBLISH are queued every tick while unanswered; the cap stops everything at 100
    // (the SUBSCRIBE side adds nothing; AUTH/SETNAME of a reconnect can add 2).
    expect(maxPending).toBeGreaterThanOrEqual(100);
    expect(maxPending).toBeLessThanOrEqual(102);
    const firstClose = w.sim.trace.records().find((r) => r.kind === 'net.close' && r.node === 's1' && r.peer === 'm1' && r.t > cutAt)!.t;
    // The first close needs the link to be 15 s old (it is) and PINGs unanswered for down-after/2:
    // ≈ 1 s (next PING) + 2.5 s after the cut, + a tick.
    expect(firstClose - cutAt).toBeGreaterThan(sec(2.5));
    expect(firstClose - cutAt).toBeLessThanOrEqual(sec(3.7));
    // Reconnect attempts: the first ≤ 1 s after the close (the ping-period gate); from then on each
    // new connection (stuck in SYN_SENT behind the partition) is dropped and redialled once it is
    // 15 s old and its PING has been pending for down-after/2.
    const fresh = attempts.slice(1);
    expect(fresh.length).toBeGreaterThanOrEqual(3);
    expect(fresh[0]! - (EPOCH_MS + Math.floor(firstClose / 1000))).toBeLessThanOrEqual(1100);
    for (let i = 1; i < fresh.length; i++) {
      expect(fresh[i]! - fresh[i - 1]!).toBeGreaterThan(15_000);
      expect(fresh[i]! - fresh[i - 1]!).toBeLessThanOrEqual(16_200);
    }
    // SDOWN nonetheless: the PING clock runs across reconnects.
    expect(w.of('+sdown', 's1').filter((e) => e.msg.startsWith('master'))).toHaveLength(1);
  });
});

describe('sentinelSendHello', () => {
  it('reuses the last hello text only while its fields are unchanged: a new epoch or master address is in the next one', () => {
    const w = world();
    w.runFor(5);
    const s1 = w.sentinels[0]!;
    const hellosOf = (peer: string): string[][] =>
      w
        .peer(peer)
        .received.filter((c) => c.startsWith('PUBLISH __sentinel__:hello ') && c.includes(s1.myid))
        .map((c) => c.split(' ')[2]!.split(','));
    const before = hellosOf('m1');
    expect(before.length).toBeGreaterThan(0);
    expect(before.at(-1)!.slice(2)).toEqual([s1.myid, String(s1.currentEpoch), 'mymaster', 'm1', '6379', '0']);
    s1.currentEpoch += 7;
    s1.masters.get('mymaster')!.configEpoch = 3;
    w.runFor(3);
    const after = hellosOf('m1');
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.at(-1)!.slice(2)).toEqual([s1.myid, String(s1.currentEpoch), 'mymaster', 'm1', '6379', '3']);
  });
});

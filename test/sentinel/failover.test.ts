/**
 * Failover paths named after the upstream tests (tests/sentinel/tests/*.tcl, spec §21) and
 * the timeouts of §10, against fake Redis peers.
 */
import { describe, expect, it } from 'vitest';
import { sec } from '../../sim/engine/time.js';
import { SentinelWorld } from '../helpers/sentinel-world.js';

const fast = { downAfterMs: 2000, failoverTimeoutMs: 10000, parallelSyncs: 1 };

describe('05-manual: SENTINEL FAILOVER', () => {
  it('promotes a replica without ODOWN or votes; all Sentinels switch; the healthy old master is converted ≈10 s later', () => {
    const w = new SentinelWorld({ master: fast });
    w.runFor(5);
    const s1 = w.sentinel('s1');
    expect(w.call(s1, 'SENTINEL', 'failover', 'mymaster')).toEqual({ type: 'status', text: 'OK' });
    expect(w.call(s1, 'SENTINEL', 'failover', 'mymaster')).toEqual({ type: 'error', text: 'INPROG Failover already in progress' });
    w.runFor(10);
    expect(w.of('+odown')).toHaveLength(0);
    expect(w.of('+elected-leader').map((e) => e.sentinel)).toEqual(['s1']);
    // Only the leader voted: no vote requests are sent while the master is not SDOWN.
    expect(w.of('+vote-for-leader').map((e) => e.sentinel)).toEqual(['s1']);
    const newMaster = s1.masterAddress('mymaster')!.host;
    expect(newMaster).not.toBe('m1');
    for (const s of w.sentinels) expect(s.masterAddress('mymaster')!.host).toBe(newMaster);
    // The old master was never told anything and still is a master …
    expect(w.peer('m1').role).toBe('master');
    w.runFor(25);
    // … until a Sentinel converts it (role_reported_time + 8 s, at an INFO).
    expect(w.of('+convert-to-slave').length).toBeGreaterThanOrEqual(1);
    expect(w.peer('m1').role).toBe('slave');
    expect(w.peer('m1').masterHost).toBe(newMaster);
  });

  it('NOGOODSLAVE when no replica qualifies (priority 0 everywhere)', () => {
    const w = new SentinelWorld({ master: fast });
    w.peer('r1').priority = 0;
    w.peer('r2').priority = 0;
    w.runFor(3);
    expect(w.call(w.sentinel('s1'), 'SENTINEL', 'failover', 'mymaster')).toEqual({ type: 'error', text: 'NOGOODSLAVE No suitable replica to promote' });
  });
});

describe('replica selection (sentinelSelectSlave)', () => {
  it('priority beats offset, and a larger offset wins at equal priority', () => {
    const w = new SentinelWorld({ master: fast });
    w.peer('r1').offset = 1000;
    w.peer('r2').offset = 500;
    w.runFor(3);
    w.call(w.sentinel('s1'), 'SENTINEL', 'failover', 'mymaster');
    w.runFor(3);
    expect(w.of('+selected-slave', 's1')[0]!.msg).toBe('slave r1:6379 r1 6379 @ mymaster m1 6379');

    const v = new SentinelWorld({ master: fast });
    v.peer('r1').offset = 1000;
    v.peer('r2').offset = 500;
    v.peer('r2').priority = 10;
    v.runFor(3);
    v.call(v.sentinel('s1'), 'SENTINEL', 'failover', 'mymaster');
    v.runFor(3);
    expect(v.of('+selected-slave', 's1')[0]!.msg).toBe('slave r2:6379 r2 6379 @ mymaster m1 6379');
  });

  it('-failover-abort-no-good-slave when the only replica is down too; the retry waits 2 × failover-timeout', () => {
    const w = new SentinelWorld({ replicas: ['r1'], master: fast });
    w.runFor(5);
    w.peer('r1').crash();
    w.peer('m1').crash();
    w.runFor(8);
    const aborts = w.of('-failover-abort-no-good-slave');
    expect(aborts).toHaveLength(1);
    const first = w.of('+try-failover', aborts[0]!.sentinel)[0]!;
    w.runFor(25);
    const tries = w.of('+try-failover', aborts[0]!.sentinel);
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(tries[1]!.t - first.t).toBeGreaterThanOrEqual(sec(20));
  });
});

describe('02-slaves-reconf: RECONF_SLAVES with parallel-syncs', () => {
  it('parallel-syncs 1 reconfigures one replica at a time (SENT → INPROG → DONE before the next SENT)', () => {
    const w = new SentinelWorld({ replicas: ['r1', 'r2', 'r3'], master: fast });
    for (const r of ['r1', 'r2', 'r3']) w.peer(r).syncDelayMs = 1500;
    w.runFor(5);
    w.peer('m1').crash();
    w.runFor(25);
    const L = w.of('+elected-leader')[0]!.sentinel;
    const steps = w.events.filter((e) => e.sentinel === L && /^\+slave-reconf-(sent|done)$/.test(e.type)).map((e) => e.type);
    expect(steps).toEqual(['+slave-reconf-sent', '+slave-reconf-done', '+slave-reconf-sent', '+slave-reconf-done']);
    expect(w.of('+failover-end', L)).toHaveLength(1);
  });

  it('parallel-syncs 10 sends to every replica in the same tick', () => {
    const w = new SentinelWorld({ replicas: ['r1', 'r2', 'r3'], master: { ...fast, parallelSyncs: 10 } });
    w.runFor(5);
    w.peer('m1').crash();
    w.runFor(25);
    const L = w.of('+elected-leader')[0]!.sentinel;
    const sent = w.of('+slave-reconf-sent', L);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.t).toBe(sent[1]!.t);
  });

  it('a replica down during the failover is reconfigured once it returns and failover-timeout has passed (+fix-slave-config)', () => {
    const w = new SentinelWorld({ replicas: ['r1', 'r2'], master: { ...fast, failoverTimeoutMs: 15000 } });
    w.peer('r2').priority = 200; // r1 is promoted
    w.runFor(5);
    w.peer('r2').crash();
    w.peer('m1').crash();
    w.runUntil(() => w.sentinels.every((s) => s.masterAddress('mymaster')!.host === 'r1'), 30);
    expect(w.peer('r1').role).toBe('master');
    // r2 comes back still pointing at m1.
    w.peer('r2').boot();
    const back = w.now;
    w.runFor(40);
    const fix = w.of('+fix-slave-config').filter((e) => e.msg.startsWith('slave r2:6379'));
    expect(fix.length).toBeGreaterThanOrEqual(1);
    // Not before failover-timeout since its reported master was first seen (its first INFO after the restart).
    expect(fix[0]!.t - back).toBeGreaterThan(sec(15));
    expect(w.peer('r2').masterHost).toBe('r1');
  });
});

describe('01-conf-update: a Sentinel down during the failover learns the new master after it restarts', () => {
  it('adopts the higher config epoch from hellos (+config-update-from, +switch-master)', () => {
    const w = new SentinelWorld({ master: fast });
    w.runFor(5);
    const s3 = w.sentinel('s3');
    s3.crash();
    w.peer('m1').crash();
    w.runUntil(() => w.sentinel('s1').masterAddress('mymaster')!.host !== 'm1' && w.sentinel('s2').masterAddress('mymaster')!.host !== 'm1', 30);
    w.runFor(2);
    const newMaster = w.sentinel('s1').masterAddress('mymaster')!.host;
    s3.boot();
    expect(s3.masterAddress('mymaster')!.host).toBe('m1'); // its config file still says m1
    w.runFor(5);
    expect(s3.masterAddress('mymaster')!.host).toBe(newMaster);
    expect(s3.masterState('mymaster')!['config-epoch']).toBe('1');
    const sw = w.of('+switch-master', 's3');
    expect(sw.map((e) => e.msg)).toEqual([`mymaster m1 6379 ${newMaster} 6379`]);
  });
});

describe('11-port-0: a Sentinel restarted with a new id on the same address', () => {
  it('replaces the old entry (+sentinel-invalid-addr): the others still count 2 other Sentinels', () => {
    const w = new SentinelWorld();
    w.runFor(5);
    const s3 = w.sentinel('s3');
    const oldId = s3.myid;
    s3.crash();
    s3.disk = null; // a fresh config file: a new random myid
    s3.boot();
    expect(s3.myid).not.toBe(oldId);
    w.runFor(5);
    for (const s of [w.sentinel('s1'), w.sentinel('s2')]) {
      expect(s.masterState('mymaster')!['num-other-sentinels']).toBe('2');
      expect(w.of('+sentinel-invalid-addr', s.name).map((e) => e.msg)).toEqual([`sentinel ${oldId} s3 26379 @ mymaster m1 6379`]);
    }
  });
});

describe('12-master-reboot: master-reboot-down-after-period', () => {
  it('a master that restarts (new run_id) and answers -LOADING is failed over after the period', () => {
    const w = new SentinelWorld({ master: { ...fast, downAfterMs: 30000, masterRebootDownAfterPeriodMs: 5000 } });
    w.runFor(12);
    const m1 = w.peer('m1');
    m1.crash();
    m1.boot();
    m1.pingReply = { type: 'error', text: 'LOADING Redis is loading the dataset in memory' };
    w.runFor(30);
    expect(w.of('+reboot').length).toBeGreaterThanOrEqual(1);
    expect(w.of('+sdown').filter((e) => e.msg.startsWith('master')).length).toBeGreaterThanOrEqual(2);
    expect(w.of('+switch-master').length).toBe(3);
  });

  it('without it (period 0) a master answering -LOADING is never failed over', () => {
    const w = new SentinelWorld({ master: { ...fast, downAfterMs: 30000 } });
    w.runFor(12);
    const m1 = w.peer('m1');
    m1.crash();
    m1.boot();
    m1.pingReply = { type: 'error', text: 'LOADING Redis is loading the dataset in memory' };
    w.runFor(60);
    expect(w.of('+reboot').length).toBeGreaterThanOrEqual(1);
    expect(w.of('+sdown')).toHaveLength(0);
  });
});

describe('TILT (sentinelCheckTiltCondition)', () => {
  it('a Sentinel paused > 2 s enters TILT on resume, does not act for 30 s, then -tilt', () => {
    const w = new SentinelWorld({ master: fast });
    w.runFor(5);
    const s1 = w.sentinel('s1');
    s1.pause();
    w.runFor(3);
    s1.resume();
    w.runForMs(1);
    expect(w.of('+tilt', 's1').map((e) => e.msg)).toEqual(['#tilt mode entered']);
    expect(s1.tilt).toBe(true);
    expect((w.call(s1, 'INFO', 'sentinel') as { value: string }).value).toContain('sentinel_tilt:1\r\n');
    // While in TILT the master dying is not judged by s1 (flags frozen), and s1 answers isdown 0.
    w.peer('m1').crash();
    w.runFor(10);
    expect(w.of('+sdown', 's1')).toHaveLength(0);
    w.runFor(21);
    const exit = w.of('-tilt', 's1');
    expect(exit).toHaveLength(1);
    expect(exit[0]!.t - w.of('+tilt', 's1')[0]!.t).toBeGreaterThanOrEqual(sec(30));
    expect(exit[0]!.t - w.of('+tilt', 's1')[0]!.t).toBeLessThanOrEqual(sec(30.1));
  });

  it('a pause shorter than tilt-trigger does not; a backwards clock step does', () => {
    const w = new SentinelWorld({ sentinels: 1 });
    w.runFor(5);
    const s1 = w.sentinel('s1');
    s1.pause();
    w.runFor(1.5);
    s1.resume();
    w.runFor(1);
    expect(w.of('+tilt')).toHaveLength(0);
    s1.adjustClock({ jumpMs: -500 });
    w.runFor(0.2);
    expect(w.of('+tilt', 's1')).toHaveLength(1);
  });
});

describe('split brain: a partition isolating the master with one Sentinel', () => {
  it('the majority side fails over; after the heal the minority Sentinel adopts the new config and the old master is converted', () => {
    const w = new SentinelWorld({ master: fast });
    w.runFor(5);
    w.net.partition([['m1', 's1'], ['r1', 'r2', 's2', 's3']]);
    w.runFor(15);
    const newMaster = w.sentinel('s2').masterAddress('mymaster')!.host;
    expect(newMaster).not.toBe('m1');
    expect(w.sentinel('s3').masterAddress('mymaster')!.host).toBe(newMaster);
    // s1 alone cannot fail over; it keeps giving clients the old master.
    expect(w.sentinel('s1').masterAddress('mymaster')!.host).toBe('m1');
    expect(w.of('+elected-leader', 's1')).toHaveLength(0);
    w.net.healAll();
    w.runFor(40);
    expect(w.sentinel('s1').masterAddress('mymaster')!.host).toBe(newMaster);
    expect(w.peer('m1').role).toBe('slave');
    expect(w.peer('m1').masterHost).toBe(newMaster);
  });
});

describe('03-runtime-reconf: credentials', () => {
  it('without auth-pass the links to password-protected instances stay disconnected (refused SUBSCRIBE drops pc); SENTINEL SET auth-pass connects them', () => {
    const w = new SentinelWorld({ sentinels: 1 });
    for (const n of ['m1', 'r1', 'r2']) w.peer(n).requirepass = 'secret';
    w.runFor(5);
    const s1 = w.sentinel('s1');
    expect(s1.masterState('mymaster')!['flags']).toBe('master,disconnected');
    // No INFO ever answered: no replica discovered.
    expect(s1.masterState('mymaster')!['num-slaves']).toBe('0');
    w.call(s1, 'SENTINEL', 'set', 'mymaster', 'auth-pass', 'secret');
    w.runFor(3);
    expect(s1.masterState('mymaster')!['flags']).toBe('master');
    expect(s1.masterState('mymaster')!['num-slaves']).toBe('2');
    // Replicas use their master's auth-pass.
    w.runFor(2);
    const reps = s1.masters.get('mymaster')!.slaves;
    for (const r of reps.values()) expect(r.link.disconnected).toBe(false);
  });
});

describe('00-base: quorum equal to the number of Sentinels', () => {
  it('with every Sentinel up, the failover still works (quorum 3 of 3)', () => {
    const w = new SentinelWorld({ quorum: 3, master: fast });
    w.runFor(5);
    w.peer('m1').crash();
    w.runFor(15);
    expect(w.of('+odown')[0]!.msg).toMatch(/#quorum 3\/3$/);
    const newMaster = w.sentinel('s1').masterAddress('mymaster')!.host;
    expect(newMaster).not.toBe('m1');
    expect(w.peer(newMaster).role).toBe('master');
  });
});

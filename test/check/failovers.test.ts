import { describe, expect, it } from 'vitest';
import { findFailovers, selectionReason } from '../../sim/check/failovers.js';
import type { SentinelEventRecord } from '../../sim/check/sentinel-events.js';
import type { SentinelHistory } from '../../sim/check/sentinel-history.js';
import type { TraceRecord } from '../../sim/engine/trace.js';

const ev = (t: number, sentinel: string, type: string, msg: string): SentinelEventRecord => ({ t, sentinel, type, msg });
const M = 'master mymaster m1 6379';
const slave = (h: string) => `slave ${h}:6379 ${h} 6379 @ mymaster m1 6379`;

/** The leader's and an observer's events of §10.8, in order (times in µs). */
function history(extra: SentinelEventRecord[] = []): SentinelHistory {
  const fault: TraceRecord = { t: 1_000_000, kind: 'fault.crash', node: 'm1' };
  return {
    events: [
      ev(6_000_000, 's2', '+sdown', M),
      ev(6_050_000, 's1', '+sdown', M),
      ev(6_100_000, 's1', '+odown', `${M} #quorum 2/2`),
      ev(6_100_000, 's1', '+new-epoch', '1'),
      ev(6_100_000, 's1', '+try-failover', M),
      ev(6_101_000, 's2', '+new-epoch', '1'),
      ev(6_101_000, 's2', '+vote-for-leader', 'abc 1'),
      ev(6_200_000, 's1', '+elected-leader', M),
      ev(6_300_000, 's1', '+selected-slave', slave('r1')),
      ev(7_300_000, 's1', '+promoted-slave', slave('r1')),
      ev(7_310_000, 's2', '+config-update-from', 'sentinel abc s1 26379 @ mymaster m1 6379'),
      ev(7_310_000, 's2', '+switch-master', 'mymaster m1 6379 r1 6379'),
      ev(8_300_000, 's1', '+slave-reconf-done', slave('r2')),
      ev(8_400_000, 's1', '+failover-end', M),
      ev(8_400_000, 's1', '+switch-master', 'mymaster m1 6379 r1 6379'),
      ...extra,
    ],
    faults: [fault],
    writes: [],
    discoveries: [],
    selections: [],
    lacking: [],
  };
}

describe('findFailovers', () => {
  it('reads one failover from the leader\'s and the observers\' events, in the order of §10.8', () => {
    const [f, ...rest] = findFailovers(history(), 2);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ master: 'mymaster', epoch: 1, candidates: ['s1'], leader: 's1', outcome: 'switched', from: 'm1', to: 'r1' });
    expect(f!.steps.map((s) => [s.step, s.t])).toEqual([
      ['fault', 1_000_000],
      ['+sdown', 6_000_000], // the first Sentinel to see it, not the leader
      ['+odown', 6_100_000],
      ['+try-failover', 6_100_000],
      ['+elected-leader', 6_200_000],
      ['+selected-slave', 6_300_000],
      ['+promoted-slave', 7_300_000],
      ['+slave-reconf-done', 8_300_000],
      ['+failover-end', 8_400_000],
      ['+switch-master', 8_400_000],
    ]);
    // The observer switched on the hello, before the leader's own +switch-master.
    expect(f!.sentinelsSwitched).toBe(2);
    expect(f!.allSwitchedUs).toBe(8_400_000);
  });

  it('an old master converted after the switch ends the section', () => {
    const [f] = findFailovers(history([ev(20_000_000, 's2', '+convert-to-slave', 'slave m1:6379 m1 6379 @ mymaster r1 6379')]), 2);
    expect(f!.steps.at(-1)).toMatchObject({ step: '+convert-to-slave', t: 20_000_000, by: 's2' });
  });

  it('an attempt never elected is aborted; two candidates in one epoch are a split vote', () => {
    const h = history();
    h.events = [
      ev(6_000_000, 's1', '+new-epoch', '1'),
      ev(6_000_000, 's1', '+try-failover', M),
      ev(6_010_000, 's2', '+new-epoch', '1'),
      ev(6_010_000, 's2', '+try-failover', M),
      ev(16_000_000, 's1', '-failover-abort-not-elected', M),
      ev(16_100_000, 's2', '-failover-abort-not-elected', M),
    ];
    const [f] = findFailovers(h, 3);
    expect(f).toMatchObject({ epoch: 1, candidates: ['s1', 's2'], leader: null, outcome: 'aborted', abort: '-failover-abort-not-elected', to: null });
  });

  it('a leader whose process ends (SENTINEL SIMULATE-FAILURE crash-after-election) aborts its attempt; its switch after a restart is not that attempt\'s', () => {
    const h = history();
    h.events = [
      ev(6_000_000, 's1', '+new-epoch', '1'),
      ev(6_000_000, 's1', '+try-failover', M),
      ev(6_100_000, 's1', '+elected-leader', M),
      ev(26_000_000, 's2', '+new-epoch', '2'),
      ev(26_000_000, 's2', '+try-failover', M),
      ev(26_100_000, 's2', '+elected-leader', M),
      ev(26_200_000, 's2', '+selected-slave', slave('r1')),
      ev(27_000_000, 's2', '+failover-end', M),
      ev(27_000_000, 's2', '+switch-master', 'mymaster m1 6379 r1 6379'),
      ev(41_000_000, 's1', '+switch-master', 'mymaster m1 6379 r1 6379'),
    ];
    h.faults = [...h.faults, { t: 6_100_000, kind: 'sentinel.crash', node: 's1' }];
    const [first, second] = findFailovers(h, 3);
    expect(first).toMatchObject({ epoch: 1, leader: 's1', outcome: 'aborted', abort: 'crash', to: null });
    expect(first!.steps.map((s) => s.step)).toEqual(['fault', '+try-failover', '+elected-leader', 'crash']);
    expect(second).toMatchObject({ epoch: 2, leader: 's2', outcome: 'switched', to: 'r1' });
  });

  it('SENTINEL FAILOVER on Sentinels that had not heard of each other reuses an epoch for another master: two sections', () => {
    // Found by fuzz --profile sentinel (campaign clean1, index 4): s4 fails m1 over to r1 in
    // epoch 2 while s1, still at epoch 1, fails r1 back over to m1 in epoch 2 too.
    const R = 'master mymaster r1 6379';
    const h = history();
    h.events = [
      ev(7_063_000, 's4', '+new-epoch', '2'),
      ev(7_063_000, 's4', '+try-failover', M),
      ev(7_090_000, 's4', '+elected-leader', M),
      ev(7_161_000, 's4', '+selected-slave', slave('r1')),
      ev(7_310_000, 's4', '+switch-master', 'mymaster m1 6379 r1 6379'),
      ev(7_600_000, 's1', '+new-epoch', '2'),
      ev(7_600_000, 's1', '+try-failover', R),
      ev(7_684_000, 's1', '+elected-leader', R),
      ev(7_755_000, 's1', '+selected-slave', 'slave m1:6379 m1 6379 @ mymaster r1 6379'),
      ev(8_491_000, 's1', '+switch-master', 'mymaster r1 6379 m1 6379'),
    ];
    const f = findFailovers(h, 5);
    expect(f.map((x) => [x.epoch, x.leader, x.from, x.to, x.outcome])).toEqual([[2, 's4', 'm1', 'r1', 'switched'], [2, 's1', 'r1', 'm1', 'switched']]);
  });
});

describe('selectionReason (compareSlavesForPromotion in words)', () => {
  const r = (replica: string, priority: number, offset: number, excluded = '') => ({ replica, priority, offset, runid: null, excluded });
  it('priority first, even against a larger offset', () => {
    expect(selectionReason('r1', [r('r1', 10, 100), r('r2', 100, 500)])).toBe('lowest replica-priority: 10 vs r2 100 (priority wins over offset)');
  });
  it('then the offset', () => {
    expect(selectionReason('r2', [r('r1', 100, 100), r('r2', 100, 500)])).toBe('same priority 100; largest replication offset: 500 vs r1 100');
  });
  it('then the runid; excluded replicas are named with the rule that excluded them', () => {
    expect(selectionReason('r1', [r('r1', 100, 5), r('r2', 100, 5), r('r3', 0, 9, 'replica-priority 0')]))
      .toBe('same priority and offset (100, 5); smallest runid; r3 excluded (replica-priority 0)');
  });
});

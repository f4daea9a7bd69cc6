import { describe, expect, it } from 'vitest';
import type { Failover } from '../../sim/check/failovers.js';
import { cutOff, type ClientWrite, type SentinelHistory } from '../../sim/check/sentinel-history.js';
import { summarizeClientWrites } from '../../sim/check/sentinel-losses.js';
import type { TraceRecord } from '../../sim/engine/trace.js';

const S = 1_000_000;
const write = (key: string, node: string, at: number, reply = 'OK', client = 'app1'): ClientWrite =>
  ({ client, key, value: key, node, invokedUs: at, completedUs: at + 1000, reply });

/** m1 → r2 at 16 s (promoted on the Redis side at 15.8 s), announced by the leader at 16.4 s. */
const failover: Failover = {
  master: 'mymaster', epoch: 1, candidates: ['s2'], leader: 's2', outcome: 'switched', from: 'm1', to: 'r2',
  steps: [{ step: '+promoted-slave', t: 16.4 * S, by: 's2', detail: '' }, { step: '+switch-master', t: 16.5 * S, by: 's2', detail: '' }],
  why: null, replicas: [], allSwitchedUs: null, sentinelsSwitched: 1, clientOutages: [],
};

function history(writes: ClientWrite[], faults: TraceRecord[], lacking: SentinelHistory['lacking'] = [], discoveries: SentinelHistory['discoveries'] = []): SentinelHistory {
  return { events: [], faults: [...faults, { t: 15.8 * S, kind: 'replica.promoted', node: 'r2' }].sort((a, b) => a.t - b.t), writes, discoveries, selections: [], lacking };
}

describe('cutOff (partitions replayed from the fault records)', () => {
  const faults: TraceRecord[] = [
    { t: 10 * S, kind: 'fault.partition', groups: 'm1,r1 | r2,s2' },
    { t: 20 * S, kind: 'fault.heal' },
    { t: 30 * S, kind: 'fault.partition-one-way', from: 'm1', to: 'r2' },
  ];
  it('nodes in different groups are cut both ways; unnamed nodes are untouched; heal lifts it', () => {
    expect(cutOff(faults, 'm1', 'r2', 5 * S)).toBe(false);
    expect(cutOff(faults, 'm1', 'r2', 12 * S)).toBe(true);
    expect(cutOff(faults, 'r2', 'm1', 12 * S)).toBe(true);
    expect(cutOff(faults, 'm1', 'r1', 12 * S)).toBe(false);
    expect(cutOff(faults, 'm1', 'x9', 12 * S)).toBe(false);
    expect(cutOff(faults, 'm1', 'r2', 25 * S)).toBe(false);
    expect(cutOff(faults, 'r2', 'm1', 31 * S)).toBe(true); // one way counts: they cannot talk
  });
});

describe('summarizeClientWrites: each lost acknowledged write gets its §22 cause', () => {
  const partition: TraceRecord = { t: 10 * S, kind: 'fault.partition', groups: 'm1,app1 | r2,s2' };
  const heal: TraceRecord = { t: 40 * S, kind: 'fault.heal' };

  it('async lag: acknowledged by m1 before any fault, missing on the promoted replica', () => {
    const h = history([write('a', 'm1', 9 * S)], [], [{ t: 15.8 * S, node: 'r2', kind: 'promoted', keys: new Set(['a']) }]);
    const s = summarizeClientWrites(h, [failover], 'm1', 'r2', new Set());
    expect(s.byCause).toEqual({ 'async-lag-at-promotion': 1 });
  });

  it('minority side: acknowledged by m1 while cut off from the replica that was then promoted without it, or after the promotion', () => {
    const h = history([write('b', 'm1', 12 * S), write('c', 'm1', 15.9 * S), write('d', 'm1', 30 * S)], [partition, heal],
      [{ t: 15.8 * S, node: 'r2', kind: 'promoted', keys: new Set(['b']) }]);
    const s = summarizeClientWrites(h, [failover], 'm1', 'r2', new Set());
    expect(s.byCause).toEqual({ 'minority-side-master': 3 });
  });

  it('old master before conversion: written to m1 after the switch with the network whole', () => {
    const h = history([write('e', 'm1', 45 * S)], [partition, heal]);
    expect(summarizeClientWrites(h, [failover], 'm1', 'r2', new Set()).byCause).toEqual({ 'old-master-before-conversion': 1 });
  });

  it('stale discovery: a Sentinel named m1 after the leader announced r2', () => {
    const h = history([write('f', 'm1', 18 * S)], [], [], [{ t: 17 * S, client: 'app1', sentinel: 's1', address: 'm1:6379' }]);
    const s = summarizeClientWrites(h, [failover], 'm1', 'r2', new Set());
    expect(s.byCause).toEqual({ 'stale-discovery': 1 });
    expect(s.examples[0]!.story).toMatch(/s1 still named m1/);
  });

  it('restart without persistence: the master restarted without it and stayed the master', () => {
    const h = history([write('g', 'm1', 5 * S)], [], [{ t: 6 * S, node: 'm1', kind: 'restart', keys: new Set(['g']) }]);
    expect(summarizeClientWrites(h, [], 'm1', 'm1', new Set()).byCause).toEqual({ 'restart-without-persistence': 1 });
  });

  it('a forced failover back to a node still a master (not yet converted) is timed by its own attempt, not an older promotion', () => {
    // Found by fuzz --profile sentinel (campaign sentinel-clean, index 106): r2 promoted at
    // 15.8 s; SENTINEL FAILOVER at 30 s makes m1 master again (m1 had been converted); at
    // 40 s another picks r2 before it was converted back: SLAVEOF NO ONE finds it a master
    // already, so no replica.promoted in that attempt. A write m1 took at 35 s is lost to
    // a promotion of a node that never had it.
    const back: Failover = { ...failover, epoch: 2, from: 'r2', to: 'm1', steps: [
      { step: '+try-failover', t: 30 * S, by: 's1', detail: '' }, { step: '+promoted-slave', t: 31 * S, by: 's1', detail: '' }, { step: '+switch-master', t: 31.1 * S, by: 's1', detail: '' }] };
    const again: Failover = { ...failover, epoch: 3, from: 'm1', to: 'r2', steps: [
      { step: '+try-failover', t: 40 * S, by: 's1', detail: '' }, { step: '+promoted-slave', t: 40.3 * S, by: 's1', detail: '' }, { step: '+switch-master', t: 40.4 * S, by: 's1', detail: '' }] };
    const h = history([write('x', 'm1', 35 * S)], [{ t: 30.9 * S, kind: 'replica.promoted', node: 'm1' }], [{ t: 40.3 * S, node: 'r2', kind: 'promoted', keys: new Set(['x']) }]);
    expect(summarizeClientWrites(h, [failover, back, again], 'm1', 'r2', new Set()).byCause).toEqual({ 'async-lag-at-promotion': 1 });
  });

  it('anything else is unexplained; present, refused and unanswered writes are not lost', () => {
    const h = history([write('h', 'm1', 5 * S), write('i', 'm1', 5 * S), write('j', 'm1', 6 * S, '(error) NOREPLICAS'), write('k', 'm1', 7 * S, 'no reply')], []);
    const s = summarizeClientWrites(h, [], 'm1', 'm1', new Set(['i']));
    expect(s).toMatchObject({ written: 4, acknowledged: 2, failed: 1, indeterminate: 1, lost: 1, byCause: { unexplained: 1 } });
  });
});

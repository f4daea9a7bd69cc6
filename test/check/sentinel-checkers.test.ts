/**
 * The Sentinel checkers on hand-made histories: agreement on one master after the settle
 * bound, one vote per Sentinel per epoch and one leader per epoch elected by a majority, no
 * promotion of a replica-priority 0 replica, and client writes lost only to §22 causes.
 */
import { describe, expect, it } from 'vitest';
import { checkSentinelAgreement } from '../../sim/check/sentinel-agreement.js';
import { checkSentinelClientWrites } from '../../sim/check/sentinel-client-writes.js';
import { checkSentinelElection } from '../../sim/check/sentinel-election.js';
import { checkSentinelPromotion } from '../../sim/check/sentinel-promotion.js';
import { sentinelSettleBoundUs, type SentinelFacts, type SentinelSettings, type SentinelView } from '../../sim/check/sentinel-facts.js';
import type { SentinelEventRecord } from '../../sim/check/sentinel-events.js';
import type { History } from '../../sim/check/history.js';
import type { TraceRecord } from '../../sim/engine/trace.js';
import { final, history } from './history-fixture.js';

const S = 1_000_000;
const SETTINGS: SentinelSettings = {
  downAfterMs: 2000, failoverTimeoutMs: 6000, infoPeriodMs: 10_000, pingPeriodMs: 1000, askPeriodMs: 1000,
  publishPeriodMs: 2000, tiltPeriodMs: 30_000, electionTimeoutMs: 10_000, slaveReconfTimeoutMs: 10_000,
};
const ID = { s1: '1'.repeat(40), s2: '2'.repeat(40), s3: '3'.repeat(40) };

function view(address: string | null, configEpoch = 1, over: Partial<SentinelView> = {}): SentinelView {
  return { alive: true, myid: '', address, configEpoch, flags: 'master', ...over };
}

function withFacts(h: History, over: Partial<SentinelFacts> = {}, events: SentinelEventRecord[] = [], faults: TraceRecord[] = []): History {
  h.sentinel = {
    master: 'mymaster', quorum: 2, settings: SETTINGS,
    views: {
      s1: view('m1:6379', 1, { myid: ID.s1 }), s2: view('m1:6379', 1, { myid: ID.s2 }), s3: view('m1:6379', 1, { myid: ID.s3 }),
    },
    history: { events, faults, writes: [], discoveries: [], selections: [], lacking: [] },
    ...over,
  };
  return h;
}

const ev = (t: number, sentinel: string, type: string, msg = 'master mymaster m1 6379'): SentinelEventRecord => ({ t: t * S, sentinel, type, msg });

describe('sentinel-agreement', () => {
  const end = 1 * S + 400 * S; // well past quiet (1 s) + any bound
  it('holds when every Sentinel names the master every replica follows, in one epoch', () => {
    const r = checkSentinelAgreement(withFacts(history()), final(end));
    expect(r.violations).toEqual([]);
    expect(r.notes[0]).toMatch(/one master, m1/);
  });
  it('fails on Sentinels that disagree on the address or the epoch, or a dead Sentinel', () => {
    const h = withFacts(history(), {
      views: { s1: view('m1:6379', 1), s2: view('r1:6379', 2), s3: view('m1:6379', 1, { alive: false }) },
    });
    const msgs = checkSentinelAgreement(h, final(end)).violations.map((v) => v.message);
    expect(msgs.some((m) => m.includes('s3 not running'))).toBe(true);
    expect(msgs.some((m) => m.includes('disagree on mymaster'))).toBe(true);
  });
  it('fails when the named node is a replica, or a replica follows another node', () => {
    const f = final(end);
    f.nodes['r1'] = { ...f.nodes['r1']!, role: 'master', masterHost: null };
    const msgs = checkSentinelAgreement(withFacts(history()), f).violations.map((v) => v.message);
    expect(msgs).toEqual([expect.stringContaining('r1 is a master too')]);
    const g = final(end);
    g.nodes['r1'] = { ...g.nodes['r1']!, link: 'connecting' };
    expect(checkSentinelAgreement(withFacts(history()), g).violations[0]!.message).toContain('r1 replicates from m1 (link connecting)');
  });
  it('decides nothing before the settle deadline, nor without Sentinels', () => {
    expect(checkSentinelAgreement(withFacts(history()), final(2 * S)).notes[0]).toMatch(/not decided/);
    expect(checkSentinelAgreement(history(), final(end)).notes[0]).toMatch(/no Sentinels/);
  });
  it('the settle bound grows with failover-timeout and the replicas to reconfigure', () => {
    // 8 × failover-timeout in all (retry gates, promotion and reconfiguration, fixes), the
    // election timeout capped by it: +6 s of failover-timeout adds 8 × 6 s + (10 s − 6 s).
    expect(sentinelSettleBoundUs({ ...SETTINGS, failoverTimeoutMs: 12_000 }, 2)).toBe(sentinelSettleBoundUs(SETTINGS, 2) + 8 * 6_000_000 + 4_000_000);
    expect(sentinelSettleBoundUs(SETTINGS, 3)).toBe(sentinelSettleBoundUs(SETTINGS, 2) + 10_000_000);
  });
});

describe('sentinel-election', () => {
  const tryFailover = (t: number, s: keyof typeof ID, epoch: number): SentinelEventRecord[] => [ev(t, s, '+new-epoch', String(epoch)), ev(t, s, '+try-failover')];
  const vote = (t: number, voter: string, leader: keyof typeof ID, epoch: number): SentinelEventRecord => ev(t, voter, '+vote-for-leader', `${ID[leader]} ${epoch}`);
  it('holds for a leader elected by a majority, one vote per Sentinel', () => {
    const events = [...tryFailover(10, 's1', 1), vote(10, 's1', 's1', 1), vote(10.1, 's2', 's1', 1), ev(11, 's1', '+elected-leader')];
    expect(checkSentinelElection(withFacts(history(), {}, events), final(20 * S)).violations).toEqual([]);
  });
  it('fails on a leader with fewer votes than a majority (or than the quorum)', () => {
    const events = [...tryFailover(10, 's1', 1), vote(10, 's1', 's1', 1), ev(11, 's1', '+elected-leader')];
    expect(checkSentinelElection(withFacts(history(), {}, events), final(20 * S)).violations[0]!.message)
      .toContain('elected leader in epoch 1 with 1 vote(s) (s1); it needs 2');
    const two = [...tryFailover(10, 's1', 1), vote(10, 's1', 's1', 1), vote(10.1, 's2', 's1', 1), ev(11, 's1', '+elected-leader')];
    expect(checkSentinelElection(withFacts(history(), { quorum: 3 }, two), final(20 * S)).violations).toHaveLength(1);
  });
  it('fails on a Sentinel voting twice in one epoch, and on two leaders of one epoch', () => {
    const events = [
      ...tryFailover(10, 's1', 1), ...tryFailover(10, 's3', 1),
      vote(10, 's1', 's1', 1), vote(10, 's3', 's3', 1), vote(10.1, 's2', 's1', 1), vote(10.2, 's2', 's3', 1),
      ev(11, 's1', '+elected-leader'), ev(11.1, 's3', '+elected-leader'),
    ];
    const msgs = checkSentinelElection(withFacts(history(), {}, events), final(20 * S)).violations.map((v) => v.message);
    expect(msgs).toEqual([expect.stringContaining('s2 voted twice in epoch 1: for s1 and for s3'), expect.stringContaining('two leaders in epoch 1: s1 and s3')]);
  });
  it('leaves out a failover forced by SENTINEL FAILOVER (no election)', () => {
    const faults: TraceRecord[] = [{ t: 10 * S, kind: 'client.command', node: 's1', command: 'SENTINEL FAILOVER mymaster' }];
    const events = [...tryFailover(10, 's1', 1), ev(10.2, 's1', '+elected-leader')];
    expect(checkSentinelElection(withFacts(history(), {}, events, faults), final(20 * S)).violations).toEqual([]);
  });
});

describe('sentinel-promotion', () => {
  it('fails when a replica with replica-priority 0 is selected, whatever the Sentinel thought', () => {
    const h = history();
    h.meta.configs['r1'] = { ...h.meta.configs['r1']!, replicaPriority: 0 };
    const events = [ev(12, 's1', '+selected-slave', 'slave r1:6379 r1 6379 @ mymaster m1 6379')];
    expect(checkSentinelPromotion(withFacts(h, {}, events), final(20 * S)).violations[0]!.message).toContain('selected r1 for promotion, but its replica-priority is 0');
    h.meta.configs['r1'] = { ...h.meta.configs['r1']!, replicaPriority: 10 };
    expect(checkSentinelPromotion(withFacts(h, {}, events), final(20 * S)).violations).toEqual([]);
  });
});

describe('sentinel-client-writes', () => {
  it('fails on an acknowledged write lost for no documented cause, not on explained ones', () => {
    const base = { written: 3, acknowledged: 3, failed: 0, indeterminate: 0, finalMaster: 'r1', lost: 2 };
    const lost = (cause: 'unexplained' | 'async-lag-at-promotion') => ({ client: 'app1', key: `k-${cause}`, node: 'm1', acknowledgedUs: 5 * S, cause, story: 'story' });
    const explained = { ...base, byCause: { 'async-lag-at-promotion': 2 }, examples: [lost('async-lag-at-promotion')] };
    expect(checkSentinelClientWrites(withFacts(history(), { clientWrites: explained }), final(20 * S)).violations).toEqual([]);
    const bad = { ...base, byCause: { unexplained: 1, 'async-lag-at-promotion': 1 }, examples: [lost('async-lag-at-promotion'), lost('unexplained')] };
    const v = checkSentinelClientWrites(withFacts(history(), { clientWrites: bad }), final(20 * S)).violations;
    expect(v.map((x) => x.message)).toEqual([expect.stringContaining('k-unexplained by app1 lost for no documented reason')]);
  });
});

import { describe, expect, it } from 'vitest';
import { compareSentinels, eventToken, pairSentinels, timingTolerances, type SentinelWorld } from '../../sim/diff/sentinel-compare.js';
import type { SentinelEventRecord } from '../../sim/diff/sentinel-watch.js';
import { parseScenario } from '../../sim/scenario/load.js';

const scenario = parseScenario([
  'name: x',
  'duration: 6s',
  'nodes: { m1: {}, r1: { replicaof: m1 }, r2: { replicaof: m1 } }',
  'sentinels: { s1: {}, s2: {}, s3: {} }',
  'sentinel:',
  '  monitor: { name: mymaster, master: m1, quorum: 2 }',
  '  down-after-milliseconds: 1000',
  '  debug: { ping-period: 500 }',
  'timeline:',
  '  - { at: 1500ms, crash: m1 }',
  '',
].join('\n'), 'x.yaml');

/** Real addresses: 127.0.0.1 and a port per process; replsim's: host names. */
const PORTS: Record<string, string> = { m1: '40001', r1: '40002', r2: '40003', s1: '40004', s2: '40005', s3: '40006' };
const realAddr = (n: string): string => `127.0.0.1 ${PORTS[n]}`;
const simAddr = (n: string): string => `${n} 6379`;

type Ev = [ms: number, sentinel: string, type: string, what: string];

/** Builds a world; `what` is `master`, `slave:<node>`, `sentinel:<name>`, or a raw payload with {addr:<node>} / {id:<name>}. */
function world(events: Ev[], real: boolean, final: Record<string, string> = { address: 'r1', flags: 'master', 'num-slaves': '2', 'num-other-sentinels': '2', 'config-epoch': '1' }): SentinelWorld {
  const addr = real ? realAddr : simAddr;
  const id = (n: string): string => `${real ? 'real' : 'sim'}-id-${n}`;
  const msg = (what: string): string => {
    if (what === 'master') return `master mymaster ${addr('m1')}`;
    if (what.startsWith('slave:')) { const n = what.slice(6); return `slave ${addr(n).replace(' ', ':')} ${addr(n)} @ mymaster ${addr('m1')}`; }
    if (what.startsWith('sentinel:')) return `sentinel ${id(what.slice(9))} ${addr(what.slice(9))} @ mymaster ${addr('m1')}`;
    return what.replace(/\{addr:(\w+)\}/g, (_, n: string) => addr(n)).replace(/\{id:(\w+)\}/g, (_, n: string) => id(n));
  };
  const recs: SentinelEventRecord[] = events.map(([ms, sentinel, type, what]) => ({ atUs: ms * 1000, sentinel, type, msg: msg(what) }));
  const byPort = new Map(Object.entries(PORTS).map(([n, p]) => [p, n]));
  return {
    events: recs,
    finals: Object.fromEntries(['s1', 's2', 's3'].map((s) => [s, { alive: true, masters: { mymaster: { ...final } }, events: {} }])),
    nameAt: (ip, port) => (real ? byPort.get(port) ?? '?' : ip),
    sentinelById: (x) => x.replace(/^(real|sim)-id-/, ''),
  };
}

/** A failover led by `leader`, observed by the others, `promoted` chosen. */
function failover(leader: string, promoted: string, opts: { observerVoteFirst?: boolean; reconfOrder?: string[]; shiftMs?: number } = {}): Ev[] {
  const t = (ms: number): number => ms + (opts.shiftMs ?? 0);
  const others = ['s1', 's2', 's3'].filter((s) => s !== leader);
  const other = ['r1', 'r2'].find((r) => r !== promoted)!;
  const ev: Ev[] = [
    [t(2600), leader, '+sdown', 'master'],
    [t(2700), leader, '+odown', 'master'],
    [t(2700), leader, '+new-epoch', '1'],
    [t(2700), leader, '+try-failover', 'master'],
    [t(2700), leader, '+vote-for-leader', `{id:${leader}} 1`],
    [t(2800), leader, '+elected-leader', 'master'],
    [t(2800), leader, '+failover-state-select-slave', 'master'],
    [t(2900), leader, '+selected-slave', `slave:${promoted}`],
    [t(3600), leader, '+promoted-slave', `slave:${promoted}`],
    [t(3700), leader, '+slave-reconf-sent', `slave:${other}`],
    [t(4700), leader, '+slave-reconf-done', `slave:${other}`],
    [t(4800), leader, '+failover-end', 'master'],
    [t(4800), leader, '+switch-master', `mymaster {addr:m1} {addr:${promoted}}`],
    [t(4800), leader, '+slave', `slave:${other}`],
    [t(4800), leader, '+slave', 'slave:m1'],
  ];
  for (const o of others) {
    const sdown: Ev = [t(opts.observerVoteFirst ? 2750 : 2650), o, '+sdown', 'master'];
    ev.push(sdown, [t(2701), o, '+new-epoch', '1'], [t(2701), o, '+vote-for-leader', `{id:${leader}} 1`]);
    ev.push([t(3700), o, '+config-update-from', `sentinel:${leader}`], [t(3700), o, '+switch-master', `mymaster {addr:m1} {addr:${promoted}}`]);
    for (const r of opts.reconfOrder ?? [other, 'm1']) ev.push([t(3700), o, '+slave', `slave:${r}`]);
  }
  return ev.sort((a, b) => a[0] - b[0]);
}

describe('Sentinels compared as relations', () => {
  it('normalises addresses and run ids in event payloads', () => {
    const w = world([], true);
    const e = { atUs: 0, sentinel: 's1', type: '+switch-master', msg: `mymaster ${realAddr('m1')} ${realAddr('r1')}` };
    expect(eventToken(e, w, (x) => x)).toBe('+switch-master m1 r1');
    expect(eventToken({ ...e, type: '+sdown', msg: `slave 127.0.0.1:40003 ${realAddr('r2')} @ mymaster ${realAddr('m1')}` }, w, (x) => x)).toBe('+sdown slave r2');
    expect(eventToken({ ...e, type: '+vote-for-leader', msg: 'real-id-s2 1' }, w, (x) => x)).toBe('+vote-for-leader s2 1');
  });

  it('pairs the elected leaders, then the others by name', () => {
    const real = world(failover('s2', 'r1'), true);
    const sim = world(failover('s3', 'r1'), false);
    expect(pairSentinels(['s1', 's2', 's3'], real, sim)).toEqual({ s2: 's3', s1: 's1', s3: 's2' });
  });

  it('agrees when only the leader, dict order and an observer\'s race differ', () => {
    const real = world(failover('s2', 'r1', { reconfOrder: ['m1', 'r2'] }), true);
    const sim = world(failover('s3', 'r1', { observerVoteFirst: true, shiftMs: 150 }), false);
    const c = compareSentinels(scenario, real, sim);
    expect(c.fields.every((f) => f.equal)).toBe(true);
    expect(c.sequences.map((q) => [q.sentinel, q.equal])).toEqual([['s1', true], ['s2', true], ['s3', true]]);
    expect(c.timings.every((t) => t.equal)).toBe(true);
  });

  it('finds another replica promoted, and a different final view', () => {
    const real = world(failover('s1', 'r1'), true);
    const sim = world(failover('s1', 'r2'), false, { address: 'r2', flags: 'master', 'num-slaves': '2', 'num-other-sentinels': '2', 'config-epoch': '1' });
    const c = compareSentinels(scenario, real, sim);
    expect(c.sequences.filter((q) => !q.equal).map((q) => q.sentinel)).toEqual(['s1', 's2', 's3']);
    expect(c.fields.filter((f) => !f.equal).map((f) => `${f.sentinel}.${f.field}`)).toEqual(['s1.address', 's2.address', 's3.address']);
  });

  it('excuses an event only one world reached in the last 1.5 s, not earlier', () => {
    const base = failover('s1', 'r1');
    const late: Ev = [5000, 's1', '+sdown', 'slave:m1'];
    const early: Ev = [3000, 's2', '+sdown', 'sentinel:s3'];
    const okCase = compareSentinels(scenario, world([...base, late], true), world(base, false));
    expect(okCase.sequences.every((q) => q.equal)).toBe(true);
    expect(okCase.sequences[0]!.excused).toEqual(['real only, last 1500 ms: +sdown slave m1']);
    const bad = compareSentinels(scenario, world([...base, early], true), world(base, false));
    expect(bad.sequences.find((q) => q.sentinel === 's2')!.equal).toBe(false);
  });

  it('holds each step of the failover timeline to its tolerance', () => {
    const tol = timingTolerances(scenario);
    // ping period min(1000, 500) + 2 ticks + load
    expect(tol['+sdown']).toBe(500 + 2 * 190 + 300);
    const late = failover('s1', 'r1').map(([ms, ...rest]): Ev => [ms >= 2600 ? ms + tol['+sdown']! + 100 : ms, ...rest]);
    const c = compareSentinels(scenario, world(failover('s1', 'r1'), true), world(late, false));
    expect(c.timings.map((t) => [t.step, t.equal])).toEqual([['+sdown', false], ['+odown', true], ['+switch-master', true], ['all switched', true]]);
  });
});

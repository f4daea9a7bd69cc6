import { describe, expect, it } from 'vitest';
import { ScenarioError, type ScenarioIssue } from '../../sim/scenario/errors.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { defaultSentinelTimings } from '../../sim/sentinel/config.js';

/** Lines 1–8 are fixed (the default sentinel: section is lines 7–8); `extra` starts on line 9. */
const base = (extra: string, sentinel = 'sentinel:\n  monitor: { name: mymaster, master: m1, quorum: 2 }'): string =>
  ['name: t', 'duration: 10s', 'nodes:', '  m1: {}', '  r1: { replicaof: m1 }', 'sentinels: { s1: {}, s2: {}, s3: {} }', sentinel, extra].join('\n');

function issues(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, 'x.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).issues;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('sentinels: and sentinel: (sentinel.conf by its own names)', () => {
  it('builds one sentinel.conf per Sentinel: monitor at the node\'s host and port, shared options, per-Sentinel overrides, DEBUG timings', () => {
    const s = parseScenario(base('', [
      'sentinel:',
      '  monitor: { name: mymaster, master: m1, quorum: 2 }',
      '  down-after-milliseconds: 5000',
      '  failover-timeout: 60000',
      '  debug: { info-period: 1000 }',
    ].join('\n')).replace('s3: {}', 's3: { port: 26380, config: { down-after-milliseconds: 3000 } }'));
    expect(s.sentinels!.map((x) => x.name)).toEqual(['s1', 's2', 's3']);
    const [s1, , s3] = s.sentinels!;
    expect(s1!.config.port).toBe(26379); // Sentinel's default port
    expect(s3!.config.port).toBe(26380);
    expect(s1!.config.masters).toEqual([expect.objectContaining({ name: 'mymaster', host: 'm1', port: 6379, quorum: 2, downAfterMs: 5000, failoverTimeoutMs: 60000, parallelSyncs: 1 })]);
    expect(s3!.config.masters[0]!.downAfterMs).toBe(3000);
    expect(s3!.config.masters[0]!.failoverTimeoutMs).toBe(60000);
    expect(s1!.config.timings).toEqual({ ...defaultSentinelTimings(), infoPeriodMs: 1000 });
  });

  it('defaults are sentinel.c\'s: down-after 30 s, failover-timeout 180 s', () => {
    const m = parseScenario(base('')).sentinels![0]!.config.masters[0]!;
    expect([m.downAfterMs, m.failoverTimeoutMs, m.masterRebootDownAfterPeriodMs]).toEqual([30_000, 180_000, 0]);
  });

  it('a misspelt sentinel.conf option gets a did-you-mean at its line and column', () => {
    const [i] = issues(base('', 'sentinel:\n  monitor: { name: mymaster, master: m1, quorum: 2 }\n  down-after-miliseconds: 5000'));
    expect(i).toMatchObject({ line: 9, col: 3, path: 'sentinel.down-after-miliseconds' });
    expect(i!.message).toMatch(/unknown key "down-after-miliseconds"/);
    expect(i!.hint).toMatch(/did you mean down-after-milliseconds\?/);
  });

  it('a misspelt SENTINEL DEBUG timing gets a did-you-mean', () => {
    const [i] = issues(base('', 'sentinel:\n  monitor: { name: mymaster, master: m1, quorum: 2 }\n  debug: { info-perod: 100 }'));
    expect(i!.path).toBe('sentinel.debug.info-perod');
    expect(i!.hint).toMatch(/did you mean info-period\?/);
  });

  it('quorum greater than the number of Sentinels is an error (the master could never be ODOWN)', () => {
    const [i] = issues(base('', 'sentinel:\n  monitor: { name: mymaster, master: m1, quorum: 4 }'));
    expect(i).toMatchObject({ line: 8, path: 'sentinel.monitor.quorum' });
    expect(i!.message).toMatch(/quorum 4 > 3 Sentinels/);
  });

  it('monitoring a node that does not exist, with did-you-mean', () => {
    const [i] = issues(base('', 'sentinel:\n  monitor: { name: mymaster, master: m2, quorum: 2 }'));
    expect(i).toMatchObject({ line: 8, path: 'sentinel.monitor.master' });
    expect(i!.message).toMatch(/unknown node "m2"/);
    expect(i!.hint).toMatch(/did you mean m1\?/);
  });

  it('monitoring a Sentinel is refused', () => {
    const [i] = issues(base('', 'sentinel:\n  monitor: { name: mymaster, master: s1, quorum: 2 }'));
    expect(i!.message).toMatch(/"s1" is a Sentinel/);
  });

  it('an unknown master name in an expectation, with did-you-mean', () => {
    const [i] = issues(base('expect:\n  - { sentinel: s1, master: mymastr, address: r1 }'));
    expect(i).toMatchObject({ line: 10, col: 29, path: 'expect[0].master' });
    expect(i!.message).toMatch(/unknown master name "mymastr"/);
    expect(i!.hint).toMatch(/did you mean mymaster\?/);
  });

  it('an unknown Sentinel in an expectation, with did-you-mean', () => {
    const [i] = issues(base('expect:\n  - { sentinel: s4, event: +sdown, count: 1 }'));
    expect(i!.message).toMatch(/unknown Sentinel "s4"/);
  });

  it('Sentinels without a sentinel: section, and a section without Sentinels', () => {
    expect(issues(base('', ''))[0]!.message).toMatch(/monitor nothing/);
    const text = ['name: t', 'nodes: { m1: {} }', 'sentinel:', '  monitor: { name: mymaster, master: m1, quorum: 1 }'].join('\n');
    expect(issues(text)[0]!.message).toMatch(/no Sentinels/);
  });

  it('a Sentinel name that is also a node name is refused', () => {
    const i = issues(base('').replace('s3: {}', 'r1: {}'));
    expect(i.some((x) => /"r1" is already a node name/.test(x.message))).toBe(true);
  });
});

describe('faults and commands on Sentinels', () => {
  it('crash, pause, restart, clock and command: may name a Sentinel; partitions may name Sentinels and client hosts', () => {
    const s = parseScenario(base([
      'workload:',
      '  - sentinel-client: { rate: 10/s, host: app1 }',
      'timeline:',
      '  - { at: 1s, crash: s1 }',
      '  - { at: 2s, restart: s1 }',
      '  - { at: 2s, pause: s2, for: 3s }',
      '  - { at: 3s, clock: { node: s3, jump: 5s } }',
      '  - { at: 3s, node: s1, command: "SENTINEL FAILOVER mymaster" }',
      '  - { at: 4s, partition: [[m1, app1, s1], [r1, s2, s3]] }',
    ].join('\n')));
    expect(s.timeline.map((t) => t.action.kind)).toEqual(['crash', 'restart', 'pause', 'clock', 'command', 'partition']);
    expect(s.sentinelClients![0]).toMatchObject({ host: 'app1', sentinels: ['s1', 's2', 's3'], master: 'mymaster', rateHz: 10, roleCheck: true });
  });

  it('Redis-only actions refuse a Sentinel by name', () => {
    const [i] = issues(base('timeline:\n  - { at: 1s, kill-link: s1 }'));
    expect(i!.message).toMatch(/"s1" is a Sentinel, not a Redis node/);
  });

  it('a client host is refused where a process is needed', () => {
    const [i] = issues(base('workload:\n  - sentinel-client: { rate: 10/s, host: app1 }\ntimeline:\n  - { at: 1s, crash: app1 }'));
    expect(i!.message).toMatch(/"app1" is a client host/);
  });
});

describe('sentinel-client: workload', () => {
  it('first: rotates the Sentinel list to start with it', () => {
    const s = parseScenario(base('workload:\n  - sentinel-client: { rate: 10/s, first: s2 }'));
    expect(s.sentinelClients![0]!.sentinels).toEqual(['s2', 's3', 's1']);
  });

  it('an unknown master name, with did-you-mean', () => {
    const [i] = issues(base('workload:\n  - sentinel-client: { rate: 10/s, master: mymaser }'));
    expect(i!.path).toBe('workload[0].sentinel-client.master');
    expect(i!.hint).toMatch(/did you mean mymaster\?/);
  });

  it('an unknown option, with did-you-mean', () => {
    const [i] = issues(base('workload:\n  - sentinel-client: { rate: 10/s, role-chek: false }'));
    expect(i!.hint).toMatch(/did you mean role-check\?/);
  });
});

describe('expectations on Sentinels', () => {
  it('address, flags, config-epoch, fields and event counts', () => {
    const s = parseScenario(base([
      'expect:',
      '  - { sentinel: s1, master: mymaster, address: r1 }',
      '  - { sentinel: all, flags: master }',
      '  - { sentinel: s1, config-epoch: 1 }',
      '  - { sentinel: s1, event: +switch-master, count: 1 }',
      '  - { sentinel: s2, event: +sdown, count: { at-least: 1 } }',
      '  - { sentinel: s3, field: num-other-sentinels, equals: 2 }',
    ].join('\n')));
    expect(s.expect).toEqual([
      { kind: 'sentinel', sentinel: 's1', master: 'mymaster', field: 'address', op: 'equals', value: 'r1', line: 10 },
      { kind: 'sentinel', sentinel: 'all', master: 'mymaster', field: 'flags', op: 'equals', value: 'master', line: 11 },
      { kind: 'sentinel', sentinel: 's1', master: 'mymaster', field: 'config-epoch', op: 'equals', value: 1, line: 12 },
      { kind: 'sentinel-event', sentinel: 's1', event: '+switch-master', op: 'equals', value: 1, line: 13 },
      { kind: 'sentinel-event', sentinel: 's2', event: '+sdown', op: 'at-least', value: 1, line: 14 },
      { kind: 'sentinel', sentinel: 's3', master: 'mymaster', field: 'num-other-sentinels', op: 'equals', value: 2, line: 15 },
    ]);
  });
});

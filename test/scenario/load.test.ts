import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioError, type ScenarioIssue } from '../../sim/scenario/errors.js';
import { parseScenario } from '../../sim/scenario/load.js';

/** A small valid file; `extra` is appended at top level (lines 6 onwards). */
const base = (extra: string): string =>
  ['name: t', 'duration: 10s', 'nodes:', '  m1: {}', '  r1: { replicaof: m1 }', extra].join('\n');

function firstIssue(text: string, file = 'x.yaml'): ScenarioIssue {
  try {
    parseScenario(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).first;
  }
  throw new Error('expected the scenario to be rejected');
}

interface Case {
  what: string;
  text: string;
  line: number;
  col: number;
  path: string;
  message: RegExp;
  hint?: RegExp;
}

// Columns are 1-based and point at the offending value, or at the key for unknown keys.
const cases: Case[] = [
  {
    what: 'unknown top-level key, with did-you-mean',
    text: 'name: t\nduraton: 10s\nnodes: { m1: {} }\n',
    line: 2, col: 1, path: 'duraton', message: /unknown key "duraton"/, hint: /did you mean duration\?/,
  },
  {
    what: 'unknown redis.conf option, with did-you-mean',
    text: base('config:\n  repl-timout: 5'),
    line: 7, col: 3, path: 'config.repl-timout', message: /unknown redis.conf option "repl-timout"/, hint: /did you mean repl-timeout\?/,
  },
  {
    what: 'real Redis option that is not modelled',
    text: base('config:\n  tcp-keepalive: 300'),
    line: 7, col: 3, path: 'config.tcp-keepalive', message: /real Redis option that replsim does not model/,
  },
  {
    what: 'bad redis.conf value (unit on a plain-seconds option)',
    text: base('config:\n  repl-timeout: 60s'),
    line: 7, col: 17, path: 'config.repl-timeout', message: /expected an integer from 1 to \d+, got "60s"/, hint: /no unit/,
  },
  {
    what: 'bad duration "5 sec"',
    text: base('timeline:\n  - { at: 5 sec, crash: m1 }'),
    line: 7, col: 11, path: 'timeline[0].at', message: /expected a duration like "5s".*got "5 sec"/,
  },
  {
    what: 'bare number as a duration',
    text: base('timeline:\n  - { at: 5, crash: m1 }'),
    line: 7, col: 11, path: 'timeline[0].at', message: /bare number 5/,
  },
  {
    what: 'bad size',
    text: base('dataset: { node: m1, keys: 10, value-size: 10 parsecs }'),
    line: 6, col: 44, path: 'dataset.value-size', message: /expected a size like "1mb".*got "10 parsecs"/,
  },
  {
    what: 'undeclared node in the timeline',
    text: base('timeline:\n  - { at: 1s, kill-link: r3 }'),
    line: 7, col: 26, path: 'timeline[0].kill-link', message: /unknown node "r3"/, hint: /did you mean r1\?.*declared nodes: m1, r1/,
  },
  {
    what: 'replicaof names an unknown node',
    text: 'nodes:\n  m1: {}\n  r1: { replicaof: m2 }\n',
    line: 3, col: 20, path: 'nodes.r1.replicaof', message: /unknown node "m2"/, hint: /did you mean m1\?/,
  },
  {
    what: 'replicaof names the node itself',
    text: 'nodes:\n  m1: {}\n  r1: { replicaof: r1 }\n',
    line: 3, col: 20, path: 'nodes.r1.replicaof', message: /cannot replicate from itself/,
  },
  {
    what: '`at` beyond the duration',
    text: base('timeline:\n  - { at: 11s, crash: m1 }'),
    line: 7, col: 11, path: 'timeline[0].at', message: /11s is beyond the scenario's duration \(10s\)/, hint: /duration/,
  },
  {
    what: '`at` going backwards',
    text: base('timeline:\n  - { at: 2s, crash: m1 }\n  - { at: 1s, restart: m1 }'),
    line: 8, col: 11, path: 'timeline[1].at', message: /1s goes backwards \(the step before is at 2s\)/,
  },
  {
    what: 'a node twice in a partition',
    text: base('timeline:\n  - { at: 2s, partition: [[m1, r1], [r1]] }'),
    line: 7, col: 38, path: 'timeline[0].partition[1][0]', message: /node "r1" appears twice/,
  },
  {
    what: 'wrong type: string for a number',
    text: base('dataset: { node: m1, keys: "many" }'),
    line: 6, col: 28, path: 'dataset.keys', message: /expected a whole number ≥ 0, got "many"/,
  },
  {
    what: 'missing required field (points at the map)',
    text: base('workload: { node: m1 }'),
    line: 6, col: 11, path: 'workload.rate', message: /missing; expected a rate like "1000\/s"/,
  },
  {
    what: 'empty command',
    text: base('timeline:\n  - { at: 1s, command: "  ", node: m1 }'),
    line: 7, col: 24, path: 'timeline[0].command', message: /empty command/, hint: /SET foo bar/,
  },
  {
    what: 'bad latency form: half a uniform range',
    text: base('network:\n  latency: { min: 1ms }'),
    line: 7, col: 12, path: 'network.latency.max', message: /missing; expected a duration/,
  },
  {
    what: 'undeclared node in a power-loss step',
    text: base('timeline:\n  - { at: 1s, power-loss: r3 }'),
    line: 7, col: 27, path: 'timeline[0].power-loss', message: /unknown node "r3"/, hint: /did you mean r1\?.*declared nodes: m1, r1/,
  },
  {
    what: 'misspelt power-loss, with did-you-mean',
    text: base('timeline:\n  - { at: 1s, power-los: m1 }'),
    line: 7, col: 15, path: 'timeline[0].power-los', message: /unknown key "power-los"/, hint: /did you mean power-loss\?/,
  },
  {
    what: 'bad latency form: unknown shape',
    text: base('network:\n  latency: { avg: 1ms }'),
    line: 7, col: 14, path: 'network.latency.avg', message: /unknown key "avg"/, hint: /\{min, max\}, \{mean, stddev\}/,
  },
  {
    what: 'misspelt action, with did-you-mean across all actions',
    text: base('timeline:\n  - { at: 1s, kil-link: r1 }'),
    line: 7, col: 15, path: 'timeline[0].kil-link', message: /unknown key "kil-link"/, hint: /did you mean kill-link\?/,
  },
  {
    what: 'two actions in one step',
    text: base('timeline:\n  - { at: 1s, crash: m1, restart: m1 }'),
    line: 7, col: 5, path: 'timeline[0]', message: /"crash" and "restart" cannot be used together/,
  },
  {
    what: 'misspelt key inside the chosen action (no extra "missing" noise)',
    text: base('timeline:\n  - { at: 1s, command: "SET a b", nod: m1 }'),
    line: 7, col: 35, path: 'timeline[0].nod', message: /unknown key "nod"/, hint: /did you mean node\?/,
  },
  {
    what: 'misspelt comparison in an expectation',
    text: base('expect:\n  - { node: m1, stat: sync_full, equal: 1 }'),
    line: 7, col: 34, path: 'expect[0].equal', message: /unknown key "equal"/, hint: /did you mean equals\?/,
  },
  {
    what: 'YAML syntax error (duplicate key)',
    text: base('nodes:\n  x: {}'),
    line: 6, col: 1, path: '', message: /YAML syntax error: Map keys must be unique/,
  },
  {
    what: 'bad enum value with did-you-mean',
    text: base('config:\n  repl-diskless-load: swapd'),
    line: 7, col: 23, path: 'config.repl-diskless-load', message: /expected one of disabled, on-empty-db, swapdb, got "swapd"/, hint: /did you mean swapdb\?/,
  },
  {
    what: 'bad node name',
    text: 'nodes:\n  "m 1": {}\n',
    line: 2, col: 3, path: 'nodes["m 1"]', message: /expected a node name made of letters/,
  },
  {
    what: 'workload window outside the duration',
    text: base('workload: { node: m1, rate: 10/s, until: 20s }'),
    line: 6, col: 42, path: 'workload.until', message: /20s is beyond the scenario's duration/,
  },
  {
    what: 'immutable option in config-set',
    text: base('timeline:\n  - { at: 1s, node: r1, config-set: { databases: 4 } }'),
    line: 7, col: 39, path: 'timeline[0].config-set.databases', message: /cannot be changed with CONFIG SET/,
  },
];

describe('parseScenario errors', () => {
  it.each(cases)('$what', (c) => {
    const issue = firstIssue(c.text);
    expect(issue.file).toBe('x.yaml');
    expect({ line: issue.line, col: issue.col, path: issue.path }).toEqual({ line: c.line, col: c.col, path: c.path });
    expect(issue.message).toMatch(c.message);
    if (c.hint) expect(issue.hint).toMatch(c.hint);
  });

  it('formats the message as file:line:col path: message, hint on the next line', () => {
    try {
      parseScenario(base('timeline:\n  - { at: 5 sec, crash: m1 }'), 'scenarios/x.yaml');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/^scenarios\/x\.yaml:7:11 timeline\[0\]\.at: expected a duration/);
    }
    try {
      parseScenario(base('config:\n  repl-timout: 5'), 'scenarios/x.yaml');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe(
        'scenarios/x.yaml:7:3 config.repl-timout: unknown redis.conf option "repl-timout"\n  hint: did you mean repl-timeout?',
      );
    }
  });

  it('reports every problem, in file order', () => {
    const text = base('config:\n  repl-timout: 5\ntimeline:\n  - { at: 20s, crash: m9 }');
    try {
      parseScenario(text, 'x.yaml');
      expect.unreachable();
    } catch (e) {
      const issues = (e as ScenarioError).issues;
      expect(issues.map((i) => i.path)).toEqual(['config.repl-timout', 'timeline[0].at', 'timeline[0].crash']);
    }
  });

  it('rejects an empty file and a non-map file', () => {
    expect(firstIssue('').message).toMatch(/empty/);
    expect(firstIssue('- a\n- b\n').message).toMatch(/expected a map/);
  });
});

describe('the issue 5 example', () => {
  const text = readFileSync(new URL('./fixtures/issue5-example.yaml', import.meta.url), 'utf8');
  const s = parseScenario(text, 'test/scenario/fixtures/issue5-example.yaml');

  it('parses its header, config and topology', () => {
    expect(s.name).toBe('failover-psync2');
    expect(s.description).toBe('Promote r1; r2 follows it with a partial resync.');
    expect(s.seed).toBe('42');
    expect(s.durationUs).toBe(30_000_000);
    expect(s.config).toEqual({ replBacklogSizeBytes: 1024 * 1024, replTimeoutSec: 60 });
    expect(s.configText).toEqual({ 'repl-backlog-size': '1mb', 'repl-timeout': '60' });
    expect(s.nodes).toEqual([
      { name: 'm1', replicaof: null, config: {}, configText: {} },
      { name: 'r1', replicaof: 'm1', config: {}, configText: {} },
      { name: 'r2', replicaof: 'm1', config: { replicaReadOnly: true }, configText: { 'replica-read-only': 'yes' } },
    ]);
    expect(s.network).toEqual({ latency: { kind: 'fixed', us: 1000 }, bandwidthBytesPerSec: 1e9 / 8, tcpSendBufferBytes: 4 * 1024 * 1024, tcpReceiveBufferBytes: 512 * 1024, links: [] });
    expect(s.dataset).toEqual([{ node: 'm1', keys: 10000, valueSize: 100, prefix: 'key', db: 0, values: 'populate' }]);
    expect(s.workload).toEqual([{
      node: 'm1', rateHz: 1000, fromUs: 0, untilUs: 20_000_000, keys: 10000, valueSize: 100, db: 0,
      ops: { set: 0.9, incr: 0.1, get: 0, del: 0, expire: 0, append: 0 }, keyPrefix: 'key',
    }]);
  });

  it('parses every timeline step with its line', () => {
    expect(s.timeline.map((t) => [t.atUs / 1e6, t.line, t.action])).toEqual([
      [2, 19, { kind: 'command', node: 'm1', command: 'SET foo bar', argv: ['SET', 'foo', 'bar'] }],
      [3, 20, { kind: 'write', node: 'm1', count: 5000, valueSize: 100, db: 0, prefix: 'burst' }],
      [5, 21, { kind: 'kill-link', node: 'r1' }],
      [6, 22, { kind: 'partition', groups: [['m1'], ['r1', 'r2']] }],
      [9, 23, { kind: 'heal', target: 'all' }],
      [10, 24, { kind: 'pause', node: 'r2', forUs: 3_000_000 }],
      [12, 25, { kind: 'crash', node: 'm1' }],
      [13, 26, { kind: 'restart', node: 'm1' }],
      [14, 27, { kind: 'command', node: 'r1', command: 'REPLICAOF NO ONE', argv: ['REPLICAOF', 'NO', 'ONE'] }],
      [15, 28, { kind: 'command', node: 'r2', command: 'REPLICAOF r1 6379', argv: ['REPLICAOF', 'r1', '6379'] }],
      [16, 29, { kind: 'latency', between: ['m1', 'r2'], addUs: 200_000, forUs: 5_000_000 }],
    ]);
  });

  it('parses the expectations with their lines', () => {
    expect(s.expect).toEqual([
      { kind: 'stat', node: 'm1', field: 'sync_partial_ok', op: 'equals', value: 1, line: 31 },
      { kind: 'info', node: 'r2', field: 'master_link_status', op: 'equals', value: 'up', line: 32 },
      { kind: 'info', node: 'r1', field: 'master_repl_offset', op: 'at-least', value: 1000, line: 33 },
      { kind: 'converged', value: true, line: 34 },
    ]);
  });

  it('survives a JSON round trip unchanged (the runner may get it through a worker)', () => {
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

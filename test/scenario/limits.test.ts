/**
 * The limits of scenarios/FORMAT.md "Limits" and the inputs issue 20 found validated but
 * impossible to run: each is refused by validate with file:line:col, the field and a hint,
 * and a value just inside a limit is accepted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, type ScenarioIssue } from '../../sim/scenario/errors.js';
import { LIMITS } from '../../sim/scenario/limits.js';
import { parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';

const head = 'name: t\nduration: 10s\nnodes:\n  m1: {}\n  r1: { replicaof: m1 }\n';

function issuesOf(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, 'x.yaml');
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.issues;
  }
  throw new Error('expected the scenario to be refused');
}

const issueOf = (text: string): ScenarioIssue => issuesOf(text)[0]!;

describe('validated but impossible (issue 20): refused with the field', () => {
  it.each([
    ['port 0 in config', `${head}config: { port: 0 }\n`, 'config.port', /port 0 .*cannot be simulated/],
    ['port 0 in a node config', 'name: t\nnodes:\n  m1: { config: { port: 0 } }\n', 'nodes.m1.config.port', /port 0/],
    ['REPLICAOF m1 0', `${head}timeline:\n  - { at: 1s, node: r1, command: "REPLICAOF m1 0" }\n`, 'timeline[0].command', /port 0 is not a port a node listens on/],
    ['CONFIG SET port 0 as a step', `${head}timeline:\n  - { at: 1s, node: r1, config-set: { port: 0 } }\n`, 'timeline[0].config-set.port', /port 0/],
    ['value-size 1gb', `${head}dataset: { node: m1, keys: 10, value-size: 1gb }\n`, 'dataset.value-size', /over the limit of 64mb/],
    ['value-size 2^53+1', `${head}workload: { node: m1, rate: 10/s, value-size: 9007199254740993 }\n`, 'workload.value-size', /./],
    ['value-size 1e308', `${head}dataset: { node: m1, keys: 1, value-size: 1e308 }\n`, 'dataset.value-size', /below 2\^53 bytes|over the limit/],
    ['value-size of 400 digits (Infinity)', `${head}dataset: { node: m1, keys: 1, value-size: "${'9'.repeat(400)}b" }\n`, 'dataset.value-size', /below 2\^53 bytes/],
    ['write value-size 512mb', `${head}timeline:\n  - { at: 1s, write: { node: m1, count: 1, value-size: 512mb } }\n`, 'timeline[0].write.value-size', /over the limit/],
    ['fork-base-ms 1e308', `${head}costs: { fork-base-ms: 1e308 }\n`, 'costs.fork-base-ms', /./],
    ['rdb-load-keys-per-sec 1e-300', `${head}costs: { rdb-load-keys-per-sec: 1e-300 }\n`, 'costs.rdb-load-keys-per-sec', /./],
    ['lognormal sigma 1e308', `${head}network: { latency: { median: 1ms, sigma: 1e308 } }\n`, 'network.latency.sigma', /over the limit of 3/],
    ['lognormal median 0s', `${head}network: { latency: { median: 0s, sigma: 1 } }\n`, 'network.latency.median', /median > 0/],
    ['a latency of two hours', `${head}network: { latency: 2h }\n`, 'network.latency', /over the limit of 1h/],
    ['DEBUG SEGFAULT', `${head}timeline:\n  - { at: 1s, node: m1, command: "DEBUG SEGFAULT" }\n`, 'timeline[0].command', /DEBUG SEGFAULT is not modelled/],
    ['DEBUG RELOAD', `${head}timeline:\n  - { at: 1s, node: m1, command: "debug reload" }\n`, 'timeline[0].command', /DEBUG reload is not modelled/],
    ['DEBUG JMAP', `${head}timeline:\n  - { at: 1s, node: m1, command: "DEBUG JMAP" }\n`, 'timeline[0].command', /not modelled/],
    ['databases 2147483647', `${head}config: { databases: 2147483647 }\n`, 'config.databases', /databases ≤ 1024/],
    ['a when: of 20,000 terms', `${head}timeline:\n  - { when: "r1.lag_bytes > ${Array.from({ length: 20_000 }, () => '1').join(' + ')}", crash: m1 }\n`, 'timeline[0].when', /longer than the limit/],
    ['duration 1000 h', 'name: t\nduration: 1000h\nnodes:\n  m1: {}\n', 'duration', /over the limit of 24h/],
    ['duration 10^6 h', 'name: t\nduration: 1000000h\nnodes:\n  m1: {}\n', 'duration', /at most 10 years/],
    ['an infinite rate', `${head}workload: { node: m1, rate: "${'9'.repeat(400)}/s" }\n`, 'workload.rate', /rate/],
    ['10^8 ops/s', `${head}workload: { node: m1, rate: 100000000/s }\n`, 'workload.rate', /over the limit of 1000000\/s/],
    ['a write count of 10^9', `${head}timeline:\n  - { at: 1s, write: { node: m1, count: 1000000000 } }\n`, 'timeline', /operations in the run/],
    ['rate × duration beyond the operations limit', 'name: t\nduration: 24h\nnodes:\n  m1: {}\nworkload: { node: m1, rate: 1000/s }\n', 'workload', /operations in the run \(.*\): 86400000 is over the limit of 20000000/],
    ['op weights of 1e308 (their sum was Infinity)', `${head}workload: { node: m1, rate: 100/s, ops: { set: 1e308, incr: 1e308 } }\n`, 'workload.ops.set', /expected a weight from 0 to 1000000/],
    ['DEBUG POPULATE of 10^11 keys', `${head}timeline:\n  - { at: 1s, node: m1, command: "DEBUG POPULATE 100000000000 k 10" }\n`, 'timeline[0].command', /DEBUG POPULATE of 100000000000 keys is over the limit/],
    ['DEBUG POPULATE of 1gb values', `${head}timeline:\n  - { at: 1s, node: m1, command: "DEBUG POPULATE 10 k 1073741824" }\n`, 'timeline[0].command', /values of 1073741824 bytes are over the limit of 64mb/],
    ['10^9 dataset keys', `${head}dataset: { node: m1, keys: 1000000000 }\n`, 'dataset', /keys in the dataset/],
    ['a clock jump of 10^20 h', `${head}timeline:\n  - { at: 1s, clock: { node: r1, jump: 100000000000000000000h } }\n`, 'timeline[0].clock.jump', /at most 10 years/],
  ])('%s', (_what, text, path, message) => {
    const all = issuesOf(text);
    const i = all.find((x) => x.path === path) ?? all[0]!;
    expect([i.file, i.path]).toEqual(['x.yaml', path]);
    expect(i.line).toBeGreaterThan(0);
    expect(i.message).toMatch(message);
  });

  it(`more than ${LIMITS.nodes} nodes, ${LIMITS.sentinels} Sentinels (1,068 once ran for minutes), ${LIMITS.timelineSteps} steps or ${LIMITS.expectations} expectations`, () => {
    const nodes = Array.from({ length: LIMITS.nodes + 1 }, (_, i) => `  n${i}: {}`).join('\n');
    expect(issueOf(`name: t\nnodes:\n${nodes}\n`).message).toMatch(/nodes: 65 is over the limit of 64/);
    const sentinels = Array.from({ length: LIMITS.sentinels + 1 }, (_, i) => `  s${i}: {}`).join('\n');
    expect(issueOf(`${head}sentinels:\n${sentinels}\nsentinel: { monitor: { name: mm, master: m1, quorum: 2 } }\n`).message).toMatch(/sentinels: 65 is over the limit of 64/);
    const steps = Array.from({ length: LIMITS.timelineSteps + 1 }, () => '  - { at: 1s, heal: all }').join('\n');
    expect(issueOf(`${head}timeline:\n${steps}\n`).message).toMatch(/timeline steps: 10001 is over the limit/);
    const exps = Array.from({ length: LIMITS.expectations + 1 }, () => '  - { converged: true }').join('\n');
    expect(issueOf(`${head}expect:\n${exps}\n`).message).toMatch(/expectations: 10001 is over the limit/);
  });

  it('a file over the size limit is refused before it is parsed', () => {
    const i = issueOf(`${head}# ${'x'.repeat(LIMITS.fileBytes)}\n`);
    expect(i.message).toMatch(/larger than 2 MB/);
  });

  it('100,000 nodes and a 10,000-node chain are refused by the limit, in linear time (a map this size once hung validate)', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `  n${i}: {}`).join('\n');
    expect(issueOf(`name: t\nnodes:\n${many}\n`).message).toMatch(/nodes: 100000 is over the limit/);
    const chain = Array.from({ length: 10_000 }, (_, i) => (i === 0 ? '  n0: {}' : `  n${i}: { replicaof: n${i - 1} }`)).join('\n');
    expect(issueOf(`name: t\nnodes:\n${chain}\n`).message).toMatch(/nodes: 10000 is over the limit/);
  });

  it('a replication cycle is named wherever it starts in the list', () => {
    const i = issueOf('name: t\nnodes:\n  a: { replicaof: b }\n  b: { replicaof: c }\n  c: { replicaof: b }\n');
    expect([i.path, i.message]).toEqual(['nodes.b.replicaof', 'replication cycle: b → c → b']);
  });

  it('values just inside the limits are accepted', () => {
    const s = parseScenario(`name: t\nduration: 24h\nnodes:\n  m1: {}\n  r1: { replicaof: m1 }\nconfig: { databases: 1024, port: 1 }\n` +
      'dataset: { node: m1, keys: 100000000, value-size: 64mb }\nworkload: { node: m1, rate: 1000000/s, until: 20s, value-size: 3kb }\n' +
      'network: { latency: { median: 1h, sigma: 3 } }\ncosts: { fork-base-ms: 60000, rdb-load-keys-per-sec: 1 }\n', 'x.yaml');
    expect(s.durationUs).toBe(LIMITS.durationUs);
  });
});

describe('a looped MONITOR replay counts its commands per lap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-limits-'));
  const capture = join(dir, 'monitor.txt');
  writeFileSync(capture, 'OK\n1796648176.000000 [0 127.0.0.1:1] "SET" "a" "1"\n1796648176.001000 [0 127.0.0.1:1] "SET" "b" "2"\n');
  const file = join(dir, 's.yaml');
  const scenario = (speed: number): string => `name: t\nduration: 24h\nnodes:\n  m1: {}\nworkload:\n  - { node: m1, replay: monitor.txt, speed: ${speed}, loop: true }\n`;
  it('2 commands per 1 ms lap for 24 h is 1.7·10⁸ operations: refused', () => {
    expect(() => parseScenario(scenario(1), file)).toThrow(/operations in the run .*: 172800000\d* is over the limit/);
  });
  it('slowed down 1000 times it is accepted', () => {
    expect(parseScenario(scenario(0.001), file).workload[0]!.replay!.loop).toBe(true);
  });
});

describe('an info: expectation on a prototype key (issue 20)', () => {
  it.each(['constructor', '__proto__', 'toString'])('%s reads nothing: the expectation fails, the run does not crash', (field) => {
    const s = parseScenario(`name: t\nduration: 1s\nnodes:\n  m1: {}\nexpect:\n  - { node: m1, info: ${field}, equals: 1 }\n`, 'x.yaml');
    const r = runScenario(s, { seed: '1' });
    expect(r.error).toBeUndefined();
    expect(r.expectations[0]!.ok).toBe(false);
    // Structured-clone-able (the worker thread posts it): no functions in the result.
    expect(() => structuredClone(r)).not.toThrow();
  });
});

/**
 * A workload that replays a redis-cli MONITOR capture: the line format and its escapes
 * (replicationFeedMonitors → sdscatrepr), script calls left out, times kept (divided by
 * `speed`), each captured client on its own connection, and unknown commands counted by
 * name rather than dropped. The capture in examples/import/monitor.txt was recorded from a
 * real redis-server 7.0.15.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMonitorCapture } from '../../sim/workload/monitor-capture.js';
import { loadScenarioFile, parseScenario } from '../../sim/scenario/load.js';
import { runScenario } from '../../sim/scenario/runner.js';
import { ScenarioError } from '../../sim/scenario/errors.js';
import { keyPositions } from '../../sim/redis/commands/key-specs.js';

const CAPTURE = new URL('../../examples/import/monitor.txt', import.meta.url);

describe('MONITOR capture', () => {
  it('reads times, DBs, clients and escaped arguments; leaves script calls out', () => {
    const { capture, problem } = parseMonitorCapture(readFileSync(CAPTURE, 'utf8'));
    expect(problem).toBeNull();
    const hset = capture.entries.find((e) => e.argv[0] === 'HSET')!;
    expect(hset.argv).toEqual(['HSET', 'profile:1', 'name', 'Al "the" \\ ice', 'city', 'Zürich']);
    expect(capture.entries.find((e) => e.argv[1] === 'other')!.db).toBe(2);
    expect(capture.entries.some((e) => e.client === 'lua')).toBe(false);
    expect(capture.skipped).toBe(2); // redis-cli's "OK" and the script's own SET
    expect(capture.entries[0]!.offsetUs).toBe(0);
    expect(capture.spanUs).toBe(1796648176301447 - 1796648176195773);
  });

  it('reports the first bad line with its number', () => {
    const { problem } = parseMonitorCapture('1700000000.000001 [0 1.2.3.4:5] "SET" "a" "b"\nthis is not monitor output\n');
    expect(problem).toEqual({ line: 2, message: 'not a MONITOR line: "this is not monitor output"' });
    expect(parseMonitorCapture('1700000000.000001 [0 x:1] "SET" "a\\q"\n').problem!.message).toMatch(/arguments/);
    expect(parseMonitorCapture('1700000001.000000 [0 x:1] "GET" "a"\n1700000000.000000 [0 x:1] "GET" "a"\n').problem!.message).toMatch(/backwards/);
  });
});

describe('replay: workload', () => {
  it('replays the capture onto the master; the replica ends with the same data', () => {
    const result = runScenario(loadScenarioFile('examples/import/replay.yaml'), { seed: '1' });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    const r = result.replays![0]!;
    expect(r.counters.sent).toBeGreaterThan(13);
    expect(r.counters.unmodelled['pfadd']).toBeGreaterThan(0);
    expect(r.counters.unmodelled['command']).toBeUndefined();
    expect(result.nodes['r1']!.keys).toBe(8); // user:1 profile:1 visits scripted (by the EVAL) t1 t2 in db 0, other q in db 2
  });

  it('loops: the capture starts again one span later', () => {
    // 13 commands a round (17 lines less 2 SELECTs and 2 COMMAND DOCS), a round every
    // 105.675 ms (the span + 1 µs) from 500 ms. By 800 ms two rounds went out, and of the third
    // the commands captured less than 88.65 ms after the first: SET, HSET, INCR, EXPIRE,
    // SET other, LPUSH, EVAL, PFADD (the MULTI came 90.5 ms in).
    const text = readFileSync('examples/import/replay.yaml', 'utf8').replace('speed: 10, loop: true', 'speed: 1, loop: true, until: 800ms');
    const result = runScenario(parseScenario(text, 'examples/import/replay.yaml'), { seed: '1' });
    expect(result.replays![0]!.counters.sent).toBe(13 + 13 + 8);
    expect(result.replays![0]!.counters.unmodelled['pfadd']).toBe(3);
  });

  it('keeps the captured times, divided by speed', () => {
    const text = readFileSync('examples/import/replay.yaml', 'utf8').replace('speed: 10, loop: true', 'speed: 1').replace('duration: 2s', 'duration: 600ms');
    const result = runScenario(parseScenario(text, 'examples/import/replay.yaml'), { seed: '1', traceKinds: ['client.command'] });
    // The capture spans 105.7 ms: from 500 ms at speed 1, its last GET goes at ≈ 605.7 ms,
    // after the run ends at 600 ms: everything but that GET was sent.
    expect(result.replays![0]!.counters.sent).toBe(13 - 1);
  });

  it('finds the keys of a command by its key specs, as getKeysUsingKeySpecs does', () => {
    expect(keyPositions(['SET', 'k', 'v', 'EX', '10'])).toEqual([1]);
    expect(keyPositions(['mset', 'a', '1', 'b', '2'])).toEqual([1, 3]);
    expect(keyPositions(['EVAL', 'return 1', '2', 'a', 'b', 'arg'])).toEqual([3, 4]);
    expect(keyPositions(['EVAL', 'return 1', '0', 'arg'])).toEqual([]);
    expect(keyPositions(['XREAD', 'COUNT', '2', 'STREAMS', 's1', 's2', '0', '0'])).toEqual([4, 5]);
    expect(keyPositions(['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'])).toEqual([1, 3, 4]);
    expect(keyPositions(['BLPOP', 'a', 'b', '0'])).toEqual([1, 2]);
    expect(keyPositions(['OBJECT', 'ENCODING', 'k'])).toEqual([2]);
    expect(keyPositions(['PUBLISH', 'chan', 'm'])).toEqual([]);
    expect(keyPositions(['PING'])).toEqual([]);
  });

  it('renames keys onto keys: N names per stem, and samples by the first key', () => {
    const run = (extra: string): ReturnType<typeof runScenario> =>
      runScenario(parseScenario(readFileSync('examples/import/replay.yaml', 'utf8').replace('speed: 10, loop: true', `speed: 10, loop: true${extra}`), 'examples/import/replay.yaml'), { seed: '1' });
    // keys: 1 — user:1 → user:0, profile:1 → profile:0, visits → visits:0, t1 and t2 → t0 (one
    // key: SET then INCR, both strings), other and q in DB 2: 7 keys instead of 8, and the
    // replica has them (the EVAL's key is renamed in its KEYS, so the script follows).
    const folded = run(', keys: 1');
    expect(folded.ok).toBe(true);
    expect(folded.nodes['r1']!.keys).toBe(7);
    expect(folded.replays![0]!.counters.errors).toBe(run('').replays![0]!.counters.errors);
    const sampled = run(', sample: 0.5');
    expect(sampled.ok).toBe(true);
    const c = sampled.replays![0]!.counters;
    expect(c.sampledOut).toBeGreaterThan(0);
    expect(c.sent + c.sampledOut).toBe(run('').replays![0]!.counters.sent);
    expect(sampled.nodes['r1']!.keys).toBeLessThan(8);
  });

  it("leaves out the captured Sentinels' commands: their hellos would add the real Sentinels as peers", () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-replay-sentinel-'));
    const hello = (port: number, id: string): string => `"PUBLISH" "__sentinel__:hello" "10.0.0.9,${port},${id.repeat(40)},0,mymaster,10.0.0.1,6379,0"`;
    writeFileSync(join(dir, 'capture.txt'), ['OK',
      `1700000000.000000 [0 10.0.0.9:5001] "PING"`,
      `1700000000.100000 [0 10.0.0.9:5001] ${hello(26379, 'a')}`,
      `1700000000.200000 [0 10.0.0.7:4000] "SET" "k" "v"`,
      `1700000000.300000 [0 10.0.0.8:5002] ${hello(26380, 'b')}`,
      `1700000000.400000 [0 10.0.0.8:5002] "INFO"`,
    ].join('\n') + '\n');
    writeFileSync(join(dir, 'x.yaml'), [
      'duration: 5s', 'nodes:', '  m1: {}', '  r1: { replicaof: m1 }', 'sentinels:', '  s1: {}', '  s2: {}', '  s3: {}',
      'sentinel:', '  monitor: { name: mymaster, master: m1, quorum: 2 }',
      'workload:', '  - { node: m1, replay: capture.txt, from: 1s, speed: 0.5, loop: true }',
    ].join('\n') + '\n');
    const result = runScenario(loadScenarioFile(join(dir, 'x.yaml')), { seed: '1' });
    expect(result.error).toBeUndefined();
    const c = result.replays![0]!.counters;
    expect(c.sentinels).toBeGreaterThanOrEqual(4); // PING, two hellos, INFO — each lap
    expect(c.sent).toBe(c.ok);
    expect(c.sent).toBeGreaterThan(0); // the SET
    expect(result.nodes['s1']!.sentinel!.masters['mymaster']!['num-other-sentinels']).toBe('2');
  });

  it('refuses a missing capture, generated-op keys beside replay:, and replay keys without it', () => {
    const base = 'duration: 1s\nnodes:\n  m1: {}\nworkload:\n';
    const err = (w: string): string => {
      try {
        parseScenario(base + w, 'examples/import/x.yaml');
      } catch (e) {
        if (e instanceof ScenarioError) return e.message;
        throw e;
      }
      return 'accepted';
    };
    expect(err('  - { node: m1, replay: nope.txt }')).toMatch(/cannot read the MONITOR capture "nope.txt"/);
    expect(err('  - { node: m1, replay: monitor.txt, rate: 10/s }')).toMatch(/rate does not apply to a replay: workload/);
    expect(err('  - { node: m1, rate: 10/s, speed: 2 }')).toMatch(/speed applies to a replay: workload only/);
    expect(err('  - { node: m1 }')).toMatch(/rate: missing; expected a rate like "1000\/s" or "10k\/s" \(or replay:/);
  });
});

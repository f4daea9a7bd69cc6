import { describe, expect, it } from 'vitest';
import { compare, evaluateExpectations, replyCommands, replyMatches } from '../../sim/scenario/expect.js';
import type { FinalState, NodeReport } from '../../sim/scenario/result.js';
import type { Expectation } from '../../sim/scenario/scenario.js';

function report(over: Partial<NodeReport> = {}): NodeReport {
  return { info: {}, stats: {}, persistence: {}, dbsize: 0, digest: '0'.repeat(40), keys: 0, ...over };
}

const final: FinalState = {
  nodes: {
    m1: report({
      info: {
        role: 'master', connected_slaves: 1, master_repl_offset: 1354,
        slaves: [{ name: 'r1', ip: 'r1', port: 6379, state: 'online', offset: 1354, lag: 0 }],
      },
      stats: { sync_full: 1, sync_partial_ok: 0 },
      persistence: { rdb_bgsave_in_progress: 0 },
      dbsize: 10,
    }),
    r1: report({ info: { role: 'slave', master_link_status: 'up', master_repl_offset: 1354, sync_full: 99 }, stats: { sync_full: 0 } }),
  },
  convergence: { ok: true, problems: [] },
  replies: [{ node: 'r1', argv: ['GET', 'foo'], reply: '"bar"' }, { node: 'm1', argv: ['INCR', 'n'], reply: '(integer) 3' }],
};

const run = (e: Expectation) => evaluateExpectations([e], final)[0]!;

describe('evaluateExpectations', () => {
  it('stat looks in stats first, info in replication first', () => {
    expect(run({ kind: 'stat', node: 'r1', field: 'sync_full', op: 'equals', value: 0, line: 1 })).toMatchObject({ ok: true, actual: 0 });
    expect(run({ kind: 'info', node: 'r1', field: 'sync_full', op: 'equals', value: 99, line: 1 })).toMatchObject({ ok: true, actual: 99 });
    expect(run({ kind: 'info', node: 'm1', field: 'rdb_bgsave_in_progress', op: 'equals', value: 0, line: 1 }).ok).toBe(true);
    expect(run({ kind: 'info', node: 'm1', field: 'sync_partial_ok', op: 'equals', value: 0, line: 1 }).ok).toBe(true);
    expect(run({ kind: 'stat', node: 'm1', field: 'connected_slaves', op: 'equals', value: 1, line: 1 }).ok).toBe(true);
  });
  it('compares numbers numerically whether the file wrote 1 or "1"', () => {
    expect(run({ kind: 'stat', node: 'm1', field: 'sync_full', op: 'equals', value: '1', line: 1 }).ok).toBe(true);
    expect(run({ kind: 'info', node: 'm1', field: 'master_repl_offset', op: 'at-least', value: 1000, line: 3 }))
      .toEqual({ description: 'm1 master_repl_offset ≥ 1000', ok: true, actual: 1354, line: 3 });
    expect(run({ kind: 'info', node: 'm1', field: 'master_repl_offset', op: 'between', value: [1, 1353], line: 1 }).ok).toBe(false);
  });
  it('compares strings exactly, and missing fields fail all but not-equals', () => {
    expect(run({ kind: 'info', node: 'r1', field: 'master_link_status', op: 'equals', value: 'up', line: 1 })).toMatchObject({
      ok: true, description: 'r1 master_link_status = up',
    });
    expect(run({ kind: 'info', node: 'r1', field: 'master_link_status', op: 'equals', value: 'UP', line: 1 }).ok).toBe(false);
    expect(run({ kind: 'info', node: 'm1', field: 'master_host', op: 'equals', value: 'x', line: 1 })).toMatchObject({ ok: false, actual: null });
    expect(run({ kind: 'info', node: 'm1', field: 'master_host', op: 'not-equals', value: 'x', line: 1 }).ok).toBe(true);
  });
  it('reads slaveN lines and their parts', () => {
    expect(run({ kind: 'info', node: 'm1', field: 'slave0', op: 'equals', value: 'ip=r1,port=6379,state=online,offset=1354,lag=0', line: 1 }).ok).toBe(true);
    expect(run({ kind: 'info', node: 'm1', field: 'slave0.state', op: 'equals', value: 'online', line: 1 }).ok).toBe(true);
    expect(run({ kind: 'info', node: 'm1', field: 'slave1.state', op: 'equals', value: 'online', line: 1 }).actual).toBeNull();
  });
  it('converged, dbsize and an unknown node', () => {
    expect(run({ kind: 'converged', value: true, line: 9 })).toEqual({ description: 'converged', ok: true, actual: true, line: 9 });
    expect(run({ kind: 'converged', value: false, line: 9 }).ok).toBe(false);
    expect(run({ kind: 'dbsize', node: 'm1', op: 'at-least', value: 10, line: 1 })).toMatchObject({ ok: true, actual: 10 });
    expect(run({ kind: 'dbsize', node: 'zz', op: 'equals', value: 0, line: 1 })).toMatchObject({ ok: false, actual: null });
  });
  it('reply matches quoted bulk strings and integers by their content', () => {
    expect(run({ kind: 'reply', node: 'r1', command: 'GET foo', argv: ['GET', 'foo'], op: 'equals', value: 'bar', line: 1 }).ok).toBe(true);
    expect(run({ kind: 'reply', node: 'r1', command: 'GET foo', argv: ['GET', 'foo'], op: 'equals', value: '"bar"', line: 1 }).ok).toBe(true);
    expect(run({ kind: 'reply', node: 'm1', command: 'INCR n', argv: ['INCR', 'n'], op: 'equals', value: '3', line: 1 }).ok).toBe(true);
    expect(run({ kind: 'reply', node: 'm1', command: 'INCR n', argv: ['INCR', 'n'], op: 'not-equals', value: '3', line: 1 }).ok).toBe(false);
    expect(run({ kind: 'reply', node: 'm1', command: 'GET x', argv: ['GET', 'x'], op: 'equals', value: '', line: 1 })).toMatchObject({ ok: false, actual: null });
  });
  it('lists the reply commands the runner must execute', () => {
    expect(replyCommands([
      { kind: 'converged', value: true, line: 1 },
      { kind: 'reply', node: 'r1', command: 'GET foo', argv: ['GET', 'foo'], op: 'equals', value: 'bar', line: 2 },
    ])).toEqual([{ node: 'r1', argv: ['GET', 'foo'] }]);
  });
});

describe('compare and replyMatches', () => {
  it('does not treat non-numeric strings as numbers', () => {
    expect(compare('10', 'equals', 10)).toBe(true);
    expect(compare('1e3', 'at-least', 1000)).toBe(true);
    expect(compare('up', 'at-least', 1)).toBe(false);
    expect(compare('', 'equals', 0)).toBe(false);
  });
  it('undoes redis-cli escapes in quoted replies', () => {
    expect(replyMatches('"a\\nb\\x41"', 'a\nbA')).toBe(true);
    expect(replyMatches('(nil)', '(nil)')).toBe(true);
    expect(replyMatches('OK', 'ok')).toBe(false);
  });
});

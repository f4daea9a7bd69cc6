import { describe, expect, it } from 'vitest';
import { compareCommands, compareNodes, relations, unexpected } from '../../sim/diff/compare.js';
import type { NodeReport } from '../../sim/scenario/result.js';

const Z = '0'.repeat(40);
function node(role: string, replid: string, replid2: string, digest: string, extra: Record<string, string | number> = {}): NodeReport {
  return {
    info: { role, master_replid: replid, master_replid2: replid2, master_repl_offset: 100, second_repl_offset: -1, connected_slaves: 0, ...extra },
    stats: { sync_full: 0, sync_partial_ok: 0, sync_partial_err: 0 },
    persistence: {},
    dbsize: 1,
    digest,
    keys: 1,
  };
}

describe('relations between nodes', () => {
  it('names the nodes sharing an id or a digest, never the values', () => {
    const rel = relations({
      m1: node('master', 'A', 'B', 'd1'),
      r1: node('slave', 'A', 'B', 'd1', { master_host: 'm1' }),
      old: node('master', 'B', Z, 'd2'),
    });
    expect(rel['m1']).toEqual({ replid: '= r1', replid2: '= r1.replid2, old', digest: '= r1' });
    expect(rel['old']).toEqual({ replid: '= m1.replid2, r1.replid2', replid2: 'none', digest: 'unique' });
  });

  it('two worlds with different ids but the same structure agree', () => {
    const real = { m1: node('master', 'x1', Z, 'aa'), r1: node('slave', 'x1', Z, 'aa', { master_host: 'm1' }) };
    const sim = { m1: node('master', 'y9', Z, 'zz'), r1: node('slave', 'y9', Z, 'zz', { master_host: 'm1' }) };
    const rows = compareNodes(['m1', 'r1'], real, sim, []);
    expect(rows.filter((r) => !r.equal)).toEqual([]);
    expect(rows.find((r) => r.node === 'r1' && r.field === 'master')?.real).toBe('m1');
  });

  it('a differing field is unexpected unless written down', () => {
    const real = { m1: node('master', 'x', Z, 'a') };
    const sim = { m1: { ...node('master', 'y', Z, 'b'), stats: { sync_full: 1, sync_partial_ok: 0, sync_partial_err: 0 } } };
    const plain = compareNodes(['m1'], real, sim, []);
    expect(unexpected(plain, [])).toBe(1);
    const known = compareNodes(['m1'], real, sim, [{ target: 'm1.sync_full', reason: 'why', line: 1 }]);
    expect(unexpected(known, [])).toBe(0);
    expect(known.find((r) => r.field === 'sync_full')?.known?.reason).toBe('why');
  });

  it('a node that is down is down in the table', () => {
    const down: NodeReport = { info: { role: 'down' }, stats: {}, persistence: {}, dbsize: 0, digest: '', keys: 0 };
    const rows = compareNodes(['m1'], { m1: down }, { m1: node('master', 'x', Z, 'a') }, []);
    expect(rows.find((r) => r.field === 'role')).toMatchObject({ real: 'down', sim: 'master', equal: false });
  });
});

describe('timeline command replies', () => {
  it('compares replies in order, skips volatile commands', () => {
    const real = [
      { at: 1, line: 3, node: 'm1', command: 'SET a 1', reply: 'OK' },
      { at: 2, line: 4, node: 'm1', command: 'INFO', reply: 'x' },
      { at: 3, line: 5, node: 'm1', command: 'WAIT 1 0', reply: '(integer) 1' },
    ];
    const sim = [
      { at: 1, node: 'm1', command: 'SET a 1', reply: 'OK' },
      { at: 2, node: 'm1', command: 'INFO', reply: 'y' },
    ];
    const argv = (line: number): string[] => (line === 4 ? ['INFO'] : ['SET']);
    const rows = compareCommands(real, sim, argv, [], '(no reply)');
    expect(rows.map((r) => [r.equal, r.compared, r.sim])).toEqual([[true, true, 'OK'], [true, false, 'y'], [false, true, '(no reply)']]);
  });
});

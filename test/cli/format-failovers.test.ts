import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatClientWrites, formatFailovers } from '../../sim/cli/format-failovers.js';
import type { RunResult } from '../../sim/scenario/result.js';

const c = new Chalk({ level: 0 });
const result = {
  nodes: {},
  failovers: [{
    master: 'mymaster', epoch: 1, candidates: ['s1'], leader: 's1', outcome: 'switched', from: 'm1', to: 'r1',
    steps: [
      { step: 'fault', t: 10_000_000, by: 'm1', detail: 'crash m1' },
      { step: '+sdown', t: 15_072_000, by: 's2', detail: '' },
      { step: '+switch-master', t: 17_332_000, by: 's1', detail: 'm1:6379 → r1:6379' },
    ],
    why: 'lowest replica-priority: 10 vs r2 100', replicas: [], allSwitchedUs: 17_332_000, sentinelsSwitched: 3,
    clientOutages: [{ client: 'client1', fromUs: 10_000_000, toUs: 16_240_000 }],
  }],
  clientWrites: {
    written: 100, acknowledged: 98, failed: 1, indeterminate: 1, finalMaster: 'r1', lost: 2,
    byCause: { 'minority-side-master': 2 },
    examples: [{ client: 'app1', key: 'sc:1', node: 'm1', acknowledgedUs: 12_000_000, cause: 'minority-side-master', story: 'acknowledged by m1 while cut off' }],
  },
} as unknown as RunResult;

describe('run text: failovers and client writes', () => {
  it('one section per failover: outcome, each step with the time since the fault, why, and each client\'s window', () => {
    const text = formatFailovers(result, c);
    expect(text).toContain('failover 1  mymaster epoch 1  m1 → r1  leader s1');
    expect(text).toMatch(/15\.072s\s+\+5\.072s\s+\+sdown\s+s2/);
    expect(text).toContain('all 3 Sentinels switched by 17.332s');
    expect(text).toContain('why r1: lowest replica-priority: 10 vs r2 100');
    expect(text).toContain('client1: no writable master for 6.240s (10s – 16.24s)');
  });

  it('client writes: counts, lost share, causes with their meaning, examples with their story', () => {
    const text = formatClientWrites(result, c);
    expect(text).toContain('100 sent, 98 acknowledged (OK), 1 refused, 1 without reply; final master r1');
    expect(text).toContain('2 acknowledged writes lost (2.0%)');
    expect(text).toMatch(/2 {2}minority-side-master: written to the old master cut off/);
    expect(text).toContain('e.g. sc:1 (app1 → m1, OK at 12s): acknowledged by m1 while cut off');
  });
});

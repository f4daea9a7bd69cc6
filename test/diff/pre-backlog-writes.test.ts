/**
 * `replsim diff scenarios/quickstart.yaml`: the workload starts at time 0 and races the
 * first sync. Writes a master runs before its first replica attaches move its data but not
 * its offset (no backlog yet), so the worlds' offsets differ by the stream bytes of the
 * commands each ran before the attach — measured on redis-server 7.0.15 here: real m1 ran 9
 * before its first PSYNC, replsim 2, with the same 5000 commands sent on both sides. The
 * explanation must be exact: a difference that is not such a prefix stays a difference.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainOffsetRace, raceDifference, respBytes, workloadCommands } from '../../sim/diff/pre-backlog-writes.js';
import { loadScenarioFile } from '../../sim/scenario/load.js';

const quickstart = loadScenarioFile(join(import.meta.dirname, '..', '..', 'scenarios', 'quickstart.yaml'));

describe('offsets that differ by the workload racing the first sync', () => {
  it('sizes commands as RESP: SET foo bar is 31 bytes', () => {
    expect(respBytes(['SET', 'foo', 'bar'])).toBe(31);
    expect(respBytes(['INCR', 'key:n:7'])).toBe(4 + 10 + 13);
  });

  it('regenerates the workload: 200/s means one command every 5 ms from 0', () => {
    const cmds = workloadCommands(quickstart.workload[0]!, '42', 0, 4);
    expect(cmds.map((c) => c.atUs)).toEqual([0, 5000, 10000, 15000]);
    expect(cmds.every((c) => c.argv[0] === 'SET' || c.argv[0] === 'INCR')).toBe(true);
  });

  it('explains a difference of exactly the bytes of commands 2…8 as 9 commands before the attach against 2', () => {
    const cmds = workloadCommands(quickstart.workload[0]!, '42', 0, 9);
    const bytes = cmds.slice(2, 9).reduce((a, c) => a + respBytes(c.argv), 0);
    // replsim's backlog at 6 ms: commands at 0 and 5 ms came before it.
    const race = explainOffsetRace(quickstart, '42', 'm1', 6000, 500_000 - bytes, 500_000);
    expect(race).toEqual({ node: 'm1', simBefore: 2, realBefore: 9 });
    expect(raceDifference(race!).reason).toMatch(/m1 ran 9 workload command\(s\) before its first replica attached in real redis, 2 in replsim/);
  });

  it('does not explain a difference that is not a run of workload commands', () => {
    expect(explainOffsetRace(quickstart, '42', 'm1', 6000, 500_000 - 14, 500_000)).toBeNull(); // a PING's 14 bytes
    expect(explainOffsetRace(quickstart, '42', 'r1', 6000, 499_000, 500_000)).toBeNull(); // no workload on r1
  });
});

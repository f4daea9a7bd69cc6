/** One list of planted bugs for the CLI and the runner, each handed to its own layer. */
import { describe, expect, it } from 'vitest';
import { PLANTED_BUGS } from '../../sim/redis/planted-bugs.js';
import { ALL_PLANTED_BUGS, isAnyPlantedBug, splitPlantedBugs } from '../../sim/scenario/planted-bugs.js';
import { SENTINEL_PLANTED_BUGS } from '../../sim/sentinel/planted-bugs.js';
import { FUZZ_HELP } from '../../sim/cli/fuzz-help.js';
import { RUN_HELP } from '../../sim/cli/help.js';

describe('planted bugs', () => {
  it('the replication and the Sentinel bugs, split by layer; an unknown name is refused', () => {
    expect(Object.keys(ALL_PLANTED_BUGS)).toEqual([...Object.keys(PLANTED_BUGS), ...Object.keys(SENTINEL_PLANTED_BUGS)]);
    expect(splitPlantedBugs(['ack-before-apply', 'sentinel-double-vote'])).toEqual({ redis: ['ack-before-apply'], sentinel: ['sentinel-double-vote'] });
    expect(isAnyPlantedBug('sentinel-promotes-priority-zero')).toBe(true);
    expect(() => splitPlantedBugs(['sentinel-votes-twice'])).toThrow(/unknown planted bug "sentinel-votes-twice"; known: .*sentinel-double-vote/);
  });
  it('the help of run and fuzz names every Sentinel bug', () => {
    for (const b of Object.keys(SENTINEL_PLANTED_BUGS)) {
      expect(FUZZ_HELP).toContain(b);
      expect(RUN_HELP).toContain(b);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { KnownDifferenceError, parseKnownDifferences } from '../../sim/diff/known-differences.js';
import { knownDifferencesOf } from '../../sim/diff/diff.js';
import { parseScenario } from '../../sim/scenario/load.js';

describe('known differences written in a scenario file', () => {
  it('reads targets, reasons and their continuation lines', () => {
    const text = [
      'name: x',
      '# known-difference: r1.sync_partial_ok  first part',
      '#   second part',
      '# an ordinary comment',
      '# known-difference: *.digest  every node',
      '# known-difference: command@7 reply differs',
    ].join('\n');
    expect(parseKnownDifferences(text)).toEqual([
      { target: 'r1.sync_partial_ok', reason: 'first part second part', line: 2 },
      { target: '*.digest', reason: 'every node', line: 5 },
      { target: 'command@7', reason: 'reply differs', line: 6 },
    ]);
  });

  it('refuses a target of the wrong shape and a missing reason', () => {
    expect(() => parseKnownDifferences('# known-difference: r1 because')).toThrow(KnownDifferenceError);
    expect(() => parseKnownDifferences('# known-difference: r1.dbsize')).toThrow(/needs a written reason/);
  });

  it('checks nodes, fields and timeline lines against the scenario', () => {
    const yaml = ['name: x', 'nodes:', '  m1: {}', 'timeline:', '  - { at: 1s, node: m1, command: "PING" }', ''].join('\n');
    const s = parseScenario(yaml, 'x.yaml');
    expect(knownDifferencesOf(s, `${yaml}# known-difference: m1.dbsize ok\n# known-difference: command@5 ok\n`)).toHaveLength(2);
    expect(() => knownDifferencesOf(s, '# known-difference: r9.dbsize why')).toThrow(/no node "r9"/);
    expect(() => knownDifferencesOf(s, '# known-difference: m1.used_memory why')).toThrow(/not a compared field/);
    expect(() => knownDifferencesOf(s, '# known-difference: command@4 why')).toThrow(/no timeline step on line 4/);
  });

  it('takes sentinel.<aspect> for the Sentinel comparison, and only the compared aspects', () => {
    const yaml = ['name: x', 'nodes:', '  m1: {}', ''].join('\n');
    const s = parseScenario(yaml, 'x.yaml');
    const text = '# known-difference: sentinel.events why\n# known-difference: sentinel.num-other-sentinels why\n# known-difference: sentinel.timing why\n';
    expect(knownDifferencesOf(s, text).map((k) => k.target)).toEqual(['sentinel.events', 'sentinel.num-other-sentinels', 'sentinel.timing']);
    expect(() => knownDifferencesOf(s, '# known-difference: sentinel.last-ping-sent why')).toThrow(/not a compared Sentinel aspect/);
  });
});

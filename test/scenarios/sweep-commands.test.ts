/**
 * The sweep commands that scenario descriptions give (`npx replsim sweep scenarios/x.yaml
 * --vary …`) work when pasted: read as a shell would split them (single quotes kept
 * together), they name their own file and every --vary applies to it. Running them is the
 * job of the sweep tests; this keeps the printed commands from rotting.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../sim/scenario/load.js';
import { parseVary } from '../../sim/sweep/vary.js';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');

/** Words of a command line as sh splits them: whitespace outside single quotes. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

const commands = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().flatMap((file) => {
  const s = loadScenarioFile(join(dir, file));
  const m = /npx replsim sweep (scenarios\/\S+\.yaml(?: --\S+ (?:'[^']*'|\S+))+)/.exec(s.description);
  return m ? [{ file, args: shellWords(m[1]!) }] : [];
});

describe('sweep commands in scenario descriptions', () => {
  it('are there, among them the Sentinel sizing scenarios', () => {
    expect(commands.map((c) => c.file)).toEqual(expect.arrayContaining(['sentinel-sizing-partition.yaml', 'sentinel-sizing-pause.yaml']));
  });

  for (const { file, args } of commands) {
    it(`${file}: names its own file, and every --vary applies`, () => {
      expect(args[0]).toBe(`scenarios/${file}`);
      const scenario = loadScenarioFile(join(dir, file));
      const varies = args.flatMap((a, i) => (a === '--vary' ? [args[i + 1]!] : []));
      expect(varies.length).toBeGreaterThan(0);
      for (const v of varies) expect(() => parseVary(v, scenario), v).not.toThrow();
      for (const a of args.slice(1)) if (a.startsWith('--')) expect(['--vary', '--seeds', '--seed', '--workers']).toContain(a);
    });
  }
});

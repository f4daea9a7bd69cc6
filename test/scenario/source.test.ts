/**
 * YAML-level failures as scenario errors (issue 20): what the yaml library throws while
 * converting a document becomes one message at the construct, a syntax error shows its
 * line with a caret and how many errors follow, and the checks stay linear in the input.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../sim/scenario/errors.js';
import { parseScenario } from '../../sim/scenario/load.js';

function refusal(text: string): ScenarioError {
  try {
    parseScenario(text, 'x.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected the scenario to be refused');
}

describe('YAML constructs the library throws on', () => {
  it.each([
    ['a merge key with a number', 'name: t\nnodes:\n  m1: {}\n<<: 5\n', /^x\.yaml:4:1 a merge key \(<<\) must be followed by a map/],
    ['an alias to no anchor', 'name: t\nnodes:\n  m1: {}\ndescription: *nope\n', /^x\.yaml:4:14 the alias \*nope names no anchor/],
    ['a file that is only an alias', '*a\n', /^x\.yaml:1:1 the alias \*a names no anchor/],
    ['a billion laughs', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill('*a').join(', ')}]\nc: &c [${Array(10).fill('*b').join(', ')}]\nnodes: { m1: {} }\n`, /^x\.yaml:2:\d+ the aliases expand too much/],
    ['nesting thousands deep', `name: t\nnodes: { m1: {} }\ndescription: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, /^x\.yaml:\d+:\d+ .*(nests too deeply|expected text)/],
  ])('%s → one message, no stack', (_what, text, message) => {
    const e = refusal(text);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/\n\s+at /);
  });
});

describe('YAML syntax errors', () => {
  it('one indentation slip: the first error with its source line, a caret under the misplaced key, and no flood', () => {
    const e = refusal('name: t\nduration: 2s\nnodes:\n  m1: {}\n   r1: { replicaof: m1 }\n  r2: {}\n');
    expect(e.message).toBe(
      'x.yaml:5:4 YAML syntax error: All mapping items must start at the same column\n' +
        '       r1: { replicaof: m1 }\n' +
        '       ^\n' +
        '  hint: check the indentation and the brackets of the line above',
    );
  });
  it('a slip that derails the rest of the file: one error shown, the others counted', () => {
    const lines = ['name: t', 'nodes:', '  m1: {}', ...Array.from({ length: 30 }, (_, i) => `  r${i}: { replicaof: m1 }`)];
    lines[0] = ` ${lines[0]}`;
    const e = refusal(lines.join('\n'));
    expect(e.issues).toHaveLength(1);
    expect(e.message).toMatch(/\n {4}.*\n {4} *\^\n/);
    expect(e.message).toMatch(/\d+ more YAML error\(s\) follow, most often caused by this one: fix it first/);
  });
  it('a long line is cut around the column, the caret still under it', () => {
    const e = refusal(`name: t\nnodes: { m1: {} }\ndescription: "${'x'.repeat(500)}" ]\n`);
    const [, excerpt, caret] = e.message.split('\n');
    expect(excerpt!.length).toBeLessThan(120);
    expect(excerpt![caret!.indexOf('^')]).not.toBe(' ');
  });
  it('duplicate keys are found in linear time: 100,000 keys, one repeated at the end', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`);
    keys.push('k5: 2');
    const e = refusal(`name: t\nnodes: { m1: {} }\nconfig:\n${keys.map((k) => `  ${k}`).join('\n')}\n`);
    expect(e.message).toMatch(/^x\.yaml:100004:3 YAML syntax error: Map keys must be unique; "k5" is repeated/);
  });
});

describe('constructs that were read silently or shown badly', () => {
  it('a second document (---) is refused at its start, not ignored', () => {
    const e = refusal('name: t\nnodes: { m1: {} }\n---\nname: u\nnodes: { m1: {} }\n');
    expect(e.message).toMatch(/^x\.yaml:3:1 a second YAML document starts here: a scenario file holds one\n/);
    expect(e.message).toMatch(/hint: remove the --- line/);
  });
  it.each([
    ['!!timestamp', 'duration: !!timestamp 2001-12-14', /duration: .*, got a timestamp \(!!timestamp\)/],
    ['!!binary', 'description: !!binary AAAA', /description: expected text, got binary data \(!!binary, 3 bytes\)/],
    ['!!set', 'config: !!set { a, b }', /config: .*got a set \(!!set\)/],
  ])('a value tagged %s is named by its tag', (_tag, line, message) => {
    expect(refusal(`name: t\nnodes: { m1: {} }\n${line}\n`).message).toMatch(message);
  });
  it('a 400-digit value or a 1 MB string is echoed cut, with its length', () => {
    const digits = refusal(`name: t\nnodes: { m1: {} }\ndataset: { node: m1, keys: 1, value-size: "${'9'.repeat(400)}b" }\n`);
    expect(digits.message.split('\n')[0]).toMatch(/got "9{59}…" \(401 characters\)$/);
    const huge = refusal(`name: t\nnodes: { m1: {} }\nduration: "${'x'.repeat(1_000_000)}"\n`);
    expect(huge.message.length).toBeLessThan(300);
    const key = refusal(`name: t\nnodes: { m1: {} }\nconfig: [{ ${'k'.repeat(100_000)}: 1 }]\n`);
    expect(key.message.length).toBeLessThan(300);
  });
});

describe('many problems', () => {
  it('at most 20 are shown, then how many more', () => {
    const steps = Array.from({ length: 500 }, () => '  - { at: 5 sec, crash: m1 }').join('\n');
    const e = refusal(`name: t\nnodes:\n  m1: {}\ntimeline:\n${steps}\n`);
    expect(e.issues).toHaveLength(20);
    expect(e.message).toMatch(/\n… and 480 more problem\(s\) in x\.yaml$/);
  });
});

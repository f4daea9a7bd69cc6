import { describe, expect, it } from 'vitest';
import { ArgvError, splitArgs } from '../../sim/scenario/argv.js';

// Cases follow sds.c sdssplitargs, which redis-cli uses for what is typed at its prompt.
describe('splitArgs', () => {
  it('splits on any whitespace and ignores leading/trailing space', () => {
    expect(splitArgs('  SET  foo\tbar ')).toEqual(['SET', 'foo', 'bar']);
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('   ')).toEqual([]);
  });
  it('double quotes take C-like escapes and \\xHH', () => {
    expect(splitArgs('SET k "a b\\n\\t\\"q\\" \\x41\\\\"')).toEqual(['SET', 'k', 'a b\n\t"q" A\\']);
  });
  it('single quotes only unescape \\\'', () => {
    expect(splitArgs("SET k 'it\\'s \\n'")).toEqual(['SET', 'k', "it's \\n"]);
  });
  it('keeps empty quoted arguments', () => {
    expect(splitArgs('SET k ""')).toEqual(['SET', 'k', '']);
  });
  it('joins a quoted part onto preceding bare text, like sds', () => {
    expect(splitArgs('a"b c"')).toEqual(['ab c']);
  });
  it('rejects unbalanced quotes and a closing quote glued to more text', () => {
    expect(() => splitArgs('SET "foo')).toThrow(ArgvError);
    expect(() => splitArgs("SET 'foo")).toThrow(/unbalanced single quotes/);
    expect(() => splitArgs('SET "foo"bar')).toThrow(/followed by a space/);
  });
});

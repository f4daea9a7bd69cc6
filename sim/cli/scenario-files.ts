/**
 * Loading the FILE… arguments of `run` and `validate`: every file is read and checked
 * before anything runs, so a typo in the third file is reported before the first
 * spends a minute simulating.
 */
import { ScenarioError } from '../scenario/errors.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import type { OutStream } from './io.js';

/** The scenarios, or null after printing every file's problems to `stderr`. */
export function loadAll(files: readonly string[], stderr: OutStream): Scenario[] | null {
  const out: Scenario[] = [];
  let bad = false;
  for (const file of files) {
    try {
      const s = loadScenarioFile(file);
      for (const w of s.warnings ?? []) stderr.write(`warning: ${w}\n`);
      out.push(s);
    } catch (e) {
      bad = true;
      stderr.write(`${describeLoadError(file, e)}\n`);
    }
  }
  return bad ? null : out;
}

/**
 * A file that could not be loaded, in one line: a scenario error as it is, a file-system
 * error (any errno: a symlink loop, a path through a file, a FIFO nobody writes to…) as
 * what it means for this file. Anything else is a bug and is thrown on.
 */
export function describeLoadError(file: string, e: unknown): string {
  if (e instanceof ScenarioError) return e.message;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !(e instanceof Error)) throw e;
  const known = FILE_ERRORS[code];
  if (known !== undefined) return `${file}: ${known}`;
  // Another errno (EIO, ENAMETOOLONG, EMFILE…): Node's message names it and the call.
  if (/^E[A-Z0-9]+$/.test(code)) return `${file}: cannot be read (${e.message.replace(/, \w+ '.*'$/, '')})`;
  throw e;
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a scenario file',
  EACCES: 'permission denied',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  ENOTDIR: 'a part of the path is a file, not a directory',
  ENAMETOOLONG: 'the file name is too long',
  ENOWRITER: 'a named pipe (FIFO) that no process writes to',
};

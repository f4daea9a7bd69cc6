/**
 * How reproducer files are named and what their header carries that tools read back: the
 * file name, the --bug flags of the replay line, the recorded trace hash.
 */

export function reproducerFileName(checker: string, caseSeed: number): string {
  return `${checker}-${caseSeed}.yaml`;
}

/** `--bug a --bug b`, or '' without planted bugs. */
export function bugFlags(bugs: readonly string[]): string {
  return bugs.map((b) => ` --bug ${b}`).join('');
}

/** The header line that carries the expected trace hash. */
export const TRACE_HASH_LINE = /^#\s*trace hash:?\s*([0-9a-f]{16})\b/m;

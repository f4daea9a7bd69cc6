/**
 * Splitting a command line the way redis-cli does (sds.c `sdssplitargs`), so a timeline
 * `command:` means exactly what it would mean typed at a redis-cli prompt:
 * "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' take only \',
 * and a closing quote must be followed by a space or the end.
 */

export class ArgvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgvError';
  }
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

export function splitArgs(line: string): string[] {
  const argv: string[] = [];
  let i = 0;
  const n = line.length;
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return argv;
    let current = '';
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const c = line[i];
      if (inDouble) {
        if (c === undefined) throw new ArgvError('unbalanced double quotes');
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          current += ESCAPES[e] ?? e;
          i += 1;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) throw new ArgvError('a closing quote must be followed by a space');
          inDouble = false;
          i++;
          break;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === undefined) throw new ArgvError('unbalanced single quotes');
        if (c === '\\' && line[i + 1] === "'") {
          current += "'";
          i += 1;
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) throw new ArgvError('a closing quote must be followed by a space');
          inSingle = false;
          i++;
          break;
        } else {
          current += c;
        }
      } else if (c === undefined || isSpace(c)) {
        break;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        current += c;
      }
      i++;
    }
    argv.push(current);
  }
}

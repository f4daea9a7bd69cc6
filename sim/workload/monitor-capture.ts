/**
 * A `redis-cli MONITOR` capture, parsed: each line is
 *
 *   1700000000.123456 [0 10.0.0.5:52314] "SET" "key:1" "value"
 *
 * — unix time with microseconds, the client's DB and address, and the argv as
 * replicationFeedMonitors writes it (each argument through sdscatrepr: `\"`, `\\`, `\n`, `\r`,
 * `\t`, `\a`, `\b`, `\xHH`). Lines of commands run by a script (`[0 lua]`) are the script's
 * own calls: replaying the EVAL replays them, so they are left out. The parse is linear in
 * the text and never throws: a bad line is reported with its number.
 */

export interface MonitorEntry {
  /** µs since the first command of the capture. */
  offsetUs: number;
  db: number;
  /** The client's address as MONITOR shows it (`10.0.0.5:52314`, `unix:/tmp/redis.sock`). */
  client: string;
  argv: string[];
}

export interface MonitorCapture {
  entries: MonitorEntry[];
  /** µs between the first and the last command. */
  spanUs: number;
  /** Lines left out: script calls (`lua`), and the "OK" redis-cli prints first. */
  skipped: number;
}

export interface MonitorProblem {
  line: number;
  message: string;
}

const LINE = /^(\d+)\.(\d{6}) \[(\d+) ([^\]]*)\] (.*)$/;

export function parseMonitorCapture(text: string): { capture: MonitorCapture; problem: MonitorProblem | null } {
  const entries: MonitorEntry[] = [];
  let skipped = 0;
  let firstUs = -1;
  let lastUs = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '' || line === 'OK') {
      if (line === 'OK') skipped++;
      continue;
    }
    const m = LINE.exec(line);
    if (m === null) return fail(entries, firstUs, lastUs, skipped, i + 1, `not a MONITOR line: "${clip(line)}"`);
    if (m[4] === 'lua') {
      skipped++;
      continue;
    }
    const argv = parseArgs(m[5]!);
    if (argv === null || argv.length === 0) return fail(entries, firstUs, lastUs, skipped, i + 1, `cannot read the command's arguments: "${clip(m[5]!)}"`);
    const us = Number(m[1]) * 1_000_000 + Number(m[2]);
    if (firstUs === -1) firstUs = us;
    if (us < lastUs) return fail(entries, firstUs, lastUs, skipped, i + 1, 'the time goes backwards: lines out of order, or two captures joined');
    lastUs = us;
    entries.push({ offsetUs: us - firstUs, db: Number(m[3]), client: m[4]!, argv });
  }
  return { capture: { entries, spanUs: firstUs === -1 ? 0 : lastUs - firstUs, skipped }, problem: null };
}

function fail(entries: MonitorEntry[], firstUs: number, lastUs: number, skipped: number, line: number, message: string): { capture: MonitorCapture; problem: MonitorProblem } {
  return { capture: { entries, spanUs: firstUs === -1 ? 0 : lastUs - firstUs, skipped }, problem: { line, message } };
}

/** `"SET" "k" "a\"b"` → ['SET', 'k', 'a"b'], or null when the quoting is broken. */
function parseArgs(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ') {
      i++;
      continue;
    }
    if (s[i] !== '"') return null;
    i++;
    let arg = '';
    let closed = false;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '"') {
        closed = true;
        i++;
        break;
      }
      if (c !== '\\') {
        arg += c;
        i++;
        continue;
      }
      const n = s[i + 1];
      switch (n) {
        case 'n': arg += '\n'; i += 2; break;
        case 'r': arg += '\r'; i += 2; break;
        case 't': arg += '\t'; i += 2; break;
        case 'a': arg += '\x07'; i += 2; break;
        case 'b': arg += '\b'; i += 2; break;
        case '"': arg += '"'; i += 2; break;
        case '\\': arg += '\\'; i += 2; break;
        case 'x': {
          const hex = s.slice(i + 2, i + 4);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
          arg += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          return null;
      }
    }
    if (!closed) return null;
    out.push(hasHighBytes(arg) ? utf8OrBytes(arg) : arg);
  }
  return out;
}

/** Escaped bytes ≥ 0x80 were UTF-8 text in the client's command (or binary data): decode them. */
function hasHighBytes(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}
const UTF8 = new TextDecoder('utf-8', { fatal: true });
function utf8OrBytes(latin1: string): string {
  const bytes = new Uint8Array(latin1.length);
  for (let i = 0; i < latin1.length; i++) bytes[i] = latin1.charCodeAt(i);
  try {
    return UTF8.decode(bytes);
  } catch {
    return latin1; // binary: one char per byte
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * The files an operator captures with redis-cli, parsed: `INFO everything` (one capture, or
 * several appended to one file some seconds apart, each starting at its `# Server` line),
 * `CONFIG GET '*'` (redis-cli prints names and values on alternating lines), and optionally
 * the summary of `redis-cli --bigkeys` and `DBSIZE`. Nothing here connects anywhere: the
 * captures are text the user hands over.
 */

/** A problem with one capture file; `line` is 1-based, 0 when it concerns the whole file. */
export class CaptureError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** One INFO capture: field → value, in order, plus the sections seen. */
export interface InfoCapture {
  fields: Map<string, string>;
  sections: Set<string>;
  /** Line where this capture starts in its file (for messages). */
  line: number;
  /** field → its 1-based line in the file (for messages about one field). */
  lines: Map<string, number>;
}

/**
 * Refuses text that is not what redis-cli writes: a control byte other than tab, CR or LF
 * means binary data (a core file, an RDB, a gzip'd capture) rather than a capture.
 */
export function checkIsText(file: string, text: string): void {
  const m = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (m === null) return;
  const line = text.slice(0, m.index).split('\n').length;
  const code = m[0].charCodeAt(0).toString(16).padStart(2, '0');
  throw new CaptureError(file, line, `binary data (byte 0x${code}), not a redis-cli text capture`,
    'capture with redis-cli into a plain file (not compressed, not an RDB or a core dump)');
}

/** Parses one or more INFO captures from a file's text. */
export function parseInfoCaptures(file: string, text: string): InfoCapture[] {
  checkIsText(file, text);
  const captures: InfoCapture[] = [];
  let current: InfoCapture | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const section = line.slice(1).trim().toLowerCase();
      if (section === 'server' || current === null) {
        current = { fields: new Map(), sections: new Set(), line: i + 1, lines: new Map() };
        captures.push(current);
      }
      current.sections.add(section);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new CaptureError(file, i + 1, `"${clip(line)}" is not an INFO line (field:value)`,
        "capture INFO with `redis-cli -h HOST -p PORT INFO everything > FILE` (plain output, not --json or a table)");
    }
    if (current === null) {
      current = { fields: new Map(), sections: new Set(), line: i + 1, lines: new Map() };
      captures.push(current);
    }
    current.fields.set(line.slice(0, colon), line.slice(colon + 1));
    current.lines.set(line.slice(0, colon), i + 1);
  }
  if (captures.length === 0) {
    throw new CaptureError(file, 0, 'the file holds no INFO fields', 'capture it with `redis-cli INFO everything > FILE`');
  }
  checkWhole(file, captures);
  return captures;
}

/**
 * A capture cut short: genRedisInfoString writes Keyspace last, so an `INFO everything` (it
 * has Commandstats) that does not end with it was truncated; and a later capture in a file
 * must have every section of the first, or the rates between them would read missing
 * counters as none.
 */
function checkWhole(file: string, captures: readonly InfoCapture[]): void {
  const first = captures[0]!;
  captures.forEach((c, i) => {
    const order = [...c.sections];
    if (c.sections.has('commandstats') && c.fields.get('redis_mode') !== 'sentinel' && order[order.length - 1] !== 'keyspace') {
      throw new CaptureError(file, c.line, `the INFO capture ${captures.length > 1 ? `#${i + 1} ` : ''}ends in its ${order[order.length - 1]} section, before Keyspace, which INFO everything prints last: truncated?`,
        'capture it whole with `redis-cli -h HOST -p PORT INFO everything`');
    }
    const missing = [...first.sections].filter((x) => !c.sections.has(x));
    if (i > 0 && missing.length > 0) {
      throw new CaptureError(file, c.line, `INFO capture #${i + 1} lacks the ${missing.join(', ')} section${missing.length === 1 ? '' : 's'} the first one has: truncated, or captured with other sections?`,
        'append the same `redis-cli -h HOST -p PORT INFO everything` each time');
    }
  });
}

/**
 * CONFIG GET output: alternating name / value lines (redis-cli's plain output), or the
 * numbered TTY form (`1) "name"` / `2) "value"`). Returns name → value.
 */
export function parseConfigGet(file: string, text: string): Map<string, string> {
  checkIsText(file, text);
  if (text.trim() === '') throw new CaptureError(file, 0, 'the file is empty', "capture it with `redis-cli -h HOST -p PORT CONFIG GET '*' > FILE`");
  const raw = text.split(/\r?\n/);
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const numbered = /^\s*\d+\)\s/.test(raw[0] ?? '');
  const values = raw.map((l) => (numbered ? unquoteTty(l.replace(/^\s*\d+\)\s/, '')) : l));
  if (values.length % 2 !== 0) {
    throw new CaptureError(file, values.length, `CONFIG GET output has ${values.length} lines, not name/value pairs: truncated?`,
      "capture it whole with `redis-cli CONFIG GET '*' > FILE`");
  }
  const out = new Map<string, string>();
  for (let i = 0; i < values.length; i += 2) {
    const name = values[i]!;
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
      throw new CaptureError(file, i + 1, `"${clip(name)}" is not a config option name`,
        "capture it with `redis-cli CONFIG GET '*' > FILE`; the file alternates option names and values");
    }
    out.set(name, values[i + 1]!);
  }
  return out;
}

/** The summary of `redis-cli --bigkeys`: per type, keys and their total size and average. */
export interface BigKeysSummary {
  /** e.g. string → { keys: 1000, total: 100000, unit: 'bytes', avg: 100 } */
  types: Map<string, { keys: number; total: number; unit: string; avg: number }>;
  /** "Sampled N keys in the keyspace!": the TYPE calls the scan made (redis-cli's getKeyTypes). */
  sampled: number;
}

export function parseBigKeys(file: string, text: string): BigKeysSummary {
  checkIsText(file, text);
  const types = new Map<string, { keys: number; total: number; unit: string; avg: number }>();
  // "1000 strings with 100000 bytes (100.00% of keys, avg size 100.00)"
  const re = /^(\d+) (\w+?)s? with (\d+) (\w+) \([\d.]+% of keys, avg size ([\d.]+)\)/;
  let sampled = 0;
  for (const line of text.split(/\r?\n/)) {
    const n = /^Sampled (\d+) keys in the keyspace!/.exec(line.trim());
    if (n) sampled = Number(n[1]);
    const m = re.exec(line.trim());
    if (m) types.set(m[2]!, { keys: Number(m[1]), total: Number(m[3]), unit: m[4]!, avg: Number(m[5]) });
  }
  if (types.size === 0) {
    throw new CaptureError(file, 0, 'no summary lines ("N strings with M bytes (…% of keys, avg size …)"): truncated, or not --bigkeys output?',
      'capture the whole run: `redis-cli -h HOST -p PORT --bigkeys > FILE` (its summary comes last)');
  }
  return { types, sampled };
}

function unquoteTty(s: string): string {
  const t = s.trim();
  if (t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  return t;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * The one kind of error a bad scenario file produces: each issue names the file, line and
 * column, the field path, what was expected and what was found, and a hint when we have one
 * (docs/layers.md, "Determinism": errors). The CLI prints `error.message` and exits 2.
 */

export type PathSegment = string | number;

export interface ScenarioIssue {
  file: string | null;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Field path like `timeline[2].at` or `config.repl-timeout`; "" for the whole file. */
  path: string;
  /** "expected …, got …" or a sentence. */
  message: string;
  hint?: string;
  /** The offending source line, shown under the message with a caret at `col` (YAML syntax errors). */
  sourceLine?: string;
}

export class ScenarioError extends Error {
  readonly issues: ScenarioIssue[];
  /** `more`: problems found beyond those in `issues` (not shown). */
  constructor(issues: ScenarioIssue[], more = 0) {
    if (issues.length === 0) throw new Error('ScenarioError needs at least one issue');
    super(issues.map(formatIssue).join('\n') + (more > 0 ? `\n… and ${more} more problem(s) in ${issues[0]!.file ?? '<scenario>'}` : ''));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
  /** The first issue in file order: the one to read first. */
  get first(): ScenarioIssue {
    return this.issues[0]!;
  }
}

/** `timeline[2].at`, `nodes.r1.config.repl-timeout`; keys that are not plain words are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `scenarios/x.yaml:14:5 timeline[2].at: expected …, got …` and an indented hint line. */
export function formatIssue(issue: ScenarioIssue): string {
  const where = `${issue.file ?? '<scenario>'}:${issue.line}:${issue.col}`;
  let out = issue.path === '' ? `${where} ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
  if (issue.sourceLine !== undefined) out += `\n${excerpt(issue.sourceLine, issue.col)}`;
  return issue.hint ? `${out}\n  hint: ${issue.hint}` : out;
}

/** Widest source line shown; a longer line is cut around the column. */
const EXCERPT_WIDTH = 100;

/** `  12 |   r1: { replicaof: m1 }` and a caret under column `col` (1-based), tabs kept so the caret lines up. */
function excerpt(line: string, col: number): string {
  let text = line;
  let caretAt = Math.max(0, col - 1);
  if (text.length > EXCERPT_WIDTH) {
    const start = Math.max(0, Math.min(caretAt - EXCERPT_WIDTH / 2, text.length - EXCERPT_WIDTH));
    text = `${start > 0 ? '…' : ''}${text.slice(start, start + EXCERPT_WIDTH)}${start + EXCERPT_WIDTH < line.length ? '…' : ''}`;
    caretAt = caretAt - start + (start > 0 ? 1 : 0);
  }
  const pad = text.slice(0, caretAt).replace(/[^\t]/g, ' ');
  return `    ${text}\n    ${pad}^`;
}

/** A short rendering of a found value for "got …": strings quoted, lists and maps in flow style. */
export function describeValue(value: unknown, depth = 0): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') return briefString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // What YAML tags make (!!timestamp, !!binary, !!set, !!omap/!!pairs): named, not shown as {}.
  if (value instanceof Date) return 'a timestamp (!!timestamp)';
  if (value instanceof Uint8Array) return `binary data (!!binary, ${value.length} bytes)`;
  if (value instanceof Set) return 'a set (!!set)';
  if (value instanceof Map) return 'an ordered map (!!omap)';
  if (depth > 1) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, 5).map((v) => describeValue(v, depth + 1));
    return `[${items.join(', ')}${value.length > 5 ? ', …' : ''}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const items = entries.slice(0, 5).map(([k, v]) => `${k.length > BRIEF_CHARS ? `${k.slice(0, BRIEF_CHARS)}…` : k}: ${describeValue(v, depth + 1)}`);
    return `{${items.join(', ')}${entries.length > 5 ? ', …' : ''}}`;
  }
  return String(value);
}

/** Characters of a string value echoed in a message; a 400-digit number or a 1 MB name is cut. */
const BRIEF_CHARS = 60;

function briefString(v: string): string {
  return v.length <= BRIEF_CHARS ? JSON.stringify(v) : `${JSON.stringify(v.slice(0, BRIEF_CHARS))}… (${v.length} characters)`;
}

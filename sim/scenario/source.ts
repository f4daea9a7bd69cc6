/**
 * A scenario file's YAML text, parsed with node ranges kept, so any field path can be
 * turned back into a line and column for error messages and for the `line` of timeline
 * steps and expectations.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { formatPath, ScenarioError, type PathSegment, type ScenarioIssue } from './errors.js';

export interface Located {
  path: readonly PathSegment[];
  message: string;
  hint?: string;
  /** Point at the key itself (an unknown key) rather than its value. */
  onKey?: boolean;
}

export class ScenarioSource {
  private readonly lineCounter = new LineCounter();
  private readonly doc: Document;

  /**
   * Throws ScenarioError for YAML syntax errors (bad indentation, duplicate keys, tabs…):
   * the first one, with its source line and a caret, and how many follow (one slip in the
   * indentation makes dozens). `<<: *anchor` merge keys are on, so several nodes can share
   * a block of options.
   */
  constructor(
    readonly file: string | null,
    readonly text: string,
  ) {
    // uniqueKeys is off because the library's check compares every key with every other
    // (quadratic in a map's size); duplicateKeyErrors does the same check in linear time.
    try {
      this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: false, merge: true, logLevel: 'error' });
    } catch (e) {
      throw this.documentError(e, 0);
    }
    const errors: Array<{ offset: number; message: string; code: string }> = this.doc.errors.map((e) => ({ offset: e.pos[0], message: e.message, code: e.code }));
    const overflow = errors.find((e) => /call stack/i.test(e.message));
    if (overflow !== undefined) throw this.documentError(new RangeError(overflow.message), overflow.offset);
    if (errors.length === 0) errors.push(...duplicateKeyErrors(this.doc));
    if (errors.length > 0) {
      const first = errors[0]!;
      // An indentation error is reported at the start of its line: point at what is misplaced.
      let offset = first.offset;
      while (text[offset] === ' ') offset++;
      const pos = this.lineCounter.linePos(offset);
      const more = errors.length - 1;
      const hint = [yamlHint(first.code), more > 0 ? `${more} more YAML error(s) follow, most often caused by this one: fix it first` : undefined]
        .filter((h) => h !== undefined).join('; ');
      const issue: ScenarioIssue = { file, line: pos.line, col: pos.col, path: '', message: first.code === 'MULTIPLE_DOCS' ? 'a second YAML document starts here: a scenario file holds one' : `YAML syntax error: ${first.message.split('\n')[0]}`, sourceLine: this.lineText(pos.line) };
      if (hint !== '') issue.hint = hint;
      throw new ScenarioError([issue]);
    }
  }

  /** The document as plain JS (maps → objects, sequences → arrays). YAML-level failures become a ScenarioError. */
  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      throw this.documentError(e, null);
    }
  }

  /** The text of 1-based line `line`. */
  private lineText(line: number): string {
    const start = this.lineCounter.lineStarts[line - 1] ?? 0;
    const end = this.text.indexOf('\n', start);
    return this.text.slice(start, end < 0 ? this.text.length : end).replace(/\r$/, '');
  }

  /**
   * What the yaml library throws while building or converting a document (an alias to no
   * anchor, a merge key whose source is not a map, too many aliases, nesting deeper than
   * the stack) as a scenario error that points at the construct.
   */
  private documentError(e: unknown, fallbackOffset: number | null): ScenarioError {
    const message = e instanceof Error ? e.message : String(e);
    let offset = fallbackOffset ?? 0;
    let text: string;
    let hint: string | undefined;
    const unresolved = /Unresolved alias[^:]*: (.*)$/.exec(message);
    if (unresolved) {
      offset = this.findNode((n) => isAlias(n) && n.source === unresolved[1]) ?? offset;
      text = `the alias *${unresolved[1]} names no anchor`;
      hint = `define &${unresolved[1]} on an earlier value, then refer to it with *${unresolved[1]}`;
    } else if (/Merge sources must be/.test(message)) {
      offset = this.findNode((n) => isPair(n) && isMergeKey(n.key) && !isMergeSource(n.value), true) ?? offset;
      text = 'a merge key (<<) must be followed by a map or an alias of a map';
      hint = 'e.g. <<: *defaults, where &defaults marks a map';
    } else if (/alias count/i.test(message)) {
      offset = this.findNode((n) => isAlias(n)) ?? offset;
      text = `the aliases expand too much (more than ${MAX_ALIAS_COUNT} uses of one anchor's contents)`;
      hint = 'a document that multiplies itself through aliases is refused; write the repeated parts out or use fewer aliases';
    } else if (e instanceof RangeError) {
      text = 'the document nests too deeply to read';
      hint = 'a scenario needs a few levels of maps and lists, not thousands';
    } else {
      text = `cannot read the YAML document: ${message.split('\n')[0]}`;
    }
    const pos = this.lineCounter.linePos(offset);
    const issue: ScenarioIssue = { file: this.file, line: pos.line, col: pos.col, path: '', message: text, sourceLine: this.lineText(pos.line) };
    if (hint !== undefined) issue.hint = hint;
    return new ScenarioError([issue]);
  }

  /** Offset of the first node (in document order) that `test` accepts, or null. */
  private findNode(test: (n: unknown) => boolean, onKey = false): number | null {
    let found: number | null = null;
    visit(this.doc, (_key, n) => {
      if (!test(n)) return undefined;
      const target = onKey && isPair(n) ? n.key : n;
      found = (target as Node | null)?.range?.[0] ?? null;
      return visit.BREAK;
    });
    return found;
  }

  /**
   * Line and column of the node at `path`. A path that runs out (a missing key) stops at
   * the deepest node that exists, i.e. the map the key is missing from.
   */
  locate(path: readonly PathSegment[], onKey = false): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let best: Node | null = (this.doc.contents as Node | null) ?? null;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const last = i === path.length - 1;
        if ((last && onKey) || pair.value === null || pair.value === undefined) {
          best = pair.key as Node;
          if (last && onKey) break;
          // `key:` with no value: the key is the best place to point at.
          node = pair.value;
          continue;
        }
        node = pair.value;
        best = pair.value as Node;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
        node = node.items[seg];
        best = node as Node;
      } else {
        break;
      }
    }
    const offset = best?.range?.[0] ?? 0;
    return this.lineCounter.linePos(offset);
  }

  /** The scalar at `path` exactly as written (a seed like 12345678901234567890 keeps its digits). */
  sourceText(path: readonly PathSegment[]): string | undefined {
    const node = this.doc.getIn(path as PathSegment[], true);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }

  /** The 1-based line of the node at `path` (timeline steps and expectations remember it). */
  lineOf(path: readonly PathSegment[]): number {
    return this.locate(path).line;
  }

  issue(l: Located): ScenarioIssue {
    const { line, col } = this.locate(l.path, l.onKey);
    const out: ScenarioIssue = { file: this.file, line, col, path: formatPath(l.path), message: l.message };
    if (l.hint !== undefined) out.hint = l.hint;
    return out;
  }

  /**
   * A ScenarioError with the issues in file order. Only the first MAX_ISSUES found are
   * located and shown (locating one walks its maps, so thousands would cost quadratic
   * time, and nobody reads them); the message says how many more there are, counting
   * `uncounted` problems the caller did not explain.
   */
  error(list: readonly Located[], uncounted = 0): ScenarioError {
    const issues = list.slice(0, MAX_ISSUES).map((l) => this.issue(l));
    issues.sort((a, b) => a.line - b.line || a.col - b.col);
    return new ScenarioError(issues, list.length - issues.length + uncounted);
  }
}

/** Issues shown for one file. */
const MAX_ISSUES = 20;

/** Uses of aliased content toJS allows (its guard against "billion laughs" documents). */
const MAX_ALIAS_COUNT = 100;

/** `<<` with merge keys on: the library makes its value a symbol. */
function isMergeKey(k: unknown): boolean {
  return isScalar(k) && (k.value === '<<' || (typeof k.value === 'symbol' && k.source === '<<'));
}

function isMergeSource(v: unknown): boolean {
  return isMap(v) || isAlias(v) || (isSeq(v) && v.items.every((i) => isMap(i) || isAlias(i)));
}

/**
 * Keys that appear twice in one map, in linear time (a Set per map). Only scalar keys are
 * compared, as YAML's equality of complex keys does not matter for a scenario; `<<` may
 * repeat (each merges another source).
 */
function duplicateKeyErrors(doc: Document): Array<{ offset: number; message: string; code: string }> {
  const out: Array<{ offset: number; message: string; code: string }> = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (isMergeKey(pair.key)) continue;
        const k = String(pair.key.value);
        if (seen.has(k)) out.push({ offset: pair.key.range?.[0] ?? 0, message: `Map keys must be unique; "${k}" is repeated`, code: 'DUPLICATE_KEY' });
        seen.add(k);
      }
    },
  });
  return out;
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once per map; merge the two entries';
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the brackets of the line above';
    case 'MULTIPLE_DOCS':
      // The library reports it only when not silenced (logLevel 'error' keeps it): else the
      // second document would be ignored without a word.
      return 'remove the --- line, or split the file into one scenario per file';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a value may be missing after a "key:" on the previous line';
    default:
      return undefined;
  }
}

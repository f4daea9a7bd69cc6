/**
 * A scenario file's YAML text, parsed with node ranges kept, so any field path can be
 * turned back into a line and column for error messages and for the `line` of timeline
 * steps and expectations.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
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
   * Throws ScenarioError for YAML syntax errors (bad indentation, duplicate keys, tabs…).
   * `<<: *anchor` merge keys are on, so several nodes can share a block of options.
   */
  constructor(
    readonly file: string | null,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
    if (this.doc.errors.length > 0) {
      throw new ScenarioError(
        this.doc.errors.map((e) => {
          // linePos is only filled in with prettyErrors; compute it from the offset instead.
          const pos = this.lineCounter.linePos(e.pos[0]);
          return { file, line: pos.line, col: pos.col, path: '', message: `YAML syntax error: ${e.message}`, hint: yamlHint(e.code) };
        }),
      );
    }
  }

  /** The document as plain JS (maps → objects, sequences → arrays). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
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

  /** A ScenarioError with the issues in file order. */
  error(list: readonly Located[]): ScenarioError {
    const issues = list.map((l) => this.issue(l));
    issues.sort((a, b) => a.line - b.line || a.col - b.col);
    return new ScenarioError(issues);
  }
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
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a value may be missing after a "key:" on the previous line';
    default:
      return undefined;
  }
}

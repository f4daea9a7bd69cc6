/**
 * The repository's TypeScript files parsed (syntax only, no type-check) for the tidy test:
 * every import and re-export with its resolved target, and the identifiers each file uses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SIM = path.join(ROOT, 'sim');

/** One `import … from` / `export … from` / `import(…)` of a relative module. */
export interface ImportRef {
  /** Repository-relative path of the importing file, e.g. "sim/scenario/world.ts". */
  from: string;
  /** Repository-relative path of the imported file (".js" resolved to ".ts"). */
  to: string;
  line: number;
  /** `import type { … }`, or every named binding marked `type`. */
  typeOnly: boolean;
  /** The names imported (`default`, `*` for namespace / star re-exports). */
  names: string[];
}

export interface ParsedFile {
  file: string;
  source: ts.SourceFile;
  imports: ImportRef[];
}

export function tsFilesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f).split(path.sep).join('/'))
    .sort();
}

function namesOf(clause: ts.ImportClause | undefined): { names: string[]; typeOnly: boolean } {
  if (!clause) return { names: [], typeOnly: false };
  const names: string[] = [];
  let allTyped = true;
  if (clause.name) {
    names.push('default');
    allTyped = false;
  }
  const b = clause.namedBindings;
  if (b && ts.isNamespaceImport(b)) {
    names.push('*');
    allTyped = false;
  } else if (b) {
    for (const el of b.elements) {
      names.push((el.propertyName ?? el.name).text);
      if (!el.isTypeOnly) allTyped = false;
    }
  }
  return { names, typeOnly: clause.isTypeOnly || (names.length > 0 && allTyped) };
}

export function parseFile(file: string, text = readFileSync(path.join(ROOT, file), 'utf8')): ParsedFile {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const imports: ImportRef[] = [];
  const add = (spec: string, node: ts.Node, typeOnly: boolean, names: string[]): void => {
    if (!spec.startsWith('.')) return;
    const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
    imports.push({ from: file, to, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, typeOnly, names });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const { names, typeOnly } = namesOf(node.importClause);
      add(node.moduleSpecifier.text, node, typeOnly, names);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.exportClause;
      const names = c && ts.isNamedExports(c) ? c.elements.map((e) => (e.propertyName ?? e.name).text) : ['*'];
      const typed = c && ts.isNamedExports(c) ? c.elements.every((e) => e.isTypeOnly) : false;
      add(node.moduleSpecifier.text, node, node.isTypeOnly || typed, names);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) add(arg.text, node, false, ['*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, source, imports };
}

/** How many times each identifier text occurs in a file. */
export function identifierCounts(source: ts.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return counts;
}

export function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

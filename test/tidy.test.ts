/**
 * The tidy test (TigerBeetle's src/tidy.zig): the house rules of docs/layers.md, enforced.
 *  - imports point down the layer stack, and into redis/ down its sub-layers;
 *  - another layer is reached only through its face, index.ts;
 *  - nothing exported or declared as a class member is left unused;
 *  - the number of functions longer than 70 lines only goes down;
 *  - a class declares its fields before its constructor and methods;
 *  - no file of sim/ cites a .md file the repository does not have;
 *  - every row of docs/model.md's "Redis function → file" table points at a file that names the function.
 * Each rule is first shown to catch a made-up violation, so the test cannot pass vacuously.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { identifierCounts, lineOf, parseFile, ROOT, tsFilesUnder, type ImportRef, type ParsedFile } from './helpers/source-tree.js';

/** docs/layers.md, top to bottom; a layer imports only layers below it (and the peers listed). */
const LAYER_STACK: readonly (readonly string[])[] = [
  ['cli', ''], // '' = sim/index.ts, the library face
  ['fuzz', 'report', 'sweep', 'diff', 'calibrate', 'import'],
  ['scenario'],
  ['check'],
  ['workload'],
  ['sentinel'],
  ['redis'],
  ['net'],
  ['engine'],
];
/** Imports between layers of the same row: the only sideways edges, and they form no cycle. */
const PEER_IMPORTS: Readonly<Record<string, readonly string[]>> = { sweep: ['report'], calibrate: ['diff'], diff: ['fuzz'] };
/** The pure layers must have a face (index.ts) once another layer imports them. */
const FACED_LAYERS = ['engine', 'net', 'redis', 'sentinel', 'workload', 'check', 'fuzz'];
/** Sentinel knows Redis only as a peer over the wire: RESP, never the server's internals. */
const SENTINEL_MAY_IMPORT = ['engine', 'net', 'redis/protocol'];
/**
 * redis/ inside: protocol/ <- data/ <- commands/ and scripting/ <- the process files at the top.
 * commands/ and scripting/ share a rank: EVAL/FCALL are commands, and redis.call runs commands.
 */
const REDIS_SUBLAYERS = ['protocol', 'data', 'commands', 'scripting', ''];
const REDIS_SUBLAYER_RANK: Readonly<Record<string, number>> = { protocol: 0, data: 1, commands: 2, scripting: 2, '': 3 };

function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length <= 2 ? '' : parts[1]!;
}
function redisSublayerOf(file: string): string {
  const parts = file.split('/');
  return parts.length >= 4 && REDIS_SUBLAYERS.includes(parts[2]!) ? parts[2]! : '';
}
function rowOf(layer: string): number {
  const row = LAYER_STACK.findIndex((r) => r.includes(layer));
  if (row < 0) throw new Error(`sim/${layer}/ is not in the layer stack of docs/layers.md (and LAYER_STACK here)`);
  return row;
}

/** Why an import breaks the layer rules, or null. `faced` lists layers with an index.ts. */
export function importProblem(ref: ImportRef, faced: ReadonlySet<string>): string | null {
  if (!ref.from.startsWith('sim/') || !ref.to.startsWith('sim/')) return null;
  const [a, b] = [layerOf(ref.from), layerOf(ref.to)];
  if (a === b) return a === 'redis' ? redisInsideProblem(ref) : ref.to === `sim/${a}/index.ts` && ref.from !== ref.to ? `imports its own layer's face ${ref.to} (a cycle); import the file` : null;
  if (a === 'sentinel') {
    const target = b === 'redis' ? `redis/${redisSublayerOf(ref.to)}` : b;
    if (!SENTINEL_MAY_IMPORT.includes(target)) return `sentinel/ may import only ${SENTINEL_MAY_IMPORT.join(', ')}, not ${target}`;
    const face = target === 'redis/protocol' ? 'sim/redis/protocol/index.ts' : `sim/${b}/index.ts`;
    return ref.to === face ? null : `imports ${ref.to}; go through the face ${face}`;
  }
  if (a === 'redis' && redisSublayerOf(ref.from) !== '' && b !== 'engine') return `redis/${redisSublayerOf(ref.from)}/ may import only engine/ outside redis/, not ${b}/`;
  const [ra, rb] = [rowOf(a), rowOf(b)];
  if (rb < ra || (rb === ra && !(PEER_IMPORTS[a] ?? []).includes(b))) return `${a || 'sim/index.ts'} may not import ${b}/ (imports point down the layer stack)`;
  if (faced.has(b) && ref.to !== `sim/${b}/index.ts`) return `imports ${ref.to}; other layers reach ${b}/ only through sim/${b}/index.ts`;
  return null;
}

function redisInsideProblem(ref: ImportRef): string | null {
  const [s, t] = [redisSublayerOf(ref.from), redisSublayerOf(ref.to)];
  const name = (x: string): string => (x === '' ? 'the top of redis/' : `redis/${x}/`);
  if (ref.to === 'sim/redis/index.ts') return `imports its own layer's face sim/redis/index.ts (a cycle); import the file`;
  if (REDIS_SUBLAYER_RANK[t]! > REDIS_SUBLAYER_RANK[s]!) return `${name(s)} may not import ${name(t)} (${ref.to}), not even a type`;
  if (s === '' && t === '' && ref.to === 'sim/redis/server.ts' && ref.from !== 'sim/redis/index.ts' && !(ref.typeOnly && ref.names.length === 1 && ref.names[0] === 'RedisServer'))
    return `only \`import type { RedisServer }\` may point back to server.ts`;
  return null;
}

const SIM_FILES = tsFilesUnder('sim');
const ALL_FILES = [...SIM_FILES, ...tsFilesUnder('test'), ...tsFilesUnder('bench')];
const PARSED: ParsedFile[] = ALL_FILES.map((f) => parseFile(f));
const FACED = new Set(FACED_LAYERS.filter((l) => existsSync(path.join(ROOT, 'sim', l, 'index.ts'))));

describe('tidy: layers', () => {
  const ref = (from: string, to: string, typeOnly = false, names = ['x']): ImportRef => ({ from, to, line: 1, typeOnly, names });
  const faced = new Set(['engine', 'net', 'redis', 'sentinel', 'check']);

  it('the rules catch each kind of wrong import', () => {
    const bad: ImportRef[] = [
      ref('sim/net/host.ts', 'sim/redis/index.ts'), // upward
      ref('sim/fuzz/case.ts', 'sim/report/html.ts'), // sideways, not a listed peer
      ref('sim/scenario/world.ts', 'sim/net/network.ts'), // past the face
      ref('sim/net/host.ts', 'sim/net/index.ts'), // own face
      ref('sim/sentinel/monitor.ts', 'sim/redis/index.ts'), // the server's internals
      ref('sim/sentinel/monitor.ts', 'sim/redis/protocol/resp.ts'), // past the protocol face
      ref('sim/sentinel/monitor.ts', 'sim/workload/index.ts'),
      ref('sim/redis/protocol/resp.ts', 'sim/redis/data/value.ts'),
      ref('sim/redis/data/keyspace.ts', 'sim/redis/commands/exec-context.ts'),
      ref('sim/redis/commands/commands.ts', 'sim/redis/server.ts', true, ['RedisServer']),
      ref('sim/redis/commands/commands.ts', 'sim/redis/config.ts', true, ['RedisConfig']),
      ref('sim/redis/data/keyspace.ts', 'sim/net/index.ts'),
      ref('sim/redis/wait.ts', 'sim/redis/server.ts', false, ['RedisServer']),
      ref('sim/redis/wait.ts', 'sim/redis/server.ts', true, ['RedisServer', 'ServerEnv']),
      ref('sim/redis/wait.ts', 'sim/redis/index.ts'),
      ref('sim/redis/scripting/eval.ts', 'sim/redis/server.ts', true, ['RedisServer']),
      ref('sim/sentinel/link.ts', 'sim/redis/wire.ts'),
    ];
    for (const r of bad) expect(importProblem(r, faced), `${r.from} -> ${r.to}`).not.toBeNull();
    const fine: ImportRef[] = [
      ref('sim/scenario/world.ts', 'sim/redis/index.ts'),
      ref('sim/sweep/sweep.ts', 'sim/report/html.ts'),
      ref('sim/sentinel/monitor.ts', 'sim/redis/protocol/index.ts'),
      ref('sim/sentinel/monitor.ts', 'sim/net/index.ts'),
      ref('sim/redis/commands/commands.ts', 'sim/redis/data/keyspace.ts'),
      ref('sim/redis/commands/commands.ts', 'sim/engine/index.ts'),
      ref('sim/redis/commands/commands.ts', 'sim/redis/scripting/eval.ts'),
      ref('sim/redis/scripting/eval.ts', 'sim/redis/commands/exec-context.ts'),
      ref('sim/redis/wait.ts', 'sim/redis/server.ts', true, ['RedisServer']),
      ref('sim/redis/server.ts', 'sim/redis/commands/commands.ts'),
      ref('sim/redis/index.ts', 'sim/redis/server.ts'),
    ];
    for (const r of fine) expect(importProblem(r, faced), `${r.from} -> ${r.to}`).toBeNull();
  });

  it('every import in sim/ follows them', () => {
    const problems = PARSED.flatMap((p) => p.imports.map((r) => [r, importProblem(r, FACED)] as const))
      .filter(([, why]) => why !== null)
      .map(([r, why]) => `${r.from}:${r.line}: ${why}`);
    expect(problems).toEqual([]);
  });

  it('trace kinds are declared only in a layer\'s trace-kinds.ts', () => {
    const declaring = PARSED.filter((p) => p.file.startsWith('sim/') && p.source.statements.some((st) => ts.isModuleDeclaration(st) && ts.isStringLiteral(st.name) && st.name.text.startsWith('.')));
    // (an ambient `declare module 'fengari'` for a package without types is not an augmentation)
    expect(declaring.map((p) => p.file).filter((f) => !f.endsWith('/trace-kinds.ts'))).toEqual([]);
    expect(declaring.length).toBeGreaterThanOrEqual(4);
  });

  it('every layer of the stack is a folder of sim/ and every folder of sim/ is in the stack', () => {
    const folders = new Set(SIM_FILES.map(layerOf).filter((l) => l !== ''));
    for (const f of folders) expect(() => rowOf(f)).not.toThrow();
  });
});

/** Exported declarations and class members whose name occurs nowhere but at the declaration. */
function unusedDeclarations(files: readonly ParsedFile[], inScope: (file: string) => boolean): string[] {
  const total = new Map<string, number>();
  for (const p of files) for (const [id, n] of identifierCounts(p.source)) total.set(id, (total.get(id) ?? 0) + n);
  const unused: string[] = [];
  const check = (p: ParsedFile, name: ts.Node | undefined, what: string): void => {
    if (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) && (total.get(name.text) ?? 0) <= 1)
      unused.push(`${p.file}:${lineOf(p.source, name)}: ${what}${what.startsWith('member') ? '.' : ' '}${name.text}`);
  };
  for (const p of files.filter((f) => inScope(f.file))) {
    for (const st of p.source.statements) {
      const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exported && ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) check(p, d.name, 'export');
      else if (exported && 'name' in st) check(p, st.name as ts.Node | undefined, 'export');
      if (ts.isClassDeclaration(st)) for (const m of st.members) if (!ts.isConstructorDeclaration(m)) check(p, m.name, `member ${st.name?.text ?? ''}`);
    }
  }
  return unused;
}

describe('tidy: no dead code', () => {
  it('the finder reports an unused export and an unused member, and not a used one', () => {
    const a = parseFile('sim/x/a.ts', 'export function used() {}\nexport const dead = 1;\nexport class C { live() {} gone() {} }');
    const b = parseFile('sim/x/b.ts', "import { used, C } from './a.js';\nused(); new C().live();");
    expect(unusedDeclarations([a, b], () => true)).toEqual(['sim/x/a.ts:2: export dead', 'sim/x/a.ts:3: member C.gone']);
  });

  it('nothing exported from sim/ or declared in a class of sim/ is unused (in sim/, test/ or bench/)', () => {
    expect(unusedDeclarations(PARSED, (f) => f.startsWith('sim/'))).toEqual([]);
  });
});

/**
 * Ratchet: functions whose body is longer than 70 lines (TIGER_STYLE's limit). Frozen at
 * today's count; when you shorten one, lower the number — it may never rise.
 */
const LONG_FUNCTION_LINES = 70;
const LONG_FUNCTIONS_ALLOWED = 24;

function longFunctions(p: ParsedFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const body = node.body as ts.Node;
      const lines = p.source.getLineAndCharacterOfPosition(body.getEnd()).line - p.source.getLineAndCharacterOfPosition(body.getStart()).line + 1;
      if (lines > LONG_FUNCTION_LINES) found.push(`${p.file}:${lineOf(p.source, node)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(p.source);
  return found;
}

describe('tidy: function length ratchet', () => {
  it('counts a function body over the limit and not one at it', () => {
    const body = (n: number): string => `function f() {\n${'  x();\n'.repeat(n - 2)}}\n`;
    expect(longFunctions(parseFile('sim/x/long.ts', body(LONG_FUNCTION_LINES + 1)))).toHaveLength(1);
    expect(longFunctions(parseFile('sim/x/ok.ts', body(LONG_FUNCTION_LINES)))).toHaveLength(0);
  });

  it(`functions over ${LONG_FUNCTION_LINES} lines in sim/ never grow in number`, () => {
    const long = PARSED.filter((p) => p.file.startsWith('sim/')).flatMap(longFunctions);
    expect(long.length, `over the limit:\n${long.join('\n')}`).toBeLessThanOrEqual(LONG_FUNCTIONS_ALLOWED);
    expect(long.length, `fewer long functions now: lower LONG_FUNCTIONS_ALLOWED to ${long.length}`).toBe(LONG_FUNCTIONS_ALLOWED);
  });
});

/** Fields declared after a constructor, method or accessor (a field holding an arrow function is a bound method). */
function fieldsAfterMethods(p: ParsedFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      let first: ts.ClassElement | null = null;
      for (const m of node.members) {
        const boundMethod = ts.isPropertyDeclaration(m) && m.initializer !== undefined && (ts.isArrowFunction(m.initializer) || ts.isFunctionExpression(m.initializer));
        if (ts.isPropertyDeclaration(m) && !boundMethod) {
          if (first !== null) found.push(`${p.file}:${lineOf(p.source, m)}: ${node.name?.text ?? 'class'}.${m.name.getText(p.source)} is declared after ${first.name?.getText(p.source) ?? 'the constructor'}`);
        } else if (!boundMethod && !ts.isSemicolonClassElement(m) && !ts.isClassStaticBlockDeclaration(m) && first === null) {
          first = m;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(p.source);
  return found;
}

describe('tidy: class layout', () => {
  it('reports a field after a method, and not a bound handler or fields first', () => {
    const p = parseFile('sim/x/c.ts', 'class C {\n  a = 1;\n  constructor() {}\n  m() {}\n  private readonly h = () => 1;\n  late = 2;\n}\nclass D { x = 0; get y() { return 1; } }');
    expect(fieldsAfterMethods(p)).toEqual(['sim/x/c.ts:6: C.late is declared after the constructor']);
  });

  it('every class of sim/ declares its fields before its constructor and methods', () => {
    expect(PARSED.filter((p) => p.file.startsWith('sim/')).flatMap(fieldsAfterMethods)).toEqual([]);
  });
});

/**
 * Markdown files a comment or message of sim/ names: each must exist, relative to the
 * repository's root or to docs/. `generated` lists names of files replsim writes (a report's
 * report.md), which are outputs, not citations.
 */
function missingMarkdownCitations(file: string, text: string, generated: readonly string[]): string[] {
  const missing: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/[\w./-]*\.md\b/g)) {
      const ref = m[0];
      if (generated.includes(ref)) continue;
      if (!existsSync(path.join(ROOT, ref)) && !existsSync(path.join(ROOT, 'docs', ref))) missing.push(`${file}:${i + 1}: ${ref}`);
    }
  });
  return missing;
}

/** The report and sweep writers' own output files. */
const GENERATED_MARKDOWN = ['report.md', 'sweep.md'];

interface FunctionRow {
  fn: string;
  cFile: string;
  /** The `where in sim/` cell; "not modelled: …" / "not needed: …" when there is no location. */
  where: string;
}

/** The rows of docs/model.md's "Redis function → file" table. */
function functionTable(markdown: string): FunctionRow[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Redis function → file'));
  if (section === undefined) return [];
  return [...section.matchAll(/^\| `(\w+)` \((\w+\.c)\) \| (.*) \|$/gm)].map((m) => ({ fn: m[1]!, cFile: m[2]!, where: m[3]! }));
}

/** Rows whose sim/ file does not exist, does not name the Redis function, or lacks a symbol the row names. */
function functionTableProblems(rows: readonly FunctionRow[], read: (file: string) => string | null): string[] {
  const problems: string[] = [];
  for (const { fn, where } of rows) {
    if (where.startsWith('not ')) continue;
    // "`sim/a.ts` `A.x`, `y`; `sim/b.ts` `z`": each path, then the symbols it holds.
    const parts = where.split(/`(sim\/[\w/.-]+\.ts)`/);
    if (parts.length < 2) problems.push(`${fn}: no sim/ file named`);
    for (let i = 1; i < parts.length; i += 2) {
      const file = parts[i]!;
      const text = read(file);
      if (text === null) {
        problems.push(`${fn}: ${file} does not exist`);
        continue;
      }
      if (!new RegExp(`\\b${fn}\\b`).test(text)) problems.push(`${fn}: ${file} does not name it`);
      for (const [, sym] of parts[i + 1]!.matchAll(/`([\w.]+)`/g)) {
        const name = sym!.split('.').pop()!;
        if (!new RegExp(`\\b${name}\\b`).test(text)) problems.push(`${fn}: ${file} has no ${sym}`);
      }
    }
  }
  return problems;
}

const readRepoFile = (file: string): string | null => (existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file), 'utf8') : null);

describe('tidy: documentation references', () => {
  it('the citation check reports a .md file the repository lacks, and not one it has', () => {
    const text = '/** See redis-replication.md §4, docs/model.md, layers.md and scenarios/FORMAT.md. */\nwrite(join(dir, "report.md"));';
    expect(missingMarkdownCitations('sim/x/a.ts', text, GENERATED_MARKDOWN)).toEqual(['sim/x/a.ts:1: redis-replication.md']);
  });

  it('no file of sim/ cites a .md file that is not in the repository', () => {
    const missing = SIM_FILES.flatMap((f) => missingMarkdownCitations(f, readFileSync(path.join(ROOT, f), 'utf8'), GENERATED_MARKDOWN));
    expect(missing).toEqual([]);
    // The outputs exempted above are still written by sim/ (else the exemption is stale).
    const simText = SIM_FILES.map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    for (const g of GENERATED_MARKDOWN) expect(simText, g).toContain(`'${g}'`);
  });

  it('the function-table check reports a wrong file, a file that does not name the function, and a missing symbol', () => {
    const md = [
      '## Redis function → file',
      '| `replicationSendAck` (replication.c) | `sim/redis/replica-side.ts` `ReplicaSide.sendAck` |',
      '| `replicationSendAck` (replication.c) | `sim/redis/no-such-file.ts` `x` |',
      '| `waitCommand` (replication.c) | `sim/redis/replica-side.ts` `ReplicaSide.sendAck` |',
      '| `replicationSendAck` (replication.c) | `sim/redis/replica-side.ts` `ReplicaSide.noSuchMethod` |',
      '| `bg_unlink` (replication.c) | not needed: no files |',
    ].join('\n');
    const rows = functionTable(md);
    expect(rows).toHaveLength(5);
    expect(functionTableProblems(rows, readRepoFile)).toEqual([
      'replicationSendAck: sim/redis/no-such-file.ts does not exist',
      'waitCommand: sim/redis/replica-side.ts does not name it',
      'replicationSendAck: sim/redis/replica-side.ts has no ReplicaSide.noSuchMethod',
    ]);
  });

  it('every Redis function of docs/model.md\'s table with a sim/ location is named in that file', () => {
    const rows = functionTable(readFileSync(path.join(ROOT, 'docs', 'model.md'), 'utf8'));
    // replication.c in full: 83 functions at 7.0.15, each once.
    const replication = rows.filter((r) => r.cFile === 'replication.c').map((r) => r.fn);
    expect(new Set(replication).size).toBe(replication.length);
    expect(replication.length).toBe(83);
    expect(functionTableProblems(rows, readRepoFile)).toEqual([]);
  });
});

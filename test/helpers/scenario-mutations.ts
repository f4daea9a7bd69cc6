/**
 * Malformed scenario files for the hostile-input property (test/scenario/hostile-input.test.ts):
 * the library's scenarios and generated valid ones, mutated at the text level (cut,
 * duplicate, re-indent, splice in YAML tricks, swap numbers for extreme ones) and at the
 * document level (a value at a random path replaced by another type or an extreme number,
 * a key dropped, a list blown up). Every variant is meant to be validated: most are wrong.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { caseArb } from '../../sim/fuzz/case.js';
import { profileNamed } from '../../sim/fuzz/profiles.js';
import { caseText } from '../../sim/fuzz/scenario-text.js';

const dir = new URL('../../scenarios/', import.meta.url);

export const LIBRARY: ReadonlyArray<{ name: string; text: string }> = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(new URL(f, dir), 'utf8') }));

/** Numbers and words that broke parsers before (issue 20) or sit on a limit's edge. */
const EXTREME_TEXT = [
  '0', '-1', '1e308', '-1e308', '1e-300', '2147483647', '2147483648', '9007199254740993', '1'.repeat(400),
  '.inf', '-.inf', '.nan', '0x7fffffff', '1gb', '512mb', '1e400', '1e6h', '100000000/s', '0s', '-5s', '0.5',
  'null', '~', 'true', '""', '[]', '{}', 'constructor', '__proto__', 'toString', '*nope', '&a x', '<<: 5',
  'DEBUG SEGFAULT', 'DEBUG RELOAD', 'REPLICAOF m1 0', 'REPLICAOF NO ONE', 'SHUTDOWN NOSAVE', '"\\x00"', '\t',
];

const TRICKS = ['<<: 5', '<<: *nope', 'x: *nope', '*a', '&a', '? [a, b]\n: c', '---', '...', '%YAML 1.2', '!!binary AAAA',
  '{', '[', '}', ']', ': ', '- ', '#', '"', "'", '|', '>', '\t', '\r', '\ufeff', 'é', '\u0000'];

const EXTREME_VALUES: unknown[] = [
  0, -1, 1e308, -1e308, 1e-300, 2147483647, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 0.5, null, true, '', 'x', [], {},
  '1e400', '1gb', '10000000000kb', '1e6h', '1000000000/s', '0s', '-1s', 'constructor', '__proto__', [[[]]], { a: 1 },
  '99999999999999999999999h', '100000000', 100_000_000, 1_000_000_000, 'DEBUG JMAP', 'REPLICAOF m1 0',
];

type Mutation = (text: string) => string;

const lines = (t: string): string[] => t.split('\n');

const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
  // cut a span of characters
  fc.tuple(fc.nat(), fc.nat({ max: 200 })).map(([a, n]): Mutation => (t) => { const i = a % (t.length + 1); return t.slice(0, i) + t.slice(i + n); }),
  // truncate
  fc.nat().map((a): Mutation => (t) => t.slice(0, a % (t.length + 1))),
  // duplicate a line
  fc.nat().map((a): Mutation => (t) => { const l = lines(t); const i = a % l.length; l.splice(i, 0, l[i]!); return l.join('\n'); }),
  // swap two lines
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (t) => { const l = lines(t); const i = a % l.length; const j = b % l.length; [l[i], l[j]] = [l[j]!, l[i]!]; return l.join('\n'); }),
  // re-indent a line
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([a, d]): Mutation => (t) => {
    const l = lines(t); const i = a % l.length;
    l[i] = d >= 0 ? ' '.repeat(d) + l[i]! : l[i]!.replace(new RegExp(`^ {0,${-d}}`), '');
    return l.join('\n');
  }),
  // splice in a YAML trick at a random place
  fc.tuple(fc.nat(), fc.constantFrom(...TRICKS)).map(([a, s]): Mutation => (t) => { const i = a % (t.length + 1); return t.slice(0, i) + s + t.slice(i); }),
  // a whole new line with a trick or an extreme key: value
  fc.tuple(fc.nat(), fc.constantFrom(...TRICKS, ...EXTREME_TEXT), fc.nat({ max: 6 })).map(([a, s, ind]): Mutation => (t) => {
    const l = lines(t); l.splice(a % (l.length + 1), 0, `${' '.repeat(ind)}${s}`); return l.join('\n');
  }),
  // replace the n-th number (with or without a unit) by an extreme
  fc.tuple(fc.nat(), fc.constantFrom(...EXTREME_TEXT)).map(([a, s]): Mutation => (t) => {
    const hits = [...t.matchAll(/\b\d+(?:\.\d+)?(?:[a-z]+(?:\/[a-z]+)?)?\b/g)];
    if (hits.length === 0) return t;
    const h = hits[a % hits.length]!;
    return t.slice(0, h.index) + s + t.slice(h.index + h[0].length);
  }),
  // replace the n-th word after "key: " by an extreme
  fc.tuple(fc.nat(), fc.constantFrom(...EXTREME_TEXT)).map(([a, s]): Mutation => (t) => {
    const hits = [...t.matchAll(/: ([^\s,{}[\]]+)/g)];
    if (hits.length === 0) return t;
    const h = hits[a % hits.length]!;
    return t.slice(0, h.index + 2) + s + t.slice(h.index + 2 + h[1]!.length);
  }),
);

/** Every path to a value in a plain JS document. */
function paths(doc: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(doc: unknown, path: ReadonlyArray<string | number>, f: (old: unknown) => unknown): unknown {
  if (path.length === 0) return f(doc);
  const [head, ...rest] = path;
  const copy: Record<string | number, unknown> = Array.isArray(doc) ? [...doc] as unknown as Record<number, unknown> : { ...(doc as Record<string, unknown>) };
  const next = setAt(copy[head!], rest, f);
  if (next === DELETE) {
    if (Array.isArray(copy)) (copy as unknown as unknown[]).splice(head as number, 1);
    else delete copy[head!];
  } else {
    copy[head!] = next;
  }
  return copy;
}

const DELETE = Symbol('delete');

type DocMutation = (doc: unknown) => unknown;

const docMutation: fc.Arbitrary<(doc: unknown) => unknown> = fc.tuple(
  fc.nat(),
  fc.oneof(
    fc.constantFrom(...EXTREME_VALUES).map((v): ((old: unknown) => unknown) => () => v),
    fc.constant((): unknown => DELETE),
    // a list or map blown up: many copies of its first element, or many fresh keys
    fc.integer({ min: 50, max: 3000 }).map((n) => (old: unknown): unknown => {
      if (Array.isArray(old)) return Array.from({ length: n }, () => old[0] ?? null);
      if (old !== null && typeof old === 'object') return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, Object.values(old)[0] ?? {}]));
      return typeof old === 'string' ? old.repeat(Math.min(n, 200)) : old;
    }),
    // type swaps
    fc.constant((old: unknown): unknown => (typeof old === 'string' ? [old] : typeof old === 'number' ? String(old) : Array.isArray(old) ? old[0] : old === null ? {} : typeof old === 'object' ? Object.keys(old as object) : old)),
  ),
).map(([a, f]): DocMutation => (doc) => {
  const all = paths(doc);
  const out = setAt(doc, all[a % all.length]!, f);
  return out === DELETE ? null : out;
});

/** A generated valid scenario's text (fuzz profile default). */
const generatedText: fc.Arbitrary<string> = caseArb(profileNamed('default')).map((c) => caseText(c));

/** A scenario text: from the library or generated, then 1–3 mutations, text- or document-level. */
export const malformedScenario: fc.Arbitrary<{ base: string; text: string }> = fc
  .tuple(
    fc.oneof(fc.constantFrom(...LIBRARY).map((s) => ({ base: s.name, text: s.text })), generatedText.map((text) => ({ base: 'generated', text }))),
    fc.array(fc.oneof(textMutation.map((m) => ({ kind: 'text' as const, m })), docMutation.map((m) => ({ kind: 'doc' as const, m }))), { minLength: 1, maxLength: 3 }),
  )
  .map(([src, muts]) => {
    let text = src.text;
    for (const { kind, m } of muts) {
      if (kind === 'text') text = (m as Mutation)(text);
      else {
        let doc: unknown;
        try {
          doc = parse(text, { merge: true, maxAliasCount: 100, logLevel: 'silent' });
        } catch {
          continue; // the text no longer parses: keep mutating the text
        }
        // stringify(undefined) is undefined (a type swap can turn the root [] into its missing first element).
        text = stringify((m as DocMutation)(doc)) ?? '';
      }
    }
    return { base: src.base, text };
  });

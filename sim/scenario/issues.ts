/**
 * zod issues → messages a person can act on: "expected <what the schema describes>, got
 * <what the file has>", did-you-mean for unknown keys, and — for unions such as timeline
 * steps or latency forms — the variant the user evidently meant, instead of zod's
 * "Invalid input" over every alternative.
 */
import { z } from 'zod';
import { didYouMean } from '../engine/index.js';
import { describeValue, type PathSegment } from './errors.js';
import type { Located } from './source.js';

type Issue = z.core.$ZodIssue;

/** A located message plus what the pruning in explainZodIssues needs. */
interface Explained extends Located {
  /** A required key is absent (path ends in that key). */
  missing?: boolean;
  /** An unknown key whose did-you-mean is this key. */
  suggests?: string;
}
type Schema = z.core.$ZodType;

/** Unknown keys explained per map (each costs a did-you-mean). */
const MAX_KEYS_EXPLAINED = 20;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema under wrappers (optional, pipes of transforms…) and the first description met on the way. */
function unwrap(schema: Schema): { core: Schema; description: string | undefined } {
  let s = schema;
  let description: string | undefined;
  for (let i = 0; i < 20; i++) {
    description ??= z.globalRegistry.get(s)?.description;
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (WRAPPERS.has(def.type)) s = def['innerType'] as Schema;
    else if (def.type === 'pipe') s = def['in'] as Schema;
    else if (def.type === 'lazy') s = (def['getter'] as () => Schema)();
    else break;
  }
  return { core: s, description };
}

function defOf(schema: Schema): Record<string, unknown> & { type: string } {
  return unwrap(schema).core._zod.def as unknown as Record<string, unknown> & { type: string };
}

function shapeOf(schema: Schema): Record<string, Schema> | undefined {
  const def = defOf(schema);
  return def.type === 'object' ? (def['shape'] as Record<string, Schema>) : undefined;
}

/** Object keys shared with the value minus keys the variant would not allow: how well a map variant fits. */
function keyScore(schema: Schema, value: Record<string, unknown>): number {
  const keys = new Set(Object.keys(shapeOf(schema) ?? {}));
  const present = Object.keys(value);
  const shared = present.filter((k) => keys.has(k)).length;
  return shared - (present.length - shared);
}

/** The union member a value was evidently written for (zod sometimes reports inside one directly). */
function pickBranch(options: readonly Schema[], value: unknown): Schema | undefined {
  if (isPlainObject(value)) {
    const maps = options.filter((o) => shapeOf(o) !== undefined);
    const best = Math.max(...maps.map((o) => keyScore(o, value)));
    return maps.find((o) => keyScore(o, value) === best) ?? options[0];
  }
  const want = Array.isArray(value) ? ['array', 'tuple'] : [typeof value];
  return options.find((o) => want.includes(defOf(o).type)) ?? options[0];
}

/** A union → the member that fits the value; other schemas unchanged. */
function resolve(schema: Schema | undefined, value: unknown): Schema | undefined {
  if (!schema) return undefined;
  const def = defOf(schema);
  return def.type === 'union' ? pickBranch(def['options'] as Schema[], value) : schema;
}

/** The schema at a relative path, walking into the union member that fits the value. */
function schemaAt(schema: Schema | undefined, value: unknown, path: readonly PropertyKey[]): Schema | undefined {
  let s = schema;
  let v = value;
  for (const seg of path) {
    s = resolve(s, v);
    if (!s) return undefined;
    const def = defOf(s);
    if (def.type === 'object') s = (def['shape'] as Record<string, Schema>)[String(seg)];
    else if (def.type === 'array') s = def['element'] as Schema;
    else if (def.type === 'tuple') s = (def['items'] as Schema[])[Number(seg)];
    else if (def.type === 'record') s = def['valueType'] as Schema;
    else return undefined;
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return s;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** "expected …" text for a schema: its description, else a plain word for its type. */
function describe(schema: Schema | undefined): string {
  if (!schema) return 'a valid value';
  const { core, description } = unwrap(schema);
  if (description) return description;
  const def = core._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'true or false';
    case 'array': return 'a list';
    case 'object': return `a map with keys ${Object.keys(def['shape'] as object).join(', ')}`;
    case 'record': return 'a map';
    case 'literal': return (def['values'] as unknown[]).map((v) => JSON.stringify(v)).join(' or ');
    case 'union': return (def['options'] as Schema[]).map(describe).join(', or ');
    default: return `a ${def.type}`;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKey(path: PathSegment[], key: string, allowed: string[]): Explained {
  const guess = didYouMean(key, allowed);
  return {
    ...(guess !== undefined ? { suggests: guess } : {}),
    path: [...path, key],
    onKey: true,
    message: `unknown key "${key}"`,
    hint: guess !== undefined ? `did you mean ${guess}?` : `allowed here: ${allowed.join(', ')}`,
  };
}

/** A branch failed because the value has the wrong type altogether (not because of its contents). */
function typeMismatch(errors: readonly Issue[]): boolean {
  return errors.some(
    (e) => e.path.length === 0 && (e.code === 'invalid_type' || (e.code === 'invalid_union' && e.errors.every(typeMismatch))),
  );
}

function explainUnion(issue: Extract<Issue, { code: 'invalid_union' }>, schema: Schema | undefined, value: unknown, path: PathSegment[]): Explained[] {
  const options = schema ? ((defOf(schema)['options'] as Schema[] | undefined) ?? []) : [];
  const expected = describe(schema);
  const fits = issue.errors.map((_, i) => i).filter((i) => !typeMismatch(issue.errors[i]!));
  const recurse = (i: number): Explained[] => issue.errors[i]!.flatMap((e) => explain(e, options[i], value, path));
  if (value === undefined) return [{ path, message: `missing; expected ${expected}`, missing: true }];
  if (fits.length === 0 || options.length !== issue.errors.length) {
    return [{ path, message: `expected ${expected}, got ${describeValue(value)}` }];
  }
  if (fits.length === 1) return recurse(fits[0]!);
  if (!isPlainObject(value)) {
    const fewest = [...fits].sort((a, b) => issue.errors[a]!.length - issue.errors[b]!.length)[0]!;
    return recurse(fewest);
  }
  // Several map-shaped variants: the one sharing the most keys with the value (minus the
  // keys it would not allow) is the one the user meant.
  const present = Object.keys(value);
  const keysOf = (i: number): string[] => Object.keys(shapeOf(options[i]!) ?? {});
  // Keys that only one variant has name that variant (a step's action: crash, kill-link…);
  // keys naming two variants are two things in one map, whatever else the map holds.
  const ownersOf = (k: string): number[] => fits.filter((i) => keysOf(i).includes(k));
  const named = new Map<number, string>();
  for (const k of present) {
    const owners = ownersOf(k);
    if (owners.length === 1 && !named.has(owners[0]!)) named.set(owners[0]!, k);
  }
  if (named.size >= 2) return [conflict([...named.values()], path, expected)];
  const score = (i: number): number => keyScore(options[i]!, value);
  const best = Math.max(...fits.map(score));
  const top = fits.filter((i) => score(i) === best);
  if (top.length === 1) return recurse(top[0]!);
  const allKeys = [...new Set(fits.flatMap(keysOf))];
  const strangers = present.filter((k) => !allKeys.includes(k));
  if (strangers.length > 0) {
    return strangers.slice(0, MAX_KEYS_EXPLAINED).map((k) => ({ ...unknownKey(path, k, allKeys), hint: hintFor(k, allKeys, expected) }));
  }
  const conflicting = present.filter((k) => !top.every((i) => keysOf(i).includes(k)));
  if (conflicting.length >= 2) return [conflict(conflicting, path, expected)];
  return [{ path, message: `expected ${expected}, got ${describeValue(value)}` }];
}

/** Keys of two variants in one map; in the timeline that is two actions in one step. */
function conflict(keys: readonly string[], path: PathSegment[], expected: string): Explained {
  const list = keys.map((k) => `"${k}"`).join(' and ');
  if (path[0] === 'timeline') {
    return { path, message: `${list} cannot be used together: one action per step`, hint: 'write one step per action (two steps may have the same at:)' };
  }
  return { path, message: `${list} cannot be used together`, hint: `expected ${expected}` };
}

function hintFor(key: string, allowed: string[], expected: string): string {
  const guess = didYouMean(key, allowed);
  return guess !== undefined ? `did you mean ${guess}?` : `expected ${expected}`;
}

/** One zod issue, relative to `schema` and `value` found at `base`. */
function explain(issue: Issue, schema: Schema | undefined, value: unknown, base: PathSegment[]): Explained[] {
  const rel = issue.path as PropertyKey[];
  const path = [...base, ...rel.map((s) => (typeof s === 'number' ? s : String(s)))];
  const sub = schemaAt(schema, value, rel);
  const found = valueAt(value, rel);
  const got = describeValue(found);
  switch (issue.code) {
    case 'unrecognized_keys': {
      // Resolved once, not per key; and a map of thousands of unknown keys shows the first few.
      const allowed = Object.keys(shapeOf(resolve(sub, found) ?? z.never()) ?? {});
      return issue.keys.slice(0, MAX_KEYS_EXPLAINED).map((k) => unknownKey(path, k, allowed));
    }
    case 'invalid_type':
      if (found === undefined) return [{ path, message: `missing; expected ${describe(sub)}`, missing: true }];
      return [{ path, message: `expected ${describe(sub)}, got ${got}` }];
    case 'invalid_union':
      return explainUnion(issue, sub, found, path);
    case 'invalid_key': {
      const record = schemaAt(schema, value, rel.slice(0, -1));
      const keyType = record ? (defOf(record)['keyType'] as Schema | undefined) : undefined;
      return [{ path, onKey: true, message: `expected ${describe(keyType)}, got ${describeValue(rel[rel.length - 1])}` }];
    }
    case 'invalid_value': {
      const guess = typeof found === 'string' ? didYouMean(found, issue.values.map(String)) : undefined;
      const out: Explained = { path, message: `expected ${describe(sub)}, got ${got}` };
      if (guess !== undefined) out.hint = `did you mean ${guess}?`;
      return [out];
    }
    case 'custom': {
      const out: Explained = { path, message: issue.message };
      const hint = (issue.params as { hint?: unknown } | undefined)?.hint;
      if (typeof hint === 'string') out.hint = hint;
      return [out];
    }
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'not_multiple_of':
      return [{ path, message: `expected ${describe(sub)}, got ${got}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

/**
 * All of a failed parse's issues, as located messages. Duplicates are dropped, and so is
 * "node: missing" when the same map has an unknown key "nod" that suggests it — one typo,
 * one message.
 */
export function explainZodIssues(issues: readonly Issue[], schema: Schema, input: unknown): Located[] {
  const out = issues.flatMap((i) => explain(i, schema, input, []));
  const key = (path: readonly PathSegment[]): string => path.join('\u0000');
  const suggested = new Set(out.filter((l) => l.suggests !== undefined).map((l) => key([...l.path.slice(0, -1), l.suggests!])));
  const seen = new Set<string>();
  return out
    .filter((l) => {
      const k = `${key(l.path)}|${l.message}`;
      if (seen.has(k) || (l.missing && suggested.has(key(l.path)))) return false;
      seen.add(k);
      return true;
    })
    .map(({ missing: _m, suggests: _s, ...located }) => located);
}
